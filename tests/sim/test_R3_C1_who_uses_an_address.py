"""R3, C1 (Section 5.4): a socket uses an address only when it is its local address.

Bound to it, or picked as its source when it connected. What setsc() gave a socket that never
bound it is recorded on the socket (`setsc_address`) but is not the socket's: withdrawing its
prefix does not break the socket, the address does not list it in "used by", and D8 does not
count it as a user.

Each test says what happened before this was fixed; each fails on that behaviour.
"""

from __future__ import annotations

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING, AddrPreference, Status
from odplay.session.views import address_table
from odplay.sim.policy import HostPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from tests.conftest import ALL_TYPES, attached
from tests.invariants import check_world


def _home_host(policy: HostPolicy | None = None) -> Simulation:
    """Attached at ap1 (gw1) holding IPfx1, IPsl1 and IPnp1."""
    sim = attached(policy, supports=set(ALL_TYPES))
    owner = sim.socket("boot")
    sim.setsc(owner, FIXED)
    sim.close(owner)
    return sim


def _unbound_home_socket(sim: Simulation) -> int:
    """setsc(NP) → IPnp1, never bound; HOME makes connect() send from the Fixed IPfx1 (R3)."""
    fd = sim.socket("app")
    sim.setsockopt(fd, AddrPreference.IPV6_PREFER_SRC_HOME)
    assert sim.setsc(fd, NON_PERSISTENT)[0] is Status.SUCCESS
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    return fd


def test_R3_a_socket_that_never_bound_survives_the_withdrawal_of_its_setsc_prefix() -> None:
    # Before: PREFnp1 withdrawn at the move broke the socket ("IPnp1 was withdrawn"), though it
    # sent from IPfx1. Now it stays connected from IPfx1 across the move.
    sim = _home_host()
    fd = _unbound_home_socket(sim)
    sock = sim.world.stack.sockets[fd]
    assert (sock.setsc_address, sock.source_address) == ("IPnp1", "IPfx1")
    sim.move("ap3")
    assert sim.world.stack.prefixes["PREFnp1"].state.value == "withdrawn"
    assert sock.state is SocketState.CONNECTED and sock.source_address == "IPfx1"
    assert not [e for e in sim.trace.of_kind("socket-broken") if e.data.get("fd") == fd]
    assert sock.setsc_address == "IPnp1"  # what setsc() gave stays on record
    check_world(sim.world)


def test_R3_a_socket_that_listens_on_the_wildcard_survives_it_too() -> None:
    # Before: setsc(NP), then listen() (bound to ::) broke at the move. Now it keeps listening.
    sim = _home_host()
    fd = sim.socket("server")
    sim.setsc(fd, NON_PERSISTENT)
    assert sim.listen(fd, 8080) is Status.SUCCESS
    sim.move("ap3")
    assert sim.world.stack.sockets[fd].state is SocketState.LISTENING
    check_world(sim.world)


def test_C1_a_socket_bound_to_another_type_is_not_hurt_by_the_first_ones_prefix() -> None:
    # Before: setsc(NP) → IPnp1, then bind(IPsl1): the move withdrew PREFnp1 and broke the
    # socket, bound to the Session-lasting IPsl1 that survives. Now it keeps IPsl1 (C1, T2).
    sim = _home_host()
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    assert sim.bind(fd, "IPsl1") is Status.SUCCESS
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    sim.move("ap3")
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.CONNECTED and sock.source_address == "IPsl1"
    check_world(sim.world)


def test_C1_a_socket_bound_to_its_setsc_address_still_breaks_with_it() -> None:
    # Unchanged (F5, F6): bound to IPnp1, it is IPnp1's user and breaks when PREFnp1 goes.
    sim = _home_host()
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    sim.bind(fd, "IPnp1")
    sim.connect(fd, "www.example.org")
    assert sim.world.stack.users_of("IPnp1") == [fd]
    sim.move("ap3")
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.BROKEN and sock.broken_reason == "IPnp1 was withdrawn"


def test_R3_used_by_lists_only_the_sockets_whose_local_address_it_is() -> None:
    # Before: IPnp1 listed the socket (setsc gave it) and IPfx1 listed it too (it sent from it),
    # in the run tables (`--json` used_by) and in the playground's address table. Now only IPfx1.
    sim = _home_host()
    fd = _unbound_home_socket(sim)
    stack = sim.world.stack
    assert stack.users_of("IPnp1") == [] and stack.users_of("IPfx1") == [fd]
    used_by = {a["name"]: a["used_by"] for a in sim.snapshot()["addresses"]}
    assert used_by["IPnp1"] == [] and used_by["IPfx1"] == [fd]
    rows = address_table(sim.world)
    assert rows["IPnp1"].cells[3] == "-" and rows["IPfx1"].cells[3] == f"{fd} app"


def test_R3_the_socket_does_not_count_for_the_D8_last_user_rule() -> None:
    # Before: under release, IPnp1 stayed when the socket bound to it closed, because the
    # never-bound socket counted as its user. Now it is released when that last user closes.
    sim = _home_host(HostPolicy(on_last_close=LastClosePolicy.RELEASE))
    user = sim.socket("user")
    sim.setsc(user, NON_PERSISTENT)
    sim.bind(user, "IPnp1")
    sim.connect(user, "www.example.org")
    _unbound_home_socket(sim)
    sim.close(user)
    assert "IPnp1" not in sim.world.stack.addresses
    assert sim.world.stack.prefixes["PREFnp1"].state.value == "released"
    released = sim.trace.of_kind("address-released")[-1]
    assert released.data["address"] == "IPnp1" and released.rules == ("D8",)


def test_R3_setsc_then_nothing_yet_is_waiting_not_using() -> None:
    # Between setsc() and bind() the socket waits for its address: not its user (a withdrawal
    # leaves it unbroken, and its bind() then fails with EADDRNOTAVAIL as on a real stack)...
    sim = _home_host()
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    stack = sim.world.stack
    assert stack.users_of("IPnp1") == [] and stack.waiting_for("IPnp1") == [fd]
    sim.move("ap3")
    assert stack.sockets[fd].state is SocketState.ADDRESSED
    assert sim.bind(fd, "IPnp1") is Status.EADDRNOTAVAIL
    check_world(sim.world)


def test_D8_an_address_setsc_just_gave_is_not_released_before_its_socket_binds() -> None:
    # ...and D8 does not release it under the socket before it binds (docs/choices.md, D8).
    sim = attached(HostPolicy(on_last_close=LastClosePolicy.RELEASE))
    other = sim.socket("other")
    sim.setsc(other, NON_PERSISTENT)
    sim.bind(other, "IPnp1")
    waiting = sim.socket("waiting")
    assert sim.setsc(waiting, NON_PERSISTENT)[0] is Status.SUCCESS  # IPnp1 again (D7)
    sim.close(other)
    assert "IPnp1" in sim.world.stack.addresses
    assert sim.bind(waiting, "IPnp1") is Status.SUCCESS


def test_D7_sharing_counts_users_and_sockets_waiting_for_the_address() -> None:
    sim = attached()
    first, second = sim.socket("a"), sim.socket("b")
    sim.setsc(first, SESSION_LASTING)
    sim.setsc(second, SESSION_LASTING)
    result = sim.trace.of_kind("setsc-result")[-1]
    assert "shared with 1 other socket" in result.text and "D7" in result.rules
