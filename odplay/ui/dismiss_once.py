"""Screens that close once, however many times they are asked to."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

T = TypeVar("T")


class DismissOnce(Screen[Any]):
    """Keys typed ahead can ask a screen to close twice: Enter picks an option and Escape
    cancels, both queued before the first is handled. Textual's second dismiss would pop
    whatever screen lies under this one (and with only the main screen under it, end the app),
    so here it is ignored. Found by the monkey test, tests/ui/test_monkey.py."""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return done
        self._dismissed = True
        return super().dismiss(result)


class DismissOnceScreen(DismissOnce, ModalScreen[T]):
    """odplay's dialogs and reading screens."""
