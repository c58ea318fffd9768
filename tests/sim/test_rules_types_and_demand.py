"""Concepts (C), address types (T), granularity (G) and the on-demand rules (D), by rule ID."""

from __future__ import annotations

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    ON_NET,
    SESSION_LASTING,
    Status,
)
from odplay.sim.apps import CATALOG
from odplay.sim.policy import AllocationPolicy, HostPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from tests.conftest import ALL_TYPES, attached


def _socket_on(sim: Simulation, type_: object, peer: str = "www.example.org") -> tuple[int, str]:
    fd = sim.socket("app")
    status, address = sim.setsc(fd, type_)  # type: ignore[arg-type]
    assert status is Status.SUCCESS and address is not None
    assert sim.bind(fd, address) is Status.SUCCESS
    assert sim.connect(fd, peer) is Status.SUCCESS
    return fd, address


def _prefix(sim: Simulation, name: str) -> dict[str, object]:
    return next(p for p in sim.snapshot()["prefixes"] if p["name"] == name)


def _sock(sim: Simulation, fd: int) -> dict[str, object]:
    return next(s for s in sim.snapshot()["sockets"] if s["fd"] == fd)


def test_C1_a_session_lasting_socket_keeps_its_address_across_a_move(sim: Simulation) -> None:
    fd, address = _socket_on(sim, SESSION_LASTING)
    sim.move("ap3")
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.CONNECTED
    assert sim.world.stack.addresses[sock.source_address or ""].value == address


def test_C2_a_fixed_server_is_reachable_by_name_after_moves_and_not_while_detached() -> None:
    sim = attached(supports=set(ALL_TYPES))
    sim.launch("srv", "web-server")
    sim.run_for(1000)
    assert sim.reach("www.mh.example", 443, "peer.example.net")
    sim.move("ap3")
    assert sim.reach("www.mh.example", 443)
    sim.detach()
    assert "IPfx1" in sim.world.stack.addresses  # still configured while detached (T1)
    assert not sim.reach("www.mh.example", 443)
    sim.attach("ap2")
    assert sim.reach("www.mh.example", 443)
    assert sim.world.network.dns["www.mh.example"] == sim.world.stack.addresses["IPfx1"].value


def test_C3_fixed_traffic_detours_through_the_central_anchor(full: Simulation) -> None:
    fixed, _ = _socket_on(full, FIXED)
    direct, _ = _socket_on(full, NON_PERSISTENT)
    anchored, local = _sock(full, fixed), _sock(full, direct)
    assert anchored["via"] == "anchor" and "anchor" in anchored["path"]  # type: ignore[operator]
    assert local["via"] is None
    assert anchored["rtt_ms"] > local["rtt_ms"]  # type: ignore[operator]


def test_C4_a_fixed_address_hides_the_move_that_a_non_persistent_one_shows(
    full: Simulation,
) -> None:
    full.launch("vpn", "vpn-client")
    full.launch("im", "instant-messenger")
    full.run_for(500)
    before = {
        s["app"]: s["source_address"]
        for s in full.snapshot()["sockets"]
        if s["state"] == "connected"
    }
    full.move("ap3")
    full.run_for(1000)
    after = {
        s["app"]: s["source_address"]
        for s in full.snapshot()["sockets"]
        if s["state"] == "connected"
    }
    assert after["vpn"] == before["vpn"]  # nothing for MPTCP or SIP to notice
    assert after["im"] != before["im"]  # the change is visible above IP


def test_T1_a_fixed_prefix_stays_valid_used_or_not_connected_or_not(full: Simulation) -> None:
    fd = full.socket("app")
    full.setsc(fd, FIXED)
    full.close(fd)
    full.move("ap3")
    full.detach()
    prefix = _prefix(full, "PREFfx1")
    assert prefix["state"] == "valid" and prefix["valid_until_ms"] is None
    assert prefix["anchor"] == "anchor"


def test_T2_a_session_lasting_prefix_survives_moves_anchored_where_it_was_given(
    sim: Simulation,
) -> None:
    fd, _ = _socket_on(sim, SESSION_LASTING)
    sim.move("ap3")
    sim.move("ap1")
    sim.move("ap3")
    assert _prefix(sim, "PREFsl1")["state"] == "valid"
    assert _prefix(sim, "PREFsl1")["anchor"] == "gw1"
    assert _sock(sim, fd)["via"] == "gw1"


