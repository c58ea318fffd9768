"""What the host stack does when the host attaches, moves or detaches (Sections 3.2 and 4.2).

A change of serving gateway keeps Fixed and Session-lasting prefixes (T1, T2), deprecates
Graceful-replacement ones for a grace period (T4) and withdraws Non-persistent and untyped ones
(T3); the new gateway then offers its prefixes. Under the two modes `odplay compare` sets
against the draft, Mobile IP keeps everything and no mobility keeps nothing (C3).

The steps of the Section 4.2 flow are tagged only where they really happen (`flow_steps.py`
says when): F1 on an attachment to a network like 4.2's, F5 on a move that replaces the
Non-persistent prefix, F7 on a Session-lasting prefix a socket still uses after a move.
Everywhere else the general rule explains the event (D6, T3, T2).

Two choices the draft leaves open are the network's settings: a move behind the same gateway
keeps every prefix or replaces the Non-persistent ones (`same_gateway_move`, T3), and coming
back to the gateway of a Graceful-replacement prefix in its grace period gets a new prefix or
revives the old one (`graceful_return`, T4).
"""

from __future__ import annotations

from odplay.constants import FIXED, NON_PERSISTENT, AddressType
from odplay.sim import events as ev
from odplay.sim.network import SURVIVES_GATEWAY_CHANGE, GracefulReturn, Mobility
from odplay.sim.notices import AddressDeprecated, AddressRevived
from odplay.sim.stack.flow_steps import FlowSteps, offer_rules
from odplay.sim.tables import Loss, Prefix, PrefixState, SocketState


