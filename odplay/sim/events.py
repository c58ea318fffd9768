"""What happens in a run, as typed facts: one immutable record per kind of trace entry.

The host stack, the applications and the commands say what happened by recording one of these
(`World.record`); they never format text. :mod:`odplay.sim.narration` turns each event into the
trace entry the ladder, the explanation and `odplay run --json` show. Where the rules an event
illustrates depend on the branch the logic took, the event carries them (`rules`); where they
are always the same, narration adds them.

Each is a NamedTuple rather than a frozen dataclass: immutable all the same, and three to four
times faster to build (a frozen dataclass sets each field through `object.__setattr__`), which
a run that records millions of events feels (benchmarks/, the large run).

Names are the stack's and the network's names: `prefix` and `address` are teaching names
(PREFsl1, IPsl1), `owner` and `app` an application's name, `fd` a socket descriptor.
"""

# No `from __future__ import annotations` here, unlike elsewhere: typing.NamedTuple compiles each
# field's annotation when it is text, and this module's 200-odd fields cost `odplay run` 6 ms at
# start-up that way (benchmarks/startup.py). Every type a field names is defined above it.
from enum import Enum, StrEnum
from typing import Any, NamedTuple

from odplay.constants import AddressType, Status
from odplay.sim.events_rfc8653 import AddressRetired, OnDemandNote, RotationDue, TypeMappingChanged
from odplay.sim.tables import Loss, Protocol, SocketState

Rules = tuple[str, ...]


class Call(StrEnum):
    """The socket calls that can fail; each failure's trace kind is `<call>-error`."""

    SETSOCKOPT = "setsockopt"
    GETSOCKOPT = "getsockopt"
    SETSC = "setsc"
    BIND = "bind"
    LISTEN = "listen"
    CONNECT = "connect"
    SEND = "send"
    CLOSE = "close"


class Why(Enum):
    """Why the stack refused a socket call, beyond its status (the status alone says it all)."""

    NOTHING_MORE = "nothing more"
    WRONG_STATE = "wrong state"  # subject: the socket's state
    SETSC_AFTER_BIND = "setsc after bind"  # subject: the socket's state (A4)
    NOT_CONFIGURED = "not configured"  # subject: the address asked for
    PORT_IN_USE = "port in use"  # subject: the port
    DETACHED = "detached"
    NO_SUCH_HOST = "no such host"  # subject: the peer's name
    ADDRESS_GONE = "address gone"  # subject: the bound address
    NO_PREFIX = "no prefix"  # the network answered a connect()'s request with nothing (B5)
    ON_NET_UNKNOWN = "on-net unknown"  # a legacy stack and the ON_NET flag (B2)
    NO_SETSC = "no setsc"  # a legacy stack (B2)
    RESERVED_TYPE = "reserved type"  # subject: the type value (A2)
    TYPE_OUT_OF_RANGE = "type out of range"  # subject: the type value (A2)
    NOT_PERMITTED = "not permitted"  # the permission policy (S1)
    ADDRESS_NOT_PERMITTED = "address not permitted"  # subject: the address bound (S1)
    NO_NETWORK = "no network"  # setsc() while detached
    CONFLICTING_FLAGS = "conflicting flags"  # subject: the flags' names, `home|coa` (RFC 5014)
    FORBIDDEN_SOURCE = "forbidden source"  # every address held is of a type not permitted (S1)
    NO_SOURCE = "no source"  # a datagram with no address to send from
    NO_DESTINATION = "no destination"  # a datagram with no peer, on an unconnected socket
    NOT_CONNECTED = "not connected"  # send() on a TCP socket that is not connected
    BROKEN = "broken"  # send() on a TCP socket that broke; subject: why it broke
    DATAGRAM = "datagram"  # listen() on a UDP socket
    #: A success: no fresh prefix came, so `when_fresh_fails: reuse` gave a held one (A6, D9).
    FRESH_FAILED = "fresh failed"
    #: A failure: under `when_fresh_fails: reuse`, ON_NET still wants a new prefix (A6).
    ON_NET_ONLY = "on-net only"
    #: RFC 8653 Appendix A, `api`: the call or field the host does not offer.
    API_IS_SOCKOPT = "api is sockopt"  # setsc() on a host with `api: sockopt`
    API_IS_SETSC = "api is setsc"  # the OnDemand field on a host with `api: setsc`
    ON_DEMAND_UNKNOWN = "on-demand unknown"  # a legacy stack and the OnDemand field (B2)
    ON_DEMAND_FAILED = "on-demand failed"  # the network gave no prefix for the field (D4)


