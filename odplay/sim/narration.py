"""The story of a run: each typed event (odplay.sim.events) told as a trace entry.

`narrate(event)` gives the entry's actor (its lane on the ladder), kind, text, rule IDs, target
lane and data. This is the only place in the model that words what happened; the stack, the
applications and the commands record facts and leave the telling here. Texts, rule IDs and data
(and the order of its keys) are what `odplay run --json` prints, so they are pinned byte for
byte by tests/golden.

One small function per event type, found through a dict keyed by the event's class: a lookup
and a call, which a 10,000-socket run does not notice (benchmarks/).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from odplay.constants import RFC5014_FLAGS, AddressType, Status, flag_names
from odplay.sim import events as ev
from odplay.sim.policy import AllocationPolicy, LastClosePolicy
from odplay.sim.tables import SocketState
from odplay.sim.timeunits import format_duration
from odplay.sim.trace import HOST, NETWORK, STACK, TraceKind

#: What an event becomes: (actor, kind, text, rules, target, data), the fields of a TraceEntry
#: that are not the run's position (number, step, time).
Told = tuple[str, TraceKind, str, tuple[str, ...], str | None, dict[str, Any]]

E = TypeVar("E")
_TELLERS: dict[type[Any], Callable[[Any], Told]] = {}
_RFC5014 = int(RFC5014_FLAGS)


def narrate(event: ev.Event) -> Told:
    """The trace entry's fields for one event."""
    return _TELLERS[type(event)](event)


def _tells(kind: type[E]) -> Callable[[Callable[[E], Told]], Callable[[E], Told]]:
    def register(teller: Callable[[E], Told]) -> Callable[[E], Told]:
        _TELLERS[kind] = teller
        return teller

    return register


def type_name(type_: AddressType | None) -> str:
    return type_.label if type_ else "no type"


# ---------------------------------------------------------------------- the host moving


@_tells(ev.HostAttached)
def _attached(e: ev.HostAttached) -> Told:
    text = f"host attaches to {e.ap} ({e.gateway})"
    return HOST, TraceKind.ATTACH, text, ("F1",), NETWORK, {}


@_tells(ev.HostMoved)
def _moved(e: ev.HostMoved) -> Told:
    what = (
        "same gateway" if e.old_gateway == e.gateway else f"gateway {e.old_gateway} → {e.gateway}"
    )
    text = f"host moves {e.old_ap} → {e.ap} ({what})"
    return HOST, TraceKind.MOVE, text, ("F5",), NETWORK, {}


@_tells(ev.HostDetached)
def _detached(e: ev.HostDetached) -> Told:
    return HOST, TraceKind.DETACH, f"host detaches from {e.old_ap}", ("T1",), NETWORK, {}


@_tells(ev.SameGateway)
def _same_gateway(e: ev.SameGateway) -> Told:
    text = f"{e.gateway} still serves the host: every prefix stays valid"
    return NETWORK, TraceKind.SAME_GATEWAY, text, ("T3",), STACK, {}


@_tells(ev.BindingUpdate)
def _binding_update(e: ev.BindingUpdate) -> Told:
    text = f"binding update to {e.anchor}: the host is now behind {e.gateway}"
    return STACK, TraceKind.BINDING_UPDATE, text, ("C3",), NETWORK, {}


@_tells(ev.PathReport)
def _path(e: ev.PathReport) -> Told:
    rules: tuple[str, ...]
    if e.rtt is None:
        text = f"socket {e.fd} of {e.owner}: no path while detached"
        rules = ("T1",)
    else:
        via = f", tunnelled via {e.via}" if e.via else ", direct"
        text = f"socket {e.fd} of {e.owner}: RTT {e.rtt}ms{via}"
        rules = ("D11", "C3") if e.via else ()
    return STACK, TraceKind.PATH, text, rules, None, {"fd": e.fd, "rtt": e.rtt}


# ---------------------------------------------------------------------- prefixes


@_tells(ev.PrefixRequested)
def _requested(e: ev.PrefixRequested) -> Told:
    text = f"request a prefix ({type_name(e.type)}) from {e.gateway}" + (
        " [no type: the network's default decides]" if e.type is None else ""
    )
    data = {"request": e.request, "fd": e.fd}
    return STACK, TraceKind.PREFIX_REQUEST, text, e.rules, NETWORK, data


