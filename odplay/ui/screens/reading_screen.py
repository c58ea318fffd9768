"""What the help, the errata and the comparison share: a scrolling page over the playground,
with a title, that Escape (or q) closes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from odplay.ui.dismiss_once import DismissOnceScreen


class ReadingScreen(DismissOnceScreen[None]):
    """Subclasses give `HEADING`, `WIDTH` and `content()`."""

    DEFAULT_CSS = """
    ReadingScreen { align: center middle; background: $background 60%; }
    ReadingScreen > VerticalScroll {
        max-width: 100%; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="odplay.reading.close"),
    ]
    HEADING = ""
    WIDTH = 100

    def content(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.HEADING
            box.border_subtitle = "Esc closes"
            box.styles.width = self.WIDTH
            yield from self.content()

    def action_close(self) -> None:
        self.dismiss(None)
