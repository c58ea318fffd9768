"""`send: {socket, peer, port}`: send on a declared socket: a datagram, or on a connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Name, Port, SocketRef
from odplay.scenario.registry import Loc, Names, Problems, Verb
from odplay.scenario.verbs._socket_call import call, declared, peer

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class SendAction(SocketRef):
    peer: Name | None = None  # sendto() this correspondent; none: the connected peer
    port: Port = 443


def _run(value: SendAction, run: ScenarioRun) -> None:
    call(run, "send", value.socket, lambda sim, fd: sim.send(fd, value.peer, value.port))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    written: dict[str, Any] = {"socket": recording.label(command)}
    if command.peer is not None:
        written |= {"peer": command.peer, "port": command.port}
    return written


def _references(value: SendAction, loc: Loc, names: Names) -> Problems:
    yield from declared(value, loc, names)
    if value.peer is None:
        if "port" in value.model_fields_set:
            yield (
                (*loc, "port"),
                "a port goes with a peer: without one, send() goes to the connected peer's port",
            )
    else:
        yield from peer(value.peer, loc, names)


VERB = Verb(
    name="send",
    value=SendAction,
    docs="Send on a declared socket. Without `peer`, send() to the peer it is connected to; "
    "with `peer` (and `port`, 443 by default), sendto() that correspondent or Internet host "
    "(the same peers as connect), which only a UDP "
    "socket may do, and it needs no connect() first: a UDP socket neither bound nor connected "
    "gets each datagram's source from source selection. A UDP socket whose address was "
    "withdrawn does not break, but its send fails with EADDRNOTAVAIL; check it with "
    "`{call: s1.send, returned: ...}`.",
    example="send: {socket: s1, peer: dns.example.net, port: 53}",
    run=_run,
    records=("Send",),
    record=_record,
    references=_references,
    socket_call=True,
)