class Pick(Enum):
    """Which step of source selection decided an unbound socket's source address (R3, B3).

    The steps, in order, are in odplay/sim/stack/source_selection.py and docs/choices.md.
    """

    ONLY = "only"  # the one address the socket may use
    NOT_DEPRECATED = "not deprecated"  # RFC 6724 rule 3: the others are deprecated
    HOME = "home"  # RFC 5014 HOME, as asked: a home (Fixed) address
    COA = "coa"  # RFC 5014 COA: a care-of address, one of the serving gateway
    DEFAULT_TYPE = "default type"  # the host's policy (D10)
    SERVING_GATEWAY = "serving gateway"  # RFC 6724 rule 5.5: the next hop's prefix
    LONGEST_MATCH = "longest match"  # RFC 6724 rule 8: the longest prefix shared with the peer
    ON_DEMAND = "on demand"  # the socket's OnDemand field names the type (RFC 8653 App. A)
    NEWEST = "newest"  # a full tie: the most recently added address, as Linux does


class Refusal(Enum):
    """Why the network refused a prefix request (D4)."""

    LEGACY_NETWORK = "legacy network"  # B2, B7
    UNSUPPORTED_TYPE = "unsupported type"  # F8
    GATEWAY_GONE = "gateway gone"  # the asked gateway stopped serving the host meanwhile
    POOL_DRY = "pool dry"


# ---------------------------------------------------------------------- the host moving


class HostAttached(NamedTuple):
    ap: str
    gateway: str
    #: The 4.2 flow's F1 really happens: `gateway` serves neither Fixed nor Graceful-replacement
    #: and hands out a Session-lasting and a Non-persistent prefix now (movement.py).
    flow_step: bool = False


class HostMoved(NamedTuple):
    old_ap: str
    ap: str
    old_gateway: str | None
    gateway: str | None
    #: The 4.2 flow's F5 really happens: a Non-persistent prefix the host holds goes, and the
    #: serving gateway hands out a new one (movement.py).
    flow_step: bool = False


class HostDetached(NamedTuple):
    old_ap: str | None


class SameGateway(NamedTuple):
    gateway: str | None
    replaces: bool = False  # `same_gateway_move: replace` takes Non-persistent prefixes (T3)


class BindingUpdate(NamedTuple):
    """Mobile IP: the host tells its home agent (the central anchor) where it is (C3)."""

    anchor: str
    gateway: str


class PathReport(NamedTuple):
    """A connected or listening socket's path after a move; rtt None: detached."""

    fd: int
    owner: str
    rtt: int | None
    via: str | None


# ---------------------------------------------------------------------- prefixes


class PrefixRequested(NamedTuple):
    request: int
    type: AddressType | None  # None: no type, the network's default decides (B5)
    gateway: str
    fd: int | None
    rules: Rules


class PrefixGranted(NamedTuple):
    request: int
    asked: AddressType | None  # what the request asked for; the prefix's type may differ (B5)
    gateway: str
    prefix: str
    type: AddressType | None
    network: str
    anchor: str


class PrefixRefused(NamedTuple):
    request: int
    gateway: str
    status: Status
    why: Refusal
    rules: Rules


class PrefixOffered(NamedTuple):
    """A prefix the serving gateway hands out on attachment (F1, F5, T4, B7)."""

    gateway: str
    prefix: str
    type: AddressType | None
    network: str
    rules: Rules


class PoolDry(NamedTuple):
    gateway: str
    type: AddressType | None


class PrefixKept(NamedTuple):
    prefix: str
    anchor: str
    rules: Rules
    #: The host detached: nothing was said by the network, the stack keeps the prefix itself.
    detached: bool = False


class PrefixDeprecated(NamedTuple):
    prefix: str
    grace: int  # ms
    valid_until: int
    detached: bool = False  # as for PrefixKept


