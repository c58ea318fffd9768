"""The story of a run: each typed event (odplay.sim.events) told as a trace entry.

`narrate(event)` gives the entry's actor (its lane on the ladder), kind, text, rule IDs, target
lane and data. This is the only place in the model that words what happened; the stack, the
applications and the commands record facts and leave the telling here. Texts, rule IDs and data
(and the order of its keys) are what `odplay run --json` prints, so they are pinned byte for
byte by tests/golden.

One small function per event type, found through a dict keyed by the event's class: a lookup
and a call. Each takes its kind as a default argument, because reading a member off an enum
class costs about ten times as much as a local in Python 3.11, and every trace entry needs one
(benchmarks/ runs 10,000 sockets through here).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from odplay.constants import ON_DEMAND_MASK, ON_NET, RFC5014_FLAGS, AddressType, Status, flag_names
from odplay.sim import events as ev
from odplay.sim.peers import endpoint
from odplay.sim.tables import Protocol
from odplay.sim.timeunits import format_duration
from odplay.sim.trace import HOST, NETWORK, STACK, TraceKind
from odplay.sim.why_words import detail

#: What an event becomes: (actor, kind, text, rules, target, data), the fields of a TraceEntry
#: that are not the run's position (number, step, time).
Told = tuple[str, TraceKind, str, tuple[str, ...], str | None, dict[str, Any]]

E = TypeVar("E")
#: Each event type's teller. `narrate` is the way in; World.record looks the teller up here
#: itself, one Python call fewer on the busiest path of a run.
TELLERS: dict[type[Any], Callable[[Any], Told]] = {}
_RFC5014 = int(RFC5014_FLAGS)
_ON_NET = int(ON_NET)
_DEMAND = ON_DEMAND_MASK


def narrate(event: ev.Event) -> Told:
    """The trace entry's fields for one event."""
    return TELLERS[type(event)](event)


def _tells(kind: type[E]) -> Callable[[Callable[[E], Told]], Callable[[E], Told]]:
    def register(teller: Callable[[E], Told]) -> Callable[[E], Told]:
        TELLERS[kind] = teller
        return teller

    return register


def type_name(type_: AddressType | None) -> str:
    return type_.label if type_ else "no type"


# ---------------------------------------------------------------------- the host moving


@_tells(ev.HostAttached)
def _attached(e: ev.HostAttached, kind: TraceKind = TraceKind.ATTACH) -> Told:
    text = f"host attaches to {e.ap} ({e.gateway})"
    # F1 where the 4.2 flow's first step happens; elsewhere what the host holds from the start
    # of an attachment is D6's (zero or more addresses of each type).
    return HOST, kind, text, ("F1",) if e.flow_step else ("D6",), NETWORK, {}


@_tells(ev.HostMoved)
def _moved(e: ev.HostMoved, kind: TraceKind = TraceKind.MOVE) -> Told:
    what = (
        "same gateway" if e.old_gateway == e.gateway else f"gateway {e.old_gateway} → {e.gateway}"
    )
    text = f"host moves {e.old_ap} → {e.ap} ({what})"
    # F5 where the 4.2 flow's move happens; elsewhere T3, the rule of what a move takes away.
    return HOST, kind, text, ("F5",) if e.flow_step else ("T3",), NETWORK, {}


@_tells(ev.HostDetached)
def _detached(e: ev.HostDetached, kind: TraceKind = TraceKind.DETACH) -> Told:
    return HOST, kind, f"host detaches from {e.old_ap}", ("T1",), NETWORK, {}


@_tells(ev.SameGateway)
def _same_gateway(e: ev.SameGateway, kind: TraceKind = TraceKind.SAME_GATEWAY) -> Told:
    if e.replaces:
        text = (
            f"{e.gateway} still serves the host, but replaces the prefixes that promise nothing "
            "past a move (network same_gateway_move: replace)"
        )
    else:
        text = f"{e.gateway} still serves the host: every prefix stays valid"
    return NETWORK, kind, text, ("T3",), STACK, {}


