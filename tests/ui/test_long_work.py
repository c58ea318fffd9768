"""Long work never blocks the screen: compare, save, step back and restart run on Textual
workers, on copies or a still run, show a progress bar, can be cancelled with Escape (the run
stays as it was), and their result is swapped in when done.

Deterministic: the work is held at its first step by a gate the test opens (no sleeps), and
`quick_cost = 0` sends even this small work to a worker, as a long run's would be."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from odplay.session.api import jobs
from odplay.session.scenarios import compare_run
from odplay.session.session import Mode, Session
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.save_dialog import SaveDialog
from odplay.ui.screens.compare_screen import CompareScreen
from odplay.ui.widgets.status_bar import StatusBar
from tests.ui.conftest import FLOW, FakeClock, drive, settle


class HeldControl(jobs.Control):
    """A control whose work waits at its first check until the test lets it go."""

    def __init__(self, gate: threading.Event, reached: threading.Event) -> None:
        super().__init__()
        self.gate, self.reached = gate, reached

    def check(self) -> None:
        self.reached.set()
        self.gate.wait(timeout=30)  # a guard: a broken test fails, it does not hang
        super().check()


class HeldApp(PlaygroundApp):
    """The playground with every piece of long work on a worker, held at its first step."""

    work_moment = 0.0  # the status line shows it at once
    quick_cost = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate, self.reached = threading.Event(), threading.Event()

    def new_control(self) -> jobs.Control:
        return HeldControl(self.gate, self.reached)


def _busy() -> Session:
    session = Session.free()
    session.launch(spec_for("web-browser", "web-browser"))
    session.launch(spec_for("dns", "dns-client"))
    session.sim.run_for(3000)
    session.move("ap3")
    session.sim.run_for(3000)
    session.clock = session.world.now
    return session


def _busy_step_back() -> Session:
    """A busy run whose next `,` undoes a step of the model (work), rather than only hiding the
    latest of several messages one step made (Session.step_back: nothing to compute)."""
    session = _busy()
    while jobs.step_back_target(session) is None:
        session.step_back()
    return session


def _mode(session: Session) -> Mode:
    """The session's mode, read afresh (an assert before would have narrowed it)."""
    return session.mode


def _state(session: Session) -> tuple[int, int, int, Any]:
    return (session.position, session.clock, len(session.trace), session.sim.snapshot())


async def _held(pilot: Pilot[None], app: HeldApp, key: str, label: str) -> None:
    """Press `key`; the work starts on a worker and waits, and its bar says so."""
    await pilot.press(key)
    await pilot.pause()  # the worker's thread starts once the app's loop runs
    assert app.reached.wait(timeout=30)
    await pilot.pause()
    assert app.working is not None and label in app.working.label
    line = app.query_one(StatusBar)
    said = str(line.render())
    assert line.doing is not None and label in said and "Esc cancels" in said


async def _cancelled(pilot: Pilot[None], app: HeldApp) -> None:
    """Escape, then let the held work run into its cancel; the bar is gone."""
    await pilot.press("escape")
    assert app.working is None and app.query_one(StatusBar).doing is None
    app.gate.set()
    await settle(pilot)


def test_step_back_on_a_worker_can_be_cancelled_and_leaves_the_run_as_it_was() -> None:
    session = _busy_step_back()
    app = HeldApp(session, highlight_seconds=0, wall_clock=FakeClock())
    before = _state(session)

    async def body(pilot: Pilot[None]) -> None:
        await _held(pilot, app, "comma", "Stepping back")
        assert _state(session) == before  # the work is on a twin of the run
        await _cancelled(pilot, app)
        assert _state(session) == before
        await pilot.press("full_stop")  # the keys act again
        await pilot.pause()
        assert session.position == before[0]  # nothing was scheduled, nothing moved

    drive(app, body)


