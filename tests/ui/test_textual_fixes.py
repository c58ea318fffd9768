"""The work-arounds in odplay.ui.textual_fixes, each shown against the bug it works around."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.widgets import OptionList

import odplay.ui.app  # noqa: F401 - importing the playground installs the work-arounds
from odplay.ui.textual_fixes import WORKAROUNDS, Workaround

ROOT = Path(__file__).parents[2]


class OneList(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(*(f"option {n}" for n in range(30)))


def test_paging_an_option_list_before_it_is_laid_out_does_nothing() -> None:
    """Found by the monkey: ctrl+p then pagedown, faster than the palette's first layout."""
    option_list = OptionList(*(f"option {n}" for n in range(30)))
    option_list.highlighted = 0
    option_list.action_page_down()  # KeyError in the pinned Textual without the work-around
    option_list.action_page_up()
    assert option_list.highlighted == 0


def test_paging_a_laid_out_option_list_still_pages() -> None:
    async def main() -> int | None:
        app = OneList()
        async with app.run_test(size=(40, 12)) as pilot:
            option_list = app.query_one(OptionList)
            option_list.focus()
            option_list.highlighted = 0
            await pilot.press("pagedown")
            return option_list.highlighted

    highlighted = asyncio.run(main())
    assert highlighted is not None and highlighted > 0


def test_a_palette_closed_mid_search_does_not_end_the_app() -> None:
    """Found by the monkey's long run: ctrl+p, a letter, Escape, and the search still running
    shows or hides a list that is gone (NoMatches in the pinned Textual without the fix)."""
    palette = CommandPalette()  # never composed: it has no list, as a closed one has none
    palette._watch__list_visible()


@pytest.mark.parametrize("workaround", WORKAROUNDS, ids=lambda w: w.name)
def test_upstream_still_needs_the_work_around(workaround: Workaround) -> None:
    """Runs the bug's smallest reproduction on Textual as installed, without the work-arounds.

    When this fails, the pinned Textual has fixed the bug: delete the work-around and its report.
    """
    index = WORKAROUNDS.index(workaround)
    probe = (
        "import sys\n"
        "from odplay.ui.textual_fixes import WORKAROUNDS\n"
        f"sys.exit(0 if WORKAROUNDS[{index}].still_broken() else 3)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode != 3, (
        f"Textual {version('textual')} no longer has the bug {workaround.name!r}: delete its "
        f"entry in odplay/ui/textual_fixes.py and {workaround.report}"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("workaround", WORKAROUNDS, ids=lambda w: w.name)
def test_every_work_around_is_reported_upstream(workaround: Workaround) -> None:
    report = ROOT / workaround.report
    assert report.is_file(), f"no upstream report for {workaround.name!r}"
    text = report.read_text(encoding="utf-8")
    assert "## Smallest reproduction" in text and "## Suggested patch" in text
    assert workaround.method in text


def test_the_work_arounds_are_installed_by_the_playground() -> None:
    for workaround in WORKAROUNDS:
        assert getattr(getattr(workaround.owner, workaround.method), "_odplay_fixed", False)
