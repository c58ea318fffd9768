"""Where the steps of the draft's Section 4.2 flow really happen, for the host's movements.

F1-F9 are the steps of one example, not rules of their own: an event is tagged with a step only
when it is that step, judged on the event itself and the network it happens on. Everywhere else
the general rule the step illustrates explains it (D6, T3, T2; D4 and A3 for F8), in words true
wherever they are shown. The conditions, from Section 4.2:

- F1: the host attaches to a gateway that serves neither Fixed nor Graceful-replacement, and that
  gateway hands out a Session-lasting and a Non-persistent prefix at once. The attachment and
  those two offers are F1.
- F5: the host moves to another point of attachment (on demand), a Non-persistent prefix it
  holds stops being valid, and the serving gateway hands out a new Non-persistent one. The move,
  that withdrawal (and the sockets it breaks) and that offer are F5.
- F7: after a move, a Session-lasting prefix stays valid while a socket still uses its address.

F6 (apps.py: a socket broken in an F5 move re-established on a Non-persistent address), F8
(host_stack.py: setsc() for Graceful-replacement refused because the network does not offer it)
and F9 (apps.py: after F8, trying Session-lasting) are decided where their events are made.

F1 and F5 are decided before the attachment or move changes anything, because its entry comes
first on the ladder (and a scenario's explanation waiting for the step is put before it): they
look ahead at what the gateway will hand out, its pools included.
"""

from __future__ import annotations

from collections.abc import Collection

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    SESSION_LASTING,
    AddressType,
)
from odplay.sim import events as ev
from odplay.sim.network import Mobility
from odplay.sim.stack.core import StackCore
from odplay.sim.tables import Prefix, PrefixState

#: What the 4.2 network does not offer (F1).
NOT_IN_THE_FLOW = frozenset({FIXED, GRACEFUL_REPLACEMENT})


def offer_rules(
    type_: AddressType | None, replace_graceful: bool, flow: bool, attaching: bool
) -> ev.Rules:
    """The rules of a prefix a gateway hands out unasked: the flow's step where it is one."""
    if type_ is None:
        return ("B7",)  # a legacy gateway's untyped prefix: odplay's choice
    if type_ is GRACEFUL_REPLACEMENT and replace_graceful:
        return ("T4",)
    if flow and attaching and type_ in (SESSION_LASTING, NON_PERSISTENT):
        return ("F1",)
    if flow and not attaching and type_ is NON_PERSISTENT:
        return ("F5",)
    if type_ is NON_PERSISTENT and not attaching:
        return ("T3",)  # the new serving gateway's own prefix
    return ("D6",)  # what the host holds, besides what its applications ask for


class FlowSteps(StackCore):
    """What a gateway hands out on attachment, and whether an attachment or move is F1 or F5."""

    def offers(
        self,
        gateway: str,
        replace_graceful: bool,
        only: Collection[AddressType | None] | None = None,
        gone: Collection[str] = (),
    ) -> list[AddressType | None]:
        """The types `gateway` hands out on attachment: each `on_attach` type it serves that the
        host holds no valid prefix of (leaving out the prefixes `gone`, about to be withdrawn),
        and a Graceful-replacement one to replace one entering its grace period (T4); a legacy
        gateway an untyped one (B7). `only`: the types a same-gateway move replaced (T3)."""
        network = self.w.network

        def held(type_: AddressType | None) -> bool:
            return any(p.name not in gone for p in self._held(type_))

        wanted: list[AddressType | None]
        if network.is_legacy(gateway):
            wanted = [] if held(None) else [None]
        else:
            supports = network.supported_types(gateway)
            wanted = [t for t in network.config.on_attach if t in supports and not held(t)]
            if (
                replace_graceful
                and GRACEFUL_REPLACEMENT in supports
                and not held(GRACEFUL_REPLACEMENT)  # a revived prefix needs no replacement
                and GRACEFUL_REPLACEMENT not in wanted
            ):
                wanted.append(GRACEFUL_REPLACEMENT)
        if only is not None:
            wanted = [t for t in wanted if t in only]
        return wanted

    def _on_demand(self, gateway: str) -> bool:
        network = self.w.network
        return network.config.mobility is Mobility.ON_DEMAND and not network.is_legacy(gateway)

    def _can_hand_out(
        self, gateway: str, types: list[AddressType | None], gone: list[Prefix]
    ) -> bool:
        network = self.w.network
        wanted = [(network.allocating_node(t, gateway), t) for t in types]
        return network.could_allocate(wanted, [(p.allocated_by, p.type) for p in gone])

    def is_f1(self, gateway: str) -> bool:
        """Attaching to `gateway` is the flow's F1 (see the module's docstring)."""
        if not self._on_demand(gateway):
            return False
        if self.w.network.supported_types(gateway) & NOT_IN_THE_FLOW:
            return False
        types = self.offers(gateway, replace_graceful=False)
        if SESSION_LASTING not in types or NON_PERSISTENT not in types:
            return False
        return self._can_hand_out(gateway, types, [])

    def is_f5(self, old_gateway: str | None, gateway: str) -> bool:
        """Moving from `old_gateway` to `gateway` is the flow's F5 (see the module's docstring)."""
        if not self._on_demand(gateway):
            return False
        network = self.w.network
        usable = list(self._usable.values())
        only: set[AddressType | None] | None = None
        if old_gateway == gateway:
            gone = [p for p in usable if network.replaced_on_same_gateway_move(p.type)]
            only, graceful = {p.type for p in gone}, False
        else:
            gone = [
                p
                for p in usable
                if not network.survives_gateway_change(p.type) and not network.has_grace(p.type)
            ]
            graceful = any(
                p.type is GRACEFUL_REPLACEMENT and p.state is PrefixState.VALID for p in usable
            )
        if not any(p.type is NON_PERSISTENT for p in gone):
            return False
        types = self.offers(gateway, graceful, only, {p.name for p in gone})
        return NON_PERSISTENT in types and self._can_hand_out(gateway, types, gone)

    def is_f7(self, prefix: Prefix) -> bool:
        """A Session-lasting prefix kept on a move is F7 while a socket still uses it."""
        if self.w.network.config.mobility is not Mobility.ON_DEMAND:
            return False
        address = self.address_of(prefix)
        return (
            prefix.type is SESSION_LASTING
            and address is not None
            and bool(self.users_of(address.name))
        )
