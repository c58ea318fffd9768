"""What the learner reads first and in the socket workbench is current: a scenario's step 0 shows
the scenario's own introduction, and the workbench's socket list follows the run."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select, Static

from odplay.session.session import Session
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from odplay.ui.dialogs.socket_dialog import SocketDialog
from odplay.ui.widgets.explain_panel import FREE_PLAY_HINT
from tests.ui.conftest import FakeClock, drive, flow_app, free_app


def test_step_0_of_a_scenario_shows_its_introduction_not_the_free_play_hint() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        text = str(app.query_one("#explanation", Static).render())
        assert app.session.summary and app.session.summary in text
        assert "n plays step 1 of" in text
        assert FREE_PLAY_HINT not in text
        await pilot.press("n")
        await pilot.pause()
        text = str(app.query_one("#explanation", Static).render())
        assert "Step 1 of" in text and app.session.summary not in text

    drive(app, body)


def test_free_play_still_shows_the_free_play_hint() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        assert FREE_PLAY_HINT in str(app.query_one("#explanation", Static).render())

    drive(app, body)


def _labels(dialog: SocketDialog) -> list[str]:
    select = dialog.query_one("#socket", Select)
    return [str(prompt) for prompt, _ in select._options]


def test_the_workbench_socket_list_shows_a_break_that_happens_while_it_is_open() -> None:
    session = Session.free()
    session.call(cmd.Launch(spec_for("im", "instant-messenger")))
    session.run_while(lambda: not any(s.state.value == "connected" for s in session.sockets()))
    app = free_app(FakeClock(), session)

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        assert any("im: connected" in label for label in _labels(dialog))
        app.session.do(cmd.Move("ap3"))  # a gateway change: the Non-persistent socket breaks
        await pilot.pause()
        labels = _labels(dialog)
        assert any("im: broken" in label for label in labels), labels
        assert not any("im: connected" in label for label in labels)

    drive(app, body)
