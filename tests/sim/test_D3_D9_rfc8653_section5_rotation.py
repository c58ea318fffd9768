"""D3, D9 and RFC 8653 Section 5: addresses renewed after a lifetime, per type (`host.rotation`).

The RFC advises asking the network for a new prefix once an address's lifetime is over, even
though one of the type is held (D9's fresh prefix, asked by D3). What becomes of the old address
is odplay's reading (docs/choices.md): drained for Fixed and Session-lasting (T1, T2),
deprecated for the grace period for Graceful-replacement (T4), gone at once for Non-persistent
(T3). And the comparison that sets linkability against breaks and messages, per type.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.compare_sides import BadSide, compare_by_side
from odplay.constants import GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.policy import HostPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import PrefixState

SCENARIO = Path(__file__).parents[2] / "scenarios" / "rfc8653-address-rotation.yaml"


def _host(rotation: dict, grace: int = 5_000) -> Simulation:  # type: ignore[type-arg]
    network = default_network()
    network.supports = {SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}
    network.grace_period = grace
    sim = Simulation(network, HostPolicy(rotation=rotation), seed=5)
    sim.attach("ap1")
    return sim


def test_D9_section5_no_rotation_is_the_default() -> None:
    assert HostPolicy().rotation == {}
    sim = _host({})
    sim.launch("im", "instant-messenger")
    sim.run_until(120_000)
    assert not [e for e in sim.trace if e.kind == "rotation"]
    assert sim.world.apps["im"].broken_sessions == 0


def test_T3_section5_a_non_persistent_address_is_renewed_and_its_sockets_break() -> None:
    sim = _host({NON_PERSISTENT: 10_000})
    sim.launch("im", "instant-messenger")
    sim.run_until(10_100)
    stack = sim.world.stack
    assert stack.prefixes["PREFnp1"].state is PrefixState.RELEASED
    assert "IPnp2" in stack.addresses
    requests = [e for e in sim.trace if e.kind == "prefix-request" and e.time == 10_000]
    assert len(requests) == 1 and requests[0].rules == ("D3", "D9")  # asked though one held
    assert sim.world.apps["im"].broken_sessions == 1
    sim.run_until(10_400)
    assert any(s.source_address == "IPnp2" for s in stack.live_sockets())  # reconnected (F6)


def test_T2_section5_a_session_lasting_address_is_drained_not_broken() -> None:
    sim = _host({SESSION_LASTING: 10_000})
    sim.launch("web", "web-browser")
    sim.run_until(10_100)
    stack = sim.world.stack
    old = stack.prefixes["PREFsl1"]
    assert old.state is PrefixState.DEPRECATED and old.retired
    assert stack.users_of("IPsl1")  # the session goes on (T2)
    fd = sim.socket("other")
    assert sim.setsc(fd, SESSION_LASTING)[0] == 0
    assert stack.sockets[fd].setsc_address == "IPsl2"  # new sockets get the successor
    sim.apply(cmd.Quit("web"))
    assert stack.prefixes["PREFsl1"].state is PrefixState.RELEASED  # whatever D8 says (keep)
    assert stack.policy.on_last_close is LastClosePolicy.KEEP
    assert sim.world.apps["web"].broken_sessions == 0


def test_T4_section5_a_graceful_replacement_address_gets_its_grace_period() -> None:
    sim = _host({GRACEFUL_REPLACEMENT: 10_000})
    sim.launch("video", "streaming-client")
    sim.run_until(10_200)
    assert sim.world.stack.prefixes["PREFgr1"].state is PrefixState.DEPRECATED
    sim.run_until(20_000)
    assert sim.world.stack.prefixes["PREFgr1"].state is PrefixState.WITHDRAWN
    assert sim.world.apps["video"].broken_sessions == 0  # moved over inside the grace (T4)


def test_D3_section5_while_detached_rotation_waits_another_lifetime() -> None:
    sim = _host({SESSION_LASTING: 10_000})
    sim.launch("web", "web-browser")  # IPsl1 in use: a renewal is due
    sim.run_until(1_000)
    sim.detach()
    sim.run_until(10_000)
    due = [e for e in sim.trace if e.kind == "rotation"]
    assert len(due) == 1 and "detached" in due[0].text
    assert sim.world.stack.prefixes["PREFsl1"].state is PrefixState.VALID


def test_D9_section5_the_setting_is_checked_recorded_and_replayed() -> None:
    text = "title: t\nhost:\n  rotation: {session-lasting: 0s}\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: host.rotation" in str(caught.value)
    with pytest.raises(TypeError, match="rotation"):
        cmd.SetPolicy("rotation", {SESSION_LASTING: "10s"})
    sim = _host({})
    sim.apply(cmd.SetPolicy("rotation", {NON_PERSISTENT: 20_000}))
    assert any(e.text == "host policy rotation = {non-persistent: 20s}" for e in sim.trace)
    yaml = to_yaml(record(sim, "r", sim.now))
    assert "non-persistent: 20000ms" in yaml
    check_replays(yaml, sim, sim.now)


def test_D9_section5_the_shipped_scenario_passes() -> None:
    result = run_scenario(load_scenario(SCENARIO))
    assert result.ok, [c.describe() for c in result.failures]


def test_D9_section5_compare_sets_linkability_against_breaks_and_messages_per_type() -> None:
    model = load_scenario(SCENARIO)
    comparison = compare_by_side(
        model, ["rotation={}", "rotation={non-persistent: 10s, session-lasting: 20s}"]
    )
    still, rotating = (r.types for r in comparison.results)
    assert [r.label for r in comparison.results] == [
        "rotation={}",
        "rotation={non-persistent: 10s, session-lasting: 20s}",
    ]
    # Non-persistent: one address for the whole run, or one per 10s, each broken when it goes.
    assert still["non-persistent"].addresses == 1 and still["non-persistent"].broken == 0
    assert rotating["non-persistent"].addresses == 5
    assert rotating["non-persistent"].longest_ms <= 10_200
    assert rotating["non-persistent"].broken == 4
    assert rotating["non-persistent"].messages > still["non-persistent"].messages
    # Session-lasting: drained, so the browser's one session keeps it as long as without.
    assert rotating["session-lasting"].longest_ms == still["session-lasting"].longest_ms
    assert rotating["session-lasting"].broken == 0


def test_D9_section5_a_bad_side_is_named() -> None:
    model = load_scenario(SCENARIO)
    with pytest.raises(BadSide, match=r"--side 2:3:3: host\.rotatoin"):
        compare_by_side(model, ["rotation={}", "rotatoin={}"])
    with pytest.raises(BadSide, match="two sides"):
        compare_by_side(model, ["rotation={}"])


def test_D9_section5_a_lifetime_in_bytes_sent_renews_at_the_nominal_rate() -> None:
    network = default_network()
    sim = Simulation(network, HostPolicy(rotation_bytes={SESSION_LASTING: 1_000_000}), seed=5)
    sim.attach("ap1")
    sim.launch("web", "web-browser")  # 500 kbit/s: 62.5 kB a second, so 1 MB in 16 s
    sim.run_until(15_500)
    assert not [e for e in sim.trace if e.kind == "rotation"]
    sim.run_until(16_100)
    due = [e for e in sim.trace if e.kind == "rotation"]
    assert due[0].time == 16_000 and "has sent 1 MB (host rotation_bytes)" in due[0].text
    assert sim.world.stack.prefixes["PREFsl1"].retired  # drained, as a lifetime in time does
    assert "IPsl2" in sim.world.stack.addresses


def test_D9_section5_an_address_nobody_sends_from_is_never_renewed_by_bytes() -> None:
    sim = _host({})
    sim.apply(cmd.SetPolicy("rotation_bytes", {NON_PERSISTENT: 1000}))
    assert any(e.text == "host policy rotation_bytes = {non-persistent: 1 kB}" for e in sim.trace)
    sim.run_until(30_000)  # IPnp1 is held but no socket sends from it
    assert not [e for e in sim.trace if e.kind == "rotation"]
    yaml = to_yaml(record(sim, "b", sim.now))
    assert "non-persistent: 1000" in yaml
    check_replays(yaml, sim, sim.now)


def test_D9_section5_rotation_bytes_is_checked_at_its_line() -> None:
    text = "title: t\nhost:\n  rotation_bytes: {fixed: lots}\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:20: host.rotation_bytes.fixed: 'lots' is not a size" in str(caught.value)
    model = parse_scenario(text.replace("lots", "2.5MB"), "s.yaml")
    assert model.host.rotation_bytes == {"fixed": 2_500_000}


def _rotations(sim: Simulation) -> list[tuple[int, str]]:
    """When an address's lifetime in time came (RotationDue), with what it says."""
    return [(e.time, e.text) for e in sim.trace if e.kind == "rotation" and "has lived" in e.text]


