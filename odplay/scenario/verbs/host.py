"""`host: {...}`: change the host's policies mid-run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import Loc, Names, Problems, Verb
from odplay.scenario.without_effect import empty, explicit_nulls
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


def _references(value: HostModel, loc: Loc, names: Names) -> Problems:
    yield from empty(value, loc, "host")
    yield from explicit_nulls(value, loc, frozenset({"default_type"}))
    if "boot_types" in value.model_fields_set and names.attached is not None:
        first = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in names.attached[:-1])
        yield (
            (*loc, "boot_types"),
            "boot types are asked for at the host's first attachment (D10), made before this "
            f"(at {first.lstrip('.')}): they would change nothing now; give them under the "
            "top-level `host:`",
        )


VERB = Verb(
    name="host",
    value=HostModel,
    docs="Change the host's policies from now on: the same keys as the scenario's top-level "
    "`host:` (allocation, on_last_close, permissions, boot_types, default_type, legacy_stack, "
    "when_fresh_fails, legacy_on_net, and RFC 8653's api, sockopt_connect, rotation and "
    "rotation_bytes).",
    example="host: {allocation: fresh}",
    run=_run,
    records=("SetPolicy",),
    record=_record,
    references=_references,
)
