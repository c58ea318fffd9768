"""`host: {...}`: change the host's policies mid-run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import Verb
from odplay.scenario.world_schema import HostModel

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


def _run(value: HostModel, run: ScenarioRun) -> None:
    from odplay.scenario.build import host_settings
    from odplay.sim import commands as cmd

    for name, setting in host_settings(value).items():
        run.sim.apply(cmd.SetPolicy(name, setting))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    from odplay.scenario.yaml_values import host_setting

    return {command.field: host_setting(command.field, command.value)}


VERB = Verb(
    name="host",
    value=HostModel,
    docs="Change the host's policies from now on: the same keys as the scenario's top-level "
    "`host:` (allocation, on_last_close, permissions, boot_types, default_type, legacy_stack, "
    "when_fresh_fails).",
    example="host: {allocation: fresh}",
    run=_run,
    records=("SetPolicy",),
    record=_record,
)
