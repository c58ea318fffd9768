"""Work-arounds for bugs in the pinned Textual (see the pin in pyproject.toml).

Each names how it was found and what to check before dropping it when the pin moves.

1. `OptionList` pages before it is laid out: page-down (or page-up) in an option list whose
   lines have not been measured yet raises KeyError in `_move_page`. The command palette's list
   and every `Select`'s overlay are option lists, so a quick `ctrl+p` then `pagedown` could end
   the app. Found by tests/ui/test_monkey.py; the same crash was reported against another app
   (kagan-sh/kagan-legacy#31). Until it is laid out the list has no page to move by, so the
   key does nothing, as Textual's own `scroll_to_highlight` already does in that case.
2. The command palette closed while its search was still running: the search worker then
   shows or hides the palette's list, which is gone, raises NoMatches, and the failed worker
   ends the app. Found by the monkey's long run (`python3 dev.py soak`): ctrl+p, a letter,
   Escape. A palette without its list has nothing to show or hide, so nothing is done.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList


def _run_only_when(cls: type, name: str, ready: Callable[[Any], bool]) -> None:
    """Make `cls.name` do nothing unless `ready(self)`; once, however often it is called."""
    original = getattr(cls, name)
    if getattr(original, "_odplay_fixed", False):
        return

    @functools.wraps(original)
    def guarded(self: Any, *args: Any) -> None:
        if ready(self):
            original(self, *args)

    guarded._odplay_fixed = True  # type: ignore[attr-defined]
    setattr(cls, name, guarded)


def apply() -> None:
    """Install every work-around; safe to call more than once."""
    _run_only_when(OptionList, "_move_page", lambda o: (o.highlighted or 0) in o._index_to_line)
    _run_only_when(CommandPalette, "_watch__list_visible", lambda p: bool(p.query(CommandList)))
