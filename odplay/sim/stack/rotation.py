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
the stack keeps the old address and tries again after another lifetime. An address no socket
uses (nor is about to) when its lifetime is over links nothing: it is released without a
successor, and the next socket that wants the type asks for one as any socket does (D3).

The lifetime counts in time from the grant (`host.rotation`), or in bytes sent
(`host.rotation_bytes`): odplay's traffic is each socket's nominal rate (as `odplay compare`
counts it), so a meter adds each address's connected sockets' rates once a second, and renews
an address in the second its count passes the limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, SESSION_LASTING
from odplay.sim import events as ev
from odplay.sim.events_rfc8653 import AddressRetired, Retire, RotationDue
from odplay.sim.stack.core import Request
from odplay.sim.stack.movement import Movement
from odplay.sim.tables import Loss, Prefix, PrefixState, SocketState

if TYPE_CHECKING:
    from odplay.sim.world import World

_DRAINED = frozenset({FIXED, SESSION_LASTING})
#: How often the byte meter counts (`host.rotation_bytes`): a renewal comes at most this late.
BYTE_TICK_MS = 1000
#: The rate of a socket no application plan describes (a scenario's own socket), kbit/s.
DEFAULT_KBPS = 100


def nominal_kbps(w: World, owner: str, role: str) -> int:
    """A socket's nominal rate: its application's plan for that role, as `odplay compare`
    counts traffic (odplay's traffic is a rate, not counted bytes)."""
    app = w.apps.get(owner)
    for plan in app.spec.plans if app is not None else ():
        if plan.role == role:
            return plan.rate_kbps
    return DEFAULT_KBPS


class Rotation(Movement):
    """The stack's timers for `host.rotation` and `host.rotation_bytes`, and what a renewal does
    to the old address."""

    def move(self, ap: str | None) -> None:
        super().move(ap)
        self.start_byte_meter()  # the first attachment starts it, if the policy counts bytes

    def rotation_due(self, prefix_name: str) -> None:
        """A prefix reached its type's lifetime in time: ask for a successor."""
        if self._rotate_at.get(prefix_name) != self.w.now:
            return  # set under an earlier `host.rotation` (or none now): not this lifetime's
        del self._rotate_at[prefix_name]
        prefix = self.prefixes.get(prefix_name)
        lifetime = self.policy.rotation.get(prefix.type) if prefix and prefix.type else None
        if prefix is not None and lifetime:
            self._renew(prefix, lifetime, sent=False)

    def rotation_changed(self) -> None:
        """`host.rotation` changed mid-run: the addresses held already get the new lifetime,
        counted from their grant (docs/choices.md, "Address rotation": the lifetime is the
        address's age, so one older than it is renewed now), and a timer set under the old
        setting no longer fires (rotation_due checks its time)."""
        now = self.w.now
        for prefix in list(self._usable.values()):
            lifetime = self.policy.rotation.get(prefix.type) if prefix.type is not None else None
            if not lifetime or prefix.state is not PrefixState.VALID or prefix.retired:
                self._rotate_at.pop(prefix.name, None)
                continue
            if prefix.name in self._renewing:
                continue  # a successor is on its way already
            due = max(now, prefix.granted_at + lifetime)
            if self._rotate_at.get(prefix.name) != due:
                self._rotate_at[prefix.name] = due
                self.w.schedule(due - now, "rotate", prefix.name)

    def _renew(self, prefix: Prefix, lifetime: int, sent: bool) -> None:
        if prefix.state is not PrefixState.VALID or prefix.retired or prefix.type is None:
            return  # gone, deprecated or already on its way out: nothing to renew
        if prefix.name in self._renewing:
            return  # a successor is already asked for (its time and its bytes both ran out)
        if not self._in_use(prefix):
            # Nobody would be linked by it, and a successor would cost signalling and a pool
            # prefix for nothing: it goes, and the next socket that wants the type asks (D3).
            self.w.record(RotationDue(prefix.address, prefix.type, lifetime, False, sent, True))
            self.w.record(ev.AddressReleased(prefix.address, prefix.name, rotated=True))
            self._remove(prefix, PrefixState.RELEASED, Loss.RELEASED, ("D8",))
            return
        asked = self.serving_gateway is not None
        self.w.record(RotationDue(prefix.address, prefix.type, lifetime, asked, sent))
        if not asked:
            self._again(prefix, sent)
            return
        request = self._request(prefix.type, "rotation", ("D3", "D9"))
        if request is not None:
            request.replaces = prefix.name
            request.by_bytes = sent
            self._renewing.add(prefix.name)

    def _in_use(self, prefix: Prefix) -> bool:
        """A socket uses the address, is about to bind it (setsc()), or was promised it by its
        OnDemand field and has not connected yet."""
        if not self._unheld(prefix.address):
            return True
        return any(
            sock.on_demand_address == prefix.address
            and sock.state in (SocketState.OPEN, SocketState.ADDRESSED)
            for sock in self._live.values()
        )

    def _again(self, prefix: Prefix, sent: bool) -> None:
        """Not renewed now (detached, or refused): try again after another lifetime."""
        if sent:
            self._sent[prefix.name] = 0
            return
        lifetime = self.policy.rotation.get(prefix.type) if prefix.type is not None else None
        if lifetime:
            self._rotate_at[prefix.name] = self.w.now + lifetime
            self.w.schedule(lifetime, "rotate", prefix.name)

    def rotation_reply(self, request: Request, prefix: Prefix | None) -> None:
        """The network's answer to a rotation: retire the old prefix, or keep it for now."""
        name = request.replaces or ""
        self._renewing.discard(name)
        old = self.prefixes.get(name)
        if old is None or old.state is not PrefixState.VALID:
            return
        if prefix is None:
            self._again(old, request.by_bytes)
            return
        self._retire(old, prefix)

    # ------------------------------------------------------------------ bytes sent

    def start_byte_meter(self) -> None:
        """Count each address's bytes each second, while the policy counts any (idempotent)."""
        if self.policy.rotation_bytes and not self._metering:
            self._metering = True
            self.w.schedule(BYTE_TICK_MS, "byte-tick")

    def byte_tick(self) -> None:
        """One second of traffic: add each in-use address's bytes, renew those past the limit."""
        limits = self.policy.rotation_bytes
        if not limits:
            self._metering = False
            return
        for prefix in list(self._usable.values()):
            limit = limits.get(prefix.type) if prefix.type is not None else None
            if not limit or prefix.state is not PrefixState.VALID or prefix.retired:
                continue
            sent = self._sent.get(prefix.name, 0) + self._bytes_per_tick(prefix.address)
            self._sent[prefix.name] = sent
            if sent >= limit:
                self._renew(prefix, limit, sent=True)
        self.w.schedule(BYTE_TICK_MS, "byte-tick")

    def _bytes_per_tick(self, address: str) -> int:
        """What the connected sockets on an address send in a tick, at their nominal rates."""
        total = 0
        for fd in self.users_of(address):
            sock = self.sockets[fd]
            if sock.state is SocketState.CONNECTED:
                total += nominal_kbps(self.w, sock.owner, sock.role) * BYTE_TICK_MS // 8
        return total

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
        for sock in self._live.values():
            if sock.on_demand_address == old.address and sock.state is SocketState.OPEN:
                sock.on_demand_address = new.address  # promised, not connected: the successor
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
