"""`getsockopt: {socket}`: read back the address preferences a declared socket holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import SocketRef
from odplay.scenario.registry import Verb
from odplay.scenario.verbs._socket_call import declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class GetsockoptAction(SocketRef):
    pass


def _run(value: GetsockoptAction, run: ScenarioRun) -> None:
    read = run.sim.read_sockopt(run.ctx.labels[value.socket])
    run.ctx.results[f"{value.socket}.getsockopt"] = "EBADF" if read is None else "SUCCESS"
    if read is None:
        run.ctx.reads.pop(value.socket, None)
    else:
        run.ctx.reads[value.socket] = read


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    return {"socket": recording.label(command)}


VERB = Verb(
    name="getsockopt",
    value=GetsockoptAction,
    docs="Read back IPV6_ADDR_PREFERENCES on a declared socket, as Linux composes the value: "
    "tmp, public or pubtmp-default, then coa or home, with odplay's own on-net bit beside "
    "them. A conflicting setsockopt() (home with coa, tmp with public, cga with noncga) is "
    "refused and changes nothing, so this reads the value from before it. Check what it read "
    "with `{call: s1.getsockopt, read: [...]}`.",
    example="getsockopt: {socket: s1}",
    run=_run,
    records=("GetSockOpt",),
    record=_record,
    references=declared,
    socket_call=True,
)
