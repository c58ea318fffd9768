"""`network: {...}`: change the network's run-time settings mid-run, the network's as a whole or
one gateway's (or the anchor's) own: its pool, its per-type pools, what it supports, legacy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of
from odplay.scenario.world_schema import NetworkModel

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun

#: What a gateway, or the anchor, may change mid-run; their delays are set for the whole run.
_GATEWAY_FIELDS = frozenset({"pool", "pools", "supports", "legacy"})
_ANCHOR_FIELDS = frozenset({"pool", "pools"})


def _run(value: NetworkModel, run: ScenarioRun) -> None:
    from odplay.scenario.build import network_settings, node_settings
    from odplay.sim import commands as cmd

    for name, setting in network_settings(value).items():
        run.sim.apply(cmd.SetNetwork(name, setting))
    for gateway in value.gateways or ():
        for name, setting in node_settings(gateway).items():
            run.sim.apply(cmd.SetGateway(gateway.name, name, setting))
    if value.anchor is not None:
        for name, setting in node_settings(value.anchor).items():
            run.sim.apply(cmd.SetAnchor(name, setting))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    from odplay.scenario.yaml_values import network_setting, node_setting

    if type(command).__name__ == "SetGateway":
        change = {
            "name": command.gateway,
            command.field: node_setting(command.field, command.value),
        }
        return {"gateways": [change]}
    if type(command).__name__ == "SetAnchor":
        return {"anchor": {command.field: node_setting(command.field, command.value)}}
    return {command.field: network_setting(command.field, command.value)}


def _references(value: NetworkModel, loc: Loc, names: Names) -> Problems:
    from odplay.scenario.without_effect import empty, explicit_nulls
    from odplay.sim.commands import NETWORK_FIELDS

    yield from empty(value, loc, "network")
    # Only the run-time settings can change mid-run; the rest describe the network itself.
    nodes = {"gateways", "anchor"}
    for name in sorted(value.model_fields_set - set(NETWORK_FIELDS) - nodes):
        yield (*loc, name), f"{name} is set for the whole run, under network: at the top"
    yield from explicit_nulls(value, loc, frozenset(value.model_fields_set - set(NETWORK_FIELDS)))
    gateways = names.nodes - {names.anchor}
    for index, gateway in enumerate(value.gateways or ()):
        here = (*loc, "gateways", index)
        if msg := one_of(gateway.name, gateways, "gateway"):
            yield (*here, "name"), msg
        for name in sorted(gateway.model_fields_set - _GATEWAY_FIELDS - {"name"}):
            yield (*here, name), f"a gateway's {name} is set for the whole run, under network:"
    if value.anchor is not None:
        here = (*loc, "anchor")
        given = value.anchor.model_fields_set
        if "name" in given and value.anchor.name != names.anchor:
            yield (*here, "name"), f"the anchor is named {names.anchor!r}"
        for name in sorted(given - _ANCHOR_FIELDS - {"name"}):
            yield (*here, name), f"the anchor's {name} is set for the whole run, under network:"


VERB = Verb(
    name="network",
    value=NetworkModel,
    docs="Change the network's run-time settings from now on (what it supports, its default "
    "type, the grace period, delays, legacy mode, what a same-gateway move does (T3), what a "
    "return in the grace period does (T4), how prefixes map to types (RFC 8653 Section 5: "
    "prefix_types, shuffle_every)), or one gateway's own (`gateways: [{name, "
    "pool, pools, supports, legacy}]`) or the anchor's (`anchor: {pool, pools}`): a pool that "
    "shrinks keeps the prefixes already out and refuses new ones past it (D4). Its nodes and "
    "their delays are set for the whole run under the top-level `network:`.",
    example="network: {gateways: [{name: gw2, pool: 0}]}",
    run=_run,
    records=("SetNetwork", "SetGateway", "SetAnchor"),
    record=_record,
    references=_references,
)