@_tells(ev.PrefixGranted)
def _granted(e: ev.PrefixGranted) -> Told:
    text = (
        f"{e.gateway} grants {e.prefix} ({type_name(e.type)}) {e.network}, anchored at {e.anchor}"
    )
    rules = ("D5", "B5") if e.asked is None else ("D5",)
    data = {"prefix": e.prefix, "request": e.request}
    return NETWORK, TraceKind.PREFIX_GRANTED, text, rules, STACK, data


_REFUSALS = {
    ev.Refusal.LEGACY_NETWORK: "is a legacy network",
    ev.Refusal.UNSUPPORTED_TYPE: "does not support this type",
    ev.Refusal.GATEWAY_GONE: "no longer serves the host",
    ev.Refusal.POOL_DRY: "has no prefix left in its pool",
}


@_tells(ev.PrefixRefused)
def _refused(e: ev.PrefixRefused) -> Told:
    text = f"{e.gateway} refuses: it {_REFUSALS[e.why]} ({e.status.name})"
    data = {"request": e.request, "status": e.status.name}
    return NETWORK, TraceKind.PREFIX_REFUSED, text, e.rules, STACK, data


@_tells(ev.PrefixOffered)
def _offered(e: ev.PrefixOffered) -> Told:
    text = f"{e.gateway} provides {e.prefix} ({type_name(e.type)}) {e.network}"
    return NETWORK, TraceKind.PREFIX_OFFERED, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.PoolDry)
def _pool_dry(e: ev.PoolDry) -> Told:
    text = f"{e.gateway} has no prefix left to offer ({type_name(e.type)})"
    return e.gateway, TraceKind.POOL_DRY, text, ("D4",), STACK, {}


@_tells(ev.PrefixKept)
def _kept(e: ev.PrefixKept) -> Told:
    text = f"{e.prefix} stays valid, anchored at {e.anchor}"
    return NETWORK, TraceKind.PREFIX_KEPT, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.PrefixDeprecated)
def _deprecated(e: ev.PrefixDeprecated) -> Told:
    text = f"{e.prefix} deprecated: valid for a grace period of {format_duration(e.grace)} more"
    data = {"prefix": e.prefix, "valid_until": e.valid_until}
    return NETWORK, TraceKind.PREFIX_DEPRECATED, text, ("T4",), STACK, data


@_tells(ev.PrefixWithdrawn)
def _withdrawn(e: ev.PrefixWithdrawn) -> Told:
    text = f"{e.prefix} is no longer valid: {e.gateway} no longer serves the host"
    return NETWORK, TraceKind.PREFIX_WITHDRAWN, text, e.rules, STACK, {"prefix": e.prefix}


@_tells(ev.GraceExpired)
def _grace_expired(e: ev.GraceExpired) -> Told:
    text = f"grace period of {e.prefix} is over: it is no longer valid"
    return NETWORK, TraceKind.GRACE_EXPIRED, text, ("T4",), STACK, {"prefix": e.prefix}


@_tells(ev.AddressKept)
def _address_kept(e: ev.AddressKept) -> Told:
    why = "Fixed addresses are kept (T1)" if e.fixed else "policy: keep"
    text = f"{e.address} has no socket left; kept ({why})"
    return STACK, TraceKind.ADDRESS_KEPT, text, ("D8",), None, {"address": e.address}


@_tells(ev.AddressReleased)
def _address_released(e: ev.AddressReleased) -> Told:
    text = f"{e.address} has no socket left; released with {e.prefix} (policy: release)"
    data = {"address": e.address, "prefix": e.prefix}
    return STACK, TraceKind.ADDRESS_RELEASED, text, ("D8",), NETWORK, data


# ---------------------------------------------------------------------- the socket calls


@_tells(ev.SocketOpened)
def _socket(e: ev.SocketOpened) -> Told:
    return e.owner, TraceKind.SOCKET, f"socket(AF_INET6) → {e.fd}", (), STACK, {"fd": e.fd}


@_tells(ev.SockoptSet)
def _setsockopt(e: ev.SockoptSet) -> Told:
    names = "|".join(flag_names(e.flags)) or "0"
    text = f"setsockopt({e.fd}, IPV6_ADDR_PREFERENCES, {names}) → 0"
    data = {"fd": e.fd, "flags": e.flags}
    return e.owner, TraceKind.SETSOCKOPT, text, e.rules, STACK, data


@_tells(ev.SetscCalled)
def _setsc(e: ev.SetscCalled) -> Told:
    text = f"setsc({e.fd}, {e.type.name})" + (" with ON_NET" if e.on_net else "")
    data = {"fd": e.fd, "type": e.type.slug}
    return e.owner, TraceKind.SETSC, text, ("D1", "A1", "G1"), STACK, data


