"""`close: {socket}`: close a declared socket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import SocketRef
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


def _run(value: SocketRef, run: ScenarioRun) -> None:
    call(run, "close", value.socket, lambda sim, fd: sim.close(fd))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    return {"socket": recording.label(command)}


VERB = Verb(
    name="close",
    value=SocketRef,
    docs="Close a declared socket; an address no socket uses any more is kept or released as "
    "the host's `on_last_close` says.",
    example="close: {socket: s1}",
    run=_run,
    records=("Close",),
    record=_record,
    references=declared,
    socket_call=True,
)
