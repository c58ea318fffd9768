"""A click selects the row that was clicked, in every table; a repeated message is one toast."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from odplay.ui.app import NOTHING_SCHEDULED, PlaygroundApp
from odplay.ui.widgets.address_table import AddressTable
from odplay.ui.widgets.line_view import LineView
from odplay.ui.widgets.message_ladder import LadderLines
from odplay.ui.widgets.prefix_table import PrefixTable
from odplay.ui.widgets.socket_table import SocketTable
from tests.ui.conftest import drive, flow_app


def _content_top(view: LineView) -> int:
    """The screen row of the view's first row of content (under its border and heading)."""
    return view.content_region.y + view._heading_lines


@pytest.mark.parametrize(
    ("table", "panel"),
    [(SocketTable, "1"), (PrefixTable, "2"), (AddressTable, "3"), (LadderLines, "4")],
    ids=["sockets", "prefixes", "addresses", "ladder"],
)
def test_a_click_selects_the_row_that_was_clicked(table: type[LineView], panel: str) -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "n", "n", panel)
        await pilot.pause()
        view = app.query_one(table)
        assert view.row_count >= 2, "the run has at least two rows here"
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        for row in (1, 0):
            y = _content_top(view) + view.row_line(row)  # a wrapped message takes more lines
            x = view.content_region.x + 2
            await pilot.click(offset=(x, y))
            await pilot.pause()
            assert view.cursor == row

    drive(app, body, size=(160, 48))


def _toasts(app: PlaygroundApp, message: str) -> list[str]:
    return [n.title for n in app._notifications if n.message == message]


def test_a_repeated_message_is_one_toast_with_a_count() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        for _ in range(7):
            app.notify(NOTHING_SCHEDULED)
            await pilot.pause()
        assert _toasts(app, NOTHING_SCHEDULED) == ["×7"]
        app.notify("something else")
        await pilot.pause()
        assert _toasts(app, "something else") == [""]
        assert _toasts(app, NOTHING_SCHEDULED) == ["×7"]

    drive(app, body)


def test_pressing_step_past_the_end_shows_one_nothing_scheduled_toast() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        app.session.run_while(lambda: True)  # to the end: nothing left to happen
        for _ in range(7):
            await pilot.press("full_stop")
        await pilot.pause()
        shown = [n for n in app._notifications if n.message.startswith("Nothing is scheduled")]
        assert len(shown) == 1, [n.title for n in shown]

    drive(app, body)
