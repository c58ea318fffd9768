"""Two setsc() calls pending at once (A5): `wait: false` lets a step go on while the stack asks
the network, as a call made by another thread would; both answers are checked."""

from __future__ import annotations

from odplay.constants import FIXED, SESSION_LASTING
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.sim import commands as cmd
from odplay.sim.simulation import Simulation
from tests.scenario.expecting import fails_among, fails_at, holds

TWO = """\
title: two setsc() calls pending at once
network:
  supports: [fixed, session-lasting, non-persistent]
steps:
  - at: 0s
    say: two sockets ask for Fixed; neither waits for the answer
    do:
      - attach: ap1
      - socket: {name: s1}
      - socket: {name: s2}
      - setsc: {socket: s1, type: fixed, wait: false}
      - setsc: {socket: s2, type: fixed, wait: false}
      - bind: {socket: s1}
    expect:
      - call: s1.setsc
        pending: true
      - call: s2.setsc
        pending: true
      - call: s1.bind
        returned: EINVAL
      - messages: request
        type: fixed
        count: 2
      - messages: request
        on: s2
        count: 1
  - at: 10ms
    say: the network answers both, one signalling delay after they asked
    expect:
      - call: s1.setsc
        pending: false
        returned: SUCCESS
        gave: IPfx1
      - call: s2.setsc
        returned: SUCCESS
        gave: IPfx2
      - messages: grant
        type: fixed
        first_at: 50ms
        count: 2
"""


def test_both_calls_wait_together_and_both_answers_are_checked_A5() -> None:
    holds(TWO)


def test_each_answer_fails_at_its_line() -> None:
    fails_at(
        TWO.replace("gave: IPfx2", "gave: IPfx1"),
        "gave:",
        "steps[1].expect[1].gave",
        "gave IPfx2",
        nth=2,
    )
    fails_at(
        TWO.replace("count: 2\n", "count: 1\n", 1),
        "count:",
        "steps[0].expect[3].count",
        "2 (at 0s, 0s)",
    )


def test_a_call_that_waits_is_no_longer_pending_when_the_next_one_is_made() -> None:
    text = TWO.replace(
        "      - setsc: {socket: s1, type: fixed, wait: false}",
        "      - setsc: {socket: s1, type: fixed}",
    )
    fails_among(text, "pending:", "steps[0].expect[0].pending", "pending false")


def test_both_refused_when_the_network_does_not_serve_the_type_F8() -> None:
    text = TWO.replace("fixed, session-lasting", "session-lasting")
    fails_among(
        text, "returned:", "steps[1].expect[0].returned", "EAI_REQUIREDIPNOTSUPPORTED", nth=2
    )
    fails_among(text, "gave:", "steps[1].expect[1].gave", "gave none", nth=2)


def test_a_playground_run_with_two_pending_calls_is_recorded_with_wait_false_and_replays() -> None:
    sim = Simulation(seed=5)
    sim.apply(cmd.Attach("ap1"))
    first, second = sim.socket("me"), sim.socket("me")
    assert sim.apply(cmd.Setsc(first, FIXED)) is None
    assert sim.apply(cmd.Setsc(second, SESSION_LASTING)) is not None  # PREFsl1 is held (D2)
    sim.run_until(500)
    text = to_yaml(record(sim, "two", 500))
    check_replays(text, sim, 500)
    setscs = [a.value for s in parse_scenario(text).steps for a in s.do if a.verb == "setsc"]
    assert [s.wait for s in setscs] == [False, True]