@_tells(ev.BindingUpdate)
def _binding_update(e: ev.BindingUpdate, kind: TraceKind = TraceKind.BINDING_UPDATE) -> Told:
    text = f"binding update to {e.anchor}: the host is now behind {e.gateway}"
    return STACK, kind, text, ("C3",), NETWORK, {}


@_tells(ev.PathReport)
def _path(e: ev.PathReport, kind: TraceKind = TraceKind.PATH) -> Told:
    rules: tuple[str, ...]
    if e.rtt is None:
        text = f"socket {e.fd} of {e.owner}: no path while detached"
        rules = ("T1",)
    else:
        via = f", tunnelled via {e.via}" if e.via else ", direct"
        text = f"socket {e.fd} of {e.owner}: RTT {e.rtt}ms{via}"
        rules = ("D11", "C3") if e.via else ()
    return STACK, kind, text, rules, None, {"fd": e.fd, "rtt": e.rtt}


# ---------------------------------------------------------------------- prefixes


@_tells(ev.PrefixRequested)
def _requested(e: ev.PrefixRequested, kind: TraceKind = TraceKind.PREFIX_REQUEST) -> Told:
    text = f"request a prefix ({type_name(e.type)}) from {e.gateway}" + (
        " [no type: the network's default decides]" if e.type is None else ""
    )
    data = {"request": e.request, "fd": e.fd}
    return STACK, kind, text, e.rules, NETWORK, data


@_tells(ev.PrefixGranted)
def _granted(e: ev.PrefixGranted, kind: TraceKind = TraceKind.PREFIX_GRANTED) -> Told:
    text = (
        f"{e.gateway} grants {e.prefix} ({type_name(e.type)}) {e.network}, anchored at {e.anchor}"
    )
    rules = ("D5", "B5") if e.asked is None else ("D5",)
    data = {"prefix": e.prefix, "request": e.request}
    return NETWORK, kind, text, rules, STACK, data


_REFUSALS = {
    ev.Refusal.LEGACY_NETWORK: "is a legacy network",
    ev.Refusal.UNSUPPORTED_TYPE: "does not support this type",
    ev.Refusal.GATEWAY_GONE: "no longer serves the host",
    ev.Refusal.POOL_DRY: "has no prefix left in its pool",
}


@_tells(ev.PrefixRefused)
def _refused(e: ev.PrefixRefused, kind: TraceKind = TraceKind.PREFIX_REFUSED) -> Told:
    text = f"{e.gateway} refuses: it {_REFUSALS[e.why]} ({e.status.name})"
    data = {"request": e.request, "status": e.status.name}
    return NETWORK, kind, text, e.rules, STACK, data


@_tells(ev.PrefixOffered)
def _offered(e: ev.PrefixOffered, kind: TraceKind = TraceKind.PREFIX_OFFERED) -> Told:
    text = f"{e.gateway} provides {e.prefix} ({type_name(e.type)}) {e.network}"
    return NETWORK, kind, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.PoolDry)
def _pool_dry(e: ev.PoolDry, kind: TraceKind = TraceKind.POOL_DRY) -> Told:
    text = f"{e.gateway} has no prefix left to offer ({type_name(e.type)})"
    return e.gateway, kind, text, ("D4",), STACK, {}


@_tells(ev.PrefixKept)
def _kept(e: ev.PrefixKept, kind: TraceKind = TraceKind.PREFIX_KEPT) -> Told:
    if e.detached:  # nobody told the host anything: the stack keeps what needs no gateway
        text = f"{e.prefix} stays configured while detached (anchored at {e.anchor})"
        return STACK, kind, text, e.rules, None, {"prefix": e.prefix}
    text = f"{e.prefix} stays valid, anchored at {e.anchor}"
    return NETWORK, kind, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.PrefixDeprecated)
