"""A6 and D9, a choice the draft leaves open: ON_NET when the host already asks for a fresh
prefix for every socket (`allocation: fresh`).

Both ask the serving network for a new prefix, so when the network says yes ON_NET adds
nothing. They differ only when no fresh prefix comes, and how is the host's setting
`when_fresh_fails`: `fail` (odplay's default) fails every such setsc() (D4); `reuse` gives a
socket without ON_NET a held address of its type (Section 6.2, flag clear), while an ON_NET
socket still fails (A6). Both sides here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.constants import ON_NET, SESSION_LASTING, Status
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.policy import AllocationPolicy, FreshFailurePolicy, HostPolicy
from odplay.sim.simulation import Simulation

SCENARIO = Path(__file__).parents[2] / "scenarios" / "choice-A6-D9-on-net-under-fresh.yaml"
FAIL, REUSE = FreshFailurePolicy.FAIL, FreshFailurePolicy.REUSE


def _fresh_host(when_fresh_fails: FreshFailurePolicy, pool: int = 3) -> Simulation:
    """Attached at ap1, gw1 with `pool` prefixes (two go at once: PREFsl1 and PREFnp1)."""
    network = default_network()
    network.gateways[0].pool = pool
    policy = HostPolicy(allocation=AllocationPolicy.FRESH, when_fresh_fails=when_fresh_fails)
    sim = Simulation(network, policy, seed=7)
    sim.attach("ap1")
    return sim


def _setsc(sim: Simulation, on_net: bool) -> tuple[Status, str | None]:
    fd = sim.socket("onnet" if on_net else "plain")
    if on_net:
        assert sim.setsockopt(fd, int(ON_NET)) is Status.SUCCESS
    status, _ = sim.setsc(fd, SESSION_LASTING)
    return status, sim.world.stack.sockets[fd].setsc_address


def test_A6_D9_fail_is_the_default_setting() -> None:
    assert HostPolicy().when_fresh_fails is FAIL


@pytest.mark.parametrize("setting", [FAIL, REUSE])
def test_A6_D9_when_the_network_says_yes_on_net_adds_nothing_under_fresh(
    setting: FreshFailurePolicy,
) -> None:
    sim = _fresh_host(setting, pool=6)
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl2")
    assert _setsc(sim, on_net=True) == (Status.SUCCESS, "IPsl3")
    requests = [e for e in sim.trace if e.kind == "prefix-request"]
    assert len(requests) == 2  # both asked gw1: ON_NET only adds its rule to the request
    assert [("A6" in e.rules, "D9" in e.rules) for e in requests] == [(False, True), (True, True)]


def test_A6_D9_fail_no_fresh_prefix_fails_both_with_or_without_on_net() -> None:
    sim = _fresh_host(FAIL)
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl2")  # the pool's last prefix
    assert _setsc(sim, on_net=False) == (Status.EAI_REQUIREDIPFAILED, None)
    assert _setsc(sim, on_net=True) == (Status.EAI_REQUIREDIPFAILED, None)
    results = [e for e in sim.trace if e.kind == "setsc-result"]
    assert [e.rules for e in results[1:]] == [("D4", "A3"), ("D4", "A3")]


def test_A6_D9_reuse_no_fresh_prefix_gives_a_held_address_unless_on_net() -> None:
    sim = _fresh_host(REUSE)
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl2")
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl2")  # the newest held (D2)
    assert _setsc(sim, on_net=True) == (Status.EAI_REQUIREDIPFAILED, None)
    fallback = [e for e in sim.trace if e.kind == "setsc-result" and "when_fresh_fails" in e.text]
    assert len(fallback) == 1
    assert fallback[0].rules[:3] == ("D9", "A6", "D2")
    assert sim.world.stack.waiting_for("IPsl2") == [3, 4]  # given it; not yet its users (R3)
    refused = [e for e in sim.trace if e.kind == "setsc-result" and "ON_NET asked" in e.text]
    assert [e.rules for e in refused] == [("D4", "A3", "A6")]  # why it did not fall back


def test_A6_D9_reuse_while_detached_gives_a_held_address_unless_on_net() -> None:
    sim = _fresh_host(REUSE, pool=6)
    sim.detach()  # Session-lasting prefixes stay (T2); there is no network to ask (D3)
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl1")
    assert _setsc(sim, on_net=True) == (Status.EAI_REQUIREDIPFAILED, None)


def test_A6_D9_reuse_with_nothing_held_still_fails() -> None:
    sim = _fresh_host(REUSE)
    fd = sim.socket("plain")
    status, _ = sim.setsc(fd, 4)  # Graceful-replacement: not supported, none held
    assert status is Status.EAI_REQUIREDIPNOTSUPPORTED


def test_A6_D9_under_reuse_allocation_the_setting_changes_nothing() -> None:
    sim = _fresh_host(REUSE)
    sim.world.stack.policy.allocation = AllocationPolicy.REUSE
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl1")  # held: no request (D2)
    assert _setsc(sim, on_net=True) == (Status.SUCCESS, "IPsl2")  # ON_NET asks (A6)
    assert _setsc(sim, on_net=True) == (Status.EAI_REQUIREDIPFAILED, None)


def test_A6_D9_the_setting_changes_mid_run_and_a_saved_run_replays() -> None:
    sim = _fresh_host(FAIL)
    _setsc(sim, on_net=False)
    sim.apply(cmd.SetPolicy("when_fresh_fails", REUSE))
    assert _setsc(sim, on_net=False) == (Status.SUCCESS, "IPsl2")
    assert any(e.text == "host policy when_fresh_fails = reuse" for e in sim.trace)
    text = to_yaml(record(sim, "a6", sim.now))
    assert "when_fresh_fails: reuse" in text
    check_replays(text, sim, sim.now)


def test_A6_D9_a_value_that_is_not_fail_or_reuse_is_refused_at_its_line() -> None:
    text = "title: t\nhost:\n  when_fresh_fails: retry\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: host.when_fresh_fails" in str(caught.value)
    with pytest.raises(TypeError, match="when_fresh_fails"):
        cmd.SetPolicy("when_fresh_fails", "reuse")


def test_A6_D9_the_shipped_scenario_shows_both_sides_and_passes() -> None:
    result = run_scenario(load_scenario(SCENARIO))
    assert result.ok, [c.describe() for c in result.failures]
    model = load_scenario(SCENARIO)
    assert model.host is not None and model.host.allocation == "fresh"
    says = " ".join(step.say for step in model.steps)
    assert "when_fresh_fails" in says and "A6" in says and "6.2" in says