class Movement(FlowSteps):
    """Attachment, moves and detachment, and the grace periods they start."""

    def move(self, ap: str | None) -> None:
        """Attach to `ap`, move to it, or detach (None). Gateway changes drive T1-T4 and F5-F7."""
        config = self.w.network.config
        old_ap, old_gw = self.attachment, self.serving_gateway
        new_gw = config.ap(ap).gateway if ap else None
        flow = False  # this attachment is F1, or this move F5 (decided before anything changes)
        if ap is not None and new_gw is not None:
            flow = self.is_f1(new_gw) if old_ap is None else self.is_f5(old_gw, new_gw)
        self.attachment = ap
        if ap is None:
            self.w.record(ev.HostDetached(old_ap))
        elif old_ap is None:
            assert new_gw is not None
            self.w.record(ev.HostAttached(ap, new_gw, flow))
        else:
            self.w.record(ev.HostMoved(old_ap, ap, old_gw, new_gw, flow))
        if old_gw == new_gw:
            if ap is not None and old_ap is not None:
                assert new_gw is not None
                self._same_gateway(new_gw, flow)
        else:
            deprecated = self._leave_gateway(old_gw, ap is None, flow) if old_gw else []
            if new_gw is not None:
                if old_gw is not None and config.mobility is Mobility.MOBILE_IP:
                    # Mobile IP: tell the home agent (the central anchor) where the host is.
                    self.w.record(ev.BindingUpdate(config.anchor, new_gw))
                if config.graceful_return is GracefulReturn.REVIVE:
                    self._revive(new_gw)
                self._join_gateway(new_gw, bool(deprecated), flow, attaching=old_ap is None)
            for prefix in deprecated:
                self._notify_deprecated(prefix)
        self._report_paths()

    def _same_gateway(self, gateway: str, flow: bool) -> None:
        """A move between attachment points of one gateway (T3): by default nothing changes;
        under `same_gateway_move: replace` the prefixes a gateway change would withdraw at once
        are withdrawn, and the gateway offers new ones of their types."""
        network = self.w.network
        replaced = [
            p for p in self._usable.values() if network.replaced_on_same_gateway_move(p.type)
        ]
        self.w.record(ev.SameGateway(gateway, replaces=bool(replaced)))
        for prefix in replaced:
            rules = self._withdrawal_rules(prefix, flow)
            self.w.record(ev.PrefixWithdrawn(prefix.name, gateway, rules, still_serving=True))
            self._remove(prefix, PrefixState.WITHDRAWN, Loss.WITHDRAWN, rules)
        if replaced:
            self._join_gateway(gateway, False, flow, only={p.type for p in replaced})

    def _withdrawal_rules(self, prefix: Prefix, flow: bool) -> ev.Rules:
        """Why a prefix of the serving gateway goes with it: T3, and what made it such a prefix;
        F5 too when the move is the 4.2 flow's (`flow`)."""
        if self.w.network.config.mobility is Mobility.NONE:
            return ("T3", "C3")
        if prefix.type is NON_PERSISTENT:
            return ("T3", "F5") if flow else ("T3",)
        return ("T3", "B7")

    def _revive(self, gateway: str) -> None:
        """Back at `gateway`: its Graceful-replacement prefixes in their grace period are valid
        and preferred again (T4, `graceful_return: revive`); their sockets are told."""
        for prefix in list(self._usable.values()):
            if prefix.state is not PrefixState.DEPRECATED or prefix.allocated_by != gateway:
                continue
            prefix.state = PrefixState.VALID
            prefix.preferred_until = prefix.valid_until = None
            self.w.record(ev.PrefixRevived(prefix.name, gateway))
            address = self.address_of(prefix)
            if address is not None:
                for fd in self.users_of(address.name):
                    self.w.notify(self.sockets[fd].owner, AddressRevived(fd))

    def _leave_gateway(self, gateway: str, detached: bool, flow: bool) -> list[Prefix]:
        """What the host loses when `gateway` stops serving it; returns GR prefixes deprecated.

        On a move the new network's configuration says which prefixes still hold, so each is a
        message to the stack; a detached host hears nothing, and the same facts are the stack's
        own (`detached`)."""
        deprecated: list[Prefix] = []
        network = self.w.network
        grace = network.config.grace_period
        for prefix in list(self._usable.values()):
            if network.survives_gateway_change(prefix.type):
                if prefix.type not in SURVIVES_GATEWAY_CHANGE:
                    rules: ev.Rules = ("C3",)  # Mobile IP keeps every prefix
                elif prefix.type is FIXED:
                    rules = ("T1",)
                else:
                    rules = ("T2", "F7") if not detached and self.is_f7(prefix) else ("T2",)
                self.w.record(ev.PrefixKept(prefix.name, prefix.anchor, rules, detached))
            elif network.has_grace(prefix.type) and prefix.state is PrefixState.VALID:
                prefix.state = PrefixState.DEPRECATED
                prefix.preferred_until = self.w.now
                prefix.valid_until = self.w.now + grace
                self.w.schedule(grace, "grace-expiry", prefix.name)
                self.w.record(ev.PrefixDeprecated(prefix.name, grace, prefix.valid_until, detached))
                deprecated.append(prefix)
            elif not network.has_grace(prefix.type):
                # Non-persistent and untyped prefixes belong to the gateway that is gone (T3),
                # and so does every prefix when the network offers no mobility at all.
                rules = self._withdrawal_rules(prefix, flow and not detached)
                self.w.record(ev.PrefixWithdrawn(prefix.name, gateway, rules, detached))
                self._remove(prefix, PrefixState.WITHDRAWN, Loss.WITHDRAWN, rules)
        return deprecated

    def _join_gateway(
        self,
        gateway: str,
        replace_graceful: bool,
        flow: bool,
        only: set[AddressType | None] | None = None,
        attaching: bool = False,
    ) -> None:
        """What a new serving gateway hands out on attachment (F1, F5, T4, B7), then boot policy.

        `flow`: the attachment is F1, or the move F5. `only`: the types to offer again after a
        move behind the same gateway replaced them (T3).
        """
        for type_ in self.offers(gateway, replace_graceful, only):
            prefix = self._grant(type_, gateway, "on attach")
            rules = offer_rules(type_, replace_graceful, flow, attaching)
            if prefix is None:
                self.w.record(ev.PoolDry(gateway, type_))
                continue
            self.w.record(
                ev.PrefixOffered(gateway, prefix.name, prefix.type, prefix.network, rules)
            )
        if not self._booted:
            self._booted = True
            for boot_type in self.policy.boot_types:
                self._request(boot_type, "boot", rules=("D10", "D3"))

    def _notify_deprecated(self, prefix: Prefix) -> None:
        address = self.address_of(prefix)
        if address is None:
            return
        for fd in self.users_of(address.name):
            self.w.notify(self.sockets[fd].owner, AddressDeprecated(fd))

    def grace_expired(self, prefix_name: str) -> None:
        """The end of a Graceful-replacement prefix's grace period: it goes (T4)."""
        prefix = self.prefixes.get(prefix_name)
        if prefix is None or prefix.state is not PrefixState.DEPRECATED:
            return
        if prefix.valid_until != self.w.now:
            return  # revived (T4, graceful_return: revive) and deprecated again since: not yet
        self.w.record(ev.GraceExpired(prefix.name))
        self._remove(prefix, PrefixState.WITHDRAWN, Loss.GRACE_OVER, ("T4",))

    def _report_paths(self) -> None:
        for sock in self._live.values():
            if sock.state not in (SocketState.CONNECTED, SocketState.LISTENING):
                continue
            if sock.source_address is not None and sock.source_address not in self.addresses:
                continue  # a UDP socket whose address went: it has no path to report
            path = self.path_of(sock)
            rtt, via = (path.rtt, path.via) if path else (None, None)
            self.w.record(ev.PathReport(sock.fd, sock.owner, rtt, via))
