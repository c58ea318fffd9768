"""The ladder's rows are selected with the keyboard; the explanation shows the selected message
with its rules (ID and section), follows the latest message unless the learner pinned one, and
says which."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from odplay.ui.app import PlaygroundApp
from odplay.ui.widgets.message_ladder import LadderLines
from tests.ui.conftest import drive, flow_app


def _explanation(app: PlaygroundApp) -> str:
    return str(app.query_one("#explanation", Static).render())


def test_up_selects_an_older_message_pins_it_and_end_follows_again() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "n", "4")
        await pilot.pause()
        lines = app.query_one(LadderLines)
        assert app.focused is lines and not lines.pinned
        assert "Following the latest message" in _explanation(app)
        # Up to the latest message with rules that is not a step's narration.
        await pilot.press("up")
        while not lines.selected().rules or lines.selected().source is None:  # type: ignore[union-attr]
            await pilot.press("up")
        await pilot.pause()
        chosen = lines.cursor
        row = lines.selected()
        assert row is not None and lines.pinned
        shown = _explanation(app)
        assert f"Pinned: message {chosen + 1} of {lines.count}" in shown
        assert row.text in shown
        assert f"{row.rules[0]} §" in shown  # the rule, with the draft's section
        await pilot.press("n")  # the run goes on: the pinned message stays selected
        await pilot.pause()
        assert lines.cursor == chosen and lines.selected() == row
        assert row.text in _explanation(app) and "Pinned" in _explanation(app)
        await pilot.press("end")
        await pilot.pause()
        assert not lines.pinned and lines.cursor == lines.count - 1
        assert "Following the latest message" in _explanation(app)
        before = lines.count
        await pilot.press("n")
        await pilot.pause()
        assert lines.count > before and lines.cursor == lines.count - 1

    drive(app, body, size=(160, 48))


def test_enter_pins_the_latest_message_and_enter_again_lets_it_go() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "4", "enter")
        await pilot.pause()
        lines = app.query_one(LadderLines)
        pinned = lines.cursor
        assert lines.pinned and "Pinned" in _explanation(app)
        await pilot.press("n")
        await pilot.pause()
        assert lines.cursor == pinned < lines.count - 1
        await pilot.press("enter")
        await pilot.pause()
        assert not lines.pinned and lines.cursor == lines.count - 1

    drive(app, body, size=(160, 48))
