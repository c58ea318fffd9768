"""`setsockopt: {socket, flags}`: set RFC 5014 address-preference flags on a declared socket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Flag, SocketRef
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class SetsockoptAction(SocketRef):
    flags: list[Flag]


def _run(value: SetsockoptAction, run: ScenarioRun) -> None:
    from odplay.scenario.build import flags_value

    call(
        run,
        "setsockopt",
        value.socket,
        lambda sim, fd: sim.setsockopt(fd, flags_value(value.flags)),
    )


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    from odplay.constants import flag_names

    return {"socket": recording.label(command), "flags": flag_names(command.flags)}


VERB = Verb(
    name="setsockopt",
    value=SetsockoptAction,
    docs="Set address-preference flags (RFC 5014 names such as on-net or home) on a declared "
    "socket, the older way of asking for a kind of source address.",
    example="setsockopt: {socket: s1, flags: [home]}",
    run=_run,
    records=("SetSockOpt",),
    record=_record,
    references=declared,
    socket_call=True,
)