_WHY: dict[ev.Why, str] = {
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
    ev.Why.NOT_PERMITTED: "refused by permission policy",
    ev.Why.NO_NETWORK: "detached: there is no network to ask",
}


def _detail(why: ev.Why, subject: object = None) -> str:
    """`: <why>`, or nothing when the status says it all."""
    if why is ev.Why.NOTHING_MORE:
        return ""
    text = _WHY[why]
    if isinstance(subject, SocketState):
        subject = subject.value
    return ": " + (text.format(subject) if "{" in text else text)


@_tells(ev.SetscResult)
def _setsc_result(e: ev.SetscResult) -> Told:
    if e.address is not None:
        text = f"setsc({e.fd}) → 0, {e.address} {e.value}"
        if e.sharing:
            others = "socket" if e.sharing == 1 else "sockets"
            text += f" (shared with {e.sharing} other {others})"
    else:
        text = f"setsc({e.fd}) → {e.status.name}{_detail(e.why)}"
    data = {"fd": e.fd, "status": e.status.name, "address": e.address}
    return STACK, TraceKind.SETSC_RESULT, text, e.rules, e.owner, data


_ERROR_KINDS = {
    ev.Call.SETSOCKOPT: TraceKind.SETSOCKOPT_ERROR,
    ev.Call.SETSC: TraceKind.SETSC_ERROR,
    ev.Call.BIND: TraceKind.BIND_ERROR,
    ev.Call.LISTEN: TraceKind.LISTEN_ERROR,
    ev.Call.CONNECT: TraceKind.CONNECT_ERROR,
    ev.Call.CLOSE: TraceKind.CLOSE_ERROR,
}


@_tells(ev.CallFailed)
def _call_failed(e: ev.CallFailed) -> Told:
    text = f"{e.call}({e.fd}) → {e.status.name}{_detail(e.why, e.subject)}"
    data = {"fd": e.fd, "status": e.status.name}
    return STACK, _ERROR_KINDS[e.call], text, e.rules, e.owner, data


@_tells(ev.Bound)
def _bound(e: ev.Bound) -> Told:
    text = f"bind({e.fd}, [{e.address or '::'}]:{e.port}) → 0"
    data = {"fd": e.fd, "address": e.address, "port": e.port}
    return e.owner, TraceKind.BIND, text, e.rules, STACK, data


@_tells(ev.Rfc5014Ignored)
def _rfc5014_ignored(e: ev.Rfc5014Ignored) -> Told:
    names = "|".join(flag_names(e.flags & _RFC5014))
    text = f"socket {e.fd}: setsc()+bind() win; RFC 5014 flags {names} are ignored"
    return STACK, TraceKind.RFC5014_IGNORED, text, ("R1", "R2"), e.owner, {"fd": e.fd}


@_tells(ev.Listening)
def _listening(e: ev.Listening) -> Told:
    text = f"listen({e.fd}) on [{e.address or '::'}]:{e.port} → 0"
    return e.owner, TraceKind.LISTEN, text, e.rules, STACK, {"fd": e.fd}


@_tells(ev.SetscUnused)
def _setsc_unused(e: ev.SetscUnused) -> Told:
    text = f"socket {e.fd} never bound: {e.address} from setsc() is not used"
    return STACK, TraceKind.SETSC_UNUSED, text, ("R3",), e.owner, {"fd": e.fd}


@_tells(ev.Connected)
def _connected(e: ev.Connected) -> Told:
    rtt = ""
    if e.rtt is not None:
        rtt = f", RTT {e.rtt}ms" + (f" via {e.via}" if e.via else "")
    text = f"connect({e.fd}, {e.peer}:{e.peer_port}) from {e.source} → 0{rtt}"
    data = {"fd": e.fd, "source": e.source, "rtt": e.rtt}
    return e.owner, TraceKind.CONNECT, text, e.rules, STACK, data


@_tells(ev.Closed)
def _closed(e: ev.Closed) -> Told:
    return e.owner, TraceKind.CLOSE, f"close({e.fd}) → 0", (), STACK, {"fd": e.fd}


@_tells(ev.SocketBroken)
def _broken(e: ev.SocketBroken) -> Told:
    text = f"socket {e.fd} of {e.owner} breaks: {e.address} {e.loss}"
    return STACK, TraceKind.SOCKET_BROKEN, text, e.rules, e.owner, {"fd": e.fd}


