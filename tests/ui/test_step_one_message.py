"""`.` and `,` move by exactly one message: one ladder row, never a batch.

One step of the model can make several messages at once (an application launched: it starts,
opens a socket, calls setsc(), binds, connects; after a move, app1 closes its broken socket,
reopens and reconnects). They used to appear together on one `.`. Now each `.` adds one row to
the ladder, each `,` takes one away, and the explanation panel changes to a step's narration
exactly when that narration's row appears (and back when it goes).
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import run_scenario
from odplay.session.session import Session
from odplay.ui.widgets.message_ladder import MessageLadder
from tests.ui.conftest import FLOW, drive, flow_app

HEADLESS = run_scenario(load_scenario(FLOW)).sim.trace.entries


def _rows(pilot: Pilot[None]) -> int:
    return pilot.app.query_one(MessageLadder).lines.count


def _explanation(pilot: Pilot[None]) -> str:
    return str(pilot.app.query_one("#explanation", Static).render())


def test_full_stop_adds_exactly_one_ladder_row_and_comma_takes_one_away() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        # The 4.2 flow up to app1's re-establishment: three model steps of six or more
        # messages each (app1's and app3's launches, the move, app1's reconnection).
        reconnected = next(e.number for e in HEADLESS if e.kind == "re-established")
        for row in range(1, reconnected + 2):
            await pilot.press("full_stop")
            assert _rows(pilot) == app.session.shown == row
            entry = app.session.trace[-1]
            assert (entry.kind, entry.text) == (HEADLESS[row - 1].kind, HEADLESS[row - 1].text)
        for row in range(reconnected, 0, -1):
            await pilot.press("comma")
            assert _rows(pilot) == app.session.shown == row

    drive(app, body)


def test_the_explanation_changes_with_the_narrations_own_row() -> None:
    app = flow_app()
    told = next(e for e in HEADLESS if e.kind == "narration" and e.rules == ("F6",))

    async def body(pilot: Pilot[None]) -> None:
        for _ in range(told.number):
            await pilot.press("full_stop")
        # Everything before the F6 narration is shown: the explanation is still the move's.
        assert "notice their broken sockets" not in _explanation(pilot)
        await pilot.press("full_stop")
        assert app.session.trace[-1] == told
        assert "notice their broken sockets" in _explanation(pilot)
        # ...and it is told before app1 closes its broken socket, not after the reconnection.
        await pilot.press("full_stop")
        assert app.session.trace[-1].kind == "close"
        await pilot.press("comma", "comma")
        assert "notice their broken sockets" not in _explanation(pilot)

    drive(app, body)


def test_the_session_steps_one_entry_at_a_time_through_every_model_step() -> None:
    """The session's own API, over the whole flow: each step_forward shows one more entry,
    each step_back one fewer, whatever the model did in one step."""
    session = Session.load(FLOW)
    shown = [session.shown]
    while session.shown < len(HEADLESS) and session.step_forward():
        shown.append(session.shown)
    assert shown == list(range(len(HEADLESS) + 1))
    assert [e.text for e in session.trace] == [e.text for e in HEADLESS]
    while session.step_back():
        shown.pop()
        assert session.shown == shown[-1] == len(session.trace)
    assert session.shown == 0
