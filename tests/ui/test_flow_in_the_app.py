"""The Section 4.2 flow stepped through in the app agrees with the headless run, exactly."""

from __future__ import annotations

import json

from textual.pilot import Pilot
from typer.testing import CliRunner

from odplay.cli import app as cli
from odplay.ui.widgets.address_table import AddressTable
from odplay.ui.widgets.message_ladder import MessageLadder
from odplay.ui.widgets.socket_table import SocketTable
from tests.ui.conftest import FLOW, drive, flow_app


def _frozen(app: object) -> str:
    session = app.session  # type: ignore[attr-defined]
    return json.dumps(
        [session.sim.snapshot(), [e.to_jsonable() for e in session.sim.trace]], sort_keys=True
    )


def _without(entry: dict[str, object], keys: tuple[str, ...]) -> dict[str, object]:
    return {k: v for k, v in entry.items() if k not in keys}


def test_stepping_the_whole_4_2_flow_ends_in_the_state_odplay_run_json_reports() -> None:
    headless = json.loads(CliRunner().invoke(cli, ["run", str(FLOW), "--json"]).stdout)
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        for _ in range(len(app.session.steps)):
            await pilot.press("n")
        assert app.session.position == app.session.script_end
        # The JSON says steps in the scenario's terms; the model counts its own. Everything else
        # must be the same, field for field.
        state = app.session.sim.snapshot()
        assert {**state, "step": None} == {**headless["state"], "step": None}
        assert headless["state"]["step"] == app.session.current_step().number
        model_steps = ("step", "step_at_ms")
        assert [_without(e.to_jsonable(), model_steps) for e in app.session.sim.trace] == [
            _without(e, model_steps) for e in headless["trace"]
        ]
        # What the learner sees says the same: every socket, bound where the JSON says.
        sockets = app.query_one(SocketTable).shown
        for row in headless["state"]["sockets"]:
            shown = sockets[str(row["fd"])].cells
            assert shown[0] == row["app"] and shown[5] == (row["bound_address"] or "-")
        assert set(app.query_one(AddressTable).shown) == {
            a["name"] for a in headless["state"]["addresses"]
        }
        assert app.query_one(MessageLadder).lines.count == len(headless["trace"])
        assert all(c.ok for c in app.session.visible_checks())
        assert len(app.session.visible_checks()) == len(headless["checks"])

    drive(app, body)


def test_stepping_back_then_forward_returns_to_the_identical_state() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*"nnnnnn")
        before = _frozen(app)
        shown = dict(app.query_one(SocketTable).shown)
        await pilot.press(*["comma"] * 12)
        assert _frozen(app) != before
        await pilot.press(*["full_stop"] * 12)
        assert _frozen(app) == before
        assert app.query_one(SocketTable).shown == shown
        await pilot.press("b", "b", "n", "n")
        assert _frozen(app) == before

    drive(app, body)
