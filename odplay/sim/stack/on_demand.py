"""RFC 8653 Appendix A's other API: the "OnDemand" field of IPV6_ADDR_PREFERENCES (`api: sockopt`).

Draft-16 has one way to ask for a type, setsc(), which blocks while the stack asks the network
(A1, A5). The RFC keeps setsc() only as a suggestion and puts a second one beside it: a field in
RFC 5014's option, set with setsockopt(), which returns at once. The RFC says no more; odplay's
reading (docs/choices.md, "The OnDemand field"):

- The field holds a type's draft-16 value in bits 0xE000 of the option (odplay.constants);
  setsockopt() checks it where it can without the network (a reserved value is EINVAL, a type
  this application may not have is EPERM, S1) and returns 0 at once.
- A held address of the type (D2): the socket's traffic will use it. None: the stack asks the
  network for a prefix of the type now (D3), while the application goes on.
- The socket connects (or sends, or listens) without bind(): its source is an address of the
  type. If the prefix is still on its way, `sockopt_connect` decides: `wait` (connect() waits
  for it, so the socket gets the type it asked for) or `now` (source selection picks among what
  is held, so the first packets leave at once from another address).
- The network refuses (D4): the socket's request has failed, as Section 3.4 says; its connect()
  fails with EADDRNOTAVAIL under `wait`, goes on from another address under `now`.

Functions over the stack, called from socket_calls.py and host_stack.py, so that the calls stay
in one place and this reading in another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.constants import ON_NET, AddressType, Status, on_demand_value
from odplay.sim import events as ev
from odplay.sim.events import Call, CallMade, Why
from odplay.sim.events_rfc8653 import Demand, OnDemandNote
from odplay.sim.notices import ConnectDone
from odplay.sim.policy import AllocationPolicy, FreshFailurePolicy, PendingConnect, SocketApi
from odplay.sim.tables import Address, Prefix, PrefixState, Protocol, Socket, SocketState

if TYPE_CHECKING:
    from odplay.sim.stack.socket_calls import SocketCalls

_TYPE_OF_VALUE = {t.value: t for t in AddressType}
#: What a connect() under `api: sockopt` does: handled here (with the call's result), or left
#: to source selection as for any unbound socket.
Handled = tuple[bool, Status | None]
_LEFT_TO_SELECTION: Handled = (False, None)


def demand_type(sock: Socket) -> AddressType | None:
    """The type a socket's OnDemand field names, or None."""
    return _TYPE_OF_VALUE.get(on_demand_value(sock.flags))


def refusal(stack: SocketCalls, sock: Socket, flags: int, args: str) -> Status | None:
    """Why setsockopt() refuses an OnDemand field, before anything changes; None: it does not.
    `args`: the call as the ladder shows it, before its error."""
    value = on_demand_value(flags)
    if not value:
        return None  # the field cleared (or never set): nothing to check
    fd = sock.fd

    def refuse(
        status: Status, rule: str, why: Why, subject: SocketState | int | None = None
    ) -> Status:
        return stack._fail(fd, Call.SETSOCKOPT, status, (rule,), why, subject, args=args)

    if stack.policy.legacy_stack:
        return refuse(Status.EINVAL, "B2", Why.ON_DEMAND_UNKNOWN)
    if stack.policy.api is SocketApi.SETSC:
        return refuse(Status.EINVAL, "A1", Why.API_IS_SETSC)
    type_ = _TYPE_OF_VALUE.get(value)
    if type_ is None:
        return refuse(Status.EINVAL, "A2", Why.RESERVED_TYPE, value)
    if sock.state is not SocketState.OPEN:
        return refuse(Status.EINVAL, "A4", Why.WRONG_STATE, sock.state)
    if not stack.policy.allows(sock.owner, type_):
        return refuse(Status.EPERM, "S1", Why.NOT_PERMITTED)
    return None