def _deprecated(e: ev.PrefixDeprecated, kind: TraceKind = TraceKind.PREFIX_DEPRECATED) -> Told:
    grace = format_duration(e.grace)
    data = {"prefix": e.prefix, "valid_until": e.valid_until}
    if e.detached:
        text = f"{e.prefix} deprecated by the stack on detaching: valid for {grace} more"
        return STACK, kind, text, ("T4",), None, data
    text = f"{e.prefix} deprecated: valid for a grace period of {grace} more"
    return NETWORK, kind, text, ("T4",), STACK, data


@_tells(ev.PrefixWithdrawn)
def _withdrawn(e: ev.PrefixWithdrawn, kind: TraceKind = TraceKind.PREFIX_WITHDRAWN) -> Told:
    if e.detached:
        text = f"{e.prefix} is no longer valid: the host left {e.gateway}, whose prefix it was"
        return STACK, kind, text, e.rules, None, {"prefix": e.prefix}
    if e.still_serving:
        text = f"{e.prefix} is no longer valid: {e.gateway} takes it back after the move"
    else:
        text = f"{e.prefix} is no longer valid: {e.gateway} no longer serves the host"
    return NETWORK, kind, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.PrefixRevived)
def _revived(e: ev.PrefixRevived, kind: TraceKind = TraceKind.PREFIX_REVIVED) -> Told:
    text = (
        f"{e.prefix} is valid and preferred again: the host is back at {e.gateway}, which "
        "still held it (network graceful_return: revive)"
    )
    return NETWORK, kind, text, ("T4",), STACK, {"prefix": e.prefix}


@_tells(ev.GraceExpired)
def _grace_expired(e: ev.GraceExpired, kind: TraceKind = TraceKind.GRACE_EXPIRED) -> Told:
    # The prefix's valid lifetime runs out at the host: nothing is sent, the stack's own timer.
    text = f"grace period of {e.prefix} is over: it is no longer valid"
    return STACK, kind, text, ("T4",), None, {"prefix": e.prefix}


@_tells(ev.AddressKept)
def _address_kept(e: ev.AddressKept, kind: TraceKind = TraceKind.ADDRESS_KEPT) -> Told:
    why = "Fixed addresses are kept (T1)" if e.fixed else "policy: keep"
    text = f"{e.address} has no socket left; kept ({why})"
    return STACK, kind, text, ("D8",), None, {"address": e.address}


@_tells(ev.AddressReleased)
def _address_released(e: ev.AddressReleased, kind: TraceKind = TraceKind.ADDRESS_RELEASED) -> Told:
    why = "rotated out: host rotation" if e.rotated else "policy: release"
    text = f"{e.address} has no socket left; released with {e.prefix} ({why})"
    data = {"address": e.address, "prefix": e.prefix}
    return STACK, kind, text, ("D8",), NETWORK, data


@_tells(ev.GrantedForClosed)
def _granted_for_closed(
    e: ev.GrantedForClosed, kind: TraceKind = TraceKind.GRANTED_FOR_CLOSED
) -> Told:
    text = f"{e.prefix} came for socket {e.fd}, closed before the answer: {e.address} "
    if e.released:
        text += f"released with {e.prefix} (policy: release)"
    else:
        text += "kept (Fixed addresses are kept (T1))" if e.fixed else "kept (policy: keep)"
    data = {"fd": e.fd, "address": e.address, "prefix": e.prefix, "released": e.released}
    return STACK, kind, text, ("D8",), NETWORK if e.released else None, data


# ---------------------------------------------------------------------- the socket calls


@_tells(ev.SocketOpened)
def _socket(e: ev.SocketOpened, kind: TraceKind = TraceKind.SOCKET) -> Told:
    if e.protocol is Protocol.UDP:
        text = f"socket(AF_INET6, SOCK_DGRAM) → {e.fd}"
        return e.owner, kind, text, (), STACK, {"fd": e.fd, "protocol": "udp"}
    return e.owner, kind, f"socket(AF_INET6) → {e.fd}", (), STACK, {"fd": e.fd}


