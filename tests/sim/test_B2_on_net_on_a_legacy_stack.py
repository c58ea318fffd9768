"""B2, a choice the draft leaves open: what a legacy stack answers to setsockopt() with ON_NET.

Section 5.1 asks an application using the new API to expect a stack without it; it does not say
how such a stack answers a flag it does not know. The host setting `legacy_on_net`: `einval`
(odplay's default and its reading of B2) refuses the call and leaves the socket as it was;
`ignore` does what a legacy Linux kernel does: it answers 0, drops ON_NET and keeps the other
bits. Both sides here, and the same setting on a new stack, where it changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.constants import ON_NET, SESSION_LASTING, AddrPreference, Status
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.policy import HostPolicy, LegacyOnNetPolicy
from odplay.sim.simulation import Simulation

SCENARIO = Path(__file__).parents[2] / "scenarios" / "choice-B2-on-net-on-a-legacy-stack.yaml"
EINVAL, IGNORE = LegacyOnNetPolicy.EINVAL, LegacyOnNetPolicy.IGNORE
COA = AddrPreference.IPV6_PREFER_SRC_COA


def _host(setting: LegacyOnNetPolicy, legacy: bool = True) -> Simulation:
    sim = Simulation(default_network(), HostPolicy(legacy_stack=legacy, legacy_on_net=setting))
    sim.attach("ap1")
    return sim


def test_B2_einval_is_the_default_setting() -> None:
    assert HostPolicy().legacy_on_net is EINVAL


def test_B2_einval_refuses_on_net_and_leaves_the_socket_as_it_was() -> None:
    sim = _host(EINVAL)
    fd = sim.socket("app")
    before = sim.getsockopt(fd)
    assert sim.setsockopt(fd, int(ON_NET | COA)) is Status.EINVAL
    assert sim.getsockopt(fd) == before
    answer = list(sim.trace)[-1]
    assert "EINVAL" in answer.text and "IPV6_REQUIRE_SRC_ON_NET" in answer.text
    assert "B2" in answer.rules


def test_B2_ignore_answers_0_drops_on_net_and_keeps_the_other_bits() -> None:
    sim = _host(IGNORE)
    fd = sim.socket("app")
    assert sim.setsockopt(fd, int(ON_NET | COA)) is Status.SUCCESS
    read = sim.getsockopt(fd)
    assert read is not None and not read & int(ON_NET) and read & int(COA)
    told = [e for e in sim.trace if e.kind == "setsockopt"][-1]
    assert "legacy_on_net: ignore" in told.text and "on-net" in told.text
    assert "B2" in told.rules and "A6" not in told.rules  # the stack never honours the flag


@pytest.mark.parametrize("setting", [EINVAL, IGNORE])
def test_B2_either_way_setsc_answers_enosys_and_no_prefix_is_asked(
    setting: LegacyOnNetPolicy,
) -> None:
    sim = _host(setting)
    fd = sim.socket("app")
    sim.setsockopt(fd, int(ON_NET))
    status, _ = sim.setsc(fd, SESSION_LASTING)
    assert status is Status.ENOSYS
    assert not [e for e in sim.trace if e.kind == "prefix-request"]


@pytest.mark.parametrize("setting", [EINVAL, IGNORE])
def test_B2_on_a_new_stack_the_setting_changes_nothing(setting: LegacyOnNetPolicy) -> None:
    sim = _host(setting, legacy=False)
    fd = sim.socket("app")
    assert sim.setsockopt(fd, int(ON_NET)) is Status.SUCCESS
    assert (sim.getsockopt(fd) or 0) & int(ON_NET)


def test_B2_a_flag_conflict_is_still_einval_under_ignore() -> None:
    sim = _host(IGNORE)
    fd = sim.socket("app")
    both = int(ON_NET | AddrPreference.IPV6_PREFER_SRC_HOME | COA)
    assert sim.setsockopt(fd, both) is Status.EINVAL


def test_B2_the_setting_changes_mid_run_and_a_saved_run_replays() -> None:
    sim = _host(EINVAL)
    sim.apply(cmd.SetPolicy("legacy_on_net", IGNORE))
    assert any(e.text == "host policy legacy_on_net = ignore" for e in sim.trace)
    fd = sim.socket("app")
    assert sim.setsockopt(fd, int(ON_NET)) is Status.SUCCESS
    text = to_yaml(record(sim, "b2", sim.now))
    assert "legacy_on_net: ignore" in text
    check_replays(text, sim, sim.now)


def test_B2_a_value_that_is_not_einval_or_ignore_is_refused_at_its_line() -> None:
    text = "title: t\nhost:\n  legacy_on_net: accept\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: host.legacy_on_net" in str(caught.value)
    with pytest.raises(TypeError, match="legacy_on_net"):
        cmd.SetPolicy("legacy_on_net", "ignore")


def test_B2_the_shipped_scenario_shows_both_sides_and_passes() -> None:
    result = run_scenario(load_scenario(SCENARIO))
    assert result.ok, [c.describe() for c in result.failures]
    texts = [e.text for e in result.sim.trace]
    assert any("setsockopt(3) → EINVAL" in t for t in texts)
    assert any("drops IPV6_REQUIRE_SRC_ON_NET" in t for t in texts)
    says = " ".join(step.say or "" for step in load_scenario(SCENARIO).steps)
    assert "legacy_on_net" in says and "5.1" in says and "B2" in says


def test_B2_under_ignore_a_legacy_stack_drops_the_on_demand_field_too() -> None:
    """LINUX.md: a kernel drops bits it does not know (0x1000 and 0x8000 alike) and answers 0;
    `legacy_on_net: ignore` does the same with RFC 8653's OnDemand field (0xE000)."""
    from odplay.constants import on_demand_bits
    from odplay.sim.policy import SocketApi

    policy = HostPolicy(
        legacy_stack=True, legacy_on_net=LegacyOnNetPolicy.IGNORE, api=SocketApi.SOCKOPT
    )
    sim = Simulation(default_network(), policy, seed=1)
    sim.attach("ap1")
    fd = sim.socket("a")
    asked = on_demand_bits(SESSION_LASTING) | 0x1000 | 0x0400  # OnDemand, ON_NET, HOME
    assert sim.setsockopt(fd, asked) == 0
    assert sim.read_sockopt(fd) == 0x0500  # the kernel's own bits only
    told = [e for e in sim.trace if e.kind == "setsockopt"][-1]
    assert "drops IPV6_REQUIRE_SRC_ON_NET and the OnDemand field" in told.text
    assert "B2" in told.rules
    sim.world.stack.policy.legacy_on_net = LegacyOnNetPolicy.EINVAL
    other = sim.socket("b")
    assert sim.setsockopt(other, on_demand_bits(SESSION_LASTING)) == Status.EINVAL
