"""What happens in a run, as typed facts: one frozen dataclass per kind of trace entry.

The host stack, the applications and the commands say what happened by recording one of these
(`World.record`); they never format text. :mod:`odplay.sim.narration` turns each event into the
trace entry the ladder, the explanation and `odplay run --json` show. Where the rules an event
illustrates depend on the branch the logic took, the event carries them (`rules`); where they
are always the same, narration adds them.

Names are the stack's and the network's names: `prefix` and `address` are teaching names
(PREFsl1, IPsl1), `owner` and `app` an application's name, `fd` a socket descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from odplay.constants import AddressType, Status
from odplay.sim.tables import Loss, SocketState

Rules = tuple[str, ...]


class Call(StrEnum):
    """The socket calls that can fail; each failure's trace kind is `<call>-error`."""

    SETSOCKOPT = "setsockopt"
    SETSC = "setsc"
    BIND = "bind"
    LISTEN = "listen"
    CONNECT = "connect"
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
    NO_NETWORK = "no network"  # setsc() while detached


class Refusal(Enum):
    """Why the network refused a prefix request (D4)."""

    LEGACY_NETWORK = "legacy network"  # B2, B7
    UNSUPPORTED_TYPE = "unsupported type"  # F8
    GATEWAY_GONE = "gateway gone"  # the asked gateway stopped serving the host meanwhile
    POOL_DRY = "pool dry"


# ---------------------------------------------------------------------- the host moving


@dataclass(frozen=True, slots=True)
class HostAttached:
    ap: str
    gateway: str


@dataclass(frozen=True, slots=True)
class HostMoved:
    old_ap: str
    ap: str
    old_gateway: str | None
    gateway: str | None


@dataclass(frozen=True, slots=True)
class HostDetached:
    old_ap: str | None


@dataclass(frozen=True, slots=True)
class SameGateway:
    gateway: str | None


@dataclass(frozen=True, slots=True)
class BindingUpdate:
    """Mobile IP: the host tells its home agent (the central anchor) where it is (C3)."""

    anchor: str
    gateway: str


@dataclass(frozen=True, slots=True)
class PathReport:
    """A connected or listening socket's path after a move; rtt None: detached."""

    fd: int
    owner: str
    rtt: int | None
    via: str | None


# ---------------------------------------------------------------------- prefixes


@dataclass(frozen=True, slots=True)
class PrefixRequested:
    request: int
    type: AddressType | None  # None: no type, the network's default decides (B5)
    gateway: str
    fd: int | None
    rules: Rules


@dataclass(frozen=True, slots=True)
class PrefixGranted:
    request: int
    asked: AddressType | None  # what the request asked for; the prefix's type may differ (B5)
    gateway: str
    prefix: str
    type: AddressType | None
    network: str
    anchor: str


@dataclass(frozen=True, slots=True)
class PrefixRefused:
    request: int
    gateway: str
    status: Status
    why: Refusal
    rules: Rules


@dataclass(frozen=True, slots=True)
class PrefixOffered:
    """A prefix the serving gateway hands out on attachment (F1, F5, T4, B7)."""

    gateway: str
    prefix: str
    type: AddressType | None
    network: str
    rules: Rules


@dataclass(frozen=True, slots=True)
class PoolDry:
    gateway: str
    type: AddressType | None


@dataclass(frozen=True, slots=True)
class PrefixKept:
    prefix: str
    anchor: str
    rules: Rules


@dataclass(frozen=True, slots=True)
class PrefixDeprecated:
    prefix: str
    grace: int  # ms
    valid_until: int


@dataclass(frozen=True, slots=True)
class PrefixWithdrawn:
    prefix: str
    gateway: str  # the gateway that no longer serves the host
    rules: Rules


@dataclass(frozen=True, slots=True)
class GraceExpired:
    prefix: str


@dataclass(frozen=True, slots=True)
class AddressKept:
    """D8: the last socket on an address closed, and the address stays."""

    address: str
    fixed: bool  # kept because it is Fixed (T1), not because of the keep policy


@dataclass(frozen=True, slots=True)
class AddressReleased:
    """D8: the last socket on an address closed, and the release policy gives it back."""

    address: str
    prefix: str


# ---------------------------------------------------------------------- the socket calls


@dataclass(frozen=True, slots=True)
class SocketOpened:
    fd: int
    owner: str