@_tells(ev.SockoptSet)
def _setsockopt(e: ev.SockoptSet, kind: TraceKind = TraceKind.SETSOCKOPT) -> Told:
    names = "|".join(flag_names(e.flags | e.ignored)) or "0"
    text = f"setsockopt({e.fd}, IPV6_ADDR_PREFERENCES, {names}) → 0"
    if e.ignored:  # ON_NET and the OnDemand field, on a legacy stack (B2)
        unknown = (("IPV6_REQUIRE_SRC_ON_NET", _ON_NET), ("the OnDemand field", _DEMAND))
        dropped = " and ".join(name for name, bits in unknown if e.ignored & bits)
        text += f": a legacy stack drops {dropped} (host legacy_on_net: ignore)"
    data = {"fd": e.fd, "flags": e.flags}
    return e.owner, kind, text, e.rules, STACK, data


@_tells(ev.SockoptRead)
def _getsockopt(e: ev.SockoptRead, kind: TraceKind = TraceKind.GETSOCKOPT) -> Told:
    names = "|".join(flag_names(e.value)) or "0"
    text = f"getsockopt({e.fd}, IPV6_ADDR_PREFERENCES) → {names} ({e.value:#x})"
    rules = ("A6",) if e.value & _ON_NET else ()
    return e.owner, kind, text, rules, STACK, {"fd": e.fd, "flags": e.value}


@_tells(ev.SetscCalled)
def _setsc(e: ev.SetscCalled, kind: TraceKind = TraceKind.SETSC) -> Told:
    text = f"setsc({e.fd}, {e.type.name})" + (" with ON_NET" if e.on_net else "")
    data = {"fd": e.fd, "type": e.type.slug}
    return e.owner, kind, text, ("D1", "A1", "G1"), STACK, data


@_tells(ev.SetscResult)
def _setsc_result(e: ev.SetscResult, kind: TraceKind = TraceKind.SETSC_RESULT) -> Told:
    if e.address is not None:
        text = f"setsc({e.fd}) → 0, {e.address} {e.value}"
        if e.sharing:
            others = "socket" if e.sharing == 1 else "sockets"
            text += f" (shared with {e.sharing} other {others})"
        text += detail(e.why)
    else:
        text = f"setsc({e.fd}) → {e.status.name}{detail(e.why)}"
    data = {"fd": e.fd, "status": e.status.name, "address": e.address}
    return STACK, kind, text, e.rules, e.owner, data


@_tells(ev.CallMade)
def _call_made(e: ev.CallMade, kind: TraceKind = TraceKind.CALL) -> Told:
    text = f"{e.call}({e.fd}, {e.args})" if e.args else f"{e.call}({e.fd})"
    return e.owner, kind, text, (), STACK, {"fd": e.fd, "call": str(e.call)}


_ERROR_KINDS = {
    ev.Call.SETSOCKOPT: TraceKind.SETSOCKOPT_ERROR,
    ev.Call.SETSC: TraceKind.SETSC_ERROR,
    ev.Call.BIND: TraceKind.BIND_ERROR,
    ev.Call.LISTEN: TraceKind.LISTEN_ERROR,
    ev.Call.CONNECT: TraceKind.CONNECT_ERROR,
    ev.Call.SEND: TraceKind.SEND_ERROR,
    ev.Call.GETSOCKOPT: TraceKind.GETSOCKOPT_ERROR,
    ev.Call.CLOSE: TraceKind.CLOSE_ERROR,
}


@_tells(ev.CallFailed)
def _call_failed(e: ev.CallFailed) -> Told:
    text = f"{e.call}({e.fd}) → {e.status.name}{detail(e.why, e.subject)}"
    data = {"fd": e.fd, "status": e.status.name}
    return STACK, _ERROR_KINDS[e.call], text, e.rules, e.owner, data


