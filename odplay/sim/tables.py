"""The host's tables: prefixes, the addresses made from them, and sockets. Plain data only.

Names follow the draft's teaching names (Section 4.2): PREFsl1 is the first Session-lasting
prefix, IPsl1 the address made from it. Legacy (untyped) prefixes use the code `lg`.
"""

from __future__ import annotations

from enum import StrEnum

from odplay.constants import LEGACY_CODE, AddressType, Status
from odplay.sim.records import Record


class PrefixState(StrEnum):
    VALID = "valid"
    #: A Graceful-replacement prefix in its grace period: still valid, no longer preferred (T4).
    DEPRECATED = "deprecated"
    #: Taken back by the network (a Non-persistent prefix after a gateway change, T3/F5).
    WITHDRAWN = "withdrawn"
    #: Given back by the host under the release policy (D8).
    RELEASED = "released"


class SocketState(StrEnum):
    OPEN = "open"
    BLOCKED = "blocked in setsc"
    ADDRESSED = "address ready"
    BOUND = "bound"
    CONNECTING = "connecting"
    LISTENING = "listening"
    CONNECTED = "connected"
    BROKEN = "broken"
    CLOSED = "closed"


class Protocol(StrEnum):
    """What a socket carries: a TCP connection (SOCK_STREAM) or UDP datagrams (SOCK_DGRAM)."""

    TCP = "tcp"
    UDP = "udp"


class Loss(StrEnum):
    """What became of the address a socket lost, in the words the socket's state shows."""

    WITHDRAWN = "was withdrawn"  # the network took its prefix back (T3, F5)
    RELEASED = "was released"  # the host gave it back under the release policy (D8)
    GRACE_OVER = "outlived its grace period"  # T4


LIVE_SOCKET_STATES = frozenset(
    {
        SocketState.OPEN,
        SocketState.BLOCKED,
        SocketState.ADDRESSED,
        SocketState.BOUND,
        SocketState.CONNECTING,
        SocketState.LISTENING,
        SocketState.CONNECTED,
    }
)


class Prefix(Record):
    name: str
    type: AddressType | None  # None: untyped, from a legacy network or the network's default
    network: str  # e.g. 2001:db8:1:1::/64
    anchor: str  # the node traffic to this prefix is routed through: a gateway or the anchor
    allocated_by: str  # the gateway or anchor whose pool it came from
    granted_at: int
    state: PrefixState = PrefixState.VALID
    #: Absolute simulated ms when it stops being valid / preferred; None means no limit. Once
    #: it is withdrawn or released, `valid_until` is when it went, and neither changes again.
    valid_until: int | None = None
    preferred_until: int | None = None
    reason: str = ""  # why the host holds it: on attach, boot policy, socket N
    address: str = ""  # the name of the host's address made from it (IPsl1 for PREFsl1)
    #: Rotated out (`host.rotation`, RFC 8653 Section 5): no new sockets; released when unused.
    retired: bool = False

    @property
    def code(self) -> str:
        return self.type.code if self.type else LEGACY_CODE

    @property
    def usable(self) -> bool:
        return self.state in (PrefixState.VALID, PrefixState.DEPRECATED)

    @property
    def gone_at(self) -> int | None:
        """When it was withdrawn or released; None while the host holds it."""
        return None if self.usable else self.valid_until


class Address(Record):
    name: str
    value: str
    prefix: str  # the prefix's name
    type: AddressType | None

    @property
    def code(self) -> str:
        return self.type.code if self.type else LEGACY_CODE


class Socket(Record):
    fd: int
    owner: str
    role: str = "main"
    requested_type: AddressType | None = None
    flags: int = 0
    state: SocketState = SocketState.OPEN
    setsc_status: Status | None = None
    setsc_address: str | None = None  # the address's name
    bound_address: str | None = None  # None, or the name of the bound address
    source_address: str | None = None  # what the traffic really uses (R3 may differ from setsc)
    port: int | None = None
    peer: str | None = None
    peer_port: int | None = None
    reestablishes: int | None = None  # the broken socket this one replaced (F6)
    lost_address: str | None = None  # the address whose loss broke it
    loss: Loss | None = None  # ...and what became of that address
    loss_rules: tuple[str, ...] = ()  # ...and the rules its loss showed (T3, F5...): F6 or not
    setsc_rules: tuple[str, ...] = ()  # the rules its last setsc() answer showed: F9 after F8
    #: UDP sockets have no connection: they never break, and a datagram from a local address
    #: that is gone fails (C1; docs/choices.md).
    protocol: Protocol = Protocol.TCP
    #: What a connect() that had to wait for the network (B5) failed with, as SO_ERROR has it.
    so_error: Status | None = None
    #: `api: sockopt` (RFC 8653 Appendix A): the address the OnDemand field's request brought,
    #: for the socket's connect(); and whether the network refused that request (D4).
    on_demand_address: str | None = None
    on_demand_failed: bool = False

    @property
    def live(self) -> bool:
        return self.state in LIVE_SOCKET_STATES

    @property
    def broken_reason(self) -> str:
        """Why it broke (`IPnp1 was withdrawn`), or "" for a socket that did not."""
        return f"{self.lost_address} {self.loss}" if self.loss is not None else ""
