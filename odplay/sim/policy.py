"""The host's policies: every choice the draft leaves open, as a switchable setting.

Each field names the rule that leaves the choice open. Defaults reproduce the draft's Section
4.2 flow; docs/choices.md lists them with the other side of each choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from odplay.constants import AddressType


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
    address and is served an ordinary one.
    """

    EINVAL = "einval"
    IGNORE = "ignore"


@dataclass(slots=True)
class HostPolicy:
    """The host stack's side of the choices the draft leaves open (Sections 3.4, 5.2, 7).

    allocation (D7, D9), on_last_close (D8), when_fresh_fails (A6, D9), permissions (S1),
    boot_types, default_type (D10, B5), legacy_stack and legacy_on_net (B2); docs/choices.md
    has each default, why, and the scenario that shows both sides.
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

    def allows(self, app: str, type_: AddressType) -> bool:
        allowed = self.permissions.get(type_)
        return allowed is None or app in allowed
