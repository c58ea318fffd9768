"""The socket calls as the host stack answers them (Sections 3.1, 3.4, 3.5, 4.1, 5 and 6).

socket() (TCP or UDP), setsockopt() and getsockopt() with the RFC 5014 flags and ON_NET (A6,
R1-R3), setsc() (D1-D5, D7, D9, A1-A6, S1), bind() (A4, C1, S1), listen() (C2), connect() (B1-B6,
R3, S1), close() and what becomes of an address nobody holds any more (D8). A call that cannot be
answered at once (setsc() or connect() asking the network) returns None and finishes when the
network's reply comes (host_stack.py). send() is in datagrams.py.

Who uses an address (C1, R3): a socket whose local address it is, bound to it or sending from
it. The address setsc() gave a socket is kept on the socket (`setsc_address`) but is not its
until it binds it; a socket waits for it from setsc() until it binds, connects or listens, and
D8 does not release the address under it meanwhile. When a socket moves on without it (binds,
connects or listens from another address, calls setsc() again, or closes) and nobody else holds
it, D8 applies to it like to any other.
"""

from __future__ import annotations

from odplay.constants import (
    FIXED,
    ON_DEMAND_MASK,
    ON_NET,
    RFC5014_FLAGS,
    AddressType,
    Status,
    conflicting_flags,
    flag_names,
    read_preferences,
    stored_preferences,
)
from odplay.sim import events as ev
from odplay.sim.events import Call, Why
from odplay.sim.notices import ConnectDone, SetscDone
from odplay.sim.peers import endpoint, resolve
from odplay.sim.policy import (
    AllocationPolicy,
    FreshFailurePolicy,
    LastClosePolicy,
    LegacyOnNetPolicy,
    SocketApi,
)
from odplay.sim.stack import on_demand
from odplay.sim.stack.core import EPHEMERAL_PORTS, StackCore
from odplay.sim.stack.source_selection import Choice, select_source
from odplay.sim.tables import Address, Loss, Prefix, PrefixState, Protocol, Socket, SocketState

# Plain-int masks: `int & IntFlag` builds a new enum member on every call, which showed up as the
# largest single cost of a 10,000-socket run (benchmarks/).
_ON_NET = int(ON_NET)
_RFC5014 = int(RFC5014_FLAGS)
_ON_DEMAND = ON_DEMAND_MASK  # RFC 8653 Appendix A's field, `api: sockopt` (on_demand.py)
_TYPE_OF_VALUE = {t.value: t for t in AddressType}
#: The rules a failed setsc() illustrates, by status (A3).
_SETSC_FAILURE_RULES: dict[Status, ev.Rules] = {
    Status.EPERM: ("S1",),
    Status.EAI_REQUIREDIPNOTSUPPORTED: ("D4", "A3"),
    Status.EAI_REQUIREDIPFAILED: ("D4", "A3"),
}


#: The states connect() is allowed from, for TCP (False) and UDP (True): a connected UDP
#: socket may connect again, to change its default peer.
_CAN_CONNECT = {
    False: frozenset({SocketState.OPEN, SocketState.ADDRESSED, SocketState.BOUND}),
    True: frozenset(
        {SocketState.OPEN, SocketState.ADDRESSED, SocketState.BOUND, SocketState.CONNECTED}
    ),
}


def _sockopt_args(flags: int) -> str:
    return "IPV6_ADDR_PREFERENCES, " + ("|".join(flag_names(flags)) or "0")


def _type_arg(type_value: int) -> str:
    """setsc()'s type as the application passed it: its name, or the number for one with none."""
    type_ = _TYPE_OF_VALUE.get(type_value)
    return type_.name if type_ is not None else str(type_value)


