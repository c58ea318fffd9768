"""`odplay compare`: the same run on demand, with Mobile IP for every socket, with no mobility.

This is the draft's Section 1 argument (C3), measured: Mobile IP breaks nothing but stretches
every path through the anchor; no mobility keeps every path direct but breaks sessions.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from odplay.cli import app
from odplay.compare import compare_scenario
from odplay.scenario.loader import load_scenario
from odplay.session.scenarios import compare_run
from odplay.session.session import Session
from odplay.sim.apps import spec_for
from odplay.sim.network import Mobility

FLOW = Path(__file__).parents[1] / "scenarios" / "4.2-message-flow.yaml"


def test_C3_the_4_2_flow_three_ways() -> None:
    results = {r.mode: r for r in compare_scenario(load_scenario(FLOW)).results}
    on_demand = results[Mobility.ON_DEMAND].total
    mobile_ip = results[Mobility.MOBILE_IP].total
    nothing = results[Mobility.NONE].total
    assert on_demand.broken == 2  # app1 and app2 lose IPnp1 (F5)
    assert mobile_ip.broken == 0  # everything is a home address
    assert nothing.broken >= on_demand.broken + 1  # app3 loses its session too
    assert mobile_ip.mean_rtt and on_demand.mean_rtt and nothing.mean_rtt
    assert mobile_ip.mean_rtt > on_demand.mean_rtt > nothing.mean_rtt
    assert nothing.anchored_mbyte == 0 and nothing.stretch == 1
    assert mobile_ip.anchored_mbyte > on_demand.anchored_mbyte > 0
    assert results[Mobility.MOBILE_IP].peak_tunnels > results[Mobility.ON_DEMAND].peak_tunnels
    assert all(not r.error for r in results.values())


def test_free_play_is_compared_by_replaying_what_the_learner_did() -> None:
    session = Session.free()
    session.launch(spec_for("im", "instant-messenger"))
    session.play()
    session.tick(1000)
    session.move("ap3")
    session.tick(1000)
    results = {r.mode: r for r in compare_run(session).results}
    assert results[Mobility.ON_DEMAND].apps["im"].broken == 1
    assert results[Mobility.MOBILE_IP].apps["im"].broken == 0
    assert results[Mobility.MOBILE_IP].host.signalling > 0  # attach offers and a binding update


def test_the_compare_command_prints_tables_and_json() -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["compare", str(FLOW)])
    assert text.exit_code == 0, text.output
    assert "Mobile IP for all" in text.stdout and "Sessions broken" in text.stdout
    data = json.loads(runner.invoke(app, ["compare", str(FLOW), "--json"]).stdout)
    assert [m["mode"] for m in data["modes"]] == ["on-demand", "mobile-ip", "none"]
    assert data["modes"][1]["total"]["sessions_broken"] == 0
