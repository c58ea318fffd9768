"""The socket calls as the host stack answers them (Sections 3.1, 3.4, 3.5, 4.1, 5 and 6).

socket(), setsockopt() with the RFC 5014 flags and ON_NET (A6, R1-R3), setsc() (D1-D5, D7, D9,
A1-A6, S1), bind() (A4, C1), listen() (C2), connect() (B1-B6, R3), close() and what the last
close of an address does (D8). A call that cannot be answered at once (setsc() or connect()
asking the network) returns None and finishes when the network's reply comes (host_stack.py).
"""

from __future__ import annotations

from odplay.constants import FIXED, ON_NET, RFC5014_FLAGS, AddressType, Status
from odplay.sim import events as ev
from odplay.sim.events import Call, Why
from odplay.sim.notices import ConnectDone, SetscDone
from odplay.sim.policy import AllocationPolicy, FreshFailurePolicy, LastClosePolicy
from odplay.sim.stack.core import EPHEMERAL_PORTS, StackCore
from odplay.sim.stack.source_selection import select_source
from odplay.sim.tables import Address, Loss, Prefix, PrefixState, Socket, SocketState

# Plain-int masks: `int & IntFlag` builds a new enum member on every call, which showed up as the
# largest single cost of a 10,000-socket run (benchmarks/).
_ON_NET = int(ON_NET)
_RFC5014 = int(RFC5014_FLAGS)
_TYPE_OF_VALUE = {t.value: t for t in AddressType}
#: The rules a failed setsc() illustrates, by status (A3).
_SETSC_FAILURE_RULES: dict[Status, ev.Rules] = {
    Status.EPERM: ("S1",),
    Status.EAI_REQUIREDIPNOTSUPPORTED: ("D4", "A3", "F8"),
    Status.EAI_REQUIREDIPFAILED: ("D4", "A3"),
}


