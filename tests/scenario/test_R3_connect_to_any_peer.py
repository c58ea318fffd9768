"""R3, B3 in the scenario language: `connect` (and `send`) take any peer, a correspondent or any
Internet host by IPv6 address or host name, and a value that is neither is refused at its line,
column and field. A run with such a peer is recorded and replays."""

from __future__ import annotations

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import RunResult, run_scenario
from odplay.sim.simulation import Simulation

HEAD = """title: any peer
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: near-sl}
      - socket: {name: near-np}
"""


def _run(rest: str) -> RunResult:
    return run_scenario(parse_scenario(HEAD + rest, "p.yaml"))


def test_R3_connect_to_an_address_picks_the_source_with_the_longest_match() -> None:
    result = _run("""      - connect: {socket: near-sl, peer: "2001:db8:1:1::99"}
      - connect: {socket: near-np, peer: 2001:db8:1:2::99, port: 8443}
    expect:
      - {socket: near-sl, state: connected, source: IPsl1}
      - {socket: near-np, state: connected, source: IPnp1}
""")
    assert result.ok, [c.describe() for c in result.failures]
    texts = [e.text for e in result.sim.trace.of_kind("connect")]
    assert any("[2001:db8:1:2::99]:8443" in t for t in texts)


def test_R3_connect_and_send_to_a_host_name_the_network_does_not_declare() -> None:
    result = _run("""      - connect: {socket: near-sl, peer: files.example.com}
      - socket: {name: u, protocol: udp}
      - send: {socket: u, peer: "2001:db8:1:1::53", port: 53}
    expect:
      - {socket: near-sl, state: connected}
""")
    assert result.ok, [c.describe() for c in result.failures]


@pytest.mark.parametrize(
    ("peer", "says"),
    [
        ('"not a host!"', "neither an IPv6 address"),
        ("10.0.0.1", "neither an IPv6 address"),
        ('"::1"', "not an Internet host's address"),
        ('"fe80::1"', "link-local"),
    ],
)
def test_R3_a_peer_that_is_neither_an_address_nor_a_name_is_refused_at_its_field(
    peer: str, says: str
) -> None:
    text = HEAD + f"      - connect: {{socket: near-sl, peer: {peer}}}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "p.yaml")
    message = str(caught.value)
    assert "p.yaml:8:" in message and "steps[0].do[3].connect.peer" in message
    assert says in message and "www.example.org" in message  # the correspondents are named


def test_R3_send_refuses_a_bad_peer_the_same_way() -> None:
    text = HEAD + '      - send: {socket: near-sl, peer: "a b", port: 53}\n'
    with pytest.raises(ScenarioError, match=r"p\.yaml:8:.*send\.peer"):
        parse_scenario(text, "p.yaml")


def test_R3_a_run_with_a_free_peer_is_recorded_and_replays() -> None:
    sim = Simulation()  # as the playground keeps it: with checkpoints, to be saved
    sim.attach("ap1")
    sim.connect(sim.socket("demo"), "2001:db8:1:2::99")
    text = to_yaml(record(sim, "free peer", sim.now))
    assert "2001:db8:1:2::99" in text
    check_replays(text, sim, sim.now)