# ---------------------------------------------------------------------- the applications


@_tells(ev.Launched)
def _launched(e: ev.Launched) -> Told:
    return e.app, TraceKind.LAUNCH, f"{e.app} ({e.kind}) starts", (), None, {}


@_tells(ev.Quitted)
def _quitted(e: ev.Quitted) -> Told:
    return e.app, TraceKind.QUIT, f"{e.app} quits", (), None, {}


@_tells(ev.ReEstablished)
def _re_established(e: ev.ReEstablished) -> Told:
    text = f"socket {e.fd} takes over from socket {e.old}, now on {e.source}"
    rules = ("T4",) if e.moving_over else ("F6",)
    return e.app, TraceKind.RE_ESTABLISHED, text, rules, None, {"fd": e.fd}


@_tells(ev.Published)
def _published(e: ev.Published) -> Told:
    text = f"publishes {e.name} AAAA {e.value}"
    return e.app, TraceKind.PUBLISH, text, ("C2",), NETWORK, {"name": e.name}


def _failure(call: ev.Call, status: Status | None) -> str:
    if status is None:
        return f"{call}() failed"
    return f"{call}() returned {status.name}"


@_tells(ev.FellBack)
def _fell_back(e: ev.FellBack) -> Told:
    label = e.next_type.name if e.next_type else "the legacy calls"
    rule = "F9" if e.next_type else "B2"
    text = f"{_failure(e.call, e.status)}; tries again with {label}"
    return e.app, TraceKind.FALLBACK, text, (rule,), None, {}


@_tells(ev.GaveUp)
def _gave_up(e: ev.GaveUp) -> Told:
    text = f"{_failure(e.call, e.status)}; no fallback left"
    return e.app, TraceKind.GAVE_UP, text, ("A4",), None, {}


@_tells(ev.DeprecationSeen)
def _deprecation_seen(e: ev.DeprecationSeen) -> Told:
    text = f"socket {e.fd}'s address is deprecated; will move over in {e.delay}ms"
    return e.app, TraceKind.DEPRECATION_SEEN, text, ("T4",), None, {}


# ---------------------------------------------------------------------- from outside the run


@_tells(ev.Narrated)
def _narrated(e: ev.Narrated) -> Told:
    return "narrator", TraceKind.NARRATION, e.text, e.rules, None, {}


@_tells(ev.Reached)
def _reached(e: ev.Reached) -> Told:
    who = e.who or "a correspondent"
    if e.ok and e.rtt is not None:
        via = f" via {e.via}" if e.via else ""
        text = f"{who} reaches {e.name}:{e.port} ({e.reason}), RTT {e.rtt}ms{via}"
    else:
        text = f"{who} cannot reach {e.name}:{e.port}: {e.reason}"
    data = {"ok": e.ok, "address": e.address}
    return NETWORK, TraceKind.REACH, text, ("C2",), HOST, data


#: The rules each mid-run setting illustrates.
SETTING_RULES = {
    "allocation": ("D9",),
    "on_last_close": ("D8",),
    "permissions": ("S1",),
    "boot_types": ("D10",),
    "default_type": ("D10", "B5"),
    "legacy_stack": ("B2",),
    "supports": ("F1",),
    "on_attach": ("F1",),
    "grace_period": ("T4",),
    "signalling_delay": ("D11",),
    "legacy": ("B7",),
    "inter_gateway_delay": ("C3", "D11"),
}


def show_setting(value: Any) -> str:
    """A setting's value as a scenario file spells it."""
    if isinstance(value, AddressType):
        return value.slug
    if isinstance(value, AllocationPolicy | LastClosePolicy):
        return str(value.value)
    if isinstance(value, set | frozenset | list | tuple):
        return "[" + ", ".join(sorted(show_setting(v) for v in value)) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{show_setting(k)}: {show_setting(v)}" for k, v in value.items()) + "}"
        )
    return str(value)


@_tells(ev.PolicyChanged)
def _policy(e: ev.PolicyChanged) -> Told:
    text = f"host policy {e.field} = {show_setting(e.value)}"
    return HOST, TraceKind.POLICY, text, SETTING_RULES[e.field], None, {}


@_tells(ev.NetworkChanged)
def _setting(e: ev.NetworkChanged) -> Told:
    text = f"network {e.field} = {show_setting(e.value)}"
    return NETWORK, TraceKind.SETTING, text, SETTING_RULES[e.field], None, {}
