"""`event:` and the timing facts: an event happens at a time, not before one, not after one, or
never over the whole run or a span (F5, F6, F7, T2); a failed one points at its line, and one
over a span that has not ended yet waits for it to end."""

from __future__ import annotations

import pytest

from tests.scenario.expecting import fails_at, holds, refused_at_last_line, run

FLOW = """\
title: timing
applications:
  - name: app1
    kind: instant-messenger
  - name: app3
    kind: web-browser
steps:
  - at: 0s
    say: attach; app3 on IPsl1, app1 on IPnp1, s1 bound to IPsl1
    do:
      - attach: ap1
      - launch: app1
      - launch: app3
      - socket: {name: s1}
      - setsc: {socket: s1, type: session-lasting}
      - bind: {socket: s1}
      - connect: {socket: s1, peer: www.example.org}
    expect:
      - event: socket-broken
        on: app3
        between: [0s, end]
        count: 0
      - event: socket-broken
        on: s1
        between: [0s, end]
        count: 0
      - messages: request
        type: graceful-replacement
        between: [0s, end]
        count: 0
  - at: 5s
    say: F5, F6; app1's socket breaks and is re-established, app3's and s1 carry on (F7)
    do:
      - move: ap3
    expect:
      - event: socket-broken
        on: app1
        first_at: 5s
      - event: re-established
        on: app1
        not_before: 5s
        not_after: 5200ms
      - event: re-established
        on: app1
        between: [5s, 6s]
        first_at: 5200ms
      - event: re-established
        on: app1
        between: [5s, 6s]
        count: 1
      - event: prefix-withdrawn
        about: PREFnp1
        count: 1
"""


def test_every_time_and_every_never_holds_F5_F6_F7() -> None:
    holds(FLOW)


@pytest.mark.parametrize(
    ("old", "new", "needle", "nth", "field", "saw"),
    [
        # At a time.
        (
            "first_at: 5s",
            "first_at: 5200ms",
            "first_at:",
            1,
            "steps[1].expect[0].first_at",
            "1 (at 5s)",
        ),
        # Not before a time.
        (
            "not_before: 5s",
            "not_before: 5300ms",
            "not_before:",
            1,
            "steps[1].expect[1].not_before",
            "1 (at 5200ms)",
        ),
        # Not after a time.
        (
            "not_after: 5200ms",
            "not_after: 5100ms",
            "not_after:",
            1,
            "steps[1].expect[1].not_after",
            "1 (at 5200ms)",
        ),
        # In a span.
        (
            "between: [5s, 6s]",
            "between: [5300ms, 6s]",
            "first_at:",
            2,
            "steps[1].expect[2].first_at",
            "0 (none)",
        ),
        # Never: the socket that does break.
        (
            "on: app3\n        between: [0s, end]",
            "on: app1\n        between: [0s, end]",
            "count:",
            1,
            "steps[0].expect[0].count",
            "1 (at 5s)",
        ),
    ],
)
def test_each_fact_fails_at_its_line(
    old: str, new: str, needle: str, nth: int, field: str, saw: str
) -> None:
    text = FLOW.replace(old, new, 1)
    assert text != FLOW
    fails_at(text, needle, field, saw, nth)


def test_a_never_over_the_whole_run_is_judged_at_its_end() -> None:
    """Stated in the first step, judged after the move of the second: it saw the break at 5s."""
    result = run(FLOW.replace("on: s1\n", "on: app1\n", 1))
    failed = result.failures
    assert [c.field for c in failed] == ["steps[0].expect[1].count"]
    assert failed[0].step == 0 and failed[0].seen == "1 (at 5s)"
    # ...and it is judged with the last step's, at the end of the run.
    assert failed[0].at == result.checks[-1].at == max(c.at for c in result.checks)


def test_without_a_span_it_looks_at_what_happened_by_the_check() -> None:
    """The first step's expectations are checked at 5s, before the move: nothing broke yet."""
    text = FLOW.replace(
        "      - messages: request\n        type: graceful-replacement",
        "      - event: socket-broken\n        count: 0\n      - messages: request\n"
        "        type: graceful-replacement",
    )
    holds(text)


@pytest.mark.parametrize(
    ("expectation", "key", "message"),
    [
        ("{event: sneezed, count: 0}", "event", "no kind of event 'sneezed'"),
        ("{event: socket-broken, on: nobody, count: 0}", "on", "no declared socket or application"),
        ("{event: socket-broken, between: [1s, soon], count: 0}", "between", "expected a duration"),
        ("{event: socket-broken, first_at: -1s}", "first_at", "cannot be negative"),
    ],
)
def test_a_wrong_event_expectation_is_refused_at_its_line(
    expectation: str, key: str, message: str
) -> None:
    text = FLOW + f"      - {expectation}\n"
    refused_at_last_line(text, f"steps[1].expect[5].{key}", message)
