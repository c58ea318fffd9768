"""`setsc: {socket, type}`: ask for an address of an on-demand type on a declared socket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from odplay.constants import AddressType
from odplay.scenario.fields import SocketRef, Type
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class SetscAction(SocketRef):
    #: A type's name, or any 32-bit number (what a buggy application might pass).
    type: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] | Type


def _run(value: SetscAction, run: ScenarioRun) -> None:
    type_value = int(value.type) if isinstance(value.type, AddressType | int) else value.type
    call(run, "setsc", value.socket, lambda sim, fd: sim.setsc(fd, type_value)[0])


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    known = command.type in {int(t) for t in AddressType}
    kind = AddressType(command.type).slug if known else command.type
    return {"socket": recording.label(command), "type": kind}


VERB = Verb(
    name="setsc",
    value=SetscAction,
    docs="The draft's setsc() call: ask for a source address of one type (fixed, "
    "session-lasting, non-persistent, graceful-replacement) on a declared socket. It returns a "
    "status, kept for `call: SOCKET.setsc` expectations; `bind: {address: setsc}` binds what "
    "it gave.",
    example="setsc: {socket: s1, type: session-lasting}",
    run=_run,
    records=("Setsc",),
    record=_record,
    references=declared,
    socket_call=True,
)
