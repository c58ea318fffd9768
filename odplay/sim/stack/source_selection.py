"""Which address a socket that is not bound sends from (Sections 5.2 and 5.4: B3, B6, R3, D10, S1).

A socket that never bound (a legacy one, or one that called setsc() and did not bind, R3) gets
its source from the stack, the way RFC 6724 orders the choice. odplay's steps, in order; each
keeps the candidates it prefers when some are and some are not, and the choice is made when
one address is left:

0. S1: an address of a type the application may not use (`host.permissions`) is skipped. If
   nothing else is left the call answers EPERM; otherwise the skip is shown with rule S1.
1. RFC 6724 rule 3: avoid a deprecated address (a Graceful-replacement prefix in its grace
   period, T4). Avoid, not refuse: when every candidate is deprecated, one is still used (as
   Linux does).
1a. RFC 8653 Appendix A (`api: sockopt`): the type the socket's OnDemand field names. A type
   request beats RFC 5014's flags (R2), so it comes before them.
2. RFC 6724 rule 4 with RFC 5014's flags, where the application set them: HOME prefers a home
   address (a Fixed one, anchored at the central anchor like a Mobile IP home address), COA a
   care-of address (a prefix of the serving gateway). Set neither and rule 4 stays out of it,
   as on Linux, where it is compiled out.
3. D10: the host's `default_type`, where set, prefers a held address of that type: the
   host's own policy for an application that says nothing, standing where RFC 6724 lets an
   administrator's policy table speak.
4. RFC 6724 rule 5.5: prefer an address whose prefix the next hop (the serving gateway) gave:
   the direct path.
5. RFC 6724 rule 7 (PUBLIC or TMP) has nothing to choose between: odplay's host has no
   temporary addresses. The flags are kept and read back all the same.
6. RFC 6724 rule 8: the longest prefix shared with the destination's address (counted up to
   the address's own /64).
7. A full tie: the most recently added address, which is what Linux does.

Nothing here words the choice: `Choice.picks` names the steps that narrowed it and narration
tells them, so that what the ladder says is what the model did.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from odplay.constants import FIXED, AddrPreference, on_demand_value
from odplay.sim.events import Pick
from odplay.sim.tables import Address, PrefixState, Socket

if TYPE_CHECKING:
    from odplay.sim.stack.core import StackCore

_HOME = int(AddrPreference.IPV6_PREFER_SRC_HOME)
_COA = int(AddrPreference.IPV6_PREFER_SRC_COA)
#: Every prefix odplay gives out is a /64; rule 8 counts matching bits up to it.
PREFIX_LENGTH = 64


class Choice(NamedTuple):
    """The source picked (None: nothing the socket may use), why, and what S1 skipped."""

    address: Address | None
    #: The steps that narrowed the choice, in order; the last one decided. (Pick.ONLY,) when
    #: there was only one address to begin with.
    picks: tuple[Pick, ...]
    skipped: tuple[str, ...] = ()
    #: The address picked is deprecated: every candidate was (rule 3 avoids, never refuses).
    deprecated: bool = False


@lru_cache(maxsize=4096)
def _bits(value: str) -> int:
    return int(ipaddress.IPv6Address(value))


def common_prefix_length(address: str, destination: str) -> int:
    """How many leading bits `address` shares with `destination`, up to its /64 (rule 8)."""
    differ = _bits(address) ^ _bits(destination)
    return min(128 - differ.bit_length(), PREFIX_LENGTH)


def select_source(stack: StackCore, sock: Socket, destination: str | None = None) -> Choice:
    """The source address for `sock` sending to `destination` (an IPv6 address, or None)."""
    held = [a for a in stack.addresses.values() if stack.prefix_of(a).usable]
    held.reverse()  # newest first: every step below keeps this order, so a tie goes to it
    allows = stack.policy.allows
    forbidden = [a for a in held if a.type is not None and not allows(sock.owner, a.type)]
    allowed = [a for a in held if a not in forbidden] if forbidden else held
    skipped = tuple(a.name for a in forbidden)
    if not allowed:
        return Choice(None, (Pick.ONLY,), skipped)
    candidates = allowed
    picks: list[Pick] = []
    serving = stack.serving_gateway

    def narrow(prefers: Callable[[Address], bool], pick: Pick) -> None:
        nonlocal candidates
        kept = [a for a in candidates if prefers(a)]
        if kept and len(kept) < len(candidates):
            candidates = kept
            picks.append(pick)

    def valid(a: Address) -> bool:
        return stack.prefix_of(a).state is PrefixState.VALID

    steps: list[tuple[Callable[[Address], bool], Pick]] = [(valid, Pick.NOT_DEPRECATED)]
    demand = on_demand_value(sock.flags)
    if demand:  # RFC 8653 Appendix A's OnDemand field (`api: sockopt`): the type it names
        steps.append((lambda a: a.type is not None and a.type.value == demand, Pick.ON_DEMAND))
    if sock.flags & _HOME:
        steps.append((lambda a: a.type is FIXED, Pick.HOME))
    if sock.flags & _COA:
        steps.append((lambda a: stack.prefix_of(a).anchor == serving, Pick.COA))
    default = stack.policy.default_type
    if default is not None:
        steps.append((lambda a: a.type is default, Pick.DEFAULT_TYPE))
    steps.append((lambda a: stack.prefix_of(a).anchor == serving, Pick.SERVING_GATEWAY))
    for prefers, pick in steps:
        narrow(prefers, pick)
        if len(candidates) == 1:
            break
    if len(candidates) > 1 and destination is not None:
        longest = max(common_prefix_length(a.value, destination) for a in candidates)
        narrow(lambda a: common_prefix_length(a.value, destination) == longest, Pick.LONGEST_MATCH)
    if len(candidates) > 1:
        picks.append(Pick.NEWEST)
    chosen = candidates[0]
    return Choice(chosen, tuple(picks) or (Pick.ONLY,), skipped, not valid(chosen))
