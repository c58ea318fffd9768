"""`messages:` counts the host's messages with the network (D3, D4, F1, F5, T2, T3) by kind, the
type they carried, the gateway, the socket they were for and a span; a failed count points at
its line."""

from __future__ import annotations

import pytest

from tests.scenario.expecting import fails_at, holds, refused_at_last_line

FLOW = """\
title: messages
steps:
  - at: 0s
    say: F1, the network offers two prefixes and is asked for nothing
    do:
      - attach: ap1
    expect:
      - messages: offer
        types: [session-lasting, non-persistent]
        gateway: gw1
      - messages: request
        count: 0
      - messages: request
        between: [0s, end]
        count: 1
  - at: 1s
    say: D2, a held prefix; nothing is sent
    do:
      - socket: {name: s1}
      - setsc: {socket: s1, type: non-persistent}
    expect:
      - messages: request
        between: [1s, 1s]
        count: 0
  - at: 2s
    say: F8, asked and refused
    do:
      - socket: {name: s2}
      - setsc: {socket: s2, type: graceful-replacement}
    expect:
      - messages: request
        on: s2
        gateway: gw1
        types: [graceful-replacement]
      - messages: refusal
        type: graceful-replacement
        first_at: 2050ms
      - messages: grant
        between: [0s, end]
        count: 0
  - at: 3s
    say: F5, T2, T3
    do:
      - move: ap3
    expect:
      - messages: move
        between: [3s, 3s]
        count: 1
      - messages: withdrawal
        about: PREFnp1
        count: 1
      - messages: keep
        about: PREFsl1
        gateway: gw1
        count: 1
      - messages: offer
        between: [3s, 3s]
        gateway: gw2
        types: [non-persistent]
      - messages: any
        between: [3s, 3s]
        count: 4
"""


def test_every_count_holds_D2_D3_D4_F1_F5() -> None:
    holds(FLOW)


@pytest.mark.parametrize(
    ("old", "new", "needle", "nth", "field", "saw"),
    [
        # "No request was sent to the network" (D2), where one was (D3).
        (
            "between: [1s, 1s]\n        count: 0",
            "between: [1s, 2s]\n        count: 0",
            "count:",
            3,
            "steps[1].expect[0].count",
            "1 (at 2s)",
        ),
        # "The request carried type X".
        (
            "types: [graceful-replacement]",
            "types: [session-lasting]",
            "types:",
            2,
            "steps[2].expect[0].types",
            "types [graceful-replacement]",
        ),
        # When the refusal came: one signalling delay after the request.
        (
            "first_at: 2050ms",
            "first_at: 2s",
            "first_at:",
            1,
            "steps[2].expect[1].first_at",
            "1 (at 2050ms)",
        ),
        # N messages of a kind between two times.
        ("count: 4", "count: 3", "count:", 8, "steps[3].expect[4].count", "4 (at 3s, 3s, 3s, 3s)"),
        # A span that reaches the end is judged at the end: the request at 2s is in it.
        (
            "between: [0s, end]\n        count: 1",
            "between: [0s, end]\n        count: 0",
            "count:",
            2,
            "steps[0].expect[2].count",
            "1 (at 2s)",
        ),
    ],
)
def test_each_fact_fails_at_its_line(
    old: str, new: str, needle: str, nth: int, field: str, saw: str
) -> None:
    text = FLOW.replace(old, new, 1)
    assert text != FLOW
    fails_at(text, needle, field, saw, nth)


def test_the_gateway_picks_what_is_counted() -> None:
    text = FLOW.replace("gateway: gw1\n        count: 1", "gateway: gw2\n        count: 1")
    fails_at(text, "count:", "steps[3].expect[2].count", "0 (none)", nth=7)


@pytest.mark.parametrize(
    ("expectation", "key", "message"),
    [
        ("{messages: ping, count: 0}", "messages", "no kind of message 'ping'"),
        ("{messages: request, types: [blue], count: 0}", "types", "a message's type is one of"),
        ("{messages: request, gateway: gw9, count: 0}", "gateway", "no node 'gw9'"),
        ("{messages: request, on: s9, count: 0}", "on", "no declared socket or application 's9'"),
        ("{messages: request, between: [5s, 1s], count: 0}", "between", "ends (1s) before"),
        ("{messages: request, between: [1s], count: 0}", "between", "a span is two times"),
        ("{messages: request, type: fixed}", "", "this messages expectation checks nothing"),
    ],
)
def test_a_wrong_messages_expectation_is_refused_at_its_line(
    expectation: str, key: str, message: str
) -> None:
    text = FLOW + f"      - {expectation}\n"
    refused_at_last_line(text, f"steps[3].expect[5]{'.' + key if key else ''}", message)