def test_D9_section5_rotation_turned_on_mid_run_renews_the_addresses_held_already() -> None:
    sim = _host({})
    sim.launch("im", "instant-messenger")  # PREFnp1, granted at the attachment
    granted = sim.world.stack.prefixes["PREFnp1"].granted_at
    sim.run_until(5_000)
    sim.apply(cmd.SetPolicy("rotation", {NON_PERSISTENT: 8_000}))
    sim.run_until(granted + 8_100)
    # counted from the grant (docs/choices.md), not from the change
    assert [t for t, _ in _rotations(sim)] == [granted + 8_000]
    assert sim.world.stack.prefixes["PREFnp1"].state is PrefixState.RELEASED
    assert "IPnp2" in sim.world.stack.addresses


def test_D9_section5_an_address_older_than_the_new_lifetime_is_renewed_at_once() -> None:
    sim = _host({})
    sim.launch("im", "instant-messenger")
    sim.run_until(30_000)
    sim.apply(cmd.SetPolicy("rotation", {NON_PERSISTENT: 10_000}))
    sim.run_until(30_000)
    assert [t for t, _ in _rotations(sim)] == [30_000]


def test_D9_section5_a_timer_from_an_earlier_setting_does_not_fire_at_the_old_lifetime() -> None:
    sim = _host({NON_PERSISTENT: 10_000})
    sim.launch("im", "instant-messenger")
    granted = sim.world.stack.prefixes["PREFnp1"].granted_at
    sim.run_until(2_000)
    sim.apply(cmd.SetPolicy("rotation", {NON_PERSISTENT: 30_000}))
    sim.run_until(granted + 29_000)
    assert not _rotations(sim)  # the 10 s timer set at the grant did nothing
    sim.run_until(granted + 30_000)
    assert [t for t, _ in _rotations(sim)] == [granted + 30_000]
    sim.apply(cmd.SetPolicy("rotation", {}))  # off: the successor's timer does nothing
    sim.run_until(granted + 200_000)
    assert len(_rotations(sim)) == 1


def test_D9_section5_a_lifetime_in_bytes_of_zero_is_said_in_bytes() -> None:
    text = "title: t\nhost:\n  rotation_bytes: {session-lasting: 0}\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "a lifetime of at least 1 byte" in str(caught.value)


def test_D3_D9_section5_an_address_nobody_uses_goes_without_a_successor() -> None:
    sim = _host({SESSION_LASTING: 10_000})  # IPsl1 came at the attachment; nobody uses it
    sim.run_until(10_100)
    stack = sim.world.stack
    assert stack.prefixes["PREFsl1"].state is PrefixState.RELEASED
    assert not [e for e in sim.trace if e.kind == "prefix-request"]  # no successor asked
    due = _rotations(sim)
    assert len(due) == 1 and "no socket uses it" in due[0][1]
    fd = sim.socket("later")
    assert sim.setsc(fd, SESSION_LASTING)[0] == 0
    assert stack.sockets[fd].setsc_address == "IPsl2"
    requests = [e for e in sim.trace if e.kind == "prefix-request"]
    assert len(requests) == 1 and requests[0].time == 10_100  # the socket asked (D3)
