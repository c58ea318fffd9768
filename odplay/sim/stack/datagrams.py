"""send(): a datagram on a UDP socket, or data on a connected TCP one (C1, B3, R3, S1).

The draft speaks of sockets and sessions, not of protocols; odplay's choices where it is silent
(docs/choices.md):

- A UDP socket needs no connect(): `send(fd, peer, port)` is sendto(). A socket neither bound
  nor connected gets each datagram's source from source selection, as an unbound TCP socket's
  connect() does (R3 when setsc() was not followed by bind(), B3 otherwise); the first datagram
  binds it to `::` and an ephemeral port, as Linux does, so that bind() afterwards is EINVAL.
- connect() on a UDP socket only sets its default peer and source (socket_calls.py).
- A UDP socket has no connection, so it never breaks: when its local address (bound, or the
  source its connect() set) goes, it lives on and a send from it fails with EADDRNOTAVAIL,
  the answer bind() gets for an address the host no longer holds.
- On TCP, send() works on a connected socket (ENOTCONN otherwise, ECONNABORTED once it broke).
"""

from __future__ import annotations

from odplay.constants import ON_DEMAND_MASK, Status
from odplay.sim import events as ev
from odplay.sim.events import Call, Why
from odplay.sim.peers import resolve
from odplay.sim.stack import on_demand
from odplay.sim.stack.socket_calls import SocketCalls, choice_rules
from odplay.sim.stack.source_selection import select_source
from odplay.sim.tables import Protocol, Socket, SocketState


class Datagrams(SocketCalls):
    """send() on a socket of either protocol."""

    def send(self, fd: int, peer: str | None = None, port: int = 443) -> Status:
        """send() (`peer` None) or sendto(); the status, as the call returns it."""
        sock = self.socket(fd)
        args = f"{peer}:{port}" if peer is not None else ""
        if sock is None:
            return self._fail(fd, Call.SEND, Status.EBADF, (), args=args)
        if sock.protocol is Protocol.TCP:
            return self._send_stream(sock, peer, args)
        if peer is None:
            if sock.peer is None:
                return self._fail(
                    fd, Call.SEND, Status.EDESTADDRREQ, (), Why.NO_DESTINATION, args=args
                )
            peer, port = sock.peer, sock.peer_port or port
        correspondent = resolve(self.w.network.config, peer)
        if correspondent is None:
            return self._fail(
                fd, Call.SEND, Status.EHOSTUNREACH, (), Why.NO_SUCH_HOST, peer, args=args
            )
        if self.attachment is None:
            return self._fail(fd, Call.SEND, Status.ENETUNREACH, (), Why.DETACHED, args=args)
        local = sock.bound_address or sock.source_address
        if local is not None:
            address = self.addresses.get(local)
            if address is None:
                return self._fail(
                    fd, Call.SEND, Status.EADDRNOTAVAIL, ("C1",), Why.ADDRESS_GONE, local, args=args
                )
            rules: ev.Rules = ("C1",)
        else:
            choice = select_source(self, sock, correspondent.address)
            self._tell_r3(sock, choice)
            if choice.address is None:
                if choice.skipped:
                    return self._fail(
                        fd, Call.SEND, Status.EPERM, ("S1",), Why.FORBIDDEN_SOURCE, args=args
                    )
                return self._fail(
                    fd, Call.SEND, Status.EADDRNOTAVAIL, ("B3",), Why.NO_SOURCE, args=args
                )
            address = choice.address
            rules = ("R3",) if sock.setsc_address else ("B3",)
            rules += choice_rules(choice)
            if sock.port is None and sock.state in (SocketState.OPEN, SocketState.ADDRESSED):
                # The first datagram binds the socket to `::` and an ephemeral port (Linux).
                sock.port = self._ephemeral_port()
                sock.state = SocketState.BOUND
        self.w.record(ev.Sent(fd, sock.owner, peer, port, address.name, rules))
        if local is None and sock.flags & ON_DEMAND_MASK:
            on_demand.datagram(self, sock)  # RFC 8653 App. A: a sendto() never waits
        return Status.SUCCESS

    def _send_stream(self, sock: Socket, peer: str | None, args: str) -> Status:
        if sock.state is SocketState.BROKEN:
            return self._fail(
                sock.fd,
                Call.SEND,
                Status.ECONNABORTED,
                ("C1",),
                Why.BROKEN,
                sock.broken_reason,
                args=args,
            )
        if sock.state is not SocketState.CONNECTED or sock.source_address is None:
            return self._fail(sock.fd, Call.SEND, Status.ENOTCONN, (), Why.NOT_CONNECTED, args=args)
        if peer is not None:
            return self._fail(sock.fd, Call.SEND, Status.EISCONN, (), args=args)
        rules = ("C1",)
        self.w.record(
            ev.Sent(sock.fd, sock.owner, sock.peer, sock.peer_port, sock.source_address, rules)
        )
        return Status.SUCCESS
