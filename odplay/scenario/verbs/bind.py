"""`bind: {socket, address, port}`: bind a declared socket to a source address."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Port, SocketRef
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class BindAction(SocketRef):
    address: str = "setsc"  # `setsc`: what setsc() gave; a name (IPsl1); a value; or `::`
    port: Port = 0


def _run(value: BindAction, run: ScenarioRun) -> None:
    address = value.address
    if address == "setsc":
        fd = run.ctx.labels[value.socket]
        address = (
            run.sim.world.stack.sockets[fd].setsc_address or "(nothing: setsc gave no address)"
        )
    call(run, "bind", value.socket, lambda sim, fd: sim.bind(fd, address, value.port))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    return {"socket": recording.label(command), "address": command.address, "port": command.port}


VERB = Verb(
    name="bind",
    value=BindAction,
    docs="Bind a declared socket to a source address: `setsc` (the default) for the address "
    "setsc() gave it, an address's name such as IPsl1, a literal IPv6 address, or `::`.",
    example="bind: {socket: s1, address: setsc}",
    run=_run,
    records=("Bind",),
    record=_record,
    references=declared,
    socket_call=True,
)
