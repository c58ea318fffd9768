"""The story of what RFC 8653 adds: the OnDemand socket option, address rotation, the operator.

Tellers for odplay.sim.events_rfc8653, registered in odplay.sim.narration's table like every
other (narration.py imports this module last), and the words for the reasons and the source
selection step those features add. Kept apart so that draft-16's story stays in one module
and the RFC's additions in another; every entry says which document it comes from.
"""

from __future__ import annotations

from odplay.sim import events as ev
from odplay.sim.events_rfc8653 import (
    AddressRetired,
    Demand,
    OnDemandNote,
    Retire,
    RotationDue,
    TypeMappingChanged,
)
from odplay.sim.narration import (
    PICKS,
    SETTING_RULES,
    TELLERS,
    Told,
    _tells,
    show_setting,
    type_name,
)
from odplay.sim.timeunits import format_duration
from odplay.sim.trace import HOST, NETWORK, STACK, TraceKind

PICKS[ev.Pick.ON_DEMAND] = (
    "its OnDemand field asks for this type (RFC 8653 Appendix A, host api: sockopt)"
)

_DEMAND = {
    Demand.HELD: "{address} of the type is held: the socket's traffic will use it",
    Demand.ASKED: "nothing of the type is held: the stack asks the network, and setsockopt() "
    "has returned at once",
    Demand.CONNECT_ASKS: "nothing of the type is held (the host was detached when the field "
    "was set, or what it had went): connect() asks the network now",
    Demand.DETACHED: "nothing of the type is held and no network to ask: connect() will ask",
    Demand.ARRIVED: "{address} has come: the socket's connect() will use it",
    Demand.FAILED: "the network gave no prefix: the socket's request has failed",
    Demand.WAITS: "connect() waits for the prefix on its way (host sockopt_connect: wait)",
    Demand.NOW: "connect() goes at once from what source selection picks; the prefix asked for "
    "is still on its way (host sockopt_connect: now)",
    Demand.FRESH: "host allocation: fresh: the stack asks the network for a prefix of the type "
    "for this socket though it holds one (D9), and setsockopt() has returned at once",
    Demand.REUSED: "no fresh prefix of the type can come; {address}, held already, will do "
    "(host when_fresh_fails: reuse)",
    Demand.LATE_LISTENING: "{address} has come, after the socket began listening on ::; "
    "it takes connections to every address the host holds, {address} included, and later "
    "sockets of the type get {address}",
    Demand.LATE_DATAGRAMS: "{address} has come, after the socket sent from another address; a "
    "UDP socket not connected picks its source per datagram, so its next ones leave from "
    "{address}",
    Demand.DATAGRAM_NOW: "sendto() did not wait for the prefix on its way (a datagram is "
    "not a connection): that one left from what source selection picked",
    Demand.LATE: "{address} has come, after the socket connected from another address; it stays "
    "on that one, and later sockets of the type get {address}",
}


@_tells(OnDemandNote)
def _on_demand(e: OnDemandNote, kind: TraceKind = TraceKind.ON_DEMAND) -> Told:
    what = _DEMAND[e.what].format(address=e.address)
    text = f"socket {e.fd}, OnDemand = {type_name(e.type)} (api: sockopt): {what}"
    data = {"fd": e.fd, "on_demand": e.what.value, "address": e.address}
    return STACK, kind, text, e.rules, e.owner, data


@_tells(RotationDue)
def _rotation_due(e: RotationDue, kind: TraceKind = TraceKind.ROTATION) -> Told:
    then = (
        "no socket uses it: it goes, and no successor is asked for until a socket wants the "
        "type (D3)"
        if e.unused
        else "the stack asks for a new prefix of the type, though it holds one"
        if e.asked
        else "detached: nothing to ask now, the stack tries again after another lifetime"
    )
    if e.sent:
        done = f"has sent {format_bytes(e.lifetime)} (host rotation_bytes)"
    else:
        done = f"has lived {format_duration(e.lifetime)} (host rotation)"
    text = f"{e.address} ({type_name(e.type)}) {done}: {then}"
    return STACK, kind, text, ("D3", "D9"), None, {"address": e.address}


def format_bytes(size: int) -> str:
    """A byte count as a learner reads it: `5 MB`, `250 kB`, `900 B` (powers of 1000)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


_RETIRE = {
    Retire.DRAIN: "no new socket gets it; released when the last one on it closes (T1, T2)",
    Retire.GRACE: "deprecated for the grace period, then gone (T4)",
    Retire.WITHDRAW: "gone now: its sockets break (T3)",
}
_RETIRE_RULES = {Retire.DRAIN: ("T2",), Retire.GRACE: ("T4",), Retire.WITHDRAW: ("T3",)}


@_tells(AddressRetired)
def _retired(e: AddressRetired, kind: TraceKind = TraceKind.ROTATION) -> Told:
    users = f"{e.users} socket{'s' if e.users != 1 else ''} on it"
    text = f"{e.successor} replaces {e.address} ({users}): {_RETIRE[e.how]}"
    data = {"address": e.address, "successor": e.successor, "how": e.how.value}
    return STACK, kind, text, _RETIRE_RULES[e.how], None, data


@_tells(TypeMappingChanged)
def _mapping(e: TypeMappingChanged, kind: TraceKind = TraceKind.TYPE_MAPPING) -> Told:
    blocks = ", ".join(f"{type_name(t)} block {b:x}" for t, b in e.blocks)
    text = f"the operator deals its prefix blocks out afresh ({blocks})"
    return NETWORK, kind, text, ("D5",), STACK, {"epoch": e.epoch}


SETTING_RULES["rotation_bytes"] = ("D3", "D9")
_DRAFT_POLICY = TELLERS[ev.PolicyChanged]


@_tells(ev.PolicyChanged)
def _policy(e: ev.PolicyChanged, kind: TraceKind = TraceKind.POLICY) -> Told:
    """draft-16's teller, but `rotation_bytes` shows its limits in bytes, not as durations."""
    if e.field != "rotation_bytes":
        return _DRAFT_POLICY(e)
    shown = ", ".join(f"{show_setting(t)}: {format_bytes(n)}" for t, n in e.value.items())
    return HOST, kind, f"host policy rotation_bytes = {{{shown}}}", ("D3", "D9"), None, {}