def test_T3_non_persistent_goes_with_a_gateway_change_but_not_a_same_gateway_move(
    sim: Simulation,
) -> None:
    fd, _ = _socket_on(sim, NON_PERSISTENT)
    sim.move("ap2")  # ap2 is also behind gw1
    assert _prefix(sim, "PREFnp1")["state"] == "valid"
    assert _sock(sim, fd)["state"] == "connected"
    sim.move("ap3")  # gw2
    assert _prefix(sim, "PREFnp1")["state"] == "withdrawn"
    assert _sock(sim, fd)["state"] == "broken"


def test_T4_the_old_graceful_prefix_lives_exactly_the_grace_period() -> None:
    sim = attached(supports=set(ALL_TYPES), grace_period=5000)
    fd, _ = _socket_on(sim, GRACEFUL_REPLACEMENT)
    sim.move("ap3")
    moved_at = sim.now
    old = _prefix(sim, "PREFgr1")
    assert old["state"] == "deprecated" and old["valid_until_ms"] == moved_at + 5000
    assert _prefix(sim, "PREFgr2")["state"] == "valid"  # the replacement, beside it
    sim.run_until(moved_at + 4999)
    assert _prefix(sim, "PREFgr1")["state"] == "deprecated"
    assert _sock(sim, fd)["state"] == "connected"
    sim.run_until(moved_at + 5000)
    assert _prefix(sim, "PREFgr1")["state"] == "withdrawn"
    assert _sock(sim, fd)["state"] == "broken"


def test_T4_a_streaming_client_moves_over_inside_the_grace_period() -> None:
    sim = attached(supports=set(ALL_TYPES), grace_period=5000)
    sim.launch("video", "streaming-client")  # moves over 2s after the deprecation
    sim.run_for(500)
    sim.move("ap3")
    sim.run_for(10_000)
    app = sim.world.apps["video"]
    assert app.broken_sessions == 0
    live = [
        s for s in sim.snapshot()["sockets"] if s["app"] == "video" and s["state"] == "connected"
    ]
    assert [s["bound_address"] for s in live] == ["IPgr2"]


def test_T5_the_catalog_gives_each_example_application_its_type() -> None:
    wanted = {
        "web-server": FIXED,
        "ssh-client": FIXED,
        "vpn-client": FIXED,
        "web-browser": SESSION_LASTING,
        "dns-client": NON_PERSISTENT,
        "instant-messenger": NON_PERSISTENT,
        "streaming-client": GRACEFUL_REPLACEMENT,
    }
    for kind, type_ in wanted.items():
        assert CATALOG[kind].plans[0].type is type_, kind
        assert "T5" in CATALOG[kind].rules


def test_G1_one_application_uses_different_types_on_different_sockets(full: Simulation) -> None:
    full.launch("conf", "control-data-app")
    full.run_for(1000)
    rows = {s["role"]: s for s in full.snapshot()["sockets"] if s["app"] == "conf"}
    assert rows["control"]["requested_type"] == "fixed" and rows["control"]["state"] == "listening"
    assert rows["data"]["requested_type"] == "session-lasting"
    assert rows["data"]["state"] == "connected"


def test_D1_the_application_tells_the_stack_the_type_it_needs(sim: Simulation) -> None:
    fd = sim.socket("app")
    sim.setsc(fd, SESSION_LASTING)
    entry = next(e for e in sim.trace if e.kind == "setsc")
    assert entry.actor == "app" and entry.target == "stack" and "D1" in entry.rules
    assert sim.world.stack.sockets[fd].requested_type is SESSION_LASTING


def test_D2_a_held_prefix_is_used_without_asking_the_network(sim: Simulation) -> None:
    before = sim.now
    fd = sim.socket("app")
    status, address = sim.setsc(fd, NON_PERSISTENT)
    assert status is Status.SUCCESS and sim.now == before
    assert not sim.trace.of_kind("prefix-request")
    assert address == sim.world.stack.addresses["IPnp1"].value


def test_D3_without_a_prefix_of_the_type_the_stack_asks_the_network(full: Simulation) -> None:
    fd = full.socket("app")
    from odplay.sim import commands as cmd

    assert full.apply(cmd.Setsc(fd, int(FIXED))) is None  # blocked: the request is out
    assert full.world.stack.sockets[fd].state is SocketState.BLOCKED
    request = full.trace.of_kind("prefix-request")[-1]
    assert request.target == "network" and "D3" in request.rules
    full.run_for(50)
    assert full.world.stack.sockets[fd].setsc_status is Status.SUCCESS


