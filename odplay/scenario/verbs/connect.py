"""`connect: {socket, peer, port}`: connect a declared socket to a correspondent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Name, Port, SocketRef
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class ConnectAction(SocketRef):
    peer: Name
    port: Port = 443


def _run(value: ConnectAction, run: ScenarioRun) -> None:
    call(run, "connect", value.socket, lambda sim, fd: sim.connect(fd, value.peer, value.port))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    return {"socket": recording.label(command), "peer": command.peer, "port": command.port}


def _references(value: ConnectAction, loc: Loc, names: Names) -> Problems:
    yield from declared(value, loc, names)
    if msg := one_of(value.peer, names.correspondents, "correspondent"):
        yield (*loc, "peer"), msg


VERB = Verb(
    name="connect",
    value=ConnectAction,
    docs="Connect a declared socket to a correspondent (a name under `network: "
    "correspondents:`), from the address it is bound to or one the stack picks.",
    example="connect: {socket: s1, peer: www.example.org, port: 443}",
    run=_run,
    records=("Connect",),
    record=_record,
    references=_references,
    socket_call=True,
)
