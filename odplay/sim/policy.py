"""The host's policies: every choice the draft leaves open, as a switchable setting.

Each field names the rule that leaves the choice open. Defaults reproduce the draft's Section
4.2 flow; docs/choices.md lists them with the other side of each choice.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from odplay.constants import AddressType
from odplay.sim.records import Record


class AllocationPolicy(StrEnum):
    """D7, D9: serve a held address of the type (reuse) or ask for a new prefix per socket."""

    REUSE = "reuse"
    FRESH = "fresh"


class LastClosePolicy(StrEnum):
    """D8: when the last socket on an address closes, keep it for later or release it."""

    KEEP = "keep"
    RELEASE = "release"


class FreshFailurePolicy(StrEnum):
    """A6, D9: under `allocation: fresh`, when the network cannot give the fresh prefix.

    FAIL: setsc() fails with the network's error (D4), whether or not ON_NET was set.
    REUSE: a socket without ON_NET is given a held address of the type instead (D2, and
    Section 6.2: with ON_NET clear the stack may use a preconfigured address); a socket with
    ON_NET still fails, since it asked for a new prefix on the serving network (A6).
    """

    FAIL = "fail"
    REUSE = "reuse"


class LegacyOnNetPolicy(StrEnum):
    """B2: what a legacy stack answers to setsockopt() with IPV6_REQUIRE_SRC_ON_NET.

    EINVAL: odplay's reading of B2: the stack refuses a flag it does not know, so the
    application learns it is on a legacy stack and can fall back.
    IGNORE: what a real legacy Linux kernel does: it keeps only the preference bits it knows,
    drops ON_NET without a word and answers 0; the application believes it asked for an on-net
    address and is served an ordinary one. RFC 8653's OnDemand field (0xE000) is bits such a
    kernel does not know either: EINVAL refuses it, IGNORE drops it as it drops ON_NET.
    """

    EINVAL = "einval"
    IGNORE = "ignore"


class SocketApi(StrEnum):
    """RFC 8653 Appendix A's two suggestions for how an application asks for a type (A1, A5).

    SETSC: the draft-16 call, setsc(), which blocks while the stack asks the network (A5).
    SOCKOPT: an "OnDemand" field in IPV6_ADDR_PREFERENCES, set with setsockopt(), which returns
    at once; the socket's source then comes from an address of the type (docs/choices.md).
    A host offers one of them: under `sockopt` setsc() is ENOSYS, under `setsc` the field EINVAL.
    """

    SETSC = "setsc"
    SOCKOPT = "sockopt"


class PendingConnect(StrEnum):
    """`api: sockopt`: a socket connects before the prefix its OnDemand field asked for came.

    WAIT: connect() waits for the network's answer, and the socket gets the type it asked for
    (D1-D3: the stack SHALL use an address of the type), later.
    NOW: connect() goes ahead at once with what source selection picks among the addresses held
    (B3), so the first packets leave sooner, from an address of another type (or none asked).
    """

    WAIT = "wait"
    NOW = "now"


#: The lifetimes the playground's switch turns rotation on with (RFC 8653 Section 5): the types
#: the RFC names for regular renewal, and Session-lasting, which it says an application may
#: rotate. odplay's numbers: short enough to see within a minute of simulated time.
DEFAULT_ROTATION: dict[AddressType, int] = {
    AddressType.SESSION_LASTING_IPV6_ADDRESS: 60_000,
    AddressType.GRACEFUL_REPLACEMENT_IPV6_ADDRESS: 30_000,
    AddressType.NON_PERSISTENT_IPV6_ADDRESS: 20_000,
}


class HostPolicy(Record):
    """The host stack's side of the choices the draft leaves open (Sections 3.4, 5.2, 7).

    allocation (D7, D9), on_last_close (D8), when_fresh_fails (A6, D9), permissions (S1),
    boot_types, default_type (D10, B5), legacy_stack and legacy_on_net (B2), and RFC 8653's
    api, sockopt_connect, rotation and rotation_bytes; docs/choices.md has each default, why,
    and the scenario that shows both sides.
    """

    allocation: AllocationPolicy = AllocationPolicy.REUSE
    on_last_close: LastClosePolicy = LastClosePolicy.KEEP
    #: S1: type → the applications allowed it. A type not listed is open to every application.
    permissions: dict[AddressType, frozenset[str]] = field(default_factory=dict)
    #: D10: types the stack asks the network for when it first attaches, before any application.
    boot_types: list[AddressType] = field(default_factory=list)
    #: D10: which held address a socket uses when its application asked for no type. None: the
    #: stack prefers the serving gateway's prefix, and when it holds nothing asks the network
    #: without a type, leaving the type to the network's default (B5).
    default_type: AddressType | None = None
    #: B2: a legacy stack has no setsc() and does not know the ON_NET flag.
    legacy_stack: bool = False
    #: A6, D9: what `allocation: fresh` does when no fresh prefix comes (refused, pool dry,
    #: detached). With the default, FAIL, ON_NET adds nothing under `fresh`: every setsc()
    #: already asks the serving network. With REUSE it is the difference between "a new prefix
    #: if the network can, else the held one" and "a new prefix on this network, or an error".
    when_fresh_fails: FreshFailurePolicy = FreshFailurePolicy.FAIL
    #: B2: on a legacy stack, setsockopt() with ON_NET is refused (EINVAL, odplay's reading) or
    #: accepted and the flag dropped (IGNORE, what a legacy Linux kernel does).
    legacy_on_net: LegacyOnNetPolicy = LegacyOnNetPolicy.EINVAL
    #: A1, A5 and RFC 8653 Appendix A: setsc() (draft-16's, the default: every shipped scenario
    #: as it was) or the OnDemand field set with setsockopt().
    api: SocketApi = SocketApi.SETSC
    #: Under `api: sockopt`, what connect() does while the OnDemand prefix is on its way.
    sockopt_connect: PendingConnect = PendingConnect.WAIT
    #: RFC 8653 Section 5's privacy advice: type -> a lifetime in ms after which the stack asks
    #: the network for a new prefix of the type even though it holds one, and retires the old
    #: one as its type allows (docs/choices.md). Empty, the default: addresses never rotate.
    rotation: dict[AddressType, int] = field(default_factory=dict)
    #: The same advice counted in bytes sent: type -> bytes an address may send (at its
    #: sockets' nominal rates, metered each second) before it is renewed. Empty: never.
    rotation_bytes: dict[AddressType, int] = field(default_factory=dict)

    def allows(self, app: str, type_: AddressType) -> bool:
        allowed = self.permissions.get(type_)
        return allowed is None or app in allowed
