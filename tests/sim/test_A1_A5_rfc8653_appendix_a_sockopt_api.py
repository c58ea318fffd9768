"""A1, A5 and RFC 8653 Appendix A: the OnDemand field of IPV6_ADDR_PREFERENCES (`api: sockopt`).

The RFC suggests two ways to ask for a type: setsc(), which may block (A5), or an OnDemand field
set with setsockopt(), which returns at once. odplay's reading (docs/choices.md): the field holds
the type's draft-16 value in bits 0xE000; the socket's source comes from an address of the type;
`sockopt_connect` says whether a connect() before the prefix came waits for it or goes now.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.constants import (
    NON_PERSISTENT,
    ON_DEMAND_MASK,
    ON_NET,
    SESSION_LASTING,
    Status,
    flag_names,
    on_demand_bits,
    on_demand_value,
    parse_flag,
    read_preferences,
)
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.policy import HostPolicy, PendingConnect, SocketApi
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState

SCENARIO = Path(__file__).parents[2] / "scenarios" / "rfc8653-sockopt-api.yaml"
SL = on_demand_bits(SESSION_LASTING)


def _host(
    api: SocketApi = SocketApi.SOCKOPT,
    pending: PendingConnect = PendingConnect.WAIT,
    on_attach: bool = True,
) -> Simulation:
    network = default_network()
    if not on_attach:
        network.on_attach = []
    sim = Simulation(network, HostPolicy(api=api, sockopt_connect=pending), seed=3)
    sim.attach("ap1")
    return sim


def _entries(sim: Simulation, kind: str) -> list[str]:
    return [e.text for e in sim.trace if e.kind == kind]


def test_A2_appendix_a_the_on_demand_field_sits_in_bits_0xE000_beside_on_net() -> None:
    assert ON_DEMAND_MASK == 0xE000
    assert not ON_DEMAND_MASK & int(ON_NET)  # ON_NET keeps 0x1000; the field the 3 bits above
    assert SL == 0x4000 and on_demand_value(SL | int(ON_NET)) == 2
    assert parse_flag("on-demand=session-lasting") == SL
    assert flag_names(SL | int(ON_NET)) == ["on-net", "on-demand=session-lasting"]
    assert read_preferences(SL) == 0x4500  # the kernel's composition, with odplay's field


def test_A1_appendix_a_setsc_is_the_default_api_and_the_field_is_refused_there() -> None:
    assert HostPolicy().api is SocketApi.SETSC
    assert HostPolicy().sockopt_connect is PendingConnect.WAIT
    sim = _host(api=SocketApi.SETSC)
    fd = sim.socket("app")
    assert sim.setsockopt(fd, SL) is Status.EINVAL
    assert "host api: setsc" in _entries(sim, "setsockopt-error")[0]
    assert sim.world.stack.sockets[fd].flags == 0  # refused: nothing changed


def test_A1_appendix_a_a_sockopt_host_has_no_setsc() -> None:
    sim = _host()
    fd = sim.socket("app")
    status, address = sim.setsc(fd, SESSION_LASTING)
    assert (status, address) == (Status.ENOSYS, None)
    assert "api: sockopt" in _entries(sim, "setsc-error")[0]


def test_D2_appendix_a_a_held_type_is_used_without_asking() -> None:
    sim = _host()
    fd = sim.socket("app")
    assert sim.setsockopt(fd, SL) is Status.SUCCESS
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    sock = sim.world.stack.sockets[fd]
    assert sock.source_address == "IPsl1" and sock.bound_address is None
    assert not _entries(sim, "prefix-request")  # held at attachment: no message (D2)


def test_A5_D3_appendix_a_setsockopt_returns_at_once_and_connect_waits_for_the_prefix() -> None:
    sim = _host(on_attach=False)
    fd = sim.socket("app")
    assert sim.setsockopt(fd, SL) is Status.SUCCESS
    assert sim.now == 0 and len(sim.world.stack.pending) == 1  # asked; the call did not wait
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert sim.now == 50  # connect() waited for the network's answer (sockopt_connect: wait)
    assert sim.world.stack.sockets[fd].source_address == "IPsl1"
    assert any("connect() waits" in text for text in _entries(sim, "on-demand"))


def test_B3_appendix_a_under_now_connect_goes_at_once_from_another_address() -> None:
    sim2 = _host(pending=PendingConnect.NOW, on_attach=False)
    im = sim2.socket("im")
    sim2.setsockopt(im, on_demand_bits(NON_PERSISTENT))
    assert sim2.connect(im, "im.example.com", 5222) is Status.SUCCESS  # waits: nothing held
    web = sim2.socket("web")
    assert sim2.setsockopt(web, SL) is Status.SUCCESS
    at = sim2.now
    assert sim2.connect(web, "www.example.org") is Status.SUCCESS
    assert sim2.now == at  # no wait
    assert sim2.world.stack.sockets[web].source_address == "IPnp1"  # what was held
    sim2.run_until(sim2.now + 100)
    assert "IPsl1" in sim2.world.stack.addresses  # it came, for the next socket of the type
    assert any("after the socket connected" in t for t in _entries(sim2, "on-demand"))


def test_D4_appendix_a_a_refused_type_fails_the_waiting_connect() -> None:
    sim = _host()
    fd = sim.socket("app")
    assert sim.setsockopt(fd, on_demand_bits(4)) is Status.SUCCESS  # GR: gw1 does not offer it
    assert sim.connect(fd, "www.example.org") is Status.EADDRNOTAVAIL
    assert sim.world.stack.sockets[fd].state is SocketState.OPEN
    assert any("no prefix" in t for t in _entries(sim, "on-demand"))


def test_A2_S1_B2_appendix_a_what_setsockopt_refuses_before_anything_changes() -> None:
    sim = _host()
    fd = sim.socket("app")
    assert sim.setsockopt(fd, on_demand_bits(6)) is Status.EINVAL  # reserved value (A2)
    sim.world.stack.policy.permissions = {SESSION_LASTING: frozenset({"other"})}
    assert sim.setsockopt(fd, SL) is Status.EPERM  # S1
    sim.world.stack.policy.legacy_stack = True
    assert sim.setsockopt(fd, SL) is Status.EINVAL  # a legacy stack knows no such field (B2)
    assert sim.world.stack.sockets[fd].flags == 0


def test_A1_appendix_a_an_application_uses_the_field_under_sockopt() -> None:
    sim = _host()
    sim.launch("web", "web-browser")
    sim.run_until(100)
    texts = [e.text for e in sim.trace if e.actor == "web" or e.target == "web"]
    assert any("on-demand=session-lasting" in t for t in texts)
    assert not any(t.startswith("setsc(") for t in texts)
    assert sim.world.apps["web"].broken_sessions == 0


def test_A1_appendix_a_getsockopt_reads_the_field_back() -> None:
    sim = _host()
    fd = sim.socket("app")
    sim.setsockopt(fd, SL | int(ON_NET))
    assert sim.read_sockopt(fd) == 0x5500


def test_A1_appendix_a_the_settings_change_mid_run_and_a_saved_run_replays() -> None:
    sim = _host(api=SocketApi.SETSC)
    sim.apply(cmd.SetPolicy("api", SocketApi.SOCKOPT))
    sim.apply(cmd.SetPolicy("sockopt_connect", PendingConnect.NOW))
    fd = sim.socket("app")
    sim.setsockopt(fd, SL)
    text = to_yaml(record(sim, "api", sim.now))
    assert "api: sockopt" in text and "sockopt_connect: now" in text
    assert "on-demand=session-lasting" in text
    check_replays(text, sim, sim.now)


def test_A1_appendix_a_bad_values_are_refused_at_their_line() -> None:
    text = "title: t\nhost:\n  api: ioctl\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: host.api" in str(caught.value)
    with pytest.raises(TypeError, match="sockopt_connect"):
        cmd.SetPolicy("sockopt_connect", "wait")


def test_A1_A5_appendix_a_the_shipped_scenario_passes_and_says_who_waits() -> None:
    model = load_scenario(SCENARIO)
    result = run_scenario(model)
    assert result.ok, [c.describe() for c in result.failures]
    says = " ".join(step.say for step in model.steps)
    assert "setsockopt() returns at once" in says and "sockopt_connect" in says


_TWO_VALUES = """title: t
host: {api: sockopt}
steps:
  - at: 0s
    do:
      - socket: {name: s1, owner: a}
      - setsockopt: {socket: s1, flags: [on-demand=fixed], on_demand: session-lasting}
