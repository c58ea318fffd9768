"""Work-arounds for bugs in the pinned Textual (see the pin in pyproject.toml).

Every work-around is one `Workaround` entry in `WORKAROUNDS`, installed together by the one
function `apply()`, which the playground calls at import. Each entry carries:

- `report`: the text offered upstream, in `docs/upstream/` (what breaks, the smallest
  reproduction, the fix we suggest);
- `still_broken`: a probe that runs the smallest reproduction against Textual *as installed*
  and says whether the bug is still there. `tests/ui/test_textual_fixes.py` runs every probe in a
  fresh interpreter that has not installed the work-arounds, and fails when a probe says the bug
  is gone: that is the signal, when the pin moves, that a work-around can be deleted.

1. `OptionList` pages before it is laid out: page-down (or page-up) in an option list whose
   lines have not been measured yet raises KeyError in `_move_page`. The command palette's list
   and every `Select`'s overlay are option lists, so a quick `ctrl+p` then `pagedown` could end
   the app. Found by tests/ui/test_monkey.py. Until it is laid out the list has no page to move
   by, so the key does nothing, as Textual's own `scroll_to_highlight` already does then.
2. The command palette closed while its search was still running: the search worker then shows
   or hides the palette's list, which is gone, raises NoMatches, and the failed worker ends the
   app. Found by the monkey's long run (`python3 dev.py soak`): ctrl+p, a letter, Escape. A
   palette without its list has nothing to show or hide, so nothing is done.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.widgets import OptionList


@dataclass(frozen=True)
class Workaround:
    """One patched Textual method, why, and how to tell that upstream no longer needs it."""

    name: str
    report: str  # its upstream report, under docs/upstream/
    owner: type
    method: str
    ready: Callable[[Any], bool]  # the patched method runs only when this holds
    still_broken: Callable[[], bool]  # the smallest reproduction, on unpatched Textual


def _unpatched(owner: type, method: str) -> Callable[..., Any]:
    found = getattr(owner, method)
    return getattr(found, "__wrapped__", found)  # type: ignore[no-any-return]


def _option_list_pages_before_layout() -> bool:
    option_list = OptionList(*(f"option {n}" for n in range(30)))
    option_list.highlighted = 0
    try:
        _unpatched(OptionList, "_move_page")(option_list, 1)
    except KeyError:
        return True
    return False


def _palette_closed_mid_search() -> bool:
    palette = CommandPalette()  # never composed: it has no list, as a closed one has none
    try:
        _unpatched(CommandPalette, "_watch__list_visible")(palette)
    except NoMatches:
        return True
    return False


WORKAROUNDS = (
    Workaround(
        name="OptionList pages before it is laid out",
        report="docs/upstream/textual-option-list-page-before-layout.md",
        owner=OptionList,
        method="_move_page",
        ready=lambda o: (o.highlighted or 0) in o._index_to_line,
        still_broken=_option_list_pages_before_layout,
    ),
    Workaround(
        name="CommandPalette closed while its search runs",
        report="docs/upstream/textual-command-palette-closed-mid-search.md",
        owner=CommandPalette,
        method="_watch__list_visible",
        ready=lambda p: bool(p.query(CommandList)),
        still_broken=_palette_closed_mid_search,
    ),
)


def _run_only_when(workaround: Workaround) -> None:
    """Make the method do nothing unless `ready(self)`; once, however often it is called."""
    original = getattr(workaround.owner, workaround.method)
    if getattr(original, "_odplay_fixed", False):
        return

    @functools.wraps(original)
    def guarded(self: Any, *args: Any) -> None:
        if workaround.ready(self):
            original(self, *args)

    guarded._odplay_fixed = True  # type: ignore[attr-defined]
    setattr(workaround.owner, workaround.method, guarded)


def apply() -> None:
    """Install every work-around; safe to call more than once."""
    for workaround in WORKAROUNDS:
        _run_only_when(workaround)
