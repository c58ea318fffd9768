"""RFC 8653 Section 5's privacy advice: addresses renewed after a lifetime (`host.rotation`).

An address used for long links everything its sockets do to one host, even through encryption.
The RFC advises the operating system to give addresses a lifetime and, once it is over, to ask
the network for a new prefix even though it holds one of the type; and to renew Graceful-
replacement and Non-persistent addresses regularly. It says nothing of what becomes of the old
address. odplay's reading (docs/choices.md, "Address rotation"): the old one goes the way its
type already lets an address go, so each type pays in its own coin:

- Fixed and Session-lasting promise their sessions last (T1, T2): the old address is drained.
  No new socket gets it, those on it keep it, and it is released when the last one closes.
  Nothing breaks, but the address stays linkable for as long as its longest session.
- Graceful-replacement promises a grace period (T4): the old address is deprecated for the
  network's `grace_period`, its applications are told and may move over, then it goes.
- Non-persistent promises nothing past the moment (T3): the old address goes at once, and the
  sockets on it break; their applications reconnect from the new one.

Each rotation costs a request and a grant with the network (D3, D5). If the network refuses,
the stack keeps the old address and tries again after another lifetime.
"""

from __future__ import annotations

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, SESSION_LASTING
from odplay.sim import events as ev
from odplay.sim.events_rfc8653 import AddressRetired, Retire, RotationDue
from odplay.sim.stack.core import Request
from odplay.sim.stack.movement import Movement
from odplay.sim.tables import Loss, Prefix, PrefixState

_DRAINED = frozenset({FIXED, SESSION_LASTING})


class Rotation(Movement):
    """The stack's timers for `host.rotation`, and what a renewal does to the old address."""

    def rotation_due(self, prefix_name: str) -> None:
        """A prefix reached its type's lifetime: ask for a successor, if it is still in use."""
        prefix = self.prefixes.get(prefix_name)
        if prefix is None or prefix.state is not PrefixState.VALID or prefix.retired:
            return  # gone, deprecated or already on its way out: nothing to renew
        lifetime = self.policy.rotation.get(prefix.type) if prefix.type is not None else None
        if not lifetime or prefix.type is None:
            return  # the policy no longer rotates this type
        asked = self.serving_gateway is not None
        self.w.record(RotationDue(prefix.address, prefix.type, lifetime, asked))
        if not asked:
            self.w.schedule(lifetime, "rotate", prefix.name)  # try again after another lifetime
            return
        request = self._request(prefix.type, "rotation", ("D3", "D9"))
        if request is not None:
            request.replaces = prefix.name

    def rotation_reply(self, request: Request, prefix: Prefix | None) -> None:
        """The network's answer to a rotation: retire the old prefix, or keep it for now."""
        old = self.prefixes.get(request.replaces or "")
        if old is None or old.state is not PrefixState.VALID:
            return
        if prefix is None:
            lifetime = self.policy.rotation.get(old.type) if old.type is not None else None
            if lifetime:
                self.w.schedule(lifetime, "rotate", old.name)
            return
        self._retire(old, prefix)

    def _retire(self, old: Prefix, new: Prefix) -> None:
        users = self.users_of(old.address)
        how = (
            Retire.DRAIN
            if old.type in _DRAINED
            else Retire.GRACE
            if old.type is GRACEFUL_REPLACEMENT and self.w.network.config.grace_period
            else Retire.WITHDRAW
        )
        self.w.record(AddressRetired(old.address, new.address, how, len(users)))
        now = self.w.now
        if how is Retire.WITHDRAW:
            self._remove(old, PrefixState.RELEASED, Loss.RELEASED, ("T3",))
            return
        old.state = PrefixState.DEPRECATED
        old.preferred_until = now
        if how is Retire.GRACE:
            grace = self.w.network.config.grace_period
            old.valid_until = now + grace
            self.w.schedule(grace, "grace-expiry", old.name)
            self.w.record(ev.PrefixDeprecated(old.name, grace, old.valid_until))
            self._notify_deprecated(old)
            return
        old.retired = True
        if self._unheld(old.address):
            self.w.record(ev.AddressReleased(old.address, old.name, rotated=True))
            self._remove(old, PrefixState.RELEASED, Loss.RELEASED, ("D8",))
