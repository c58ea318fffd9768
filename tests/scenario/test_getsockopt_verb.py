"""The `getsockopt` verb and `{call: SOCKET.getsockopt, read: ...}`: a scenario reads back the
address preferences a socket holds (R1-R3, A6) and checks what it read, at its line."""

from __future__ import annotations

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import RunResult, run_scenario
from odplay.sim.simulation import Simulation

HEAD = """
title: getsockopt
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: s1}
"""


def _run(rest: str) -> RunResult:
    return run_scenario(parse_scenario(HEAD + rest, "g.yaml"))


def test_getsockopt_reads_back_on_net_beside_what_linux_composes() -> None:
    result = _run("""      - setsockopt: {socket: s1, flags: [on-net]}
      - getsockopt: {socket: s1}
    expect:
      - {call: s1.getsockopt, returned: SUCCESS, read: [on-net, home, pubtmp-default]}
      - {call: s1.getsockopt, read: 0x1500}
""")
    assert result.ok, [c.describe() for c in result.failures]
    entry = result.sim.trace.of_kind("getsockopt")[-1]
    assert (
        entry.text == "getsockopt(3, IPV6_ADDR_PREFERENCES) → on-net|pubtmp-default|home (0x1500)"
    )


def test_a_refused_setsockopt_leaves_what_getsockopt_reads() -> None:
    result = _run("""      - setsockopt: {socket: s1, flags: [coa]}
      - setsockopt: {socket: s1, flags: [home, coa]}
      - getsockopt: {socket: s1}
    expect:
      - {call: s1.setsockopt, returned: EINVAL}
      - {call: s1.getsockopt, read: [coa, pubtmp-default]}
""")
    assert result.ok, [c.describe() for c in result.failures]


def test_a_wrong_read_expectation_fails_and_says_what_was_read() -> None:
    result = _run("""      - getsockopt: {socket: s1}
    expect:
      - {call: s1.getsockopt, read: [on-net]}
""")
    assert [(c.expected, c.seen) for c in result.failures] == [
        ("read on-net (0x1000)", "read pubtmp-default|home (0x500)")
    ]


def test_getsockopt_on_a_closed_socket_returns_EBADF_and_reads_nothing() -> None:
    result = _run("""      - getsockopt: {socket: s1}
      - close: {socket: s1}
      - getsockopt: {socket: s1}
    expect:
      - {call: s1.getsockopt, returned: EBADF}
      - {call: s1.getsockopt, read: [home, pubtmp-default]}
""")
    assert [c.seen for c in result.failures] == ["read nothing read"]


@pytest.mark.parametrize(
    ("expectation", "field"),
    [
        ("{call: s1.setsockopt, read: [home]}", "read"),
        ("{call: s1.getsockopt, read: [sideways]}", "read"),
        ("{call: s2.getsockopt, read: [home]}", "call"),
    ],
)
def test_a_read_the_language_cannot_check_is_refused_at_its_place(
    expectation: str, field: str
) -> None:
    text = HEAD + f"      - getsockopt: {{socket: s1}}\n    expect:\n      - {expectation}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "g.yaml")
    message = str(caught.value)
    assert "g.yaml:10:" in message and field in message


def test_getsockopt_needs_a_declared_socket() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(HEAD + "      - getsockopt: {socket: nope}\n", "g.yaml")
    assert "g.yaml:8:" in str(caught.value) and "no socket 'nope'" in str(caught.value)


def test_a_run_that_read_sockopts_is_saved_with_its_getsockopt_calls() -> None:
    sim = Simulation()
    sim.attach("ap1")
    fd = sim.socket("demo")
    sim.setsockopt(fd, 0x1000)
    sim.read_sockopt(fd)
    recorded = to_yaml(record(sim, "again", sim.now))
    assert "getsockopt:" in recorded
    check_replays(recorded, sim, sim.now)