@_tells(ev.Bound)
def _bound(e: ev.Bound, kind: TraceKind = TraceKind.BIND) -> Told:
    text = f"bind({e.fd}, [{e.address or '::'}]:{e.port}) → 0"
    data = {"fd": e.fd, "address": e.address, "port": e.port}
    return e.owner, kind, text, e.rules, STACK, data


@_tells(ev.Rfc5014Ignored)
def _rfc5014_ignored(e: ev.Rfc5014Ignored, kind: TraceKind = TraceKind.RFC5014_IGNORED) -> Told:
    names = "|".join(flag_names(e.flags & _RFC5014))
    text = f"socket {e.fd}: setsc()+bind() win; RFC 5014 flags {names} are ignored"
    return STACK, kind, text, ("R1", "R2"), e.owner, {"fd": e.fd}


@_tells(ev.Listening)
def _listening(e: ev.Listening, kind: TraceKind = TraceKind.LISTEN) -> Told:
    text = f"listen({e.fd}) on [{e.address or '::'}]:{e.port} → 0"
    return e.owner, kind, text, e.rules, STACK, {"fd": e.fd}


#: Why source selection kept an address, step by step, in the words of each step's rule (R3).
PICKS: dict[ev.Pick, str] = {
    ev.Pick.ONLY: "it is the only address the socket may use",
    ev.Pick.NOT_DEPRECATED: "the others are deprecated, which RFC 6724 rule 3 avoids",
    ev.Pick.HOME: "its HOME flag prefers a home address, a Fixed one (RFC 5014)",
    ev.Pick.COA: "its COA flag prefers a care-of address, one of the serving gateway (RFC 5014)",
    ev.Pick.DEFAULT_TYPE: "the host's policy names a default type for sockets that ask for none "
    "(D10)",
    ev.Pick.SERVING_GATEWAY: "its prefix comes from the serving gateway, the next hop: the "
    "direct path (RFC 6724 rule 5.5)",
    ev.Pick.LONGEST_MATCH: "it shares the longest prefix with the destination (RFC 6724 rule 8)",
    ev.Pick.NEWEST: "the candidates tie on every other rule, so the most recently added wins, "
    "as on Linux",
}


def why_picked(e: ev.SetscUnused) -> str:
    """The reasons for a source choice, with rule 3's exception and what S1 skipped."""
    why = "; ".join(PICKS[pick] for pick in e.picks)
    if e.deprecated:
        why += "; it is deprecated, but rule 3 only avoids such an address, it never refuses one"
    if e.skipped:
        why += f"; {', '.join(e.skipped)} skipped: a type this application may not use (S1)"
    return why


@_tells(ev.SetscUnused)
def _setsc_unused(e: ev.SetscUnused, kind: TraceKind = TraceKind.SETSC_UNUSED) -> Told:
    if e.chosen is None:
        text = (
            f"socket {e.fd} never bound: the stack looks for a source as for any unbound "
            "socket, and finds none it may use"
        )
    elif e.chosen == e.address:
        text = (
            f"socket {e.fd} never bound, so the stack picks its source itself: {e.chosen}, "
            f"the address setsc() made, because {why_picked(e)}"
        )
    else:
        text = (
            f"socket {e.fd} never bound: {e.address} from setsc() is not its source; the "
            f"stack picks {e.chosen}, because {why_picked(e)}"
        )
    rules: tuple[str, ...] = ("R3",)
    if ev.Pick.DEFAULT_TYPE in e.picks:
        rules += ("D10",)
    if e.skipped:
        rules += ("S1",)
    return STACK, kind, text, rules, e.owner, {"fd": e.fd, "source": e.chosen}


@_tells(ev.Connected)
def _connected(e: ev.Connected, kind: TraceKind = TraceKind.CONNECT) -> Told:
    rtt = ""
    if e.rtt is not None:
        rtt = f", RTT {e.rtt}ms" + (f" via {e.via}" if e.via else "")
    text = f"connect({e.fd}, {endpoint(e.peer, e.peer_port)}) from {e.source} → 0{rtt}"
    data = {"fd": e.fd, "source": e.source, "rtt": e.rtt}
    return e.owner, kind, text, e.rules, STACK, data