def test_step_back_on_a_worker_is_swapped_in_as_a_step_back_on_the_spot() -> None:
    session, same = _busy_step_back(), _busy_step_back()
    same.step_back()
    app = HeldApp(session, highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        await _held(pilot, app, "comma", "Stepping back")
        app.gate.set()
        await settle(pilot)
        assert app.working is None and app.query_one(StatusBar).doing is None
        assert _state(session) == _state(same)
        assert [e.text for e in session.trace] == [e.text for e in same.trace]

    drive(app, body)


def test_compare_on_a_worker_can_be_cancelled_then_shows_its_result_C3() -> None:
    session = _busy()
    app = HeldApp(session, highlight_seconds=0, wall_clock=FakeClock())
    before = _state(session)
    expected = [r.total for r in compare_run(session).results]

    async def body(pilot: Pilot[None]) -> None:
        await _held(pilot, app, "c", "Comparing")
        await _cancelled(pilot, app)
        assert not isinstance(app.screen, CompareScreen)
        assert _state(session) == before
        app.gate.clear()
        await _held(pilot, app, "c", "Comparing")
        app.gate.set()
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert [r.total for r in app.screen.comparison.results] == expected
        assert _state(session) == before

    drive(app, body)


def test_save_on_a_worker_can_be_cancelled_and_writes_nothing(tmp_path: Path) -> None:
    session = _busy()
    app = HeldApp(session, highlight_seconds=0, wall_clock=FakeClock())
    path = tmp_path / "run.yaml"

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        dialog.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.reached.wait(timeout=30)
        await pilot.pause()
        said = str(dialog.query_one("#dialog").border_subtitle)
        assert "Replaying the recording" in said and "Esc cancels" in said
        await pilot.press("escape")  # stops the save, keeps the dialog
        app.gate.set()
        await settle(pilot)
        assert app.screen is dialog and not path.exists()
        assert "nothing was written" in str(dialog.query_one(".problem", Static).render())
        await pilot.press("enter")  # again, let through: written, and the dialog closes
        await settle(pilot)
        assert app.screen is not dialog and path.exists()

    drive(app, body)
    replayed = Session.load(path)
    while replayed.next_scenario_step() is not None:
        pass
    assert [e.text for e in replayed.trace if e.kind == "move"] == [
        e.text for e in session.trace if e.kind == "move"
    ]


def test_restarting_a_left_scenario_on_a_worker_can_be_cancelled_then_is_swapped_in() -> None:
    session = Session.load(FLOW)
    session.next_scenario_step()
    session.do(cmd.Detach())  # leaves the script: a restart plays the scenario again
    app = HeldApp(session, highlight_seconds=0, wall_clock=FakeClock())
    before = _state(session)

    async def body(pilot: Pilot[None]) -> None:
        await _held(pilot, app, "r", "Playing the scenario again")
        await _cancelled(pilot, app)
        assert session.mode is Mode.FREE and _state(session) == before
        app.gate.clear()
        await _held(pilot, app, "r", "Playing the scenario again")
        app.gate.set()
        await settle(pilot)
        assert app.session is session  # the same session, its run replaced
        assert _mode(session) is Mode.SCENARIO and session.position == 0
        assert session.left_script_at is None
        await pilot.press("n")
        await pilot.pause()
        step = session.current_step()
        assert step is not None and step.number == 1

    drive(app, body)


def test_opening_on_a_worker_can_be_cancelled_and_keeps_the_run() -> None:
    app = HeldApp(Session.free(), highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        before = app.session
        app.open_in_background(FLOW)
        await pilot.pause()
        assert app.reached.wait(timeout=30)
        await pilot.pause()
        assert app.query_one(StatusBar).doing is not None
        await _cancelled(pilot, app)
        assert app.session is before and app.session.mode is Mode.FREE
        app.gate.clear()
        app.open_in_background(FLOW)
        app.gate.set()
        await settle(pilot)
        assert app.session is not before and _mode(app.session) is Mode.SCENARIO

    drive(app, body)
