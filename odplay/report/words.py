"""One meaning per word: how odplay writes a socket's local address, an address's users and a
socket's state, wherever it shows them.

`odplay run`'s text tables (odplay.report.timeline) and the playground's panels (through
odplay.session.views) both call these functions and print these legends, so that the same socket
reads the same in both, and the docs (README, docs/glossary.md) use the same words:

- a socket's **local address** is the address it sends from and is reached at: `IPsl1` when it
  is bound to it (bind()); `(IPnp1)` when it never bound and the stack picked it as the source
  when it connected or sent (source selection, R3, B3); `given IPsl1` when setsc() made it for
  the socket, which has not bound it yet (A1); `::` when it is bound to the unspecified address
  (any of the host's); `-` when it has none.
- an address is **used by** the sockets whose local address it is (bound to it, or sending from
  it without bind()): a socket setsc() merely gave it to is not one of them (D8, R3).
- a call's status is the ladder's word for it (`EPERM`, `0`), never its number.

Nothing here imports the model: the values come in as plain strings.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The column a socket's local address is shown in.
LOCAL_ADDRESS = "local address"
#: The column of an address's users.
USED_BY = "used by"
#: What a table cell holds when there is nothing to show.
NONE = "-"
#: The local address of a socket bound to the unspecified address.
ANY = "::"

#: The socket table's legend, under `odplay run`'s table and in the help.
SOCKET_LEGEND = (
    "local address: IPsl1 bound to it · (IPnp1) not bound, the source the stack picked (R3, B3)"
    " · given IPsl1 by setsc(), not bound yet (A1) · :: bound to any address · - none"
)
#: The same, short enough for the border of the playground's socket panel.
SOCKET_KEY = "IPsl1 bound · (IPnp1) unbound, stack's pick · given by setsc() · - none"
#: The address tables' legend, in both.
ADDRESS_LEGEND = "used by: sockets bound to it or sending from it (D8, R3) · - none"
#: The playground's prefix table (lifetimes counted down); `run` prints absolute times instead.
PREFIX_LEGEND = "valid, preferred: time left · ∞ no limit · - gone"
#: `odplay run`'s prefix table.
RUN_PREFIX_LEGEND = "valid until, preferred until: simulated time · ∞ no limit"

#: The socket states a bound-to-any socket can be in without a local address of its own.
_BOUND_STATES = frozenset({"bound", "listening"})


def local_address(
    state: str,
    bound: str | None,
    source: str | None,
    given: str | None,
) -> str:
    """A socket's local address cell, from its state (a SocketState value), the address it is
    bound to, the source the stack picked for it and the address setsc() gave it."""
    if bound is not None:
        return bound
    if source is not None:
        return f"({source})"
    if state in _BOUND_STATES:
        return ANY
    if given is not None and state == "address ready":
        return f"given {given}"
    return NONE


def used_by(users: Iterable[tuple[int, str]]) -> str:
    """An address's users, `3 browser, 4 im`, or `-`: each socket's fd and application."""
    return ", ".join(f"{fd} {owner}" for fd, owner in users) or NONE


def socket_state(state: str, broken_reason: str | None, reestablishes: int | None) -> str:
    """A socket's state as a learner reads it: why it broke, which broken one it replaced."""
    if state == "broken" and broken_reason:
        return f"broken: {broken_reason}"
    if state == "connected" and reestablishes is not None:
        return f"re-established (was {reestablishes})"
    return state