def test_D4_a_failed_request_fails_the_socket_with_an_error(sim: Simulation) -> None:
    fd = sim.socket("app")
    status, address = sim.setsc(fd, FIXED)  # the 4.2 network has no Fixed
    assert status is Status.EAI_REQUIREDIPNOTSUPPORTED and address is None
    assert sim.world.stack.sockets[fd].state is SocketState.OPEN
    assert sim.world.stack.sockets[fd].setsc_address is None


def test_D5_a_granted_prefix_configures_an_address_of_the_type(full: Simulation) -> None:
    fd = full.socket("app")
    status, address = full.setsc(fd, FIXED)
    assert status is Status.SUCCESS
    configured = full.world.stack.addresses["IPfx1"]
    assert configured.value == address and configured.type is FIXED
    assert address is not None and address.startswith("2001:db8:0:")  # from the anchor's pool


def test_D6_the_host_can_hold_several_addresses_of_one_type() -> None:
    sim = attached(HostPolicy(allocation=AllocationPolicy.FRESH))
    for _ in range(3):
        _socket_on(sim, SESSION_LASTING)
    names = [a["name"] for a in sim.snapshot()["addresses"] if a["type"] == "session-lasting"]
    assert names == ["IPsl1", "IPsl2", "IPsl3", "IPsl4"]  # one from attach, three asked for


def test_D7_a_later_socket_may_be_given_the_same_address(sim: Simulation) -> None:
    a, first = _socket_on(sim, NON_PERSISTENT)
    b, second = _socket_on(sim, NON_PERSISTENT)
    assert first == second
    assert sim.world.stack.users_of("IPnp1") == [a, b]


def test_D8_release_or_keep_when_the_last_socket_closes() -> None:
    for policy, state in ((LastClosePolicy.KEEP, "valid"), (LastClosePolicy.RELEASE, "released")):
        sim = attached(HostPolicy(on_last_close=policy))
        a, _ = _socket_on(sim, SESSION_LASTING)
        b, _ = _socket_on(sim, SESSION_LASTING)
        sim.close(a)
        assert _prefix(sim, "PREFsl1")["state"] == "valid"  # b still uses it
        sim.close(b)
        assert _prefix(sim, "PREFsl1")["state"] == state, policy


def test_D9_fresh_policy_asks_for_a_new_prefix_although_one_is_held() -> None:
    reuse = attached()
    fresh = attached(HostPolicy(allocation=AllocationPolicy.FRESH))
    _, reused = _socket_on(reuse, SESSION_LASTING)
    _, new = _socket_on(fresh, SESSION_LASTING)
    assert reused == reuse.world.stack.addresses["IPsl1"].value
    assert new == fresh.world.stack.addresses["IPsl2"].value
    assert "D9" in fresh.trace.of_kind("prefix-request")[-1].rules


def test_D10_boot_types_permissions_and_default_type_are_policy() -> None:
    policy = HostPolicy(boot_types=[FIXED], default_type=SESSION_LASTING)
    sim = attached(policy, supports=set(ALL_TYPES))
    sim.run_for(100)
    assert _prefix(sim, "PREFfx1")["reason"] == "boot policy"
    fd = sim.socket("legacy")
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert _sock(sim, fd)["source_address"] == "IPsl1"  # the default type picks it
    policy.default_type = None
    fd = sim.socket("legacy")
    sim.connect(fd, "www.example.org")
    assert _sock(sim, fd)["source_address"] == "IPnp1"  # the serving gateway's own prefix


def test_D11_reuse_is_instant_but_stretched_on_net_is_slower_but_direct(sim: Simulation) -> None:
    sim.move("ap3")
    start = sim.now
    reused, _ = _socket_on(sim, SESSION_LASTING)
    assert sim.now == start  # no signalling
    fresh = sim.socket("app")
    sim.setsockopt(fresh, ON_NET)
    status, address = sim.setsc(fresh, SESSION_LASTING)
    assert status is Status.SUCCESS and sim.now == start + 50  # one signalling round trip
    sim.bind(fresh, address or "")
    sim.connect(fresh, "www.example.org")
    assert _sock(sim, reused)["via"] == "gw1"
    assert _sock(sim, fresh)["via"] is None
    assert _sock(sim, fresh)["rtt_ms"] < _sock(sim, reused)["rtt_ms"]  # type: ignore[operator]