@dataclass(frozen=True, slots=True)
class SockoptSet:
    fd: int
    owner: str
    flags: int
    rules: Rules


@dataclass(frozen=True, slots=True)
class SetscCalled:
    fd: int
    owner: str
    type: AddressType
    on_net: bool


@dataclass(frozen=True, slots=True)
class SetscResult:
    fd: int
    owner: str
    status: Status
    address: str | None  # its teaching name, on success
    value: str | None  # its IPv6 value, on success
    sharing: int  # other live sockets already holding the address (D7)
    rules: Rules
    why: Why = Why.NOTHING_MORE


@dataclass(frozen=True, slots=True)
class CallFailed:
    call: Call
    fd: int
    owner: str  # "?" for a descriptor the stack does not know
    status: Status
    rules: Rules
    why: Why = Why.NOTHING_MORE
    subject: SocketState | str | int | None = None  # what `why` is about (see Why)


@dataclass(frozen=True, slots=True)
class Bound:
    fd: int
    owner: str
    address: str | None  # None: the unspecified address `::`
    port: int
    rules: Rules


@dataclass(frozen=True, slots=True)
class Rfc5014Ignored:
    """setsc() and bind() win over the RFC 5014 flags (R1, R2)."""

    fd: int
    owner: str
    flags: int


@dataclass(frozen=True, slots=True)
class Listening:
    fd: int
    owner: str
    address: str | None  # None: `::`
    port: int | None
    rules: Rules


@dataclass(frozen=True, slots=True)
class SetscUnused:
    """R3: a socket connects without having bound to the address setsc() gave it."""

    fd: int
    owner: str
    address: str


@dataclass(frozen=True, slots=True)
class Connected:
    fd: int
    owner: str
    peer: str | None
    peer_port: int | None
    source: str
    rtt: int | None
    via: str | None
    rules: Rules


@dataclass(frozen=True, slots=True)
class Closed:
    fd: int
    owner: str


@dataclass(frozen=True, slots=True)
class SocketBroken:
    fd: int
    owner: str
    address: str  # the address it lost
    loss: Loss  # what became of that address
    rules: Rules


# ---------------------------------------------------------------------- the applications


@dataclass(frozen=True, slots=True)
class Launched:
    app: str
    kind: str


@dataclass(frozen=True, slots=True)
class Quitted:
    app: str


@dataclass(frozen=True, slots=True)
class ReEstablished:
    """A new socket takes over from a broken one (F6) or a deprecated one (T4)."""

    app: str
    fd: int
    old: int
    source: str | None
    moving_over: bool


@dataclass(frozen=True, slots=True)
class Published:
    app: str
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class FellBack:
    """An attempt failed; the application tries the next type (F9) or the legacy calls (B2)."""

    app: str
    call: Call
    status: Status | None  # None: the call failed after blocking (connect() after B5)
    next_type: AddressType | None  # None: the legacy calls


@dataclass(frozen=True, slots=True)
class GaveUp:
    app: str
    call: Call
    status: Status | None


@dataclass(frozen=True, slots=True)
class DeprecationSeen:
    app: str
    fd: int
    delay: int  # ms until the application moves over (T4)


# ---------------------------------------------------------------------- from outside the run


@dataclass(frozen=True, slots=True)
class Narrated:
    """A line for the learner (a scenario step's `say`)."""

    text: str
    rules: Rules


@dataclass(frozen=True, slots=True)
class Reached:
    """A correspondent looked a name up and tried to reach the host (C2)."""

    who: str | None  # None: a correspondent, unnamed
    name: str
    port: int
    ok: bool
    reason: str
    address: str | None
    rtt: int | None
    via: str | None


@dataclass(frozen=True, slots=True)
class PolicyChanged:
    field: str
    value: Any


@dataclass(frozen=True, slots=True)
class NetworkChanged:
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
    | GraceExpired
    | AddressKept
    | AddressReleased
    | SocketOpened
    | SockoptSet
    | SetscCalled
    | SetscResult
    | CallFailed
    | Bound
    | Rfc5014Ignored
    | Listening
    | SetscUnused
    | Connected
    | Closed
    | SocketBroken
    | Launched
    | Quitted
    | ReEstablished
    | Published
    | FellBack
    | GaveUp
    | DeprecationSeen
    | Narrated
    | Reached
    | PolicyChanged
    | NetworkChanged
)
