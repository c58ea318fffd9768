"""`listen: {socket, port}`: a declared socket waits for connections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Port, SocketRef
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class ListenAction(SocketRef):
    port: Port = 0


def _run(value: ListenAction, run: ScenarioRun) -> None:
    call(run, "listen", value.socket, lambda sim, fd: sim.listen(fd, value.port))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    return {"socket": recording.label(command), "port": command.port}


VERB = Verb(
    name="listen",
    value=ListenAction,
    docs="A declared socket listens: a server on the host, reachable at the address it is "
    "bound to (see `reach`). An unbound socket is first bound to `::` and `port`; a socket "
    "bound already listens on the port `bind` gave it, and a different `port` here stops the "
    "run with an error at that key.",
    example="listen: {socket: s1, port: 8080}",
    run=_run,
    records=("Listen",),
    record=_record,
    references=declared,
    socket_call=True,
)
