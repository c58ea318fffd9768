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


@dataclass(slots=True)
class HostPolicy:
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

    def allows(self, app: str, type_: AddressType) -> bool:
        allowed = self.permissions.get(type_)
        return allowed is None or app in allowed