class SocketCalls(StackCore):
    """The calls an application makes on the host stack."""

    def _fail(
        self,
        fd: int,
        call: Call,
        status: Status,
        rules: ev.Rules,
        why: Why = Why.NOTHING_MORE,
        subject: SocketState | str | int | None = None,
    ) -> Status:
        sock = self.sockets.get(fd)
        owner = sock.owner if sock else "?"
        self.w.record(ev.CallFailed(call, fd, owner, status, rules, why, subject))
        return status

    def socket_call(self, owner: str, role: str = "main") -> int:
        fd = self._next_fd
        self._next_fd += 1
        self.sockets[fd] = self._live[fd] = Socket(fd=fd, owner=owner, role=role)
        self.w.record(ev.SocketOpened(fd, owner))
        return fd

    def setsockopt(self, fd: int, flags: int) -> Status:
        """setsockopt(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, flags): RFC 5014 flags and ON_NET."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.SETSOCKOPT, Status.EBADF, ())
        if self.policy.legacy_stack and flags & _ON_NET:
            return self._fail(fd, Call.SETSOCKOPT, Status.EINVAL, ("B2",), Why.ON_NET_UNKNOWN)
        sock.flags = flags
        rules: list[str] = []
        if flags & _ON_NET:
            rules.append("A6")
        if flags & _RFC5014:
            rules.append("R1" if sock.requested_type is not None else "R3")
        self.w.record(ev.SockoptSet(fd, sock.owner, flags, tuple(rules)))
        return Status.SUCCESS

    def getsockopt(self, fd: int) -> int | None:
        sock = self.socket(fd)
        return None if sock is None else sock.flags

    def setsc(self, fd: int, type_value: int) -> tuple[Status, Address | None] | None:
        """setsc(sockfd, &sourceAddress, addressType) (A1); None: the caller is blocked (A5)."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.SETSC, Status.EBADF, ("A1",)), None
        if self.policy.legacy_stack:
            return self._fail(fd, Call.SETSC, Status.ENOSYS, ("B2",), Why.NO_SETSC), None
        if type_value not in (1, 2, 3, 4):
            why = Why.RESERVED_TYPE if 0 <= type_value <= 7 else Why.TYPE_OUT_OF_RANGE
            return self._fail(fd, Call.SETSC, Status.EINVAL, ("A2",), why, type_value), None
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(
                fd, Call.SETSC, Status.EINVAL, ("A4",), Why.SETSC_AFTER_BIND, sock.state
            ), None
        owner = sock.owner
        type_ = _TYPE_OF_VALUE[type_value]
        self._let_go(sock)  # a second setsc() before bind() replaces the first one's address
        sock.setsc_address = None
        sock.requested_type = type_
        on_net = bool(sock.flags & _ON_NET)
        self.w.record(ev.SetscCalled(fd, owner, type_, on_net))
        if not self.policy.allows(owner, type_):
            return self._finish_setsc(fd, Status.EPERM, None, why=Why.NOT_PERMITTED), None
        held = self._held(type_)
        fresh = self.policy.allocation is AllocationPolicy.FRESH
        if held and not on_net and not fresh:
            address = self.address_of(held[0])
            return self._finish_setsc(fd, Status.SUCCESS, address, reused=True), address
        # Under `fresh`, ON_NET changes what happens only when no fresh prefix comes (A6, D9).
        fallback = fresh and self.policy.when_fresh_fails is FreshFailurePolicy.REUSE
        may_reuse = fallback and not on_net
        if self.serving_gateway is None:
            if may_reuse and held:
                address = self.address_of(held[0])
                return self._finish_setsc(
                    fd, Status.SUCCESS, address, reused=True, why=Why.FRESH_FAILED
                ), address
            why = Why.ON_NET_ONLY if fallback and held else Why.NO_NETWORK
            return self._finish_setsc(fd, Status.EAI_REQUIREDIPFAILED, None, why=why), None
        rules = ["D3", "B4", "A5"]
        if on_net:
            rules.append("A6")
        if held:
            rules.append("D9" if fresh else "D11")
        request = self._request(type_, "setsc", tuple(rules), fd)
        if request is not None:
            request.may_reuse, request.on_net_only = may_reuse, fallback and on_net
        sock.state = SocketState.BLOCKED
        return None

    def _fresh_failed(self, fd: int, type_: AddressType | None) -> bool:
        """No fresh prefix came for a setsc() that may fall back (`when_fresh_fails: reuse`):
        give it a held address of its type, if there is one (A6, D9, D2)."""
        held = self._held(type_)
        if not held:
            return False
        address = self.address_of(held[0])
        self._finish_setsc(
            fd, Status.SUCCESS, address, reused=True, why=Why.FRESH_FAILED, blocked=True
        )
        return True

    def _finish_setsc(
        self,
        fd: int,
        status: Status,
        address: Address | None,
        reused: bool = False,
        why: Why = Why.NOTHING_MORE,
        blocked: bool = False,
    ) -> Status:
        sock = self.sockets[fd]
        if sock.state is SocketState.CLOSED:
            return status
        sock.setsc_status = status
        sharing = 0
        rules: ev.Rules
        if status is Status.SUCCESS and address is not None:
            sharing = len(self._users.get(address.name, ()))
            sock.setsc_address = address.name
            sock.state = SocketState.ADDRESSED
            self._hold(sock, address.name)
            if why is Why.FRESH_FAILED:
                rules = ("D9", "A6", "D2", "D7") if sharing else ("D9", "A6", "D2")
            elif reused:
                rules = ("D2", "B6", "A5", "D7") if sharing else ("D2", "B6", "A5")
            else:
                rules = ("D5", "A3")
        else:
            address = None
            sock.state = SocketState.OPEN
            rules = _SETSC_FAILURE_RULES.get(status, ("A3",))
            if why is Why.ON_NET_ONLY:
                rules = (*rules, "A6")
        self.w.record(
            ev.SetscResult(
                fd,
                sock.owner,
                status,
                address.name if address else None,
                address.value if address else None,
                sharing,
                rules,
                why,
            )
        )
        if blocked:
            # Only a caller that blocked needs waking; an immediate result was returned (A5).
            self.w.notify(sock.owner, SetscDone(fd))
        return status

    def bind(self, fd: int, address_text: str, port: int = 0) -> Status:
        """bind(): to the address setsc() gave (A4), another configured one, or `::` (legacy)."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.BIND, Status.EBADF, ("A4",))
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(fd, Call.BIND, Status.EINVAL, ("A4",), Why.WRONG_STATE, sock.state)
        address: Address | None = None
        if address_text not in ("::", ""):
            address = self.find_address(address_text)
            if address is None or not self.prefix_of(address).usable:
                return self._fail(
                    fd, Call.BIND, Status.EADDRNOTAVAIL, ("A4",), Why.NOT_CONFIGURED, address_text
                )
        if port and self._port_taken(address.name if address else None, port, fd):
            return self._fail(fd, Call.BIND, Status.EADDRINUSE, ("A4",), Why.PORT_IN_USE, port)
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
        self.w.record(ev.Bound(fd, sock.owner, sock.bound_address, sock.port, tuple(rules)))
        if "R2" in rules:
            self.w.record(ev.Rfc5014Ignored(fd, sock.owner, sock.flags))
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
            return self._fail(fd, Call.LISTEN, Status.EBADF, ())
        if sock.state in (SocketState.OPEN, SocketState.ADDRESSED):
            status = self.bind(fd, "::", port)
            if status:
                return status
        if sock.state is not SocketState.BOUND:
            return self._fail(fd, Call.LISTEN, Status.EINVAL, (), Why.WRONG_STATE, sock.state)
        sock.state = SocketState.LISTENING
        fixed = sock.bound_address is not None and self._is_fixed(sock.bound_address)
        rules = ("C2",) if fixed else ()
        self.w.record(ev.Listening(fd, sock.owner, sock.bound_address, sock.port, rules))
        return Status.SUCCESS

    def _is_fixed(self, address_name: str) -> bool:
        return self.addresses[address_name].type is FIXED

    def connect(self, fd: int, peer: str, port: int) -> Status | None:
        """connect(): None while the stack asks the network for an untyped prefix (B5)."""
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.CONNECT, Status.EBADF, ("A4",))
        if sock.state is SocketState.CONNECTED:
            return self._fail(fd, Call.CONNECT, Status.EISCONN, ("A4",))
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED, SocketState.BOUND):
            return self._fail(fd, Call.CONNECT, Status.EINVAL, ("A4",), Why.WRONG_STATE, sock.state)
        if self.attachment is None:
            return self._fail(fd, Call.CONNECT, Status.ENETUNREACH, ("A4",), Why.DETACHED)
        if self.w.network.config.correspondent(peer) is None:
            return self._fail(
                fd, Call.CONNECT, Status.EHOSTUNREACH, ("A4",), Why.NO_SUCH_HOST, peer
            )
        sock.peer, sock.peer_port = peer, port
        if sock.state is SocketState.BOUND and sock.bound_address is not None:
            bound = self.addresses.get(sock.bound_address)
            if bound is None:
                return self._fail(
                    fd,
                    Call.CONNECT,
                    Status.EADDRNOTAVAIL,
                    ("A4", "C1"),
                    Why.ADDRESS_GONE,
                    sock.bound_address,
                )
            return self._connected(sock, bound, ("A4", "C1"))
        if sock.setsc_address is not None:
            # R3: setsc() without bind() leaves its address unused.
            self.w.record(ev.SetscUnused(fd, sock.owner, sock.setsc_address))
        address = select_source(self, sock)
        if address is None:
            sock.state = SocketState.CONNECTING
            self._request(None, "connect", ("B5", "B3"), fd)
            return None
        rules = ("R3",) if sock.setsc_address else ("B1", "B3", "B6")
        return self._connected(sock, address, rules)

    def _connected(self, sock: Socket, address: Address, rules: ev.Rules) -> Status:
        if sock.port is None:
            sock.port = self._ephemeral_port()
        sock.source_address = address.name
        self._hold(sock, address.name)
        sock.state = SocketState.CONNECTED
        path = self.path_of(sock)
        rtt, via = (path.rtt, path.via) if path else (None, None)
        self.w.record(
            ev.Connected(
                sock.fd, sock.owner, sock.peer, sock.peer_port, address.name, rtt, via, rules
            )
        )
        return Status.SUCCESS

    def _finish_pending_connect(self, fd: int, prefix: Prefix | None) -> None:
        sock = self.sockets[fd]
        if sock.state is not SocketState.CONNECTING:
            return
        address = self.address_of(prefix) if prefix else None
        if address is None:
            sock.state = SocketState.OPEN
            self._fail(fd, Call.CONNECT, Status.EADDRNOTAVAIL, ("B5",), Why.NO_PREFIX)
        else:
            self._connected(sock, address, ("B5", "B3"))
        self.w.notify(sock.owner, ConnectDone(fd))

    def close(self, fd: int) -> Status:
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.CLOSE, Status.EBADF, ())
        held = {sock.setsc_address, sock.source_address} - {None}
        self._let_go(sock)
        self._live.pop(fd, None)
        sock.state = SocketState.CLOSED
        self.w.record(ev.Closed(fd, sock.owner))
        for name in sorted(n for n in held if n is not None):
            if name in self.addresses and not self._users.get(name):
                self._last_user_gone(self.addresses[name])
        return Status.SUCCESS

    def _last_user_gone(self, address: Address) -> None:
        """D8: the last socket on an address closed; release it or keep it, as policy says."""
        prefix = self.prefix_of(address)
        fixed = prefix.type is FIXED
        if self.policy.on_last_close is LastClosePolicy.KEEP or fixed:
            self.w.record(ev.AddressKept(address.name, fixed))
            return
        self.w.record(ev.AddressReleased(address.name, prefix.name))
        self._remove(prefix, PrefixState.RELEASED, Loss.RELEASED, ("D8",))