class PrefixWithdrawn(NamedTuple):
    prefix: str
    gateway: str  # the gateway that no longer serves the host
    rules: Rules
    detached: bool = False  # as for PrefixKept
    still_serving: bool = False  # replaced on a move behind the same gateway (T3)


class PrefixRevived(NamedTuple):
    """T4, `graceful_return: revive`: back at its gateway, a prefix in its grace is valid again."""

    prefix: str
    gateway: str


class GraceExpired(NamedTuple):
    prefix: str


class AddressKept(NamedTuple):
    """D8: the last socket on an address closed, and the address stays."""

    address: str
    fixed: bool  # kept because it is Fixed (T1), not because of the keep policy


class AddressReleased(NamedTuple):
    """D8: the last socket on an address closed, and the release policy gives it back."""

    address: str
    prefix: str
    rotated: bool = False  # rotated out (`host.rotation`, RFC 8653 Section 5), not policy D8


class GrantedForClosed(NamedTuple):
    """D8: the network granted a prefix for a socket that closed while the request was
    pending; nobody uses the address, so it is released or kept like any other."""

    fd: int
    owner: str
    address: str
    prefix: str
    released: bool
    fixed: bool  # kept because it is Fixed (T1), whatever the policy


# ---------------------------------------------------------------------- the socket calls


class SocketOpened(NamedTuple):
    fd: int
    owner: str
    protocol: Protocol = Protocol.TCP


class SockoptSet(NamedTuple):
    fd: int
    owner: str
    flags: int
    rules: Rules
    #: Bits the stack dropped without an error: ON_NET on a legacy stack under
    #: `legacy_on_net: ignore` (B2); `flags` is what it kept.
    ignored: int = 0


class SockoptRead(NamedTuple):
    """getsockopt(IPV6_ADDR_PREFERENCES): the value read back, composed as Linux does."""

    fd: int
    owner: str
    value: int


class SetscCalled(NamedTuple):
    fd: int
    owner: str
    type: AddressType
    on_net: bool


class SetscResult(NamedTuple):
    fd: int
    owner: str
    status: Status
    address: str | None  # its teaching name, on success
    value: str | None  # its IPv6 value, on success
    sharing: int  # other live sockets already holding the address (D7)
    rules: Rules
    why: Why = Why.NOTHING_MORE


class CallMade(NamedTuple):
    """A socket call as the application makes it, told on its own when its answer is a failure
    (CallFailed) or comes later (a connect() that waits for the network, B5): every answer on
    the ladder follows its request. A call that succeeds at once is one entry, call and answer."""

    call: Call
    fd: int
    owner: str  # "?" for a descriptor the stack does not know
    args: str  # the arguments after the descriptor, as the application gave them


class CallFailed(NamedTuple):
    call: Call
    fd: int
    owner: str  # "?" for a descriptor the stack does not know
    status: Status
    rules: Rules
    why: Why = Why.NOTHING_MORE
    subject: SocketState | str | int | None = None  # what `why` is about (see Why)


class Bound(NamedTuple):
    fd: int
    owner: str
    address: str | None  # None: the unspecified address `::`
    port: int
    rules: Rules


class Rfc5014Ignored(NamedTuple):
    """setsc() and bind() win over the RFC 5014 flags (R1, R2)."""

    fd: int
    owner: str
    flags: int


class Listening(NamedTuple):
    fd: int
    owner: str
    address: str | None  # None: `::`
    port: int | None
    rules: Rules


class SetscUnused(NamedTuple):
    """R3: a socket connects without having bound to the address setsc() gave it, so the stack
    picks its source as for any unbound socket; `chosen` may be that same address."""

    fd: int
    owner: str
    address: str  # what setsc() gave
    chosen: str | None  # what source selection picked; None: nothing the socket may use
    picks: tuple[Pick, ...]  # the steps of source selection that narrowed it, in order
    skipped: tuple[str, ...] = ()  # addresses of types the application may not use (S1)
    deprecated: bool = False  # the one picked is deprecated: every candidate was (rule 3)


class Connected(NamedTuple):
    fd: int
    owner: str
    peer: str | None
    peer_port: int | None
    source: str
    rtt: int | None
    via: str | None
    rules: Rules


class Sent(NamedTuple):
    """A datagram sent (or a TCP segment on a connected socket), from `source`."""

    fd: int
    owner: str
    peer: str | None
    port: int | None
    source: str
    rules: Rules