def field_set(stack: SocketCalls, sock: Socket) -> None:
    """After setsockopt() stored the field: find a held address of the type, or ask (D2, D3)."""
    type_ = demand_type(sock)
    sock.on_demand_address, sock.on_demand_failed = None, False
    if type_ is None:
        sock.requested_type = None
        return
    sock.requested_type = type_
    held = _held_address(stack, type_)
    if held is not None and not _fresh(stack):
        _note(stack, sock, Demand.HELD, held.name, ("D1", "D2"))
    elif held is not None and stack.serving_gateway is None and _may_reuse(stack, sock):
        # `allocation: fresh` and no network to ask: `when_fresh_fails: reuse` takes a held one.
        sock.on_demand_address = held.name
        _note(stack, sock, Demand.REUSED, held.name, ("D9", "A6", "D2"))
    elif not _ask(stack, sock, type_):
        _note(stack, sock, Demand.DETACHED, None, ("D1",))


def _fresh(stack: SocketCalls) -> bool:
    """`host.allocation: fresh`: each socket's field asks for a prefix of its own (D9), as a
    setsc() does, though one of the type is held."""
    return stack.policy.allocation is AllocationPolicy.FRESH


def _may_reuse(stack: SocketCalls, sock: Socket) -> bool:
    """Under `fresh`, whether a held address will do when no fresh prefix comes: as for
    setsc(), `when_fresh_fails: reuse` and no ON_NET (which asks for a new prefix, A6)."""
    reuse = stack.policy.when_fresh_fails is FreshFailurePolicy.REUSE
    return _fresh(stack) and reuse and not sock.flags & ON_NET


def _held_address(stack: SocketCalls, type_: AddressType) -> Address | None:
    held = stack._held(type_)
    return stack.address_of(held[0]) if held else None


def _given(stack: SocketCalls, sock: Socket) -> Address | None:
    """The address the socket's request brought, while a new socket may still take it: valid
    (not deprecated, T4) and not retired by a rotation (Section 5). Else the newest held."""
    address = stack.addresses.get(sock.on_demand_address or "")
    if address is None:
        return None
    prefix = stack.prefix_of(address)
    return address if prefix.state is PrefixState.VALID and not prefix.retired else None


def _ask(
    stack: SocketCalls, sock: Socket, type_: AddressType, asked: Demand = Demand.ASKED
) -> bool:
    """Ask the serving network for a prefix of the type for the socket; False: detached."""
    if stack.serving_gateway is None:
        return False
    if _fresh(stack) and stack._held(type_):
        _note(stack, sock, Demand.FRESH, None, ("D1", "D3", "D9"))
        stack._request(type_, "sockopt", ("D3", "B4", "D9"), sock.fd)
        return True
    _note(stack, sock, asked, None, ("D1", "D3"))
    stack._request(type_, "sockopt", ("D3", "B4"), sock.fd)
    return True


def _note(
    stack: SocketCalls,
    sock: Socket,
    what: Demand,
    address: str | None,
    rules: ev.Rules,
    status: Status = Status.SUCCESS,
) -> None:
    type_ = demand_type(sock)
    assert type_ is not None  # only a socket whose field names a type gets a note
    stack.w.record(OnDemandNote(sock.fd, sock.owner, type_, what, address, status, rules))


def _pending(stack: SocketCalls, fd: int) -> bool:
    return any(r.fd == fd and r.purpose == "sockopt" for r in stack.pending.values())


def connect(stack: SocketCalls, sock: Socket, peer: str, port: int, args: str) -> Handled:
    """connect() of an unbound socket whose OnDemand field names a type. `args`: the call as
    the ladder shows it (a failure or a wait shows the call first)."""
    type_ = demand_type(sock)
    if type_ is None or stack.policy.api is not SocketApi.SOCKOPT:
        return _LEFT_TO_SELECTION
    address = _given(stack, sock)
    if address is None and not _fresh(stack):  # under `fresh`, only the socket's own prefix
        address = _held_address(stack, type_)
    if address is not None:
        sock.peer, sock.peer_port = peer, port
        return True, stack._connected(sock, address, ("D2", "C1"))
    wait = stack.policy.sockopt_connect is PendingConnect.WAIT
    if sock.on_demand_failed:
        if not wait:
            return _LEFT_TO_SELECTION
        status = stack._fail(
            sock.fd, Call.CONNECT, Status.EADDRNOTAVAIL, ("D4",), Why.ON_DEMAND_FAILED, args=args
        )
        return True, status
    if wait:
        stack.w.record(CallMade(Call.CONNECT, sock.fd, sock.owner, args))
    if not _pending(stack, sock.fd):
        _ask(stack, sock, type_, Demand.CONNECT_ASKS)  # what it had went, or it was detached
    if not wait:
        _note(stack, sock, Demand.NOW, None, ("A5", "B3"))
        return _LEFT_TO_SELECTION
    # connect() waits for the network, as in B5: the call first, its answer when the reply comes.
    _note(stack, sock, Demand.WAITS, None, ("A5", "D3"))
    sock.peer, sock.peer_port = peer, port
    sock.state = SocketState.CONNECTING
    return True, None


