"""`socket: NAME`: a declared socket, or an application's socket (its newest, with `role`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Facts, Name, Port, StatusName
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of
from odplay.scenario.subjects._shared import check_type, read

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


class SocketFacts(Facts):
    socket: Name
    role: Name | None = None  # an application's socket in this role
    fd: int | None = None  # the socket with this fd, whoever owns it
    state: Name | None = None
    bound: Name | None = None
    source: Name | None = None
    type: Name | None = None
    via: Name | None = None
    status: StatusName | None = None
    reestablished: bool | None = None
    port: Port | None = None  # its own port: bound, or picked when it connected (A4)
    peer: Name | None = None  # the correspondent it connected to
    peer_port: Port | None = None  # ...and the port there


def _row(expect: SocketFacts, at: Checking) -> dict[str, Any] | None:
    rows = at.state["sockets"]
    if expect.fd is not None:
        return next((r for r in rows if r["fd"] == expect.fd), None)
    if expect.socket in at.ctx.labels:
        return next((r for r in rows if r["fd"] == at.ctx.labels[expect.socket]), None)
    mine = [
        r
        for r in rows
        if r["app"] == expect.socket and (expect.role is None or r["role"] == expect.role)
    ]
    return mine[-1] if mine else None  # the newest: after re-establishing, the replacement


def _check(expect: SocketFacts, at: Checking) -> list[CheckResult]:
    row = _row(expect, at)
    if row is not None and "peer_port" in at.facts:
        # Not in the snapshot's row (nor, so, in --json): read off the stack's table.
        row = {**row, "peer_port": at.sim.world.stack.sockets[row["fd"]].peer_port}
    return at.compare(row, expect, read)


def _references(expect: SocketFacts, loc: Loc, names: Names) -> Problems:
    from odplay.sim.tables import SocketState

    if expect.socket not in names.sockets | names.applications:
        yield (*loc, "socket"), f"no application or declared socket {expect.socket!r}"
    states = {s.value for s in SocketState}
    if expect.state and expect.state not in states:
        yield (*loc, "state"), f"a socket state is one of: {', '.join(sorted(states))}"
    if expect.via is not None and expect.via not in names.nodes | {"direct"}:
        yield (
            (*loc, "via"),
            one_of(expect.via, names.nodes | {"direct"}, "anchor (or direct)") or "",
        )
    yield from check_type(expect.type, loc)


SUBJECT = Subject(
    name="socket",
    fields=SocketFacts,
    docs="A socket: one declared by a `socket:` action, or an application's (by the "
    "application's name; its newest socket, or the one in `role`; or any socket by `fd`). Its "
    "state, the address it is bound to and sends from, its type, the anchor its traffic goes "
    "`via` (or direct), its last setsc() status, whether it was re-established, its own `port` "
    "(bound, or picked when it connected) and the `peer` and `peer_port` it connected to.",
    example="{socket: browser, type: session-lasting, via: anchor}",
    check=_check,
    references=_references,
    selectors=frozenset({"role", "fd"}),
)
