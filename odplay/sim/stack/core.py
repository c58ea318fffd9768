"""The host stack's tables and what every part of it shares: queries, prefixes, requests.

The socket calls (socket_calls.py) and movement (movement.py) build on this: configuring a
prefix the network granted (D5), removing one and breaking the sockets on it (T3, T4, D8), and
asking the network for a prefix (D3). Nothing here formats text: what happens is recorded as a
typed event (odplay.sim.events) and told by odplay.sim.narration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.constants import AddressType
from odplay.sim import events as ev
from odplay.sim.events_rfc8653 import TypeMappingChanged
from odplay.sim.notices import SocketLost
from odplay.sim.paths import Path, path_for
from odplay.sim.policy import HostPolicy
from odplay.sim.records import Record
from odplay.sim.tables import Address, Loss, Prefix, PrefixState, Protocol, Socket, SocketState
from odplay.sim.type_mapping import blocks, epoch

if TYPE_CHECKING:
    from odplay.sim.world import World

EPHEMERAL_PORTS = range(49152, 65536)


class Request(Record):
    """A prefix request in flight from the stack to the network (D3)."""

    id: int
    type: AddressType | None  # None: the application asked for no type (B5)
    purpose: str  # "setsc", "boot" or "connect"
    gateway: str  # the gateway asked
    fd: int | None = None
    #: A setsc() under `allocation: fresh` without ON_NET, with `when_fresh_fails: reuse`: if
    #: no prefix comes, the socket is given a held address of the type instead (A6, D9).
    may_reuse: bool = False
    #: The same, but the socket set ON_NET: it fails, and the failure says why (A6).
    on_net_only: bool = False
    #: purpose "rotation": the prefix the new one is to replace (RFC 8653 Section 5), and
    #: whether its lifetime ran out in bytes sent rather than in time.
    replaces: str | None = None
    by_bytes: bool = False


class StackCore:
    """Tables and indexes of the host's IP stack, and the operations its parts share."""

    def __init__(self, world: World, policy: HostPolicy) -> None:
        self.w = world
        self.policy = policy
        self.attachment: str | None = None
        self.prefixes: dict[str, Prefix] = {}
        self.addresses: dict[str, Address] = {}
        self.sockets: dict[int, Socket] = {}
        # Indexes kept in step with the tables, so that a move or a setsc() costs what is live,
        # not everything the run has ever had: usable prefixes, and sockets not closed or broken.
        self._usable: dict[str, Prefix] = {}
        self._live: dict[int, Socket] = {}
        self.pending: dict[int, Request] = {}
        # address name → the live sockets whose local address it is (bound to it, or sending
        # from it: C1, R3); kept in step with every change of a socket's addresses or liveness,
        # so that setsc() and close() need not scan every socket.
        self._users: dict[str, set[int]] = {}
        # address name → the sockets setsc() gave it that have not yet bound, connected or
        # listened: not its users (a withdrawal does not break them), but D8 does not release
        # the address under them before they bind it (docs/choices.md, D8).
        self._waiting: dict[str, set[int]] = {}
        self._serial: dict[str, int] = {}
        self._next_fd = 3  # 0-2 are stdin, stdout and stderr, as on a real host (A7)
        self._next_port = EPHEMERAL_PORTS.start
        self._next_request = 1
        self._booted = False
        # RFC 8653 Section 5 (rotation.py): bytes each prefix's address has sent, renewals under
        # way (prefix names), and whether the per-second byte meter runs.
        self._sent: dict[str, int] = {}
        self._renewing: set[str] = set()
        #: Prefix -> when its `host.rotation` lifetime is over: a "rotate" timer due at any
        #: other time was set under an earlier setting and does nothing (rotation.py).
        self._rotate_at: dict[str, int] = {}
        self._metering = False
        groups = [world.rng.randrange(0x1000, 0x10000) for _ in range(4)]
        self.interface_id = ":".join(f"{g:x}" for g in groups)

    # ------------------------------------------------------------------ queries

    @property
    def serving_gateway(self) -> str | None:
        if self.attachment is None:
            return None
        return self.w.network.config.ap(self.attachment).gateway

    @property
    def booted(self) -> bool:
        """Whether the host has attached once: boot policy (D10) has been asked for already."""
        return self._booted

    def prefix_of(self, address: Address) -> Prefix:
        return self.prefixes[address.prefix]

    def address_of(self, prefix: Prefix) -> Address | None:
        return self.addresses.get(prefix.address)

    def find_address(self, text: str) -> Address | None:
        """An address by its teaching name (IPsl1) or its IPv6 value."""
        if text in self.addresses:
            return self.addresses[text]
        for address in self.addresses.values():
            if address.value == text:
                return address
        return None

    def live_sockets(self) -> list[Socket]:
        """Sockets neither closed nor broken, oldest first."""
        return list(self._live.values())

    @property
    def live_count(self) -> int:
        """How many sockets are neither closed nor broken (without listing them)."""
        return len(self._live)

    def users_of(self, address_name: str) -> list[int]:
        """The live sockets using an address: it is their local address, bound to it or sending
        from it (C1). An address setsc() gave a socket that never bound it is not the socket's
        (R3): the socket is not its user."""
        return sorted(self._users.get(address_name, ()))

    def waiting_for(self, address_name: str) -> list[int]:
        """The sockets setsc() gave an address that have not yet bound, connected or listened."""
        return sorted(self._waiting.get(address_name, ()))

    def _hold(self, sock: Socket, address_name: str) -> None:
        self._users.setdefault(address_name, set()).add(sock.fd)

    def _let_go(self, sock: Socket) -> str | None:
        """The socket stops using its address and waiting for one; returns what it waited for."""
        if sock.source_address is not None:
            self._users.get(sock.source_address, set()).discard(sock.fd)
        return self._stop_waiting(sock)

    def _wait_for(self, sock: Socket, address_name: str) -> None:
        self._waiting.setdefault(address_name, set()).add(sock.fd)

    def _stop_waiting(self, sock: Socket) -> str | None:
        """The socket moves on from the address setsc() gave it; returns that address, if any."""
        name = sock.setsc_address
        if name is None or sock.fd not in self._waiting.get(name, ()):
            return None
        self._waiting[name].discard(sock.fd)
        return name

    def _unheld(self, address_name: str) -> bool:
        """No socket uses the address, and none is about to bind the one setsc() gave it (D8)."""
        return not self._users.get(address_name) and not self._waiting.get(address_name)

    def path_of(self, sock: Socket) -> Path | None:
        if sock.source_address is None or sock.source_address not in self.addresses:
            return None
        prefix = self.prefix_of(self.addresses[sock.source_address])
        return path_for(self.w.network.config, self.attachment, prefix.anchor, sock.peer)

    def socket(self, fd: int) -> Socket | None:
        sock = self.sockets.get(fd)
        return sock if sock is not None and sock.state is not SocketState.CLOSED else None

    def _held(self, type_: AddressType | None) -> list[Prefix]:
        """Prefixes of a type the stack may hand out: valid and preferred, newest first."""
        return [
            p
            for p in reversed(self._usable.values())
            if p.type is type_ and p.state is PrefixState.VALID
        ]

    # ------------------------------------------------------------------ prefixes

    def _configure(self, type_: AddressType | None, network: str, node: str, reason: str) -> Prefix:
        """Record a prefix the network granted and configure the host's address from it (D5)."""
        code = type_.code if type_ else "lg"
        self._serial[code] = self._serial.get(code, 0) + 1
        n = self._serial[code]
        prefix = Prefix(
            name=f"PREF{code}{n}",
            type=type_,
            network=network,
            anchor=node,
            allocated_by=node,
            granted_at=self.w.now,
            reason=reason,
            address=f"IP{code}{n}",
        )
        self.prefixes[prefix.name] = prefix
        self._usable[prefix.name] = prefix
        value = network.split("::/")[0] + ":" + self.interface_id
        address = Address(name=prefix.address, value=value, prefix=prefix.name, type=type_)
        self.addresses[address.name] = address
        lifetime = self.policy.rotation.get(type_) if type_ is not None else None
        if lifetime:  # RFC 8653 Section 5: renew it after its lifetime (rotation.py)
            self._rotate_at[prefix.name] = self.w.now + lifetime
            self.w.schedule(lifetime, "rotate", prefix.name)
        return prefix

    def _grant(self, type_: AddressType | None, gateway: str, reason: str) -> Prefix | None:
        """The network allocates a prefix of `type_` (None: its default) for the host, if it can."""
        net = self.w.network
        if type_ is None and not net.is_legacy(gateway):
            type_ = net.config.default_type
        node = net.allocating_node(type_, gateway)
        allocation = net.allocate(node, type_, self.w.now)
        if allocation is None:
            return None
        dealing = epoch(net.config.prefix_types, net.config.shuffle_every, self.w.now)
        if dealing is not None and dealing != net.told_dealing:
            net.told_dealing = dealing  # RFC 8653 Section 5: say the blocks when they change
            dealt = tuple((t, b) for t, b in blocks(dealing).items() if t is not None)
            self.w.record(TypeMappingChanged(dealing, dealt))
        return self._configure(type_, allocation.network, allocation.node, reason)

    def _remove(self, prefix: Prefix, state: PrefixState, loss: Loss, rules: ev.Rules) -> None:
        """Withdraw or release a prefix: its address goes, and the sockets on it break."""
        prefix.state = state
        self._usable.pop(prefix.name, None)
        # It went now: valid until now, and preferred until now at the latest. A deprecated
        # prefix (T4) stopped being preferred when its grace period began, and stays so.
        prefix.valid_until = self.w.now
        if prefix.preferred_until is None or prefix.preferred_until > self.w.now:
            prefix.preferred_until = self.w.now
        self.w.network.release(prefix.allocated_by, prefix.network)
        address = self.address_of(prefix)
        if address is None:
            return
        del self.addresses[address.name]
        for fd in self.users_of(address.name):
            sock = self.sockets[fd]
            if sock.protocol is Protocol.UDP:
                # No connection to lose: the socket lives on, and its sends from the address
                # that went fail (datagrams.py).
                self.w.record(ev.SourceGone(fd, sock.owner, address.name, loss, ("C1", *rules)))
            else:
                self._break(sock, address.name, loss, rules)
        self._users.pop(address.name, None)
        # A socket setsc() gave it but that never bound it is not broken (R3): its bind() of
        # the address will fail with EADDRNOTAVAIL, as on a real stack.
        self._waiting.pop(address.name, None)

    def _break(self, sock: Socket, address: str, loss: Loss, rules: ev.Rules) -> None:
        self._let_go(sock)
        self._live.pop(sock.fd, None)
        sock.state = SocketState.BROKEN
        sock.lost_address, sock.loss, sock.loss_rules = address, loss, rules
        self.w.record(ev.SocketBroken(sock.fd, sock.owner, address, loss, rules))
        self.w.notify(sock.owner, SocketLost(sock.fd))

    # ------------------------------------------------------------------ requests to the network

    def _request(
        self, type_: AddressType | None, purpose: str, rules: ev.Rules, fd: int | None = None
    ) -> Request | None:
        gateway = self.serving_gateway
        if gateway is None:
            return None
        request = Request(self._next_request, type_, purpose, gateway, fd)
        self._next_request += 1
        self.pending[request.id] = request
        self.w.schedule(self.w.network.config.signalling_delay, "net-reply", request.id)
        self.w.record(ev.PrefixRequested(request.id, type_, gateway, fd, rules))
        return request