def listen_address(stack: SocketCalls, sock: Socket) -> str:
    """What listen() binds an unbound socket to: its OnDemand type's address when one is held
    (a server wants its Fixed address published, C2), else `::` as for any socket. listen()
    never waits: a listener is not a call that blocks."""
    type_ = demand_type(sock)
    if type_ is None or stack.policy.api is not SocketApi.SOCKOPT:
        return "::"
    held = _given(stack, sock)
    if held is None and not _fresh(stack):  # under `fresh`, only the socket's own prefix
        held = _held_address(stack, type_)
    return held.name if held is not None else "::"


def reply(stack: SocketCalls, fd: int, prefix: Prefix | None, status: Status) -> None:
    """The network's answer to the field's request: it finishes a connect() that waits."""
    sock = stack.sockets.get(fd)
    type_ = demand_type(sock) if sock is not None else None
    if sock is None or type_ is None:
        return
    address = stack.address_of(prefix) if prefix is not None else None
    waiting = sock.state is SocketState.CONNECTING
    if address is None and _may_reuse(stack, sock) and (held := _held_address(stack, type_)):
        # No fresh prefix came: `when_fresh_fails: reuse` gives the socket a held one (D9, A6).
        _note(stack, sock, Demand.REUSED, held.name, ("D9", "A6", "D2"), status)
        address = held
    elif address is None:
        sock.on_demand_failed = True
        _note(stack, sock, Demand.FAILED, None, ("D4",), status)
        if waiting:
            sock.state = SocketState.OPEN
            sock.so_error = stack._fail(
                fd, Call.CONNECT, Status.EADDRNOTAVAIL, ("D4",), Why.ON_DEMAND_FAILED, asked=True
            )
            stack.w.notify(sock.owner, ConnectDone(fd))
        return
    sock.on_demand_address = address.name
    if waiting:
        stack._connected(sock, address, ("D3", "D5", "C1"))
        stack.w.notify(sock.owner, ConnectDone(fd))
    elif sock.state in (SocketState.OPEN, SocketState.ADDRESSED):
        _note(stack, sock, Demand.ARRIVED, address.name, ("D5",))
    elif sock.live:
        _note(stack, sock, _late(sock), address.name, ("D5", "B3"))


def _late(sock: Socket) -> Demand:
    """What a prefix that came after the socket went on does to it: a listener on `::` takes
    connections to it too; a UDP socket neither connected nor bound to an address picks its
    source per datagram, so its next ones leave from it; any other keeps the source it has."""
    if sock.state is SocketState.LISTENING:
        return Demand.LATE_LISTENING
    unconnected = sock.source_address is None and sock.bound_address in (None, "::")
    if sock.protocol is Protocol.UDP and unconnected:
        return Demand.LATE_DATAGRAMS
    return Demand.LATE


def datagram(stack: SocketCalls, sock: Socket) -> None:
    """A sendto() from an unbound socket whose OnDemand request is still on its way: it does
    not wait, under either `sockopt_connect` (a datagram is not a connection that could be held
    back), and the ladder says where this one leaves from."""
    if demand_type(sock) is None or stack.policy.api is not SocketApi.SOCKOPT:
        return
    if _given(stack, sock) is None and _pending(stack, sock.fd):
        _note(stack, sock, Demand.DATAGRAM_NOW, None, ("A5", "B3"))
