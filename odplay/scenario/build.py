"""Turn a validated scenario into the model's own objects: network, host policy, applications."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from odplay.constants import AddressType, parse_address_type, parse_flag
from odplay.scenario.schema import (
    AnchorModel,
    ApplicationModel,
    GatewayModel,
    HostModel,
    NetworkModel,
    SocketModel,
)
from odplay.sim.apps import CATALOG, LEGACY, AppSpec, SocketPlan
from odplay.sim.commands import NETWORK_FIELDS
from odplay.sim.network import (
    AttachmentPointConfig,
    CorrespondentConfig,
    GatewayConfig,
    GracefulReturn,
    Mobility,
    NetworkConfig,
    SameGatewayMove,
    default_network,
)
from odplay.sim.policy import (
    AllocationPolicy,
    FreshFailurePolicy,
    HostPolicy,
    LastClosePolicy,
    LegacyOnNetPolicy,
    PendingConnect,
    SocketApi,
)
from odplay.sim.type_mapping import PrefixTypes

#: The network settings a scenario spells as a word, and the model's enum for each.
_NETWORK_ENUMS = {
    "same_gateway_move": SameGatewayMove,
    "graceful_return": GracefulReturn,
    "prefix_types": PrefixTypes,
}


def build_network(model: NetworkModel) -> NetworkConfig:
    config = default_network()
    if model.anchor is not None:
        config.anchor = model.anchor.name
        config.anchor_internet_delay = model.anchor.internet_delay
        config.anchor_pool = model.anchor.pool
        config.anchor_pools = pools(model.anchor.pools)
    if model.gateways is not None:
        config.gateways = [
            GatewayConfig(
                g.name,
                g.internet_delay,
                g.anchor_delay,
                g.pool,
                supports=None if g.supports is None else set(g.supports),
                legacy=g.legacy,
                pools=pools(g.pools),
            )
            for g in model.gateways
        ]
    if model.attachment_points is not None:
        config.attachment_points = [
            AttachmentPointConfig(a.name, a.gateway, a.access_delay)
            for a in model.attachment_points
        ]
    if model.correspondents is not None:
        config.correspondents = [
            CorrespondentConfig(c.name, c.address, c.delay) for c in model.correspondents
        ]
    for name, value in network_settings(model).items():
        setattr(config, name, value)
    if model.mobility is not None:
        config.mobility = Mobility(model.mobility)
    return config


def pools(value: dict[str, int] | None) -> dict[AddressType, int]:
    """A node's per-type caps, keyed by the model's types."""
    return {parse_address_type(name): cap for name, cap in (value or {}).items()}


def node_settings(model: AnchorModel | GatewayModel) -> dict[str, Any]:
    """The settings a `network:` action changes on one gateway or the anchor: the keys given
    (a gateway's `supports: null` or `legacy: null` gives it back to the network's)."""
    settings: dict[str, Any] = {}
    for name in ("pool", "pools", "supports", "legacy"):
        if name in model.model_fields_set:
            value = getattr(model, name)
            if name == "pools":
                value = pools(value)
            elif name == "supports" and value is not None:
                value = set(value)
            settings[name] = value
    return settings


def network_settings(model: NetworkModel) -> dict[str, Any]:
    """The run-time settings a scenario (or a `network:` action) changes."""
    settings: dict[str, Any] = {}
    for name in NETWORK_FIELDS:
        value = getattr(model, name)
        if value is None:
            continue
        if name == "supports":
            value = set(value)
        elif name in _NETWORK_ENUMS:
            value = _NETWORK_ENUMS[name](value)
        settings[name] = value
    return settings


def host_settings(model: HostModel) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if model.allocation is not None:
        settings["allocation"] = AllocationPolicy(model.allocation)
    if model.on_last_close is not None:
        settings["on_last_close"] = LastClosePolicy(model.on_last_close)
    if model.permissions is not None:
        settings["permissions"] = {
            parse_address_type(t): frozenset(apps) for t, apps in model.permissions.items()
        }
    if model.boot_types is not None:
        settings["boot_types"] = list(model.boot_types)
    if "default_type" in model.model_fields_set:
        settings["default_type"] = model.default_type
    if model.legacy_stack is not None:
        settings["legacy_stack"] = model.legacy_stack
    if model.when_fresh_fails is not None:
        settings["when_fresh_fails"] = FreshFailurePolicy(model.when_fresh_fails)
    if model.legacy_on_net is not None:
        settings["legacy_on_net"] = LegacyOnNetPolicy(model.legacy_on_net)
    if model.api is not None:
        settings["api"] = SocketApi(model.api)
    if model.sockopt_connect is not None:
        settings["sockopt_connect"] = PendingConnect(model.sockopt_connect)
    if model.rotation is not None:
        settings["rotation"] = {parse_address_type(t): ms for t, ms in model.rotation.items()}
    if model.rotation_bytes is not None:
        settings["rotation_bytes"] = {
            parse_address_type(t): size for t, size in model.rotation_bytes.items()
        }
    return settings


def build_policy(model: HostModel) -> HostPolicy:
    policy = HostPolicy()
    for name, value in host_settings(model).items():
        setattr(policy, name, value)
    return policy


def flags_value(names: list[str]) -> int:
    value = 0
    for name in names:
        value |= parse_flag(name)
    return value


def plan_for(model: SocketModel, base: SocketPlan) -> SocketPlan:
    """A socket's plan: its kind's (`base`), with the keys the scenario gives over it."""
    changes: dict[str, Any] = {
        "role": model.role,
        "type": None if model.legacy else model.type,
        "flags": flags_value(model.flags),
        "bind": model.bind,
    }
    if model.peer is not None:
        changes["peer"] = model.peer
    if model.port is not None:
        changes["peer_port"] = model.port
    if model.listen is not None:
        changes["listen_port"] = model.listen
    if "fallback" in model.model_fields_set:  # `fallback: []` too: no fallback at all
        changes["fallback"] = tuple(
            LEGACY if f == "legacy" else AddressType(f) for f in model.fallback
        )
    for name in (
        "reestablish",
        "reconnect_after",
        "move_over_after",
        "publish",
        "hold",
        "repeat_every",
    ):
        value = getattr(model, name)
        if value is not None:
            changes[name] = value
    return replace(base, **changes)


def build_app(model: ApplicationModel) -> AppSpec:
    defaults = CATALOG[model.kind].plans
    if model.sockets is None:
        return AppSpec(model.name, model.kind, defaults)
    plans = []
    for index, sock in enumerate(model.sockets):
        base = defaults[index] if index < len(defaults) else SocketPlan(reestablish=True)
        plans.append(plan_for(sock, base))
    return AppSpec(model.name, model.kind, tuple(plans))
