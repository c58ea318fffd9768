"""`reach: {name, port, from}`: a correspondent tries to reach the host."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import ReachTarget
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


def _run(value: ReachTarget, run: ScenarioRun) -> None:
    run.sim.reach(value.name, value.port, value.from_)


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    reach: dict[str, Any] = {"name": command.name, "port": command.port}
    if command.peer is not None:
        reach["from"] = command.peer
    return reach


def _references(value: ReachTarget, loc: Loc, names: Names) -> Problems:
    if value.from_ is not None and (
        msg := one_of(value.from_, names.correspondents, "correspondent")
    ):
        yield (*loc, "from"), msg


VERB = Verb(
    name="reach",
    value=ReachTarget,
    docs="A correspondent (`from`, or any) tries to reach the host at a name (as DNS has it) "
    "and port: it gets through when the address is still the host's and a socket listens there.",
    example="reach: {name: www.mh.example, port: 443, from: peer.example.net}",
    run=_run,
    records=("Reach",),
    record=_record,
    references=_references,
)
