"""States differ by more than colour: run with NO_COLOR=1 (a monochrome projector, a colour-blind
learner), a checkbox shows ✓ or nothing, the shown panel's tab is in brackets, and the selected
ladder row is in reverse video."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from odplay.ui.widgets.message_ladder import LadderLines
from odplay.ui.widgets.panel_tabs import PanelTabs
from odplay.ui.widgets.tick_box import ON, TickBox
from tests.ui.conftest import drive, flow_app, free_app


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def test_a_checkbox_says_on_or_off_with_a_mark_not_a_colour() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        assert app.no_color
        for key in ("e", "l"):
            await pilot.press(key)
            await pilot.pause()
            boxes = list(app.screen.query(TickBox).results())
            assert {box.value for box in boxes} == {True, False}, key  # both states to tell
            for box in boxes:
                assert (ON in box.render().plain) == box.value, box.id
            box = boxes[0]
            box.toggle()
            await pilot.pause()
            assert (ON in box.render().plain) == box.value
            await pilot.press("escape")
            await pilot.pause()

    drive(app, body, size=(80, 24))


def test_the_shown_panel_s_tab_and_the_selected_row_stand_out_without_colour() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n")
        await pilot.pause()
        tabs = app.query_one(PanelTabs).render().plain  # type: ignore[union-attr]
        assert "[4 Ladder]" in tabs and "[1 Sockets]" not in tabs
        lines = app.query_one(LadderLines)
        y = lines.row_line(lines.cursor) - round(lines.scroll_offset.y) + 1  # under the heading
        selected = lines.render_line(y)
        reversed_text = "".join(s.text for s in selected if s.style is not None and s.style.reverse)
        assert lines.row_text(lines.cursor).plain.strip()[:20] in reversed_text
        other = lines.render_line(y - 1)
        assert not any(seg.style is not None and seg.style.reverse for seg in other if seg.text)

    drive(app, body, size=(80, 24))
