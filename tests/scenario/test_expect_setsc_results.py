"""`call:` states what a setsc() returned and the address it gave (A1, A3), for the last call or
the `nth`, on a declared socket or an application's sockets; a failed one points at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenario.expecting import fails_at, holds, refused_at_last_line, where

# The 4.2 network (Session-lasting and Non-persistent only) and F2, F8, F9 made by hand.
FLOW = """\
title: setsc results
applications:
  - name: app4
    kind: streaming-client
    sockets:
      - type: graceful-replacement
        peer: video.example.com
        port: 1935
        fallback: [session-lasting]
steps:
  - at: 0s
    say: attach, and ask
    do:
      - attach: ap1
      - socket: {name: s1}
      - setsc: {socket: s1, type: non-persistent}
      - socket: {name: s2}
      - setsc: {socket: s2, type: graceful-replacement}
      - setsc: {socket: s2, type: session-lasting}
      - socket: {name: s3}
      - setsc: {socket: s3, type: 7}
      - launch: app4
    expect:
      - call: s1.setsc
        returned: SUCCESS
        gave: IPnp1
      - call: s2.setsc
        nth: 1
        returned: EAI_REQUIREDIPNOTSUPPORTED
        gave: none
      - call: s2.setsc
        nth: 2
        returned: SUCCESS
        gave: IPsl1
      - call: s2.setsc
        count: 2
        gave: IPsl1
      - call: s3.setsc
        returned: EINVAL
        gave: none
      - call: app4.setsc
        nth: 1
        returned: EAI_REQUIREDIPNOTSUPPORTED
      - call: app4.setsc
        nth: 2
        gave: IPsl1
"""


def test_every_result_holds_A1_A3_F8_F9() -> None:
    holds(FLOW)


@pytest.mark.parametrize(
    ("old", "new", "needle", "nth", "field", "saw"),
    [
        # The address setsc() gave.
        ("gave: IPnp1", "gave: IPsl1", "gave:", 1, "steps[0].expect[0].gave", "gave IPnp1"),
        # The error the first call returned (F8), by `nth`.
        (
            "returned: EAI_REQUIREDIPNOTSUPPORTED\n        gave: none",
            "returned: EAI_REQUIREDIPFAILED\n        gave: none",
            "returned:",
            2,
            "steps[0].expect[1].returned",
            "EAI_REQUIREDIPNOTSUPPORTED",
        ),
        # A failed call gave nothing.
        (
            "gave: none\n      - call: s2",
            "gave: IPgr1\n      - call: s2",
            "gave:",
            2,
            "steps[0].expect[1].gave",
            "gave none",
        ),
        # How many calls were made on the socket.
        ("count: 2", "count: 3", "count:", 1, "steps[0].expect[3].count", "count 2"),
        # An application's second call (its fallback, F9).
        (
            "nth: 2\n        gave: IPsl1\n",
            "nth: 2\n        gave: IPnp1\n",
            "gave:",
            6,
            "steps[0].expect[6].gave",
            "gave IPsl1",
        ),
    ],
)
def test_each_fact_fails_at_its_line(
    old: str, new: str, needle: str, nth: int, field: str, saw: str
) -> None:
    text = FLOW.replace(old, new, 1)
    assert text != FLOW
    fails_at(text, needle, field, saw, nth)


def test_a_call_past_the_last_says_how_many_there_were() -> None:
    text = FLOW.replace(
        "        nth: 2\n        returned: SUCCESS", "        nth: 3\n        returned: SUCCESS"
    )
    fails_at(text, "returned:", "steps[0].expect[2].returned", "only 2 such calls", nth=3)


def test_a_socket_never_called_says_so() -> None:
    text = FLOW.replace("      - call: s1.setsc\n", "      - call: s3.bind\n").replace(
        "        returned: SUCCESS\n        gave: IPnp1\n", "        returned: SUCCESS\n", 1
    )
    fails_at(text, "returned:", "steps[0].expect[0].returned", "never called")


@pytest.mark.parametrize(
    ("expectation", "key", "message"),
    [
        ("{call: s1.bind, gave: IPsl1}", "gave", "gave is said of a setsc() call, not of bind()"),
        ("{call: s1.setsc, gave: banana}", "gave", "an address is named like IPsl1"),
        ("{call: nobody.setsc, returned: SUCCESS}", "call", "no socket or application 'nobody'"),
        ("{call: app4.bind, returned: SUCCESS}", "call", "no socket 'app4' declared before this"),
        ("{call: s1.setsc, nth: 0, returned: SUCCESS}", "nth", "greater than or equal to 1"),
    ],
)
def test_a_wrong_call_expectation_is_refused_at_its_line(
    expectation: str, key: str, message: str
) -> None:
    text = FLOW + f"      - {expectation}\n"
    refused_at_last_line(text, f"steps[0].expect[7].{key}", message)


def test_where_finds_the_nth_key() -> None:
    assert where(FLOW, "gave:", 2).startswith("t.yaml:")


def test_odplay_run_reports_a_failed_expectation_at_its_file_line_and_column(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from odplay.cli import app

    path = tmp_path / "t.yaml"
    path.write_text(FLOW.replace("gave: IPnp1", "gave: IPsl1"), encoding="utf-8")
    done = CliRunner().invoke(app, ["run", "--quiet", str(path)])
    assert done.exit_code == 1
    line = where(FLOW, "gave: IPnp1").split(":", 1)[1]
    assert (
        f"{path}:{line}: steps[0].expect[0].gave: step 1: call s1.setsc: gave IPsl1 FAILED "
        "(saw gave IPnp1)" in done.stderr
    ), done.stderr
