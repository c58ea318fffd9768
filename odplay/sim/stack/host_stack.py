"""The mobile host's IP stack, whole: its socket calls, its movement, and the network's replies.

`HostStack` joins the parts (core.py: tables and requests; socket_calls.py; datagrams.py, the
send() of either protocol; movement.py; RFC 8653's on_demand.py and rotation.py) and takes the
network's answer to each prefix request (D3-D5), which finishes a blocked setsc() or a
connect() that had to ask for a prefix (A5, B5), an OnDemand field's request, or a rotation.
The stack never reads a clock and never waits: it asks the world to schedule the network's
answer and is called back when it comes.
"""

from __future__ import annotations

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, Status
from odplay.sim import events as ev
from odplay.sim.events import Refusal, Why
from odplay.sim.policy import LastClosePolicy
from odplay.sim.stack import on_demand
from odplay.sim.stack.core import Request
from odplay.sim.stack.datagrams import Datagrams
from odplay.sim.stack.reachability import Reachability, reachability
from odplay.sim.stack.rotation import Rotation
from odplay.sim.tables import Loss, Prefix, PrefixState, Socket, SocketState


def is_f8(request: Request, why: Refusal) -> bool:
    """The 4.2 flow's F8 really happens: an application's setsc() asked for Graceful-replacement
    and the network refused it because it does not offer the type (elsewhere: D4 and A3)."""
    return (
        request.purpose == "setsc"
        and request.type is GRACEFUL_REPLACEMENT
        and why is Refusal.UNSUPPORTED_TYPE
    )


class HostStack(Datagrams, Rotation):
    """Tables and calls of the host's IP stack; one per simulated host."""

    def network_reply(self, request_id: int) -> None:
        """The network's answer to a request (D3): a prefix, or a failure."""
        request = self.pending.pop(request_id, None)
        if request is None:
            return
        network = self.w.network
        status, prefix, why = Status.SUCCESS, None, Refusal.POOL_DRY
        legacy = network.is_legacy(request.gateway)
        if request.type is not None and not network.supports(request.type, request.gateway):
            status = Status.EAI_REQUIREDIPNOTSUPPORTED
            why = Refusal.LEGACY_NETWORK if legacy else Refusal.UNSUPPORTED_TYPE
        elif (
            not network.survives_gateway_change(request.type)
            and request.gateway != self.serving_gateway
        ):
            status, why = Status.EAI_REQUIREDIPFAILED, Refusal.GATEWAY_GONE
        else:
            prefix = self._grant(request.type, request.gateway, self._reason(request))
            if prefix is None:
                status, why = Status.EAI_REQUIREDIPFAILED, Refusal.POOL_DRY
        if prefix is not None:
            self.w.record(
                ev.PrefixGranted(
                    request.id,
                    request.type,
                    request.gateway,
                    prefix.name,
                    prefix.type,
                    prefix.network,
                    prefix.anchor,
                )
            )
        else:
            rules = ("D4", "F8") if is_f8(request, why) else ("D4",)
            if legacy:
                rules = ("B2", "B7")
            self.w.record(ev.PrefixRefused(request.id, request.gateway, status, why, rules))
        if prefix is not None and request.fd is not None:
            sock = self.sockets.get(request.fd)
            if sock is not None and sock.state is SocketState.CLOSED:
                self._granted_for_closed(sock, prefix)
                return
        if request.purpose == "setsc" and request.fd is not None:
            address = self.address_of(prefix) if prefix else None
            if (
                address is None
                and request.may_reuse
                and self._fresh_failed(request.fd, request.type)
            ):
                return
            detail = Why.NOTHING_MORE
            if address is None and request.on_net_only and self._held(request.type):
                detail = Why.ON_NET_ONLY  # a held one would do, but ON_NET wants a new one (A6)
            self._finish_setsc(
                request.fd, status, address, why=detail, blocked=True, f8=is_f8(request, why)
            )
        elif request.purpose == "connect" and request.fd is not None:
            self._finish_pending_connect(request.fd, prefix)
        elif request.purpose == "sockopt" and request.fd is not None:
            on_demand.reply(self, request.fd, prefix, status)
        elif request.purpose == "rotation":
            self.rotation_reply(request, prefix)

    def _granted_for_closed(self, sock: Socket, prefix: Prefix) -> None:
        """D8: what was asked for a socket that closed meanwhile has no user; it is released or
        kept like any address whose last socket closed, and the ladder says which."""
        address = self.address_of(prefix)
        assert address is not None  # just configured
        fixed = prefix.type is FIXED
        release = self.policy.on_last_close is LastClosePolicy.RELEASE and not fixed
        self.w.record(
            ev.GrantedForClosed(sock.fd, sock.owner, address.name, prefix.name, release, fixed)
        )
        if release:
            self._remove(prefix, PrefixState.RELEASED, Loss.RELEASED, ("D8",))

    @staticmethod
    def _reason(request: Request) -> str:
        """Why the host holds the prefix, as the prefix table shows it."""
        if request.fd is not None:
            return f"socket {request.fd}"
        return "boot policy" if request.purpose == "boot" else request.purpose

    def reachability(self, name: str, port: int, peer: str | None = None) -> Reachability:
        """Can a correspondent reach `name`:`port` on the host now? No side effects."""
        return reachability(self, name, port, peer)