def choice_rules(choice: Choice) -> ev.Rules:
    """The rules besides B3 or R3 that a source choice shows: D10's default type, S1's skips."""
    rules: tuple[str, ...] = ("D10",) if ev.Pick.DEFAULT_TYPE in choice.picks else ()
    return (*rules, "S1") if choice.skipped else rules


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
        *,
        args: str = "",
        asked: bool = False,
    ) -> Status:
        """A call refused: its request (`args`, unless the ladder already shows it: `asked`),
        then its answer, so that no answer stands without the call it answers."""
        sock = self.sockets.get(fd)
        owner = sock.owner if sock else "?"
        if not asked:
            self.w.record(ev.CallMade(call, fd, owner, args))
        self.w.record(ev.CallFailed(call, fd, owner, status, rules, why, subject))
        return status

    def socket_call(self, owner: str, role: str = "main", protocol: Protocol = Protocol.TCP) -> int:
        fd = self._next_fd
        self._next_fd += 1
        sock = Socket(fd=fd, owner=owner, role=role, protocol=protocol)
        self.sockets[fd] = self._live[fd] = sock
        self.w.record(ev.SocketOpened(fd, owner, protocol))
        return fd

    def setsockopt(self, fd: int, flags: int) -> Status:
        """setsockopt(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, flags): RFC 5014 flags and ON_NET.

        As Linux takes them: a value naming both sides of a pair (HOME|COA, TMP|PUBLIC, CGA|NONCGA,
        or PUBTMP_DEFAULT with TMP or PUBLIC) is EINVAL and leaves the socket as it was; any
        other value replaces what the socket held, reduced to the bits the stack keeps
        (odplay.constants.AddrPreference).
        """
        sock = self.socket(fd)
        args = _sockopt_args(flags)  # the call as the ladder shows it, if it fails
        if sock is None:
            return self._fail(fd, Call.SETSOCKOPT, Status.EBADF, (), args=args)
        rules: list[str] = []
        ignored = 0
        unknown = flags & (_ON_NET | _ON_DEMAND)  # bits a legacy kernel does not know
        if self.policy.legacy_stack and unknown:
            if self.policy.legacy_on_net is LegacyOnNetPolicy.EINVAL:
                if flags & _ON_NET:
                    return self._fail(
                        fd, Call.SETSOCKOPT, Status.EINVAL, ("B2",), Why.ON_NET_UNKNOWN, args=args
                    )
                # the OnDemand field alone: on_demand.refusal() answers EINVAL (B2) below
            else:
                # `legacy_on_net: ignore`: like a legacy Linux kernel (docs/real-stacks.md),
                # keep the bits it knows, drop ON_NET and the OnDemand field, and answer 0 (B2
                # says the application must not count on them).
                ignored, flags = unknown, flags & ~unknown
                rules.append("B2")
        if flags & _ON_NET:
            rules.append("A6")
        if flags & _RFC5014:
            rules.append("R1" if sock.requested_type is not None else "R3")
        conflict = conflicting_flags(flags)
        if conflict:
            names = "|".join(flag_names(conflict))
            return self._fail(
                fd,
                Call.SETSOCKOPT,
                Status.EINVAL,
                tuple(rules),
                Why.CONFLICTING_FLAGS,
                names,
                args=args,
            )
        demand = (flags | sock.flags) & _ON_DEMAND
        if demand and (refused := on_demand.refusal(self, sock, flags, args)) is not None:
            return refused
        sock.flags = stored_preferences(flags)
        self.w.record(ev.SockoptSet(fd, sock.owner, flags, tuple(rules), ignored))
        if demand:
            on_demand.field_set(self, sock)
        return Status.SUCCESS

    def getsockopt(self, fd: int) -> int | None:
        """What getsockopt(IPV6_ADDR_PREFERENCES) reads, without a trace entry; None: EBADF."""
        sock = self.socket(fd)
        return None if sock is None else read_preferences(sock.flags)

    def read_sockopt(self, fd: int) -> int | None:
        """getsockopt() as a call the ladder shows: the value read, or None (EBADF)."""
        sock = self.socket(fd)
        if sock is None:
            self._fail(fd, Call.GETSOCKOPT, Status.EBADF, (), args="IPV6_ADDR_PREFERENCES")
            return None
        value = read_preferences(sock.flags)
        self.w.record(ev.SockoptRead(fd, sock.owner, value))
        return value

    def setsc(self, fd: int, type_value: int) -> tuple[Status, Address | None] | None:
        """setsc(sockfd, &sourceAddress, addressType) (A1); None: the caller is blocked (A5)."""
        sock = self.socket(fd)
        args = _type_arg(type_value)  # the call as the ladder shows it, if it fails
        if sock is None:
            return self._fail(fd, Call.SETSC, Status.EBADF, ("A1",), args=args), None
        if self.policy.legacy_stack:
            return self._fail(fd, Call.SETSC, Status.ENOSYS, ("B2",), Why.NO_SETSC, args=args), None
        if self.policy.api is not SocketApi.SETSC:  # RFC 8653 App. A: the other API's host
            return self._fail(
                fd, Call.SETSC, Status.ENOSYS, ("A1",), Why.API_IS_SOCKOPT, args=args
            ), None
        if type_value not in (1, 2, 3, 4):
            why = Why.RESERVED_TYPE if 0 <= type_value <= 7 else Why.TYPE_OUT_OF_RANGE
            return self._fail(
                fd, Call.SETSC, Status.EINVAL, ("A2",), why, type_value, args=args
            ), None
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(
                fd,
                Call.SETSC,
                Status.EINVAL,
                ("A4",),
                Why.SETSC_AFTER_BIND,
                sock.state,
                args=args,
            ), None
        # A second setsc() before bind() replaces the first one's address; once the new one is
        # decided, the old one is released or kept like any other that nobody holds (D8).
        replaced = self._stop_waiting(sock)
        sock.setsc_address = None
        result = self._setsc(sock, _TYPE_OF_VALUE[type_value])
        if replaced is not None and replaced != sock.setsc_address:
            self._moved_on(replaced)
        return result

    def _setsc(self, sock: Socket, type_: AddressType) -> tuple[Status, Address | None] | None:
        fd, owner = sock.fd, sock.owner
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
        f8: bool = False,
    ) -> Status:
        sock = self.sockets[fd]
        if sock.state is SocketState.CLOSED:
            return status
        sock.setsc_status = status
        sharing = 0
        rules: ev.Rules
        if status is Status.SUCCESS and address is not None:
            # D7: the other sockets given it too: those using it and those about to bind it
            # (never both at once: a socket stops waiting when it binds, connects or listens).
            name = address.name
            sharing = len(self._users.get(name, ())) + len(self._waiting.get(name, ()))
            sock.setsc_address = address.name
            sock.state = SocketState.ADDRESSED
            self._wait_for(sock, address.name)
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
            if f8:  # the 4.2 flow's own step (host_stack.is_f8); elsewhere D4 and A3 say it
                rules = (*rules, "F8")
        sock.setsc_rules = rules
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
        args = f"[{address_text or '::'}]:{port}"  # the call as the ladder shows it, if it fails
        if sock is None:
            return self._fail(fd, Call.BIND, Status.EBADF, ("A4",), args=args)
        if sock.state not in (SocketState.OPEN, SocketState.ADDRESSED):
            return self._fail(
                fd,
                Call.BIND,
                Status.EINVAL,
                ("A4",),
                Why.WRONG_STATE,
                sock.state,
                args=args,
            )
        address: Address | None = None
        if address_text not in ("::", ""):
            address = self.find_address(address_text)
            if address is None or not self.prefix_of(address).usable:
                return self._fail(
                    fd,
                    Call.BIND,
                    Status.EADDRNOTAVAIL,
                    ("A4",),
                    Why.NOT_CONFIGURED,
                    address_text,
                    args=args,
                )
            if address.type is not None and not self.policy.allows(sock.owner, address.type):
                # S1 on every path: a type refused to setsc() is refused to bind() too.
                return self._fail(
                    fd,
                    Call.BIND,
                    Status.EPERM,
                    ("A4", "S1"),
                    Why.ADDRESS_NOT_PERMITTED,
                    address.name,
                    args=args,
                )
        if port and self._port_taken(address.name if address else None, port, fd):
            return self._fail(
                fd,
                Call.BIND,
                Status.EADDRINUSE,
                ("A4",),
                Why.PORT_IN_USE,
                port,
                args=args,
            )
        sock.port = port or self._ephemeral_port()
        sock.state = SocketState.BOUND
        sock.bound_address = address.name if address else None
        sock.source_address = address.name if address else None
        waited = self._stop_waiting(sock)
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
        if waited is not None and waited != sock.bound_address:
            self._moved_on(waited)  # bound elsewhere: what setsc() gave is not the socket's
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
        if sock.protocol is Protocol.UDP:
            return self._fail(fd, Call.LISTEN, Status.EOPNOTSUPP, ("C2",), Why.DATAGRAM)
        if sock.state in (SocketState.OPEN, SocketState.ADDRESSED):
            wildcard = on_demand.listen_address(self, sock) if sock.flags & _ON_DEMAND else "::"
            status = self.bind(fd, wildcard, port)
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
        """connect(): None while the stack asks the network for an untyped prefix (B5).

        On a UDP socket it only sets the default peer and source; a second one changes the peer.
        """
        sock = self.socket(fd)
        args = endpoint(peer, port)  # the call as the ladder shows it, if it fails
        if sock is None:
            return self._fail(fd, Call.CONNECT, Status.EBADF, ("A4",), args=args)
        udp = sock.protocol is Protocol.UDP
        if sock.state is SocketState.CONNECTED and not udp:
            return self._fail(fd, Call.CONNECT, Status.EISCONN, ("A4",), args=args)
        if sock.state not in _CAN_CONNECT[udp]:
            return self._fail(
                fd,
                Call.CONNECT,
                Status.EINVAL,
                ("A4",),
                Why.WRONG_STATE,
                sock.state,
                args=args,
            )
        if self.attachment is None:
            return self._fail(
                fd, Call.CONNECT, Status.ENETUNREACH, ("A4",), Why.DETACHED, args=args
            )
        correspondent = resolve(self.w.network.config, peer)
        if correspondent is None:
            return self._fail(
                fd,
                Call.CONNECT,
                Status.EHOSTUNREACH,
                ("A4",),
                Why.NO_SUCH_HOST,
                peer,
                args=args,
            )
        local = sock.bound_address
        if sock.state is SocketState.CONNECTED:
            local = sock.source_address  # a UDP socket keeps the source its first connect() set
        if local is not None:
            bound = self.addresses.get(local)
            if bound is None:
                return self._fail(
                    fd,
                    Call.CONNECT,
                    Status.EADDRNOTAVAIL,
                    ("A4", "C1"),
                    Why.ADDRESS_GONE,
                    local,
                    args=args,
                )
            sock.peer, sock.peer_port = peer, port
            return self._connected(sock, bound, ("A4", "C1"))
        if sock.flags & _ON_DEMAND:
            handled, status = on_demand.connect(self, sock, peer, port, args)
            if handled:
                return status
        choice = select_source(self, sock, correspondent.address)
        self._tell_r3(sock, choice)
        if choice.address is None and choice.skipped:
            return self._fail(
                fd, Call.CONNECT, Status.EPERM, ("S1",), Why.FORBIDDEN_SOURCE, args=args
            )
        waited = self._stop_waiting(sock)
        sock.peer, sock.peer_port = peer, port
        if choice.address is None:
            sock.state = SocketState.CONNECTING
            # connect() waits for the network (B5): the ladder shows the call before the request
            # it makes, and its answer when the reply comes.
            self.w.record(ev.CallMade(Call.CONNECT, fd, sock.owner, args))
            self._request(None, "connect", ("B5", "B3"), fd)
            if waited is not None:
                self._moved_on(waited)
            return None
        rules = ("R3",) if sock.setsc_address else ("B1", "B3", "B6")
        status = self._connected(sock, choice.address, rules + choice_rules(choice))
        if waited is not None and waited != choice.address.name:
            self._moved_on(waited)  # sending from another: what setsc() gave is not its (R3)
        return status

    def _tell_r3(self, sock: Socket, choice: Choice) -> None:
        """R3: setsc() without bind(): say what source selection picked instead, or the same."""
        if sock.setsc_address is None:
            return
        chosen = choice.address.name if choice.address else None
        self.w.record(
            ev.SetscUnused(
                sock.fd,
                sock.owner,
                sock.setsc_address,
                chosen,
                choice.picks,
                choice.skipped,
                choice.deprecated,
            )
        )

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
            sock.so_error = self._fail(
                fd, Call.CONNECT, Status.EADDRNOTAVAIL, ("B5",), Why.NO_PREFIX, asked=True
            )
        elif address.type is not None and not self.policy.allows(sock.owner, address.type):
            # The network's default type is one this application may not use (S1).
            sock.state = SocketState.OPEN
            sock.so_error = self._fail(
                fd, Call.CONNECT, Status.EPERM, ("B5", "S1"), Why.FORBIDDEN_SOURCE, asked=True
            )
        else:
            self._connected(sock, address, ("B5", "B3"))
        self.w.notify(sock.owner, ConnectDone(fd))

    def close(self, fd: int) -> Status:
        sock = self.socket(fd)
        if sock is None:
            return self._fail(fd, Call.CLOSE, Status.EBADF, ())
        waited = self._let_go(sock)
        held = {waited, sock.source_address} - {None}
        self._live.pop(fd, None)
        sock.state = SocketState.CLOSED
        self.w.record(ev.Closed(fd, sock.owner))
        for name in sorted(n for n in held if n is not None):
            self._moved_on(name)
        return Status.SUCCESS

    def _moved_on(self, name: str) -> None:
        """A socket let go of an address; if nobody holds it any more, D8 decides its fate."""
        if name in self.addresses and self._unheld(name):
            self._last_user_gone(self.addresses[name])

    def _last_user_gone(self, address: Address) -> None:
        """D8: nobody holds an address any more; release it or keep it, as policy says."""
        prefix = self.prefix_of(address)
        fixed = prefix.type is FIXED
        if prefix.retired:  # rotated out (RFC 8653 Section 5): released whatever D8 says
            self.w.record(ev.AddressReleased(address.name, prefix.name, rotated=True))
            self._remove(prefix, PrefixState.RELEASED, Loss.RELEASED, ("D8",))
            return
        if self.policy.on_last_close is LastClosePolicy.KEEP or fixed:
            self.w.record(ev.AddressKept(address.name, fixed))
            return
        self.w.record(ev.AddressReleased(address.name, prefix.name))
        self._remove(prefix, PrefixState.RELEASED, Loss.RELEASED, ("D8",))