@_tells(ev.Sent)
def _sent(e: ev.Sent, kind: TraceKind = TraceKind.SEND) -> Told:
    text = f"send({e.fd}, {endpoint(e.peer, e.port)}) from {e.source} → 0"
    data = {"fd": e.fd, "peer": e.peer, "source": e.source}
    return e.owner, kind, text, e.rules, STACK, data


@_tells(ev.SourceGone)
def _source_gone(e: ev.SourceGone, kind: TraceKind = TraceKind.SOURCE_GONE) -> Told:
    text = (
        f"UDP socket {e.fd} of {e.owner} does not break: {e.address} {e.loss}, so a send "
        "from it now fails with EADDRNOTAVAIL"
    )
    return STACK, kind, text, e.rules, e.owner, {"fd": e.fd, "address": e.address}


@_tells(ev.Closed)
def _closed(e: ev.Closed, kind: TraceKind = TraceKind.CLOSE) -> Told:
    return e.owner, kind, f"close({e.fd}) → 0", (), STACK, {"fd": e.fd}


@_tells(ev.SocketBroken)
def _broken(e: ev.SocketBroken, kind: TraceKind = TraceKind.SOCKET_BROKEN) -> Told:
    text = f"socket {e.fd} of {e.owner} breaks: {e.address} {e.loss}"
    return STACK, kind, text, e.rules, e.owner, {"fd": e.fd}


# ---------------------------------------------------------------------- the applications


@_tells(ev.Launched)
def _launched(e: ev.Launched, kind: TraceKind = TraceKind.LAUNCH) -> Told:
    return e.app, kind, f"{e.app} ({e.kind}) starts", (), None, {}


@_tells(ev.Quitted)
def _quitted(e: ev.Quitted, kind: TraceKind = TraceKind.QUIT) -> Told:
    return e.app, kind, f"{e.app} quits", (), None, {}


@_tells(ev.ReEstablished)
def _re_established(e: ev.ReEstablished, kind: TraceKind = TraceKind.RE_ESTABLISHED) -> Told:
    text = f"socket {e.fd} takes over from socket {e.old}, now on {e.source}"
    return e.app, kind, text, e.rules, None, {"fd": e.fd}


@_tells(ev.Published)
def _published(e: ev.Published, kind: TraceKind = TraceKind.PUBLISH) -> Told:
    text = f"publishes {e.name} AAAA {e.value}"
    return e.app, kind, text, ("C2",), NETWORK, {"name": e.name}


def _failure(call: ev.Call, status: Status | None) -> str:
    if status is None:
        return f"{call}() failed"
    return f"{call}() returned {status.name}"


@_tells(ev.FellBack)
def _fell_back(e: ev.FellBack, kind: TraceKind = TraceKind.FALLBACK) -> Told:
    label = e.next_type.name if e.next_type else "the legacy calls"
    text = f"{_failure(e.call, e.status)}; tries again with {label}"
    return e.app, kind, text, e.rules, None, {}


@_tells(ev.GaveUp)
def _gave_up(e: ev.GaveUp, kind: TraceKind = TraceKind.GAVE_UP) -> Told:
    text = f"{_failure(e.call, e.status)}; no fallback left"
    return e.app, kind, text, ("A4",), None, {}


@_tells(ev.DeprecationSeen)
def _deprecation_seen(e: ev.DeprecationSeen, kind: TraceKind = TraceKind.DEPRECATION_SEEN) -> Told:
    text = f"socket {e.fd}'s address is deprecated; will move over in {e.delay}ms"
    return e.app, kind, text, ("T4",), None, {}


@_tells(ev.MoveOverCancelled)
def _move_over_cancelled(
    e: ev.MoveOverCancelled, kind: TraceKind = TraceKind.MOVE_OVER_CANCELLED
) -> Told:
    text = f"socket {e.fd}'s address is preferred again; stays on it, no move over"
    return e.app, kind, text, ("T4",), None, {}


