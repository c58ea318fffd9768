"""`connect: {socket, peer, port}`: connect a declared socket to a correspondent, or to any
Internet host by IPv6 address or name (odplay.sim.peers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Name, Port, SocketRef
from odplay.scenario.registry import Loc, Names, Problems, Verb
from odplay.scenario.verbs._socket_call import call, declared, peer

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
    yield from peer(value.peer, loc, names)


VERB = Verb(
    name="connect",
    value=ConnectAction,
    docs="Connect a declared socket to a peer, from the address it is bound to or one the stack "
    "picks: a correspondent (a name under `network: correspondents:`), or any other Internet "
    "host, by IPv6 address (`peer: 2001:db8:1:1::99`, so that source selection's longest "
    "match can be seen) or by host name (odplay's Internet gives it a stable address in "
    "2001:db8:ffff::/64), at the default correspondent delay (5ms one way).",
    example="connect: {socket: s1, peer: www.example.org, port: 443}",
    run=_run,
    records=("Connect",),
    record=_record,
    references=_references,
    socket_call=True,
)
