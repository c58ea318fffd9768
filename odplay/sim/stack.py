"""The mobile host's IP stack: its tables, the socket calls, and what it does when the host moves.

This is where the draft's behaviour lives. `setsc()` follows Sections 3.1, 3.4, 3.5 and 6.1
(D1-D5, A1-A6); movement follows 3.2 and the 4.2 flow (T1-T4, F5-F7); source selection for
sockets that never bound follows 5.2 and 5.4 (B3-B6, R1-R3). The stack never reads a clock and
never waits: it asks the world to schedule the network's answer and is called back when it comes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    ON_NET,
    RFC5014_FLAGS,
    AddressType,
    AddrPreference,
    Status,
    flag_names,
)
from odplay.sim.network import SURVIVES_GATEWAY_CHANGE, Mobility
from odplay.sim.paths import Path, path_for
from odplay.sim.policy import AllocationPolicy, HostPolicy, LastClosePolicy
from odplay.sim.tables import Address, Prefix, PrefixState, Socket, SocketState
from odplay.sim.timeunits import format_duration
from odplay.sim.trace import NETWORK, STACK

if TYPE_CHECKING:
    from odplay.sim.world import World

EPHEMERAL_PORTS = range(49152, 65536)
# Plain-int masks: `int & IntFlag` builds a new enum member on every call, which showed up as the
# largest single cost of a 10,000-socket run (benchmarks/).
_ON_NET = int(ON_NET)
_RFC5014 = int(RFC5014_FLAGS)
_TYPE_OF_VALUE = {t.value: t for t in AddressType}


@dataclass(slots=True)
class Request:
    """A prefix request in flight from the stack to the network (D3)."""

    id: int
    type: AddressType | None  # None: the application asked for no type (B5)
    purpose: str  # "setsc", "boot" or "connect"
    gateway: str  # the gateway asked
    fd: int | None = None


@dataclass(frozen=True, slots=True)
class Reachability:
    ok: bool
    reason: str
    address: str | None = None
    path: Path | None = None


def _type_name(type_: AddressType | None) -> str:
    return type_.label if type_ else "no type"


class HostStack:
    """Tables and calls of the host's IP stack; one per simulated host."""

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
        # address name → live sockets holding it; kept in step with every change of a socket's
        # addresses or liveness, so that setsc() and close() need not scan every socket.
        self._users: dict[str, set[int]] = {}
        self._serial: dict[str, int] = {}
        self._next_fd = 3  # 0-2 are stdin, stdout and stderr, as on a real host (A7)
        self._next_port = EPHEMERAL_PORTS.start
        self._next_request = 1
        self._booted = False
        groups = [world.rng.randrange(0x1000, 0x10000) for _ in range(4)]
        self.interface_id = ":".join(f"{g:x}" for g in groups)

    # ------------------------------------------------------------------ queries

    @property
    def serving_gateway(self) -> str | None:
        if self.attachment is None:
            return None
        return self.w.network.config.ap(self.attachment).gateway

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

    def users_of(self, address_name: str) -> list[int]:
        """The live sockets holding an address: given it by setsc(), bound to it, or sending."""
        return sorted(self._users.get(address_name, ()))

    def _hold(self, sock: Socket, address_name: str) -> None:
        self._users.setdefault(address_name, set()).add(sock.fd)

    def _let_go(self, sock: Socket) -> None:
        for name in (sock.setsc_address, sock.source_address):
            if name is not None:
                self._users.get(name, set()).discard(sock.fd)

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
        return prefix

    def _grant(self, type_: AddressType | None, gateway: str, reason: str) -> Prefix | None:
        """The network allocates a prefix of `type_` (None: its default) for the host, if it can."""
        net = self.w.network
        if type_ is None and not net.config.legacy:
            type_ = net.config.default_type
        node = net.allocating_node(type_, gateway)
        allocation = net.allocate(node)
        if allocation is None:
            return None
        return self._configure(type_, allocation.network, allocation.node, reason)

    def _remove(self, prefix: Prefix, state: PrefixState, why: str, rules: tuple[str, ...]) -> None:
        """Withdraw or release a prefix: its address goes, and the sockets on it break."""
        prefix.state = state
        self._usable.pop(prefix.name, None)
        prefix.valid_until = prefix.preferred_until = self.w.now
        self.w.network.release(prefix.allocated_by, prefix.network)
        address = self.address_of(prefix)
        if address is None:
            return
        del self.addresses[address.name]
        for fd in self.users_of(address.name):
            self._break(self.sockets[fd], f"{address.name} {why}", rules)
        self._users.pop(address.name, None)

    def _break(self, sock: Socket, reason: str, rules: tuple[str, ...]) -> None:
        self._let_go(sock)
        self._live.pop(sock.fd, None)
        sock.state = SocketState.BROKEN
        sock.broken_reason = reason
        self.w.emit(
            STACK,
            "socket-broken",
            f"socket {sock.fd} of {sock.owner} breaks: {reason}",
            rules,
            target=sock.owner,
            fd=sock.fd,
        )
        self.w.notify(sock.owner, "on_socket_broken", sock.fd)

    # ------------------------------------------------------------------ movement

    def move(self, ap: str | None) -> None:
        """Attach to `ap`, move to it, or detach (None). Gateway changes drive T1-T4 and F5-F7."""
        config = self.w.network.config
        old_ap, old_gw = self.attachment, self.serving_gateway
        new_gw = config.ap(ap).gateway if ap else None
        self.attachment = ap
        if ap is None:
            self.w.emit("host", "detach", f"host detaches from {old_ap}", ("T1",), target=NETWORK)
        elif old_ap is None:
            self.w.emit("host", "attach", f"host attaches to {ap} ({new_gw})", ("F1",), NETWORK)
        else:
            what = "same gateway" if old_gw == new_gw else f"gateway {old_gw} → {new_gw}"
            self.w.emit("host", "move", f"host moves {old_ap} → {ap} ({what})", ("F5",), NETWORK)
        if old_gw == new_gw:
            if ap is not None and old_ap is not None:
                self.w.emit(
                    NETWORK,
                    "same-gateway",
                    f"{new_gw} still serves the host: every prefix stays valid",
                    ("T3",),
                    target=STACK,
                )
        else:
            deprecated = self._leave_gateway(old_gw) if old_gw else []
            if new_gw is not None:
                if old_gw is not None and config.mobility is Mobility.MOBILE_IP:
                    # Mobile IP: tell the home agent (the central anchor) where the host is.
                    self.w.emit(
                        STACK,
                        "binding-update",
                        f"binding update to {config.anchor}: the host is now behind {new_gw}",
                        ("C3",),
                        target=NETWORK,
                    )
                self._join_gateway(new_gw, replace_graceful=bool(deprecated))
            for prefix in deprecated:
                self._notify_deprecated(prefix)
        self._report_paths()

    def _leave_gateway(self, gateway: str) -> list[Prefix]:
        """What the host loses when `gateway` stops serving it; returns GR prefixes deprecated."""
        deprecated: list[Prefix] = []
        network = self.w.network
        grace = network.config.grace_period
        for prefix in list(self._usable.values()):
            if network.survives_gateway_change(prefix.type):
                if prefix.type not in SURVIVES_GATEWAY_CHANGE:
                    rules: tuple[str, ...] = ("C3",)  # Mobile IP keeps every prefix
                elif prefix.type is FIXED:
                    rules = ("T1",)
                else:
                    rules = ("T2", "F7")
                self.w.emit(
                    NETWORK,
                    "prefix-kept",
                    f"{prefix.name} stays valid, anchored at {prefix.anchor}",
                    rules,
                    target=STACK,
                    prefix=prefix.name,
                )
            elif network.has_grace(prefix.type) and prefix.state is PrefixState.VALID:
                prefix.state = PrefixState.DEPRECATED
                prefix.preferred_until = self.w.now
                prefix.valid_until = self.w.now + grace
                self.w.schedule(grace, "grace-expiry", prefix.name)
                self.w.emit(
                    NETWORK,
                    "prefix-deprecated",
                    f"{prefix.name} deprecated: valid for a grace period of "
                    f"{format_duration(grace)} more",
                    ("T4",),
                    target=STACK,
                    prefix=prefix.name,
                    valid_until=prefix.valid_until,
                )
                deprecated.append(prefix)
            elif not network.has_grace(prefix.type):
                # Non-persistent and untyped prefixes belong to the gateway that is gone (T3),
                # and so does every prefix when the network offers no mobility at all.
                rules = ("T3", "F5") if prefix.type is NON_PERSISTENT else ("T3", "B7")
                if network.config.mobility is Mobility.NONE:
                    rules = ("T3", "C3")
                self.w.emit(
                    NETWORK,
                    "prefix-withdrawn",
                    f"{prefix.name} is no longer valid: {gateway} no longer serves the host",
                    rules,
                    target=STACK,
                    prefix=prefix.name,
                )
                self._remove(prefix, PrefixState.WITHDRAWN, "was withdrawn", rules)
        return deprecated

    def _join_gateway(self, gateway: str, replace_graceful: bool) -> None:
        """What a new serving gateway hands out on attachment (F1, F5, T4, B7), then boot policy."""
        config = self.w.network.config
        if config.legacy:
            wanted: list[AddressType | None] = [] if self._held(None) else [None]
        else:
            wanted = [t for t in config.on_attach if t in config.supports and not self._held(t)]
            graceful_offered = GRACEFUL_REPLACEMENT in config.supports
            if replace_graceful and graceful_offered and GRACEFUL_REPLACEMENT not in wanted:
                wanted.append(GRACEFUL_REPLACEMENT)
        for type_ in wanted:
            prefix = self._grant(type_, gateway, "on attach")
            if type_ is None:
                rules: tuple[str, ...] = ("B7",)
            elif type_ is GRACEFUL_REPLACEMENT and replace_graceful:
                rules = ("T4",)
            else:
                rules = ("F5",) if self._booted else ("F1",)
            if prefix is None:
                self.w.emit(
                    gateway,
                    "pool-dry",
                    f"{gateway} has no prefix left to offer ({_type_name(type_)})",
                    ("D4",),
                    target=STACK,
                )
                continue
            self.w.emit(
                NETWORK,
                "prefix-offered",
                f"{gateway} provides {prefix.name} ({_type_name(prefix.type)}) {prefix.network}",
                rules,
                target=STACK,
                prefix=prefix.name,
            )
        if not self._booted:
            self._booted = True
            for type_ in self.policy.boot_types:
                self._request(type_, "boot", rules=("D10", "D3"))

    def _notify_deprecated(self, prefix: Prefix) -> None:
        address = self.address_of(prefix)
        if address is None:
            return
        for fd in self.users_of(address.name):
            self.w.notify(self.sockets[fd].owner, "on_address_deprecated", fd)

    def grace_expired(self, prefix_name: str) -> None:
        """The end of a Graceful-replacement prefix's grace period: it goes (T4)."""
        prefix = self.prefixes.get(prefix_name)
        if prefix is None or prefix.state is not PrefixState.DEPRECATED:
            return
        self.w.emit(
            NETWORK,
            "grace-expired",
            f"grace period of {prefix.name} is over: it is no longer valid",
            ("T4",),
            target=STACK,
            prefix=prefix.name,
        )
        self._remove(prefix, PrefixState.WITHDRAWN, "outlived its grace period", ("T4",))

    def _report_paths(self) -> None:
        for sock in self._live.values():
            if sock.state not in (SocketState.CONNECTED, SocketState.LISTENING):
                continue
            path = self.path_of(sock)
            if path is None:
                text = f"socket {sock.fd} of {sock.owner}: no path while detached"
                rules: tuple[str, ...] = ("T1",)
            else:
                via = f", tunnelled via {path.via}" if path.via else ", direct"
                text = f"socket {sock.fd} of {sock.owner}: RTT {path.rtt}ms{via}"
                rules = ("D11", "C3") if path.via else ()
            self.w.emit(STACK, "path", text, rules, fd=sock.fd, rtt=path.rtt if path else None)

    # ------------------------------------------------------------------ requests to the network

    def _request(
        self, type_: AddressType | None, purpose: str, rules: tuple[str, ...], fd: int | None = None
    ) -> Request | None:
        gateway = self.serving_gateway
        if gateway is None:
            return None
        request = Request(self._next_request, type_, purpose, gateway, fd)
        self._next_request += 1
        self.pending[request.id] = request
        self.w.schedule(self.w.network.config.signalling_delay, "net-reply", request.id)
        self.w.emit(
            STACK,
            "prefix-request",
            f"request a prefix ({_type_name(type_)}) from {gateway}"
            + (" [no type: the network's default decides]" if type_ is None else ""),
            rules,
            target=NETWORK,
            request=request.id,
            fd=fd,
        )
        return request

    def network_reply(self, request_id: int) -> None:
        """The network's answer to a request (D3): a prefix, or a failure."""
        request = self.pending.pop(request_id, None)
        if request is None:
            return
        config = self.w.network.config
        status, prefix = Status.SUCCESS, None
        if request.type is not None and not self.w.network.supports(request.type):
            status, why = (
                Status.EAI_REQUIREDIPNOTSUPPORTED,
                ("is a legacy network" if config.legacy else "does not support this type"),
            )
        elif (
            not self.w.network.survives_gateway_change(request.type)
            and request.gateway != self.serving_gateway
        ):
            status, why = Status.EAI_REQUIREDIPFAILED, "no longer serves the host"
        else:
            prefix = self._grant(request.type, request.gateway, self._reason(request))
            if prefix is None:
                status, why = Status.EAI_REQUIREDIPFAILED, "has no prefix left in its pool"
        if prefix is not None:
            self.w.emit(
                NETWORK,
                "prefix-granted",
                f"{request.gateway} grants {prefix.name} ({_type_name(prefix.type)}) "
                f"{prefix.network}, anchored at {prefix.anchor}",
                ("D5", "B5") if request.type is None else ("D5",),
                target=STACK,
                prefix=prefix.name,
                request=request.id,
            )
        else:
            rules = ("D4", "F8") if status is Status.EAI_REQUIREDIPNOTSUPPORTED else ("D4",)
            if config.legacy:
                rules = ("B2", "B7")
            self.w.emit(
                NETWORK,
                "prefix-refused",
                f"{request.gateway} refuses: it {why} ({status.name})",
                rules,
                target=STACK,
                request=request.id,
                status=status.name,
            )
        if request.purpose == "setsc" and request.fd is not None:
            address = self.address_of(prefix) if prefix else None
            self._finish_setsc(request.fd, status, address, blocked=True)
        elif request.purpose == "connect" and request.fd is not None:
            self._finish_pending_connect(request.fd, prefix)

    def _reason(self, request: Request) -> str:
        if request.fd is not None:
            return f"socket {request.fd}"
        return "boot policy" if request.purpose == "boot" else request.purpose

    # ------------------------------------------------------------------ the socket calls

    def socket_call(self, owner: str, role: str = "main") -> int:
        fd = self._next_fd
        self._next_fd += 1
        self.sockets[fd] = self._live[fd] = Socket(fd=fd, owner=owner, role=role)
        self.w.emit(owner, "socket", f"socket(AF_INET6) → {fd}", (), target=STACK, fd=fd)
        return fd

    def setsockopt(self, fd: int, flags: int) -> Status:
        """setsockopt(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, flags): RFC 5014 flags and ON_NET."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, "setsockopt", Status.EBADF, ())
        names = "|".join(flag_names(flags)) or "0"
        if self.policy.legacy_stack and flags & _ON_NET:
            return self._fail(
                fd,
                "setsockopt",
                Status.EINVAL,
                ("B2",),
                "a legacy stack does not know IPV6_REQUIRE_SRC_ON_NET",
            )
        sock.flags = flags
        rules: list[str] = []
        if flags & _ON_NET:
            rules.append("A6")
        if flags & _RFC5014:
            rules.append("R1" if sock.requested_type is not None else "R3")
        self.w.emit(
            sock.owner,
            "setsockopt",
            f"setsockopt({fd}, IPV6_ADDR_PREFERENCES, {names}) → 0",
            tuple(rules),
            target=STACK,
            fd=fd,
            flags=flags,
        )
        return Status.SUCCESS

    def getsockopt(self, fd: int) -> int | None:
        sock = self.socket(fd)
        return None if sock is None else sock.flags

    def setsc(self, fd: int, type_value: int) -> tuple[Status, Address | None] | None:
        """setsc(sockfd, &sourceAddress, addressType) (A1); None: the caller is blocked (A5)."""
        sock = self.socket(fd)
        owner = sock.owner if sock else "?"
        if sock is None:
            return self._fail(fd, "setsc", Status.EBADF, ("A1",)), None
        if self.policy.legacy_stack:
            return self._fail(
                fd,
                "setsc",
                Status.ENOSYS,
                ("B2",),
                "this is a legacy stack: setsc() does not exist",
            ), None
        if type_value not in (1, 2, 3, 4):
            why = "reserved" if 0 <= type_value <= 7 else "outside the 3-bit field"
            return self._fail(
                fd, "setsc", Status.EINVAL, ("A2",), f"address type {type_value} is {why}"
            ), None
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(
                fd,
                "setsc",
                Status.EINVAL,
                ("A4",),
                f"socket is {sock.state.value}; setsc() comes before bind()",
            ), None
        type_ = _TYPE_OF_VALUE[type_value]
        self._let_go(sock)  # a second setsc() before bind() replaces the first one's address
        sock.setsc_address = None
        sock.requested_type = type_
        on_net = bool(sock.flags & _ON_NET)
        self.w.emit(
            owner,
            "setsc",
            f"setsc({fd}, {type_.name})" + (" with ON_NET" if on_net else ""),
            ("D1", "A1", "G1"),
            target=STACK,
            fd=fd,
            type=type_.slug,
        )
        if not self.policy.allows(owner, type_):
            return self._finish_setsc(
                fd, Status.EPERM, None, why="refused by permission policy"
            ), None
        held = self._held(type_)
        fresh = self.policy.allocation is AllocationPolicy.FRESH
        if held and not on_net and not fresh:
            address = self.address_of(held[0])
            return self._finish_setsc(fd, Status.SUCCESS, address, reused=True), address
        if self.serving_gateway is None:
            return self._finish_setsc(
                fd, Status.EAI_REQUIREDIPFAILED, None, why="detached: there is no network to ask"
            ), None
        rules = ["D3", "B4", "A5"]
        if on_net:
            rules.append("A6")
        if held:
            rules.append("D9" if fresh else "D11")
        self._request(type_, "setsc", tuple(rules), fd)
        sock.state = SocketState.BLOCKED
        return None

    def _finish_setsc(
        self,
        fd: int,
        status: Status,
        address: Address | None,
        reused: bool = False,
        why: str = "",
        blocked: bool = False,
    ) -> Status:
        sock = self.sockets[fd]
        if sock.state is SocketState.CLOSED:
            return status
        sock.setsc_status = status
        if status is Status.SUCCESS and address is not None:
            sharing = len(self._users.get(address.name, ()))
            sock.setsc_address = address.name
            sock.state = SocketState.ADDRESSED
            self._hold(sock, address.name)
            rules: tuple[str, ...]
            if reused:
                rules = ("D2", "B6", "A5", "D7") if sharing else ("D2", "B6", "A5")
            else:
                rules = ("D5", "A3")
            text = f"setsc({fd}) → 0, {address.name} {address.value}"
            if sharing:
                others = "socket" if sharing == 1 else "sockets"
                text += f" (shared with {sharing} other {others})"
        else:
            sock.state = SocketState.OPEN
            rules = {
                Status.EPERM: ("S1",),
                Status.EAI_REQUIREDIPNOTSUPPORTED: ("D4", "A3", "F8"),
                Status.EAI_REQUIREDIPFAILED: ("D4", "A3"),
            }.get(status, ("A3",))
            text = f"setsc({fd}) → {status.name}" + (f": {why}" if why else "")
        self.w.emit(
            STACK,
            "setsc-result",
            text,
            rules,
            target=sock.owner,
            fd=fd,
            status=status.name,
            address=address.name if address else None,
        )
        if blocked:
            # Only a caller that blocked needs waking; an immediate result was returned (A5).
            self.w.notify(sock.owner, "on_setsc_done", fd)
        return status

    def _fail(
        self, fd: int, call: str, status: Status, rules: tuple[str, ...], why: str = ""
    ) -> Status:
        sock = self.sockets.get(fd)
        owner = sock.owner if sock else "?"
        detail = f": {why}" if why else ""
        self.w.emit(
            STACK,
            f"{call}-error",
            f"{call}({fd}) → {status.name}{detail}",
            rules,
            target=owner,
            fd=fd,
            status=status.name,
        )
        return status

    def bind(self, fd: int, address_text: str, port: int = 0) -> Status:
        """bind(): to the address setsc() gave (A4), another configured one, or `::` (legacy)."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, "bind", Status.EBADF, ("A4",))
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(fd, "bind", Status.EINVAL, ("A4",), f"socket is {sock.state.value}")
        address: Address | None = None
        if address_text not in ("::", ""):
            address = self.find_address(address_text)
            if address is None or not self.prefix_of(address).usable:
                return self._fail(
                    fd,
                    "bind",
                    Status.EADDRNOTAVAIL,
                    ("A4",),
                    f"{address_text} is not configured on the host",
                )
        if port and self._port_taken(address.name if address else None, port, fd):
            return self._fail(fd, "bind", Status.EADDRINUSE, ("A4",), f"port {port} is in use")
        sock.port = port or self._ephemeral_port()
        sock.state = SocketState.BOUND
        sock.bound_address = address.name if address else None
        sock.source_address = address.name if address else None
        if address is not None:
            self._hold(sock, address.name)
        rules: list[str] = ["A4"]
        if sock.setsc_address and address and address.name == sock.setsc_address:
            rules.append("C1")
            if sock.flags & _RFC5014:
                rules += ["R1", "R2"]
        elif address is None:
            rules.append("B3")
        shown = address.name if address else "::"
        self.w.emit(
            sock.owner,
            "bind",
            f"bind({fd}, [{shown}]:{sock.port}) → 0",
            tuple(rules),
            target=STACK,
            fd=fd,
            address=sock.bound_address,
            port=sock.port,
        )
        if "R2" in rules:
            self.w.emit(
                STACK,
                "rfc5014-ignored",
                f"socket {fd}: setsc()+bind() win; RFC 5014 flags "
                f"{'|'.join(flag_names(sock.flags & _RFC5014))} are ignored",
                ("R1", "R2"),
                target=sock.owner,
                fd=fd,
            )
        return Status.SUCCESS

    def _port_taken(self, address: str | None, port: int, fd: int) -> bool:
        for other in self._live.values():
            if other.fd == fd or other.port != port:
                continue
            if address is None or other.bound_address in (None, address):
                return True
        return False

    def _ephemeral_port(self) -> int:
        port = self._next_port
        self._next_port = port + 1 if port + 1 < EPHEMERAL_PORTS.stop else EPHEMERAL_PORTS.start
        return port

    def listen(self, fd: int, port: int = 0) -> Status:
        """listen(): an unbound socket is first bound to `::` and `port`, as legacy code does."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, "listen", Status.EBADF, ())
        if sock.state in (SocketState.OPEN, SocketState.ADDRESSED):
            status = self.bind(fd, "::", port)
            if status:
                return status
        if sock.state is not SocketState.BOUND:
            return self._fail(fd, "listen", Status.EINVAL, (), f"socket is {sock.state.value}")
        sock.state = SocketState.LISTENING
        where = sock.bound_address or "::"
        rules = ("C2",) if sock.bound_address and self._is_fixed(sock.bound_address) else ()
        self.w.emit(
            sock.owner,
            "listen",
            f"listen({fd}) on [{where}]:{sock.port} → 0",
            rules,
            target=STACK,
            fd=fd,
        )
        return Status.SUCCESS

    def _is_fixed(self, address_name: str) -> bool:
        return self.addresses[address_name].type is FIXED

    def connect(self, fd: int, peer: str, port: int) -> Status | None:
        """connect(): None while the stack asks the network for an untyped prefix (B5)."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, "connect", Status.EBADF, ("A4",))
        if sock.state is SocketState.CONNECTED:
            return self._fail(fd, "connect", Status.EISCONN, ("A4",))
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED, SocketState.BOUND):
            return self._fail(
                fd, "connect", Status.EINVAL, ("A4",), f"socket is {sock.state.value}"
            )
        if self.attachment is None:
            return self._fail(fd, "connect", Status.ENETUNREACH, ("A4",), "the host is detached")
        if self.w.network.config.correspondent(peer) is None:
            return self._fail(fd, "connect", Status.EHOSTUNREACH, ("A4",), f"no host {peer!r}")
        sock.peer, sock.peer_port = peer, port
        if sock.state is SocketState.BOUND and sock.bound_address is not None:
            address = self.addresses.get(sock.bound_address)
            if address is None:
                return self._fail(
                    fd,
                    "connect",
                    Status.EADDRNOTAVAIL,
                    ("A4", "C1"),
                    f"{sock.bound_address} is gone",
                )
            return self._connected(sock, address, ("A4", "C1"))
        if sock.setsc_address is not None:
            # R3: setsc() without bind() leaves its address unused.
            self.w.emit(
                STACK,
                "setsc-unused",
                f"socket {fd} never bound: {sock.setsc_address} from setsc() is not used",
                ("R3",),
                target=sock.owner,
                fd=fd,
            )
        address = self._select_source(sock)
        if address is None:
            sock.state = SocketState.CONNECTING
            self._request(None, "connect", ("B5", "B3"), fd)
            return None
        rules = ("R3",) if sock.setsc_address else ("B1", "B3", "B6")
        return self._connected(sock, address, rules)

    def _connected(self, sock: Socket, address: Address, rules: tuple[str, ...]) -> Status:
        if sock.port is None:
            sock.port = self._ephemeral_port()
        sock.source_address = address.name
        self._hold(sock, address.name)
        sock.state = SocketState.CONNECTED
        path = self.path_of(sock)
        rtt = (
            f", RTT {path.rtt}ms" + (f" via {path.via}" if path and path.via else "")
            if path
            else ""
        )
        self.w.emit(
            sock.owner,
            "connect",
            f"connect({sock.fd}, {sock.peer}:{sock.peer_port}) from {address.name} → 0{rtt}",
            rules,
            target=STACK,
            fd=sock.fd,
            source=address.name,
            rtt=path.rtt if path else None,
        )
        return Status.SUCCESS

    def _finish_pending_connect(self, fd: int, prefix: Prefix | None) -> None:
        sock = self.sockets[fd]
        if sock.state is not SocketState.CONNECTING:
            return
        address = self.address_of(prefix) if prefix else None
        if address is None:
            sock.state = SocketState.OPEN
            self._fail(fd, "connect", Status.EADDRNOTAVAIL, ("B5",), "the network gave no prefix")
            self.w.notify(sock.owner, "on_connect_done", fd)
            return
        self._connected(sock, address, ("B5", "B3"))
        self.w.notify(sock.owner, "on_connect_done", fd)

    def _select_source(self, sock: Socket) -> Address | None:
        """Source selection for a socket that did not bind (B3, B6, R3, D10).

        RFC 5014 flags steer it: HOME prefers a Fixed address (anchored at the central anchor,
        like a Mobile IP home address), COA prefers a prefix of the serving gateway (like a
        care-of address). The other RFC 5014 flags have nothing to choose between in odplay's
        model (no temporary or CGA addresses) and leave the choice to the defaults: the
        policy's default type (D10), then the serving gateway's prefix, then any held address.
        """
        candidates = [
            a
            for a in reversed(self.addresses.values())
            if self.prefix_of(a).state is PrefixState.VALID
        ]
        if not candidates:
            return None
        serving = self.serving_gateway

        def local(a: Address) -> bool:
            return self.prefix_of(a).anchor == serving

        preferences: list[Callable[[Address], bool]] = []
        if sock.flags & AddrPreference.IPV6_PREFER_SRC_HOME:
            preferences.append(lambda a: a.type is FIXED)
        if sock.flags & AddrPreference.IPV6_PREFER_SRC_COA:
            preferences.append(local)
        if self.policy.default_type is not None:
            default = self.policy.default_type
            preferences.append(lambda a: a.type is default)
        preferences.append(local)
        for prefers in preferences:
            for address in candidates:
                if prefers(address):
                    return address
        return candidates[0]

    def close(self, fd: int) -> Status:
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, "close", Status.EBADF, ())
        held = {sock.setsc_address, sock.source_address} - {None}
        self._let_go(sock)
        self._live.pop(fd, None)
        sock.state = SocketState.CLOSED
        self.w.emit(sock.owner, "close", f"close({fd}) → 0", (), target=STACK, fd=fd)
        for name in sorted(n for n in held if n is not None):
            if name in self.addresses and not self._users.get(name):
                self._last_user_gone(self.addresses[name])
        return Status.SUCCESS

    def _last_user_gone(self, address: Address) -> None:
        """D8: the last socket on an address closed; release it or keep it, as policy says."""
        prefix = self.prefix_of(address)
        if self.policy.on_last_close is LastClosePolicy.KEEP or prefix.type is FIXED:
            why = "Fixed addresses are kept (T1)" if prefix.type is FIXED else "policy: keep"
            self.w.emit(
                STACK,
                "address-kept",
                f"{address.name} has no socket left; kept ({why})",
                ("D8",),
                address=address.name,
            )
            return
        self.w.emit(
            STACK,
            "address-released",
            f"{address.name} has no socket left; released with {prefix.name} (policy: release)",
            ("D8",),
            target=NETWORK,
            address=address.name,
            prefix=prefix.name,
        )
        self._remove(prefix, PrefixState.RELEASED, "was released", ("D8",))

    # ------------------------------------------------------------------ reachability (C2)

    def reachability(self, name: str, port: int, peer: str | None = None) -> Reachability:
        """Can a correspondent reach `name`:`port` on the host now? No side effects."""
        value = self.w.network.dns.get(name)
        if value is None:
            return Reachability(False, f"{name} is not in DNS")
        address = self.find_address(value)
        if address is None or not self.prefix_of(address).usable:
            return Reachability(False, f"{name} → {value}, which the host no longer holds")
        if self.attachment is None:
            return Reachability(
                False, f"{name} → {address.name}; the host is detached", address.name
            )
        listening = any(
            s.state is SocketState.LISTENING
            and s.port == port
            and s.bound_address in (None, address.name)
            for s in self._live.values()
        )
        if not listening:
            return Reachability(False, f"nothing listens on [{address.name}]:{port}", address.name)
        path = path_for(
            self.w.network.config, self.attachment, self.prefix_of(address).anchor, peer
        )
        return Reachability(True, f"{name} → {address.name}", address.name, path)