class SourceGone(NamedTuple):
    """A UDP socket's local address went: it does not break, but cannot send from it (C1)."""

    fd: int
    owner: str
    address: str
    loss: Loss
    rules: Rules


class Closed(NamedTuple):
    fd: int
    owner: str


class SocketBroken(NamedTuple):
    fd: int
    owner: str
    address: str  # the address it lost
    loss: Loss  # what became of that address
    rules: Rules


# ---------------------------------------------------------------------- the applications


class Launched(NamedTuple):
    app: str
    kind: str


class Quitted(NamedTuple):
    app: str


class ReEstablished(NamedTuple):
    """A new socket takes over from a broken one (F6) or a deprecated one (T4)."""

    app: str
    fd: int
    old: int
    source: str | None
    moving_over: bool
    rules: Rules  # F6 where the 4.2 flow's step happens, T4 moving over, else what broke it


class Published(NamedTuple):
    app: str
    name: str
    value: str


class FellBack(NamedTuple):
    """An attempt failed; the application tries the next type (F9) or the legacy calls (B2)."""

    app: str
    call: Call
    status: Status | None  # None: the call failed after blocking (connect() after B5)
    next_type: AddressType | None  # None: the legacy calls
    rules: Rules  # F9 after F8 to Session-lasting, A4 another type, B2 the legacy calls


class GaveUp(NamedTuple):
    app: str
    call: Call
    status: Status | None


class DeprecationSeen(NamedTuple):
    app: str
    fd: int
    delay: int  # ms until the application moves over (T4)


class MoveOverCancelled(NamedTuple):
    """The socket's address was revived before the application moved over (T4)."""

    app: str
    fd: int


# ---------------------------------------------------------------------- from outside the run


class Narrated(NamedTuple):
    """A line for the learner (a scenario step's `say`)."""

    text: str
    rules: Rules


class Reached(NamedTuple):
    """A correspondent looked a name up and tried to reach the host (C2)."""

    who: str | None  # None: a correspondent, unnamed
    name: str
    port: int
    ok: bool
    reason: str
    address: str | None
    rtt: int | None
    via: str | None


class PolicyChanged(NamedTuple):
    field: str
    value: Any


class NetworkChanged(NamedTuple):
    field: str
    value: Any


class NodeChanged(NamedTuple):
    """One gateway's (or the anchor's) own setting changed mid-run: pool, pools, supports..."""

    node: str
    field: str
    value: Any


Event = (
    HostAttached
    | HostMoved
    | HostDetached
    | SameGateway
    | BindingUpdate
    | PathReport
    | PrefixRequested
    | PrefixGranted
    | PrefixRefused
    | PrefixOffered
    | PoolDry
    | PrefixKept
    | PrefixDeprecated
    | PrefixWithdrawn
    | PrefixRevived
    | GraceExpired
    | AddressKept
    | AddressReleased
    | GrantedForClosed
    | SocketOpened
    | SockoptSet
    | SockoptRead
    | SetscCalled
    | SetscResult
    | CallMade
    | CallFailed
    | Bound
    | Rfc5014Ignored
    | Listening
    | SetscUnused
    | Connected
    | Sent
    | SourceGone
    | Closed
    | SocketBroken
    | Launched
    | Quitted
    | ReEstablished
    | Published
    | FellBack
    | GaveUp
    | DeprecationSeen
    | MoveOverCancelled
    | Narrated
    | Reached
    | PolicyChanged
    | NetworkChanged
    | NodeChanged
    | OnDemandNote
    | RotationDue
    | AddressRetired
    | TypeMappingChanged
)


#: The events that are messages between the host and the network: what a ladder shows between
#: the host's lanes and the network's. Their trace entries keep the event itself (TraceEntry's
#: `fact`), so that an expectation can ask what a message carried.
NETWORK_MESSAGES: frozenset[type[Any]] = frozenset(
    {
        HostAttached,
        HostMoved,
        HostDetached,
        BindingUpdate,
        PrefixRequested,
        PrefixGranted,
        PrefixRefused,
        PrefixOffered,
        PoolDry,
        PrefixKept,
        PrefixDeprecated,
        PrefixWithdrawn,
        GraceExpired,
        AddressReleased,
    }
)
