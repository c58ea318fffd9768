"""C1 (1) and B3 for UDP sockets, which the draft leaves unsaid (docs/choices.md): no connect()
needed, connect() only sets the default peer and source, a UDP socket never breaks, and a send
from an address that went fails with EADDRNOTAVAIL."""

from __future__ import annotations

import pytest

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim.simulation import Simulation
from odplay.sim.tables import Protocol, SocketState
from tests.conftest import ALL_TYPES, attached

UDP = Protocol.UDP


def _udp(sim: Simulation) -> int:
    fd = sim.socket("app", protocol=UDP)
    assert sim.trace.entries[-1].text == f"socket(AF_INET6, SOCK_DGRAM) → {fd}"
    return fd


def test_C1_a_udp_socket_sends_without_connect(sim: Simulation) -> None:
    fd = _udp(sim)
    assert sim.send(fd, "dns.example.net", 53) is Status.SUCCESS
    sent = sim.trace.of_kind("send")[-1]
    assert sent.text == f"send({fd}, dns.example.net:53) from IPnp1 → 0"
    assert sent.rules == ("B3",)
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.BOUND and sock.port == 49152  # bound to `::` by the send
    assert sock.source_address is None  # each datagram's source is chosen afresh
    assert sim.world.stack.users_of("IPnp1") == []
    assert sim.send(fd) is Status.EDESTADDRREQ  # no peer given, none connected


def test_C1_an_unconnected_udp_socket_follows_the_host_across_a_move(sim: Simulation) -> None:
    fd = _udp(sim)
    sim.send(fd, "dns.example.net", 53)
    sim.move("ap3")  # IPnp1 withdrawn, IPnp2 from gw2
    assert sim.world.stack.sockets[fd].state is SocketState.BOUND
    assert sim.send(fd, "dns.example.net", 53) is Status.SUCCESS
    assert sim.trace.of_kind("send")[-1].data["source"] == "IPnp2"


def test_C1_connect_on_udp_sets_the_default_peer_and_source(sim: Simulation) -> None:
    fd = _udp(sim)
    assert sim.connect(fd, "dns.example.net", 53) is Status.SUCCESS
    assert sim.world.stack.sockets[fd].source_address == "IPnp1"
    assert sim.world.stack.users_of("IPnp1") == [fd]
    assert sim.send(fd) is Status.SUCCESS
    assert sim.trace.of_kind("send")[-1].text == f"send({fd}, dns.example.net:53) from IPnp1 → 0"
    assert sim.connect(fd, "im.example.com", 5222) is Status.SUCCESS  # a new default peer
    assert sim.world.stack.sockets[fd].peer == "im.example.com"
    assert sim.world.stack.sockets[fd].source_address == "IPnp1"


def test_C1_a_udp_socket_never_breaks_and_its_send_fails_with_EADDRNOTAVAIL(
    sim: Simulation,
) -> None:
    """The same calls on TCP break the socket; on UDP the socket lives and the send fails."""
    udp, tcp = _udp(sim), sim.socket("app")
    for fd in (udp, tcp):
        sim.connect(fd, "dns.example.net", 53)
    sim.move("ap3")
    stack = sim.world.stack
    assert stack.sockets[tcp].state is SocketState.BROKEN
    assert stack.sockets[udp].state is SocketState.CONNECTED
    gone = sim.trace.of_kind("source-gone")
    assert [e.data["fd"] for e in gone] == [udp] and "C1" in gone[0].rules
    assert "does not break" in gone[0].text
    assert not [e for e in sim.trace.of_kind("socket-broken") if e.data["fd"] == udp]
    assert not [e for e in sim.trace.of_kind("path") if e.data["fd"] == udp]
    assert sim.send(udp) is Status.EADDRNOTAVAIL
    assert sim.trace.entries[-1].text == f"send({udp}) → EADDRNOTAVAIL: IPnp1 is gone"
    assert sim.send(tcp) is Status.ECONNABORTED
    assert sim.close(udp) is Status.SUCCESS


def test_C1_a_bound_udp_socket_on_a_surviving_type_keeps_sending_after_a_move() -> None:
    sim = attached(supports=set(ALL_TYPES))
    fd = _udp(sim)
    _, address = sim.setsc(fd, SESSION_LASTING)
    sim.bind(fd, address or "")
    sim.move("ap3")
    assert sim.send(fd, "www.example.org") is Status.SUCCESS
    assert sim.trace.of_kind("send")[-1].rules == ("C1",)


