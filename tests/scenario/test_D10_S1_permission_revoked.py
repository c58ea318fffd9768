"""A permission revoked mid-run (D10, S1; docs/choices.md): later setsc() calls of that type by
that application are refused with EPERM, even while the host holds a prefix of the type; what
was granted before stays, and a call already waiting for the network is answered as it would
have been."""

from __future__ import annotations

from tests.scenario.expecting import fails_among, holds, run

REVOKED = """\
title: Fixed taken from web mid-run
network:
  supports: [fixed, session-lasting, non-persistent]
steps:
  - at: 0s
    say: web is given IPfx1 and connects; a second setsc() of its waits for the network
    do:
      - attach: ap1
      - socket: {name: s1, owner: web}
      - socket: {name: s2, owner: web}
      - setsc: {socket: s1, type: fixed}
      - bind: {socket: s1}
      - connect: {socket: s1, peer: www.example.org}
      - host: {allocation: fresh}
      - setsc: {socket: s2, type: fixed, wait: false}
      - host: {allocation: reuse, permissions: {fixed: [admin]}}
    expect:
      - call: s2.setsc
        returned: SUCCESS
        gave: IPfx2
  - at: 1s
    say: from now on web may not have Fixed; admin may, and is given the held IPfx2
    do:
      - socket: {name: s3, owner: web}
      - setsc: {socket: s3, type: fixed}
      - socket: {name: s4, owner: admin}
      - setsc: {socket: s4, type: fixed}
    expect:
      - call: s3.setsc
        returned: EPERM
        gave: none
      - call: s4.setsc
        gave: IPfx2
      - socket: s1
        state: connected
        bound: IPfx1
      - event: socket-broken
        on: s1
        between: [0s, end]
        count: 0
      - prefix: PREFfx1
        state: valid
      - messages: request
        between: [1s, 1s]
        count: 0
  - at: 2s
    say: the permission given back, web is served again
    do:
      - host: {permissions: {}}
      - setsc: {socket: s3, type: fixed}
    expect:
      - call: s3.setsc
        nth: 2
        returned: SUCCESS
"""


def test_a_revoked_permission_refuses_later_calls_and_keeps_what_was_granted_S1() -> None:
    holds(REVOKED)


def test_the_refusal_names_the_rule_and_the_setting() -> None:
    result = run(REVOKED)
    refusal = next(
        e for e in result.sim.trace if e.kind == "setsc-result" and e.data["status"] == "EPERM"
    )
    assert refusal.rules == ("S1",) and "setting host.permissions" in refusal.text
    change = next(e for e in result.sim.trace if e.kind == "policy" and "permissions" in e.text)
    # After s1's setsc() blocked for one signalling delay, while s2's is pending (A5).
    assert change.rules == ("S1",) and change.time == 50
    answer = next(e for e in result.sim.trace if e.kind == "setsc-result" and e.time > 50)
    assert answer.data["status"] == "SUCCESS" and answer.time == 100


def test_not_revoked_the_later_call_is_served() -> None:
    text = REVOKED.replace(", permissions: {fixed: [admin]}", "")
    fails_among(text, "returned:", "steps[1].expect[0].returned", "SUCCESS", nth=2)


def test_revoked_before_the_pending_call_it_is_refused() -> None:
    """The permission is checked when setsc() is called: revoked before, the call is refused."""
    text = REVOKED.replace(
        "      - setsc: {socket: s2, type: fixed, wait: false}\n"
        "      - host: {allocation: reuse, permissions: {fixed: [admin]}}\n",
        "      - host: {allocation: reuse, permissions: {fixed: [admin]}}\n"
        "      - setsc: {socket: s2, type: fixed, wait: false}\n",
    )
    fails_among(text, "returned:", "steps[0].expect[0].returned", "EPERM")
