"""`network: {...}`: change the network's run-time settings mid-run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import Loc, Names, Problems, Verb
from odplay.scenario.world_schema import NetworkModel

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


def _run(value: NetworkModel, run: ScenarioRun) -> None:
    from odplay.scenario.build import network_settings
    from odplay.sim import commands as cmd

    for name, setting in network_settings(value).items():
        run.sim.apply(cmd.SetNetwork(name, setting))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    from odplay.scenario.yaml_values import network_setting

    return {command.field: network_setting(command.field, command.value)}


def _references(value: NetworkModel, loc: Loc, names: Names) -> Problems:
    from odplay.sim.commands import NETWORK_FIELDS

    # Only the run-time settings can change mid-run; the rest describe the network itself.
    for name in sorted(value.model_fields_set - set(NETWORK_FIELDS)):
        yield (*loc, name), f"{name} is set for the whole run, under network: at the top"


VERB = Verb(
    name="network",
    value=NetworkModel,
    docs="Change the network's run-time settings from now on (what it supports, its default "
    "type, the grace period, delays, legacy mode, what a same-gateway move does, what a return "
    "in the grace period does); its nodes and mobility are set for the whole run under the "
    "top-level `network:`.",
    example="network: {grace_period: 5s}",
    run=_run,
    records=("SetNetwork",),
    record=_record,
    references=_references,
)