# ---------------------------------------------------------------------- from outside the run


@_tells(ev.Narrated)
def _narrated(e: ev.Narrated, kind: TraceKind = TraceKind.NARRATION) -> Told:
    return "narrator", kind, e.text, e.rules, None, {}


@_tells(ev.Reached)
def _reached(e: ev.Reached, kind: TraceKind = TraceKind.REACH) -> Told:
    who = e.who or "a correspondent"
    if e.ok and e.rtt is not None:
        via = f" via {e.via}" if e.via else ""
        text = f"{who} reaches {e.name}:{e.port} ({e.reason}), RTT {e.rtt}ms{via}"
    else:
        text = f"{who} cannot reach {e.name}:{e.port}: {e.reason}"
    data = {"ok": e.ok, "address": e.address}
    return NETWORK, kind, text, ("C2",), HOST, data


#: The rules each mid-run setting illustrates.
SETTING_RULES = {
    "allocation": ("D9",),
    "on_last_close": ("D8",),
    "permissions": ("S1",),
    "boot_types": ("D10",),
    "default_type": ("D10", "B5"),
    "legacy_stack": ("B2",),
    # the general rules, not 4.2's F1 (one such network): unserved types fail (D4)
    "supports": ("D4",),
    "on_attach": ("D6",),
    "grace_period": ("T4",),
    "signalling_delay": ("D11",),
    "legacy": ("B7",),
    "inter_gateway_delay": ("C3", "D11"),
    "when_fresh_fails": ("A6", "D9"),
    "legacy_on_net": ("B2", "A6"),
    "same_gateway_move": ("T3",),
    "graceful_return": ("T4",),
    **{"api": ("A1", "A5"), "sockopt_connect": ("A5", "D3"), "rotation": ("D3", "D9")},
    **{"prefix_types": ("D5",), "shuffle_every": ("D5",)},
}


def show_setting(value: Any) -> str:
    """A setting's value as a scenario file spells it."""
    if isinstance(value, AddressType):
        return value.slug
    if isinstance(value, StrEnum):
        return str(value.value)
    if isinstance(value, set | frozenset | list | tuple):
        return "[" + ", ".join(sorted(show_setting(v) for v in value)) + "]"
    if isinstance(value, dict):  # permissions; rotation's lifetimes are in ms
        shown = {show_setting(k): format_duration(v) if isinstance(v, int) else show_setting(v)
                 for k, v in value.items()}  # fmt: skip
        return "{" + ", ".join(f"{k}: {v}" for k, v in shown.items()) + "}"
    return str(value)


@_tells(ev.PolicyChanged)
def _policy(e: ev.PolicyChanged, kind: TraceKind = TraceKind.POLICY) -> Told:
    text = f"host policy {e.field} = {show_setting(e.value)}"
    return HOST, kind, text, SETTING_RULES[e.field], None, {}


@_tells(ev.NetworkChanged)
def _setting(e: ev.NetworkChanged, kind: TraceKind = TraceKind.SETTING) -> Told:
    text = f"network {e.field} = {show_setting(e.value)}"
    return NETWORK, kind, text, SETTING_RULES[e.field], None, {}


#: The rules a gateway's or the anchor's own setting illustrates.
NODE_SETTING_RULES = {
    "pool": ("D4",),
    "pools": ("D4",),
    "supports": ("D4",),
    "legacy": ("B7",),
}


@_tells(ev.NodeChanged)
def _node_setting(e: ev.NodeChanged, kind: TraceKind = TraceKind.SETTING) -> Told:
    value = "the network's" if e.value is None else show_setting(e.value)
    text = f"network {e.node} {e.field} = {value}"
    return NETWORK, kind, text, NODE_SETTING_RULES[e.field], None, {}


from odplay.sim import narration_rfc8653 as _rfc8653  # noqa: E402, F401  RFC 8653's events