def test_C1_udp_has_no_listen_and_tcp_send_needs_a_connection(sim: Simulation) -> None:
    assert sim.listen(_udp(sim), 53) is Status.EOPNOTSUPP
    tcp = sim.socket("app")
    assert sim.send(tcp) is Status.ENOTCONN
    sim.connect(tcp, "www.example.org")
    assert sim.send(tcp) is Status.SUCCESS
    assert sim.send(tcp, "www.example.org") is Status.EISCONN


def test_C1_a_udp_send_while_detached_or_to_nobody_fails(sim: Simulation) -> None:
    fd = _udp(sim)
    assert sim.send(fd, "nowhere.invalid") is Status.EHOSTUNREACH  # RFC 6761
    sim.detach()
    assert sim.send(fd, "dns.example.net", 53) is Status.ENETUNREACH


def test_R3_a_udp_send_after_setsc_without_bind_says_which_source(sim: Simulation) -> None:
    fd = _udp(sim)
    sim.setsc(fd, NON_PERSISTENT)
    assert sim.send(fd, "dns.example.net", 53) is Status.SUCCESS
    unused = sim.trace.of_kind("setsc-unused")[-1]
    assert unused.data["source"] == sim.trace.of_kind("send")[-1].data["source"] == "IPnp1"
    assert sim.trace.of_kind("send")[-1].rules == ("R3",)


def test_C1_a_udp_scenario_checks_the_send_and_records_back() -> None:
    text = """
title: udp
network:
  supports: [fixed, session-lasting, non-persistent]
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: d, protocol: udp}
      - connect: {socket: d, peer: dns.example.net, port: 53}
      - send: {socket: d}
    expect:
      - {call: d.send, returned: SUCCESS}
      - {socket: d, state: connected, source: IPnp1}
  - at: 1s
    do:
      - move: ap3
      - send: {socket: d}
      - send: {socket: d, peer: www.example.org}
    expect:
      - {call: d.send, returned: EADDRNOTAVAIL}
      - {socket: d, state: connected}
"""
    result = run_scenario(parse_scenario(text, "udp.yaml"))
    assert result.ok, [c.describe() for c in result.failures]
    row = next(s for s in result.sim.snapshot()["sockets"] if s["fd"] == 3)
    assert row["protocol"] == "udp"


def test_C1_a_run_with_udp_sockets_and_sends_is_saved_as_a_scenario_that_replays() -> None:
    sim = Simulation()
    sim.attach("ap1")
    fd = sim.socket("demo", protocol=UDP)
    sim.send(fd, "dns.example.net", 53)
    sim.connect(fd, "dns.example.net", 53)
    sim.move("ap3")
    sim.send(fd)
    recorded = to_yaml(record(sim, "again", sim.now))
    assert "protocol: udp" in recorded and "port: 53" in recorded
    check_replays(recorded, sim, sim.now)


def test_C1_a_udp_scenario_whose_send_succeeds_fails_its_expectation() -> None:
    text = """
title: udp
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: d, protocol: udp}
      - send: {socket: d, peer: dns.example.net, port: 53}
    expect:
      - {call: d.send, returned: EADDRNOTAVAIL}
"""
    result = run_scenario(parse_scenario(text, "udp.yaml"))
    assert [c.seen for c in result.failures] == ["SUCCESS"]


@pytest.mark.parametrize(
    ("action", "where"),
    [
        ("send: {socket: d, port: 53}", "steps[0].do[2].send.port"),
        ("send: {socket: d, peer: no where}", "steps[0].do[2].send.peer"),  # not a name
        ("socket: {name: e, protocol: sctp}", "steps[0].do[2].socket.protocol"),
    ],
)
def test_C1_a_send_or_socket_the_model_could_not_take_is_refused_at_its_place(
    action: str, where: str
) -> None:
    from odplay.scenario.errors import ScenarioError

    text = f"""
title: udp
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {{name: d, protocol: udp}}
      - {action}
"""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "udp.yaml")
    assert "udp.yaml:8:" in str(caught.value) and where in str(caught.value)


def test_C1_fixed_from_setsc_on_udp_is_kept_across_every_move() -> None:
    sim = attached(supports=set(ALL_TYPES))
    fd = _udp(sim)
    _, address = sim.setsc(fd, FIXED)
    sim.bind(fd, address or "")
    sim.connect(fd, "www.example.org")
    sim.move("ap3")
    sim.move("ap1")
    assert sim.send(fd) is Status.SUCCESS and not sim.trace.of_kind("source-gone")
