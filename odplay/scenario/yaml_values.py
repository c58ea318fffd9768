"""How the model's settings are written in a scenario file: durations as whole milliseconds,
address types by their slugs, policies by their names. The recorder writes the starting network
and host this way, and the `host:` and `network:` verbs their changes."""

from __future__ import annotations

from typing import Any

from odplay.constants import AddressType


def ms(value: int) -> str:
    return f"{value}ms"


def slug(value: AddressType | None) -> str | None:
    return None if value is None else value.slug


def network_setting(name: str, value: Any) -> Any:
    if name == "supports":
        return sorted(t.slug for t in value)
    if name == "on_attach":
        return [t.slug for t in value]
    if name == "default_type":
        return slug(value)
    if name in ("grace_period", "signalling_delay", "inter_gateway_delay", "shuffle_every"):
        return ms(value)
    if name in ("same_gateway_move", "graceful_return", "prefix_types"):
        return str(value.value)
    return value


def node_setting(name: str, value: Any) -> Any:
    """A gateway's or the anchor's own setting: `pools` by type slug; `supports` and `legacy`
    as the network's (None: the network's own)."""
    if name == "pools":
        return {t.slug: cap for t, cap in sorted(value.items())}
    if value is None:
        return None
    return network_setting(name, value)


def host_setting(name: str, value: Any) -> Any:
    if name in (
        "allocation",
        "on_last_close",
        "when_fresh_fails",
        "legacy_on_net",
        "api",
        "sockopt_connect",
    ):
        return str(value.value)
    if name == "permissions":
        return {t.slug: sorted(apps) for t, apps in sorted(value.items())}
    if name == "boot_types":
        return [t.slug for t in value]
    if name == "rotation":
        return {t.slug: ms(lifetime) for t, lifetime in sorted(value.items())}
    if name == "rotation_bytes":
        return {t.slug: size for t, size in sorted(value.items())}
    if name == "default_type":
        return slug(value)
    return value
