"""`socket: {name, owner, role, protocol}`: open a socket the scenario names and calls on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from odplay.scenario.fields import Name, Strict
from odplay.scenario.registry import Loc, Names, Problems, Verb

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class SocketDecl(Strict):
    name: Name
    owner: Name = "demo"
    role: Name = "main"
    #: tcp (SOCK_STREAM, the default) or udp (SOCK_DGRAM).
    protocol: Literal["tcp", "udp"] = "tcp"


def _run(value: SocketDecl, run: ScenarioRun) -> None:
    from odplay.sim.tables import Protocol

    fd = run.sim.socket(value.owner, value.role, Protocol(value.protocol))
    run.ctx.labels[value.name] = fd
    run.ctx.results[f"{value.name}.socket"] = "SUCCESS"
    run.ctx.history[f"{value.name}.socket"] = ["SUCCESS"]


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    name = recording.declare()
    written = {"name": name, "owner": command.owner, "role": command.role}
    if command.protocol.value != "tcp":
        written["protocol"] = command.protocol.value
    return written


def _references(value: SocketDecl, loc: Loc, names: Names) -> Problems:
    if value.name in names.sockets:
        yield (*loc, "name"), f"a socket named {value.name!r} was declared already"
    names.sockets.add(value.name)


VERB = Verb(
    name="socket",
    value=SocketDecl,
    docs="Open a socket as `owner` (with `role`), named so that later actions and "
    "expectations can refer to it: the calls below work on it the way an application would. "
    "`protocol: udp` opens a UDP socket (SOCK_DGRAM; tcp is the default): it needs no "
    "connect() to `send`, never breaks, and a send from an address the host no longer holds "
    "fails with EADDRNOTAVAIL.",
    example="socket: {name: s1, owner: demo}",
    run=_run,
    records=("SocketCall",),
    record=_record,
    references=_references,
    socket_call=True,
)
