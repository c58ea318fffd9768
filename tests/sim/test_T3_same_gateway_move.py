"""T3, a choice the draft leaves open: a move between two attachment points of the same gateway.

Section 3.2 promises a Non-persistent address nothing after a move, but ties its prefix to the
serving gateway. odplay's default (`same_gateway_move: keep`) keeps every prefix when the gateway
stays, as Linux does when a host re-pairs with another access point of the same router; the
other side (`replace`) withdraws the Non-persistent prefix and offers a new one. Both sides here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.constants import GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.network import Mobility, SameGatewayMove
from odplay.sim.simulation import Simulation
from tests.conftest import ALL_TYPES, attached

SCENARIO = Path(__file__).parents[2] / "scenarios" / "choice-T3-same-gateway-move.yaml"
KEEP, REPLACE = SameGatewayMove.KEEP, SameGatewayMove.REPLACE


def _messenger_and_browser(setting: SameGatewayMove, **network: object) -> Simulation:
    sim = attached(same_gateway_move=setting, **network)
    sim.launch("im", "instant-messenger")
    sim.launch("web", "web-browser")
    sim.run_for(1000)
    return sim


def _state(sim: Simulation, prefix: str) -> str:
    return sim.world.stack.prefixes[prefix].state.value


def _bound(sim: Simulation, app: str) -> list[tuple[str | None, str]]:
    return [
        (s.bound_address, s.state.value)
        for s in sim.world.stack.sockets.values()
        if s.owner == app and s.live
    ]


def test_T3_keep_is_the_default_setting() -> None:
    assert attached().world.network.config.same_gateway_move is KEEP


def test_T3_keep_a_same_gateway_move_changes_no_prefix_and_breaks_nothing() -> None:
    sim = _messenger_and_browser(KEEP)
    sim.move("ap2")  # ap1 and ap2 are both behind gw1
    sim.run_for(2000)
    assert _state(sim, "PREFnp1") == "valid"
    assert "PREFnp2" not in sim.world.stack.prefixes
    assert _bound(sim, "im") == [("IPnp1", "connected")]
    assert sim.world.apps["im"].broken_sessions == 0
    same = [e for e in sim.trace if e.kind == "same-gateway"]
    assert [e.text for e in same] == ["gw1 still serves the host: every prefix stays valid"]


def test_T3_replace_a_same_gateway_move_replaces_the_non_persistent_prefix() -> None:
    sim = _messenger_and_browser(REPLACE)
    sim.move("ap2")
    sim.run_for(2000)
    assert _state(sim, "PREFnp1") == "withdrawn"
    new = sim.world.stack.prefixes["PREFnp2"]
    assert (new.state.value, new.allocated_by, new.type) == ("valid", "gw1", NON_PERSISTENT)
    assert sim.world.apps["im"].broken_sessions == 1
    assert _bound(sim, "im") == [("IPnp2", "connected")]  # re-established (F6)
    assert _bound(sim, "web") == [("IPsl1", "connected")]  # Session-lasting stays (T2)
    withdrawn = next(e for e in sim.trace if e.kind == "prefix-withdrawn")
    assert withdrawn.rules == ("T3", "F5")
    assert "gw1 takes it back after the move" in withdrawn.text
    same = next(e for e in sim.trace if e.kind == "same-gateway")
    assert "same_gateway_move: replace" in same.text and same.rules == ("T3",)


def test_T3_replace_leaves_fixed_session_lasting_and_graceful_prefixes_alone() -> None:
    sim = attached(supports=set(ALL_TYPES), same_gateway_move=REPLACE)
    for type_ in (SESSION_LASTING, GRACEFUL_REPLACEMENT, 1):
        fd = sim.socket("app")
        status, _ = sim.setsc(fd, type_)  # type: ignore[arg-type]
        assert status is Status.SUCCESS
    before = {name: p.state.value for name, p in sim.world.stack.prefixes.items()}
    sim.move("ap2")
    after = {name: p.state.value for name, p in sim.world.stack.prefixes.items()}
    assert before["PREFnp1"] == "valid" and after["PREFnp1"] == "withdrawn"
    for name in ("PREFfx1", "PREFsl1", "PREFgr1"):
        assert before[name] == after[name] == "valid", name
    assert after["PREFnp2"] == "valid"


def test_T3_a_gateway_change_is_the_same_under_both_settings() -> None:
    runs = []
    for setting in (KEEP, REPLACE):
        sim = _messenger_and_browser(setting)
        sim.move("ap3")  # gw1 → gw2
        sim.run_for(2000)
        runs.append([(e.time, e.kind, e.text, e.rules) for e in sim.trace])
    assert runs[0] == runs[1]


def test_T3_mobile_ip_keeps_every_prefix_whatever_the_setting() -> None:
    sim = _messenger_and_browser(REPLACE, mobility=Mobility.MOBILE_IP)
    sim.move("ap2")
    assert _state(sim, "PREFnp1") == "valid"
    assert sim.world.apps["im"].broken_sessions == 0


def test_T3_the_setting_changes_mid_run_and_a_saved_run_replays() -> None:
    sim = _messenger_and_browser(KEEP)
    sim.move("ap2")
    sim.apply(cmd.SetNetwork("same_gateway_move", REPLACE))
    sim.move("ap1")
    sim.run_for(1000)
    assert _state(sim, "PREFnp1") == "withdrawn"
    assert any(e.text == "network same_gateway_move = replace" for e in sim.trace)
    text = to_yaml(record(sim, "t3", sim.now))
    assert "same_gateway_move: replace" in text
    check_replays(text, sim, sim.now)


def test_T3_a_value_that_is_not_keep_or_replace_is_refused_at_its_line() -> None:
    text = "title: t\nnetwork:\n  same_gateway_move: renumber\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: network.same_gateway_move" in str(caught.value)
    with pytest.raises(TypeError, match="same_gateway_move"):
        cmd.SetNetwork("same_gateway_move", "replace")


def test_T3_the_shipped_scenario_shows_both_sides_and_passes() -> None:
    result = run_scenario(load_scenario(SCENARIO))
    assert result.ok, [c.describe() for c in result.failures]
    texts = [e.text for e in result.sim.trace if e.kind == "same-gateway"]
    assert texts[0].endswith("every prefix stays valid")
    assert "same_gateway_move: replace" in texts[1]
    says = [step.say for step in load_scenario(SCENARIO).steps]
    assert any("T3" in say and "3.2" in say for say in says)
