"""Which address a socket that never bound sends from (Sections 5.2 and 5.4: B3, B6, R3, D10).

RFC 5014 flags steer it: HOME prefers a Fixed address (anchored at the central anchor, like a
Mobile IP home address), COA prefers a prefix of the serving gateway (like a care-of address).
The other RFC 5014 flags have nothing to choose between in odplay's model (no temporary or CGA
addresses) and leave the choice to the defaults: the policy's default type (D10), then the
serving gateway's prefix, then any held address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from odplay.constants import FIXED, AddrPreference
from odplay.sim.tables import Address, PrefixState, Socket

if TYPE_CHECKING:
    from odplay.sim.stack.core import StackCore


def select_source(stack: StackCore, sock: Socket) -> Address | None:
    """The source address for `sock`, newest first among equals; None if the host holds none."""
    candidates = [
        a
        for a in reversed(stack.addresses.values())
        if stack.prefix_of(a).state is PrefixState.VALID
    ]
    if not candidates:
        return None
    serving = stack.serving_gateway

    def local(a: Address) -> bool:
        return stack.prefix_of(a).anchor == serving

    preferences: list[Callable[[Address], bool]] = []
    if sock.flags & AddrPreference.IPV6_PREFER_SRC_HOME:
        preferences.append(lambda a: a.type is FIXED)
    if sock.flags & AddrPreference.IPV6_PREFER_SRC_COA:
        preferences.append(local)
    if stack.policy.default_type is not None:
        default = stack.policy.default_type
        preferences.append(lambda a: a.type is default)
    preferences.append(local)
    for prefers in preferences:
        for address in candidates:
            if prefers(address):
                return address
    return candidates[0]
