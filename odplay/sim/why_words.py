"""Why a socket call failed, in words: the tail of a failed call's line on the ladder.

One table, so that every place that tells a failure (the ladder, the workbench's log) words it
the same way; narration.py composes the rest of the line.
"""

from __future__ import annotations

from odplay.sim import events as ev
from odplay.sim.tables import SocketState

WHY: dict[ev.Why, str] = {
    ev.Why.NOTHING_MORE: "",
    ev.Why.WRONG_STATE: "socket is {}",
    ev.Why.SETSC_AFTER_BIND: "socket is {}; setsc() comes before bind()",
    ev.Why.NOT_CONFIGURED: "{} is not configured on the host",
    ev.Why.PORT_IN_USE: "port {} is in use",
    ev.Why.DETACHED: "the host is detached",
    ev.Why.NO_SUCH_HOST: "no host {!r}",
    ev.Why.ADDRESS_GONE: "{} is gone",
    ev.Why.NO_PREFIX: "the network gave no prefix",
    ev.Why.ON_NET_UNKNOWN: "a legacy stack does not know IPV6_REQUIRE_SRC_ON_NET",
    ev.Why.NO_SETSC: "this is a legacy stack: setsc() does not exist",
    ev.Why.RESERVED_TYPE: "address type {} is reserved",
    ev.Why.TYPE_OUT_OF_RANGE: "address type {} is outside the 3-bit field",
    ev.Why.NOT_PERMITTED: "this application may not use the type (setting host.permissions)",
    ev.Why.ADDRESS_NOT_PERMITTED: "{} is of a type this application may not use "
    "(setting host.permissions)",
    ev.Why.NO_NETWORK: "detached: there is no network to ask",
    ev.Why.CONFLICTING_FLAGS: "{} contradict each other (RFC 5014); nothing changed",
    ev.Why.FORBIDDEN_SOURCE: "every address the host holds is of a type this application may "
    "not use (S1, host.permissions)",
    ev.Why.NO_SOURCE: "the host holds no address to send from",
    ev.Why.NO_DESTINATION: "no peer given, and the socket is not connected",
    ev.Why.NOT_CONNECTED: "the socket is not connected",
    ev.Why.BROKEN: "the connection broke: {}",
    ev.Why.DATAGRAM: "a UDP socket does not listen",
    ev.Why.FRESH_FAILED: "no fresh prefix came, so a held one (host when_fresh_fails: reuse)",
    ev.Why.ON_NET_ONLY: "ON_NET asked for a new prefix on this network, not a held one",
    # RFC 8653 Appendix A's OnDemand field (odplay/sim/stack/on_demand.py)
    ev.Why.API_IS_SOCKOPT: "this host offers the OnDemand socket option instead (host api: "
    "sockopt, RFC 8653 Appendix A)",
    ev.Why.API_IS_SETSC: "this host offers setsc() instead of the OnDemand field (host api: setsc)",
    ev.Why.ON_DEMAND_UNKNOWN: "a legacy stack knows no OnDemand field",
    ev.Why.ON_DEMAND_FAILED: "the network gave no prefix of the type the OnDemand field asked for",
}


def detail(why: ev.Why, subject: object = None) -> str:
    """`: <why>`, or nothing when the status says it all."""
    if why is ev.Why.NOTHING_MORE:
        return ""
    text = WHY[why]
    if isinstance(subject, SocketState):
        subject = subject.value
    return ": " + (text.format(subject) if "{" in text else text)
