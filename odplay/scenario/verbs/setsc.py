"""`setsc: {socket, type, wait}`: ask for an address of an on-demand type on a declared socket."""

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
    #: False: the step goes on while the stack asks the network, as it would for a call made by
    #: another thread (A5); the answer comes later, for `call:` to check.
    wait: bool = True


def _run(value: SetscAction, run: ScenarioRun) -> None:
    type_value = int(value.type) if isinstance(value.type, AddressType | int) else value.type
    if value.wait:
        call(run, "setsc", value.socket, lambda sim, fd: sim.setsc(fd, type_value)[0])
        return
    from odplay.sim import commands as cmd

    fd = run.ctx.labels[value.socket]
    status = run.sim.apply(cmd.Setsc(fd, type_value))
    # None: blocked, answered later (the trace says when); `call:` reads it there.
    run.ctx.results[f"{value.socket}.setsc"] = status.name if status is not None else "pending"


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    known = command.type in {int(t) for t in AddressType}
    kind = AddressType(command.type).slug if known else command.type
    written = {"socket": recording.label(command), "type": kind}
    if recording.waited:
        # It asked the network; the run it records went on meanwhile (A5).
        written["wait"] = False
    return written


VERB = Verb(
    name="setsc",
    value=SetscAction,
    docs="The draft's setsc() call: ask for a source address of one type (fixed, "
    "session-lasting, non-persistent, graceful-replacement) on a declared socket. It blocks "
    "while the stack asks the network (A5); `wait: false` goes on at once, as a call made by "
    "another thread would, so that two setsc() calls can be pending together. What it returned "
    "and the address it gave are kept for `call: SOCKET.setsc` expectations; `bind: {address: "
    "setsc}` binds what it gave.",
    example="setsc: {socket: s1, type: session-lasting}",
    run=_run,
    records=("Setsc",),
    record=_record,
    references=declared,
    socket_call=True,
)