"""


@pytest.mark.parametrize(
    ("call", "where"),
    [
        ("{socket: s1, flags: [on-demand=fixed], on_demand: session-lasting}", "7:9"),
        ("{socket: s1, flags: [on-demand=fixed, on-demand=session-lasting]}", "7:9"),
    ],
)
def test_A2_appendix_a_two_on_demand_values_are_refused_not_ored_into_a_third(
    call: str, where: str
) -> None:
    text = _TWO_VALUES.replace(
        "{socket: s1, flags: [on-demand=fixed], on_demand: session-lasting}", call
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    message = str(caught.value)
    assert f"s.yaml:{where}: steps[0].do[1].setsockopt: flags:" in message
    assert "the OnDemand field holds one type; 2 given" in message


def test_A2_appendix_a_an_application_socket_gives_its_type_once() -> None:
    text = (
        "title: t\nhost: {api: sockopt}\napplications:\n  - name: web\n    kind: web-browser\n"
        "    sockets:\n      - type: session-lasting\n        flags: [on-demand=fixed]\n"
        "steps:\n  - at: 0s\n"
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:7:9: applications[0].sockets[0]: flags: an on-demand= flag beside type" in str(
        caught.value
    )


def test_A2_appendix_a_a_reserved_value_set_at_run_time_records_and_replays() -> None:
    sim = _host()
    fd = sim.socket("app")
    assert sim.setsockopt(fd, 0xA000) == Status.EINVAL  # 5: reserved
    assert flag_names(0xA000) == ["on-demand=5"]
    assert parse_flag("on-demand=5") == 0xA000
    text = to_yaml(record(sim, "reserved", sim.now))
    assert "on-demand=5" in text
    check_replays(text, sim, sim.now)
    with pytest.raises(ValueError, match="unknown address type '8'"):
        parse_flag("on-demand=8")


def test_T4_D9_appendix_a_a_socket_does_not_connect_from_an_address_deprecated_since() -> None:
    from odplay.constants import GRACEFUL_REPLACEMENT

    network = default_network()
    network.supports = {SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}
    network.grace_period = 10_000
    policy = HostPolicy(api=SocketApi.SOCKOPT, rotation={GRACEFUL_REPLACEMENT: 2_000})
    sim = Simulation(network, policy, seed=3)
    sim.attach("ap1")
    fd = sim.socket("a")
    assert sim.setsockopt(fd, on_demand_bits(GRACEFUL_REPLACEMENT)) == 0
    sim.run_until(5_000)  # IPgr1 came for the socket; two rotations deprecated it, then IPgr2
    stack = sim.world.stack
    assert stack.sockets[fd].on_demand_address == "IPgr3"  # a promise follows the successor
    assert stack.prefixes["PREFgr1"].state.name == "DEPRECATED"
    stack.sockets[fd].on_demand_address = "IPgr1"  # as if it had come for it (a move, say)
    assert sim.connect(fd, "www.example.org") == 0
    assert stack.sockets[fd].source_address == "IPgr3"  # the newest valid one, not IPgr1
    server = sim.socket("b")
    sim.setsockopt(server, on_demand_bits(GRACEFUL_REPLACEMENT))
    stack.sockets[server].on_demand_address = "IPgr1"  # as if its request had brought it
    assert sim.listen(server, 8080) == 0
    assert stack.sockets[server].bound_address == "IPgr3"


def _fresh_sockopt(when_fresh_fails: str, pool: int = 8) -> Simulation:
    from odplay.sim.policy import AllocationPolicy, FreshFailurePolicy

    network = default_network()
    network.gateways[0].pool = pool  # two go at the attachment: PREFsl1 and PREFnp1
    policy = HostPolicy(
        api=SocketApi.SOCKOPT,
        allocation=AllocationPolicy.FRESH,
        when_fresh_fails=FreshFailurePolicy(when_fresh_fails),
    )
    sim = Simulation(network, policy, seed=3)
    sim.attach("ap1")
    return sim


def _connect_sl(sim: Simulation, owner: str) -> tuple[int, int | None]:
    fd = sim.socket(owner)
    assert sim.setsockopt(fd, SL) == 0
    status = sim.connect(fd, "www.example.org")
    sim.run_until(sim.now + 200)
    return fd, status


def test_D9_appendix_a_allocation_fresh_asks_a_prefix_per_socket_under_sockopt() -> None:
    sim = _fresh_sockopt("fail")
    first, _ = _connect_sl(sim, "a")
    second, _ = _connect_sl(sim, "b")
    stack = sim.world.stack
    sources = {stack.sockets[fd].source_address for fd in (first, second)}
    assert sources == {"IPsl2", "IPsl3"}  # each its own, not the held IPsl1
    notes = _entries(sim, "on-demand")
    assert sum("host allocation: fresh" in n for n in notes) == 2


def test_A6_D9_appendix_a_when_fresh_fails_applies_under_sockopt() -> None:
    sim = _fresh_sockopt("reuse", pool=2)  # the pool is dry after the attachment
    fd, _ = _connect_sl(sim, "a")
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.CONNECTED and sock.source_address == "IPsl1"
    assert any("when_fresh_fails: reuse" in n for n in _entries(sim, "on-demand"))
    sim = _fresh_sockopt("fail", pool=2)
    fd, _ = _connect_sl(sim, "a")
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.OPEN and sock.so_error == Status.EADDRNOTAVAIL


def test_A5_appendix_a_a_udp_sendto_never_waits_and_its_later_datagrams_use_the_type() -> None:
    from odplay.constants import GRACEFUL_REPLACEMENT
    from odplay.sim.tables import Protocol

    network = default_network()
    network.supports = {SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}
    sim = Simulation(network, HostPolicy(api=SocketApi.SOCKOPT), seed=3)  # wait
    sim.attach("ap1")
    fd = sim.socket("a", protocol=Protocol.UDP)
    sim.setsockopt(fd, on_demand_bits(GRACEFUL_REPLACEMENT))
    assert sim.send(fd, "dns.example.net", 53) == 0  # at once, under wait too
    sim.run_until(1_000)
    assert sim.send(fd, "dns.example.net", 53) == 0
    sent = [e.data["source"] for e in sim.trace if e.kind == "send"]
    assert sent[-2:] == ["IPnp1", "IPgr1"]  # source selection's pick, then the type's
    notes = _entries(sim, "on-demand")
    assert any("sendto() did not wait" in n for n in notes)
    late = [n for n in notes if "IPgr1 has come" in n]
    assert late and "picks its source per datagram" in late[0] and "stays" not in late[0]


def test_C2_appendix_a_a_listener_on_wildcard_is_told_what_a_late_prefix_means() -> None:
    from odplay.constants import FIXED

    network = default_network()
    network.supports = {FIXED, SESSION_LASTING, NON_PERSISTENT}
    sim = Simulation(network, HostPolicy(api=SocketApi.SOCKOPT), seed=3)
    sim.attach("ap1")
    fd = sim.socket("srv")
    sim.setsockopt(fd, on_demand_bits(FIXED))
    assert sim.listen(fd, 443) == 0  # nothing Fixed held: listen() does not wait, on ::
    assert sim.world.stack.sockets[fd].bound_address is None  # the wildcard
    sim.run_until(1_000)
    late = [n for n in _entries(sim, "on-demand") if "has come" in n]
    assert late and "began listening on ::" in late[0] and "connected" not in late[0]


def test_D3_appendix_a_a_field_set_while_detached_asks_when_the_socket_connects() -> None:
    from odplay.constants import GRACEFUL_REPLACEMENT

    network = default_network()
    network.supports = {SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}
    sim = Simulation(network, HostPolicy(api=SocketApi.SOCKOPT), seed=3)
    fd = sim.socket("a")
    sim.setsockopt(fd, on_demand_bits(GRACEFUL_REPLACEMENT))  # none comes at the attachment
    sim.attach("ap1")
    sim.run_until(1_000)
    assert not [e for e in sim.trace if e.kind == "prefix-request" and e.data.get("fd") == fd]
    sim.connect(fd, "www.example.org")
    kinds = [(e.kind, e.text) for e in sim.trace if e.time == 1_000]
    calls = [i for i, (kind, text) in enumerate(kinds) if kind == "call" and "connect(" in text]
    asks = [i for i, (_, text) in enumerate(kinds) if "connect() asks the network now" in text]
    assert calls and asks and calls[0] < asks[0]  # the call first, then what it does
