"""Every disagreement of a kernel run says why, by rule and mechanism (no root needed): RFC 6724
Rule 4 compiled out (R1, R3), Rule 5.5 not in Linux, D10's host policy, whole-second lifetimes
(T4), ON_NET dropped by an 8-bit kernel field (A6, B2), a round trip out of its tolerance.
"""

from __future__ import annotations

import pytest

from odplay.kernel import explain
from odplay.sim.events import Pick


@pytest.mark.parametrize(
    ("picks", "mechanism"),
    [
        ((Pick.HOME,), "CONFIG_IPV6_MIP6"),
        ((Pick.NOT_DEPRECATED, Pick.COA), "Rule 4"),
        ((Pick.DEFAULT_TYPE,), "D10"),
        ((Pick.SERVING_GATEWAY,), "Rule 5.5"),
        ((Pick.LONGEST_MATCH,), "Rule 8"),
        ((Pick.NEWEST,), "most recently added"),
    ],
)
def test_a_different_source_names_the_step_linux_does_not_have(
    picks: tuple[Pick, ...], mechanism: str
) -> None:
    assert mechanism in explain.source(picks, 0, linux_deprecated=False)


def test_flags_alone_point_at_mobile_ipv6_and_a_deprecated_choice_at_rule_3() -> None:
    assert "MIP6" in explain.source(None, 0x400, linux_deprecated=False)
    assert "Rule 3" in explain.source(None, 0, linux_deprecated=True)


def test_on_net_on_a_legacy_stack_is_the_eight_bit_field() -> None:
    why = explain.status("setsockopt", "EINVAL", "0")
    assert "A6" in why and "8 bits" in why


def test_an_unknown_difference_still_says_both_answers() -> None:
    why = explain.status("listen", "EINVAL", "EADDRINUSE")
    assert "EINVAL" in why and "EADDRINUSE" in why


def test_round_trips_agree_within_two_ms_and_five_percent() -> None:
    assert explain.rtt_agrees(44, 45.9)
    assert explain.rtt_agrees(90, 96.4)  # 2 + 4.5
    assert not explain.rtt_agrees(24, 27.3)  # 2 + 1.2
    assert "+3.3 ms" in explain.rtt(24, 27.3)


def test_an_expiry_late_or_missing_is_told_in_whole_seconds() -> None:
    assert "whole seconds" in explain.expiry(1200, 0)
    assert "rounded up by 500 ms" in explain.expiry(1200, 500)
    assert "had not removed" in explain.expiry(None, 0)
    assert "early" in explain.expiry(-120, 0)
