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

from collections.abc import Callable
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList

_Direction = Any  # textual's _widget_navigation.Direction, a private alias


def _page_only_when_laid_out(
    move_page: Callable[[OptionList, _Direction], None],
) -> Callable[[OptionList, _Direction], None]:
    def guarded(self: OptionList, direction: _Direction) -> None:
        if (self.highlighted or 0) not in self._index_to_line:
            return
        move_page(self, direction)

    guarded.__doc__ = move_page.__doc__
    return guarded


def _only_while_the_list_is_there(
    watch: Callable[[CommandPalette], None],
) -> Callable[[CommandPalette], None]:
    def guarded(self: CommandPalette) -> None:
        if not self.query(CommandList):
            return
        watch(self)

    guarded.__doc__ = watch.__doc__
    return guarded


def apply() -> None:
    """Install every work-around; safe to call more than once."""
    watch = CommandPalette._watch__list_visible
    if not getattr(watch, "_odplay_fixed", False):
        guarded = _only_while_the_list_is_there(watch)
        guarded._odplay_fixed = True  # type: ignore[attr-defined]
        CommandPalette._watch__list_visible = guarded  # type: ignore[method-assign,assignment]
    if not getattr(OptionList._move_page, "_odplay_fixed", False):
        fixed = _page_only_when_laid_out(OptionList._move_page)
        fixed._odplay_fixed = True  # type: ignore[attr-defined]
        OptionList._move_page = fixed  # type: ignore[method-assign,assignment]
