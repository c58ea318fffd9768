"""Can a correspondent reach a name on the host now (C2)? A query with no side effects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.sim.paths import Path, path_for
from odplay.sim.records import Frozen
from odplay.sim.tables import SocketState

if TYPE_CHECKING:
    from odplay.sim.stack.core import StackCore


class Reachability(Frozen):
    ok: bool
    reason: str  # what the correspondent found, in words: the explanation shows it
    address: str | None = None
    path: Path | None = None


def reachability(stack: StackCore, name: str, port: int, peer: str | None) -> Reachability:
    """DNS name → an address the host holds → a socket listening there → a path to it.

    `name` may also be an address itself (its name, such as IPfx1, or the IPv6 literal), as a
    correspondent that was told the address rather than the name would use it.
    """
    value = stack.w.network.dns.get(name)
    if value is None:
        direct = stack.find_address(name)
        if direct is None:
            return Reachability(False, f"{name} is not in DNS, nor an address the host holds")
        value = direct.name
    address = stack.find_address(value)
    if address is None or not stack.prefix_of(address).usable:
        return Reachability(False, f"{name} → {value}, which the host no longer holds")
    if stack.attachment is None:
        return Reachability(False, f"{name} → {address.name}; the host is detached", address.name)
    listening = any(
        s.state is SocketState.LISTENING
        and s.port == port
        and s.bound_address in (None, address.name)
        for s in stack.live_sockets()
    )
    if not listening:
        return Reachability(False, f"nothing listens on [{address.name}]:{port}", address.name)
    anchor = stack.prefix_of(address).anchor
    path = path_for(stack.w.network.config, stack.attachment, anchor, peer)
    return Reachability(True, f"{name} → {address.name}", address.name, path)
