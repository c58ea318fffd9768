"""What must be true of any host's tables at any moment, whatever was done to get there.

Shared by the stateful model test, the property tests and the monkey test of the app: each
check names the rules it guards.
"""

from __future__ import annotations

from odplay.constants import NON_PERSISTENT, AddressType, Status
from odplay.sim.tables import LIVE_SOCKET_STATES, PrefixState, SocketState
from odplay.sim.trace import TraceEntry
from odplay.sim.world import World

SLUGS = {t.slug: t for t in AddressType}


def check_world(world: World) -> None:
    """Every stateless invariant of the host stack; raises AssertionError naming the first."""
    stack = world.stack
    # C1, T1-T4: an address exists exactly while its prefix is usable.
    for address in stack.addresses.values():
        assert stack.prefixes[address.prefix].usable, address.name
    for prefix in stack.prefixes.values():
        assert (prefix.address in stack.addresses) == prefix.usable, prefix.name
        if prefix.state is PrefixState.DEPRECATED:
            assert prefix.valid_until is not None and prefix.valid_until > world.now, prefix.name
    # A live socket's local address exists (what setsc() gave it may have gone: R3).
    for sock in stack.sockets.values():
        if sock.state in LIVE_SOCKET_STATES:
            for name in (sock.bound_address, sock.source_address):
                assert name is None or name in stack.addresses, (sock.fd, name)
    # C1, R3: the users of an address are exactly the live sockets whose local address it is;
    # a socket setsc() gave it is only waiting for it, until it binds, connects or listens.
    for name in stack.addresses:
        derived = sorted(
            s.fd
            for s in stack.sockets.values()
            if s.state in LIVE_SOCKET_STATES and s.source_address == name
        )
        assert stack.users_of(name) == derived, name
        waiting = sorted(
            s.fd
            for s in stack.sockets.values()
            if s.state is SocketState.ADDRESSED and s.setsc_address == name
        )
        assert stack.waiting_for(name) == waiting, name
    # T3, F5: a Non-persistent prefix belongs to the gateway serving the host now.
    for prefix in stack.prefixes.values():
        if prefix.type is NON_PERSISTENT and prefix.usable:
            assert prefix.allocated_by == stack.serving_gateway, (prefix.name, prefix.allocated_by)
    # A3, T5: a successful setsc() gave an address of exactly the type asked for.
    for sock in stack.sockets.values():
        if sock.setsc_status is Status.SUCCESS and sock.setsc_address in stack.addresses:
            got = stack.addresses[sock.setsc_address].type
            assert got is sock.requested_type, (sock.fd, got, sock.requested_type)
        if sock.state is SocketState.CONNECTED:
            assert sock.source_address is not None, sock.fd


def check_setsc_results(entries: list[TraceEntry], asked: dict[int, AddressType]) -> None:
    """A3, T5 in the trace: each successful setsc() result against the type its call asked.

    `asked` carries the type each socket last asked for, across calls, so that a long trace can
    be checked a slice at a time.
    """
    for entry in entries:
        if entry.kind == "setsc":
            asked[entry.data["fd"]] = SLUGS[entry.data["type"]]
        elif entry.kind == "setsc-result" and entry.data["status"] == Status.SUCCESS.name:
            code = asked[entry.data["fd"]].code
            assert entry.data["address"].startswith(f"IP{code}"), entry.text
