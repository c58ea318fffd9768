"""R3, B3: connect() and sendto() take any peer, so that source selection by destination shows.

A peer is one of the network's correspondents, or any Internet host at the default
correspondent delay: by IPv6 address (the destination RFC 6724's rule 8 measures the host's
prefixes against), or by host name (a stable address in 2001:db8:ffff::/64). A name under
`.invalid` never resolves (RFC 6761). What is neither an address nor a name is refused where it
enters the scenario language, the session's API and the playground; the model itself answers
EHOSTUNREACH, as for any host it cannot find.
"""

from __future__ import annotations

import ipaddress

import pytest

from odplay.constants import Status
from odplay.session.api import Connect, Session, SocketCall, peer_problem
from odplay.sim.network import CorrespondentConfig, default_network
from odplay.sim.peers import NAMED_HOSTS, endpoint, named_host_address, resolve
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import Protocol


def _attached() -> Simulation:
    """At ap1: PREFsl1 is 2001:db8:1:1::/64 and PREFnp1 2001:db8:1:2::/64, both from gw1."""
    sim = Simulation(default_network(), HostPolicy())
    sim.attach("ap1")
    return sim


def _source(sim: Simulation, peer: str) -> str | None:
    fd = sim.socket("app")
    assert sim.connect(fd, peer) is Status.SUCCESS
    return sim.world.stack.sockets[fd].source_address


@pytest.mark.parametrize(
    ("destination", "source"),
    [("2001:db8:1:1::99", "IPsl1"), ("2001:db8:1:2::99", "IPnp1")],
)
def test_R3_B3_an_address_peer_picks_the_source_with_the_longest_match(
    destination: str, source: str
) -> None:
    # Both prefixes are the serving gateway's (rule 5.5 ties): rule 8 decides by destination.
    assert _source(_attached(), destination) == source


def test_R3_B3_an_internet_host_is_at_the_default_correspondent_delay() -> None:
    sim = _attached()
    known = sim.world.stack.sockets[sim.socket("app")]
    sim.connect(known.fd, "www.example.org")  # a correspondent 5ms beyond the Internet's edge
    free = sim.world.stack.sockets[sim.socket("app")]
    sim.connect(free.fd, "2001:db8:1:2::99")
    assert known.source_address == free.source_address == "IPnp1"
    connects = [e for e in sim.trace if e.kind == "connect"]
    assert [e.data["rtt"] for e in connects] == [24, 24]
    assert "connect(4, [2001:db8:1:2::99]:443) from IPnp1 → 0, RTT 24ms" in connects[-1].text


def test_R3_B3_a_host_name_gets_a_stable_address_among_the_correspondents() -> None:
    address = named_host_address("files.example.com")
    assert ipaddress.IPv6Address(address) in NAMED_HOSTS
    assert named_host_address("FILES.example.com") == address  # names ignore case
    assert named_host_address("other.example.com") != address
    peer = resolve(default_network(), "files.example.com")
    assert peer == CorrespondentConfig("files.example.com", address, 5)
    sim = _attached()
    assert _source(sim, "files.example.com") is not None


def test_R3_B3_a_correspondent_keeps_its_own_address_and_delay() -> None:
    config = default_network()
    assert resolve(config, "dns.example.net") == config.correspondent("dns.example.net")


def test_R3_B3_a_correspondents_name_is_case_insensitive() -> None:
    config = default_network()
    assert resolve(config, "WWW.Example.ORG") == config.correspondent("www.example.org")
    sim = _attached()
    fd = sim.socket("app")
    assert sim.connect(fd, "WWW.Example.ORG") is Status.SUCCESS
    assert sim.world.stack.path_of(sim.world.stack.sockets[fd]) is not None


def test_R3_B3_a_name_under_invalid_never_resolves_RFC_6761() -> None:
    sim = _attached()
    fd = sim.socket("app")
    assert sim.connect(fd, "nowhere.invalid") is Status.EHOSTUNREACH
    assert resolve(default_network(), "nowhere.invalid") is None


def test_R3_B3_a_udp_socket_sends_to_an_address_peer_from_the_matching_source() -> None:
    sim = _attached()
    fd = sim.socket("app", protocol=Protocol.UDP)
    assert sim.send(fd, "2001:db8:1:1::53", 53) is Status.SUCCESS
    sent = [e for e in sim.trace if e.kind == "send"][-1]
    assert sent.text.startswith(f"send({fd}, [2001:db8:1:1::53]:53) from IPsl1")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not a host!",
        "10.0.0.1",
        "::",
        "::1",
        "ff02::1",
        "fe80::1",
        "a_b.example",
        "-x.org",
        "::ffff:10.0.0.1",  # IPv4-mapped: an IPv4 host, and the draft's world is IPv6
    ],
)
def test_R3_B3_what_is_neither_an_address_nor_a_name_is_refused(bad: str) -> None:
    assert peer_problem(default_network(), bad)
    sim = _attached()
    fd = sim.socket("app")
    assert sim.connect(fd, bad) is Status.EHOSTUNREACH  # the model: no such host


@pytest.mark.parametrize("good", ["2001:db8:aaaa::1", "files.example.com", "localhost-2", "x.y"])
def test_R3_B3_any_address_or_name_is_a_peer(good: str) -> None:
    assert peer_problem(default_network(), good) == ""


def test_R3_B3_a_correspondent_is_a_peer_whatever_its_name() -> None:
    config = default_network()
    config.correspondents.append(CorrespondentConfig("near 1", "2001:db8:1:1::7"))
    assert peer_problem(config, "near 1") == ""
    assert "neither" in peer_problem(config, "near 2")


def test_R3_B3_the_session_connects_to_a_free_peer_and_shows_it_bracketed() -> None:
    session = Session.free()
    fd = session.call(SocketCall("demo")).value
    assert isinstance(fd, int)
    assert session.call(Connect(fd, "2001:db8:1:1::99", 8443)).value is Status.SUCCESS
    sock = session.sockets()[-1]
    assert (sock.peer, sock.peer_port, sock.source_address) == ("2001:db8:1:1::99", 8443, "IPsl1")
    assert any("[2001:db8:1:1::99]:8443" in e.text for e in session.trace)
    assert endpoint("www.example.org", 443) == "www.example.org:443"
