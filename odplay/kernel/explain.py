"""Why the kernel and the model differ, check by check: the rule, and the mechanism.

Every disagreement a kernel run reports carries one of these sentences. Each names the rule of
odplay's catalogue (odplay.rules) or of RFC 6724 it concerns and what Linux does instead; the
"odplay and real stacks" page (docs/real-stacks.md) tells each as a lesson. Pure functions: the
tests call them without a kernel.
"""

from __future__ import annotations

from odplay.sim.events import Pick

#: How far a measured round trip may be from odplay's and still agree: the forwarder's own
#: cost (about a tenth of a millisecond per delayed hop, more on a busy machine) plus a share.
RTT_SLACK_MS = 2.0
RTT_SLACK_SHARE = 0.05
#: How late the kernel may remove an address whose lifetime ran out and still agree with odplay
#: removing it on time: lifetimes count in whole seconds and expire a little late.
EXPIRY_LATE_MS = 1000
EXPIRY_EARLY_MS = 50


def rtt_tolerance(model_ms: float) -> float:
    return RTT_SLACK_MS + RTT_SLACK_SHARE * model_ms


def rtt_agrees(model_ms: float, linux_ms: float) -> bool:
    return abs(linux_ms - model_ms) <= rtt_tolerance(model_ms)


MIP6 = (
    "Linux has no MIP6 here (CONFIG_IPV6_MIP6 is off): RFC 6724 Rule 4, the one HOME and COA "
    "steer, is compiled out, so the flags are accepted and ignored (R1, R3)"
)
RULE_5_5 = (
    "RFC 6724 Rule 5.5 (prefer an address from the next hop's prefix) is not in Linux: "
    "odplay prefers the serving gateway's prefix, Linux goes on to Rule 8 and then takes the "
    "most recently added address"
)
DEFAULT_TYPE = (
    "odplay's host policy default_type (D10) has no counterpart in the kernel: Linux orders "
    "the candidates by RFC 6724 alone"
)
RULE_8 = (
    "RFC 6724 Rule 8 (the longest prefix shared with the destination, counted up to the /64 on "
    "both sides) decided for odplay; on Linux an earlier rule had already chosen"
)
NEWEST = (
    "a full tie: both take the most recently added address, but Linux orders its address list "
    "itself (an address whose lifetimes were changed moves)"
)
RULE_3 = (
    "RFC 6724 Rule 3 avoids a deprecated address; odplay and Linux deprecate at different "
    "moments (lifetimes count whole seconds)"
)


def source(picks: tuple[Pick, ...] | None, flags: int, linux_deprecated: bool) -> str:
    """Why an unbound socket's source differs (R3, B3): the step of odplay's order that decided
    it, and the Linux mechanism that does not have that step."""
    picks = picks or ()
    if Pick.HOME in picks or Pick.COA in picks or (flags & 0x404 and not picks):
        return MIP6
    if Pick.DEFAULT_TYPE in picks:
        return DEFAULT_TYPE
    if Pick.SERVING_GATEWAY in picks:
        return RULE_5_5
    if Pick.NOT_DEPRECATED in picks or linux_deprecated:
        return RULE_3
    if Pick.LONGEST_MATCH in picks:
        return RULE_8
    if Pick.NEWEST in picks:
        return NEWEST
    return RULE_5_5  # with no picks recorded (a legacy socket), the serving gateway is the one


#: (call, odplay's answer, Linux's answer) → why. "*" stands for any answer.
_STATUS: dict[tuple[str, str, str], str] = {
    ("setsockopt", "EINVAL", "0"): (
        "A6, B2: odplay's legacy stack refuses ON_NET; Linux keeps 8 bits of preferences and "
        "drops the bits it does not know, so the call succeeds and the flag is lost"
    ),
    ("connect", "EADDRNOTAVAIL", "0"): (
        "C1: odplay refuses a connect() from a bound address that is gone; Linux connects from "
        "it anyway (it does not re-check the bound address), and no answer can come back"
    ),
    ("connect", "EADDRNOTAVAIL", "ETIMEDOUT"): (
        "C1: odplay refuses a connect() from a bound address that is gone at once; Linux sends "
        "from it and waits for an answer that cannot come"
    ),
    ("connect", "ENETUNREACH", "*"): (
        "odplay answers ENETUNREACH while the host is detached; Linux decides by its routes, "
        "and the harness removes the host's default route on a detach"
    ),
    ("send", "EADDRNOTAVAIL", "0"): (
        "C1: odplay fails a datagram from an address that is gone; Linux sends it all the same "
        "from the source the socket's connect() fixed (it does not look again), and no answer "
        "can come back"
    ),
    ("setsc", "*", "*"): "setsc() is not in any kernel: the harness's library answers for it",
}


def status(call: str, odplay: str, linux: str) -> str:
    for key in ((call, odplay, linux), (call, odplay, "*"), (call, "*", "*")):
        if key in _STATUS:
            return _STATUS[key]
    return f"{call}(): odplay answers {odplay} by its model of the draft; Linux answered {linux}"


BREAK = (
    "C1, T3: Linux never breaks a connection whose address goes; it stays ESTABLISHED and "
    "silent, retrying for about 15 minutes"
)
STILL_FLOWS = (
    "C1, T3: odplay breaks the connection at once; on Linux the address is gone but data "
    "still crossed (the host kept sending from it, and the network still routed it back)"
)
NO_ECHO = (
    "no echo came back in time: the path the model counts is not the one the kernel routed "
    "(or the machine was too busy to forward it)"
)


def rtt(model_ms: float, linux_ms: float) -> str:
    return (
        f"the measured round trip is {linux_ms - model_ms:+.1f} ms off odplay's, beyond "
        f"{rtt_tolerance(model_ms):.1f} ms: the user-space links add delay of their own, more "
        "on a busy machine (the report gives the forwarder's figures)"
    )


def other_source(address: str) -> str:
    return (
        f"follows from the source above: Linux sends from {address}, whose prefix the network "
        "routes another way than the address odplay picked"
    )


def expiry(late_ms: float | None, rounded_up_ms: int) -> str:
    if late_ms is None:
        return (
            "T4: the kernel had not removed the address well after its valid lifetime; "
            "lifetimes count whole seconds"
        )
    rounding = f" (the grace period was rounded up by {rounded_up_ms} ms)" if rounded_up_ms else ""
    if late_ms < 0:
        return f"T4: the kernel removed it {-late_ms:.0f} ms early{rounding}"
    return (
        f"T4: lifetimes count whole seconds and expire late: the kernel removed the address "
        f"{late_ms:.0f} ms after odplay{rounding}"
    )


DEPRECATED = (
    "T4: the kernel did not mark the address deprecated when its preferred lifetime was set to 0"
)
REACH = (
    "C2: the correspondent's connection did not go as odplay says; the kernel decides by its "
    "routes and sockets (a listening socket, a route to the host)"
)
LISTENING = "C2: the host's socket is no longer listening where odplay says it is"
