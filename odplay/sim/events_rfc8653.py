"""Typed events of what RFC 8653 adds to draft-16: the OnDemand socket option and rotation.

RFC 8653 Appendix A suggests a second way for an application to ask for a type, an "OnDemand"
field in IPV6_ADDR_PREFERENCES set with setsockopt() (host `api: sockopt`); its Section 5
advises renewing addresses regularly (host `rotation`). The stack records these events, and
odplay.sim.narration_rfc8653 tells them; like every event they are facts, never sentences.
"""

# No `from __future__ import annotations`, as in odplay.sim.events: typing.NamedTuple compiles a
# field's annotation given as text, which start-up pays for (benchmarks/startup.py).
from enum import Enum
from typing import NamedTuple

from odplay.constants import AddressType, Status

Rules = tuple[str, ...]


class Demand(Enum):
    """What became of a socket's OnDemand field (RFC 8653 Appendix A, `api: sockopt`)."""

    HELD = "held"  # an address of the type is held: the socket's traffic will use it (D2)
    ASKED = "asked"  # nothing held: the stack asks the network; setsockopt() returned at once
    CONNECT_ASKS = "connect-asks"  # nothing held (detached then, or it went): connect() asks
    DETACHED = "detached"  # nothing held and no network to ask yet: connect() will ask
    ARRIVED = "arrived"  # the prefix asked for came before the socket connected
    FAILED = "failed"  # the network could not give one (D4)
    WAITS = "waits"  # connect() waits for the prefix on its way (`sockopt_connect: wait`)
    NOW = "now"  # connect() goes at once from another address (`sockopt_connect: now`)
    LATE = "late"  # the prefix came after the socket had connected from another address
    LATE_LISTENING = "late-listening"  # it came after the socket began listening on `::`
    LATE_DATAGRAMS = "late-datagrams"  # it came after an unconnected UDP socket sent
    DATAGRAM_NOW = "datagram-now"  # a sendto() before the prefix came: it does not wait
    FRESH = "fresh"  # `allocation: fresh`: asked for a prefix of its own though one is held (D9)
    REUSED = "reused"  # no fresh prefix: a held one will do (`when_fresh_fails: reuse`, A6)


class OnDemandNote(NamedTuple):
    """The stack's handling of one socket's OnDemand field, at one moment."""

    fd: int
    owner: str
    type: AddressType
    what: Demand
    address: str | None  # the address concerned, where there is one
    status: Status
    rules: Rules


class Retire(Enum):
    """How a rotated address stops being used, as its type allows (docs/choices.md)."""

    DRAIN = "drain"  # Fixed, Session-lasting: no new sockets; released once its last closes
    GRACE = "grace"  # Graceful-replacement: deprecated for the grace period, then gone (T4)
    WITHDRAW = "withdraw"  # Non-persistent: gone now; its sockets break (T3)


class RotationDue(NamedTuple):
    """An address reached the lifetime `host.rotation` gives its type: ask for a new prefix."""

    address: str
    type: AddressType
    lifetime: int  # ms, or bytes when `sent` says so
    asked: bool  # False: detached, nothing to ask now; the stack tries again later
    sent: bool = False  # the lifetime is in bytes sent (`host.rotation_bytes`)
    unused: bool = False  # no socket uses it: released, no successor asked for


class AddressRetired(NamedTuple):
    """A rotated address makes way for its successor."""

    address: str
    successor: str
    how: Retire
    users: int  # sockets still on it


class TypeMappingChanged(NamedTuple):
    """The operator deals its prefix blocks out to the types afresh (RFC 8653 Section 5)."""

    epoch: int
    blocks: tuple[tuple[AddressType, int], ...]  # each type's block number from now on
