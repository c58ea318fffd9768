"""`launch: APP`: start one of the scenario's applications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


def _run(app: str, run: ScenarioRun) -> None:
    from odplay.sim import commands as cmd

    run.sim.apply(cmd.Launch(run.apps[app]))


def _record(command: Any, recording: Recording) -> str:
    recording.launched(command.spec)
    return str(command.spec.name)


def _references(value: str, loc: Loc, names: Names) -> Problems:
    if msg := one_of(value, names.applications, "application"):
        yield loc, msg


VERB = Verb(
    name="launch",
    value=Name,
    docs="Start an application declared under `applications:`; it opens its sockets and asks "
    "for the address types its plan says.",
    example="launch: browser",
    run=_run,
    records=("Launch",),
    record=_record,
    references=_references,
)
