"""The Python API's argument checks: a wrong value is refused at the door, before anything changes.

`odplay.sim` is also a library (Simulation, the commands, AppSpec, HostPolicy, NetworkConfig).
Its core trusts its inputs for speed, so a string where a time belongs, a float clock, a port of
70000 or a list where a set of types is expected would not fail: it would misbehave later, far
from the mistake. These checks run where a value enters (a command is built, a Simulation method
is called, a run starts) and never in the per-event paths. Each refusal names the argument, the
value and what is expected: `BadArgumentType` (also a TypeError) for the wrong kind of value,
`BadArgument` (a ValueError) for the right kind out of range.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from odplay.constants import AddressType
from odplay.sim.network import (
    AttachmentPointConfig,
    CorrespondentConfig,
    GatewayConfig,
    GracefulReturn,
    Mobility,
    NetworkConfig,
    SameGatewayMove,
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

MAX_PORT = 65535
#: Flags are a C int's bits (IPV6_ADDR_PREFERENCES); odplay stores any of the 32.
MAX_FLAGS = 0xFFFF_FFFF


class BadArgument(ValueError):
    """An argument the model's API refuses: the right kind of value, but not one it can take."""


class BadArgumentType(BadArgument, TypeError):
    """An argument of the wrong type: a string for a time, a float for a clock, a list for a set."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


def _wrong_type(what: str, value: Any, expected: str) -> BadArgumentType:
    return BadArgumentType(
        f"{what} must be {expected}, got {_shown(value)} ({type(value).__name__})"
    )


def integer(what: str, value: Any, low: int | None = 0, high: int | None = None) -> int:
    """A whole number (not a bool, a float or a numeric string) within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(what, value, _range(low, high))
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadArgument(f"{what} must be {_range(low, high)}, got {_shown(value)}")
    return value


def _range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    if low is not None:
        return f"a whole number of at least {low}"
    return "a whole number" if high is None else f"a whole number of at most {high}"


def time_ms(what: str, value: Any) -> int:
    """A simulated time or duration: whole milliseconds, never negative."""
    if isinstance(value, str):
        raise BadArgumentType(
            f"{what} must be whole milliseconds (an int), got the string {_shown(value)}; "
            "odplay.sim.timeunits.parse_duration reads '2s' or '250ms'"
        )
    return integer(what, value, 0, None)


def port(what: str, value: Any) -> int:
    return integer(what, value, 0, MAX_PORT)


def fd(value: Any) -> int:
    """A file descriptor: any int (an unknown one is the stack's EBADF, which it models)."""
    return integer("fd", value, None, None)


def text(what: str, value: Any, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _wrong_type(what, value, "a string or None" if optional else "a string")
    return value


def name(what: str, value: Any) -> str:
    """A name (an application, an attachment point, a node): a string that is not empty."""
    text(what, value)
    if not value:
        raise BadArgument(f"{what} must not be empty")
    return str(value)


def flag(what: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _wrong_type(what, value, "True or False")
    return value


def member(what: str, value: Any, enum: type[Enum], optional: bool = False) -> Any:
    """A member of `enum` itself: `"fresh"` is not AllocationPolicy.FRESH to the core's `is`."""
    if isinstance(value, enum) or (value is None and optional):
        return value
    choices = ", ".join(f"{enum.__name__}.{m.name}" for m in enum)
    expected = f"one of {choices}" + (" or None" if optional else "")
    raise _wrong_type(what, value, expected)


def address_type(what: str, value: Any, optional: bool = False) -> AddressType | None:
    return member(what, value, AddressType, optional)  # type: ignore[no-any-return]


def types_in(what: str, value: Any, container: Any, expected: str) -> None:
    """A container of AddressType members, of the container type the model expects."""
    if not isinstance(value, container):
        raise _wrong_type(what, value, expected)
    for item in value:
        address_type(f"each of {what}", item)


def names_in(what: str, value: Any) -> None:
    """A set of application names (S1's permission table), not a string: `in` on a string
    would allow any application whose name is part of it."""
    if not isinstance(value, frozenset | set):
        raise _wrong_type(what, value, "a frozenset of application names")
    for item in value:
        text(f"each of {what}", item)


def instance(what: str, value: Any, cls: type, optional: bool = False) -> Any:
    if isinstance(value, cls) or (value is None and optional):
        return value
    raise _wrong_type(what, value, f"a {cls.__name__}" + (" or None" if optional else ""))


def each(what: str, values: Iterable[Any], check: Callable[[str, Any], Any]) -> None:
    for index, value in enumerate(values):
        check(f"{what}[{index}]", value)


# ---------------------------------------------------------------------- settings

_POLICY_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "allocation": lambda what, v: member(what, v, AllocationPolicy),
    "on_last_close": lambda what, v: member(what, v, LastClosePolicy),
    "permissions": lambda what, v: _permissions(what, v),
    "boot_types": lambda what, v: types_in(what, v, list, "a list of AddressType members"),
    "default_type": lambda what, v: address_type(what, v, optional=True),
    "legacy_stack": flag,
    "when_fresh_fails": lambda what, v: member(what, v, FreshFailurePolicy),
    "legacy_on_net": lambda what, v: member(what, v, LegacyOnNetPolicy),
    "api": lambda what, v: member(what, v, SocketApi),
    "sockopt_connect": lambda what, v: member(what, v, PendingConnect),
    "rotation": lambda what, v: _rotation(what, v),
    "rotation_bytes": lambda what, v: _rotation(what, v, "bytes"),
}
_NETWORK_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "supports": lambda what, v: types_in(what, v, set | frozenset, "a set of AddressType members"),
    "default_type": lambda what, v: address_type(what, v),
    "on_attach": lambda what, v: types_in(what, v, list, "a list of AddressType members"),
    "grace_period": time_ms,
    "signalling_delay": time_ms,
    "inter_gateway_delay": time_ms,
    "legacy": flag,
    "same_gateway_move": lambda what, v: member(what, v, SameGatewayMove),
    "graceful_return": lambda what, v: member(what, v, GracefulReturn),
    "prefix_types": lambda what, v: member(what, v, PrefixTypes),
    "shuffle_every": lambda what, v: integer(what, v, 1, None),
}


def _permissions(what: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise _wrong_type(what, value, "a dict of AddressType to a frozenset of application names")
    for type_, apps in value.items():
        address_type(f"a key of {what}", type_)
        names_in(f"{what}[{type_!r}]", apps)


def _rotation(what: str, value: Any, unit: str = "ms") -> None:
    """RFC 8653 Section 5: a dict of AddressType to a lifetime in ms or bytes (at least 1)."""
    if not isinstance(value, dict):
        raise _wrong_type(what, value, f"a dict of AddressType to a lifetime in {unit}")
    for type_, lifetime in value.items():
        address_type(f"a key of {what}", type_)
        integer(f"{what}[{type_!r}]", lifetime, 1, None)


def _own_types(what: str, value: Any) -> None:
    """A gateway's own `supports`: a set of types, or None for the network's."""
    if value is not None:
        types_in(what, value, set | frozenset, "a set of AddressType members, or None")


def _pools(what: str, value: Any) -> None:
    """Per-type caps: a dict of AddressType to a whole number of prefixes."""
    if not isinstance(value, dict):
        raise _wrong_type(what, value, "a dict of AddressType to a whole number of prefixes")
    for type_, cap in value.items():
        address_type(f"a key of {what}", type_)
        integer(f"{what}[{type_!r}]", cap, 0, None)


#: What a gateway may change while the run goes on; the anchor takes only the first two.
_NODE_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "pool": lambda what, v: integer(what, v, 0, None),
    "pools": _pools,
    "supports": lambda what, v: _own_types(what, v),
    "legacy": lambda what, v: v is None or flag(what, v),
}
ANCHOR_FIELDS = ("pool", "pools")


def node_value(field: str, value: Any, anchor: bool = False) -> None:
    """A value for a gateway's (or the anchor's) run-time setting `field`."""
    fields = ANCHOR_FIELDS if anchor else tuple(_NODE_CHECKS)
    if field not in fields:
        what = "the anchor" if anchor else "a gateway"
        raise BadArgument(f"no setting {field!r} of {what}; there are {', '.join(fields)}")
    _NODE_CHECKS[field](f"{'anchor' if anchor else 'gateway'} setting {field}", value)


def policy_value(field: str, value: Any) -> None:
    """A value for host policy `field` (HostPolicy's field types, exactly)."""
    check = _POLICY_CHECKS.get(field)
    if check is None:
        raise BadArgument(f"no host policy {field!r}; there are {', '.join(_POLICY_CHECKS)}")
    check(f"host policy {field}", value)


def network_value(field: str, value: Any) -> None:
    """A value for run-time network setting `field` (NetworkConfig's field types, exactly)."""
    check = _NETWORK_CHECKS.get(field)
    if check is None:
        raise BadArgument(f"no network setting {field!r}; there are {', '.join(_NETWORK_CHECKS)}")
    check(f"network setting {field}", value)


def host_policy(policy: Any) -> None:
    """Every field of a HostPolicy a run starts with."""
    instance("policy", policy, HostPolicy)
    for field, check in _POLICY_CHECKS.items():
        check(f"policy.{field}", getattr(policy, field))


def network_config(config: Any) -> None:
    """A NetworkConfig a run starts with: its nodes, their delays and pools, its settings."""
    instance("network", config, NetworkConfig)
    for field, check in _NETWORK_CHECKS.items():
        check(f"network.{field}", getattr(config, field))
    name("network.anchor", config.anchor)
    time_ms("network.anchor_internet_delay", config.anchor_internet_delay)
    integer("network.anchor_pool", config.anchor_pool)
    _pools("network.anchor_pools", config.anchor_pools)
    member("network.mobility", config.mobility, Mobility)
    for label, nodes in (
        ("gateways", config.gateways),
        ("attachment_points", config.attachment_points),
        ("correspondents", config.correspondents),
    ):
        instance(f"network.{label}", nodes, list)
    gateways = set()
    for index, gw in enumerate(config.gateways):
        what = f"network.gateways[{index}]"
        instance(what, gw, GatewayConfig)
        gateways.add(name(f"{what}.name", gw.name))
        time_ms(f"{what}.internet_delay", gw.internet_delay)
        time_ms(f"{what}.anchor_delay", gw.anchor_delay)
        for field, check in _NODE_CHECKS.items():
            check(f"{what}.{field}", getattr(gw, field))
    if not gateways:
        raise BadArgument("network.gateways must name at least one gateway")
    for index, ap in enumerate(config.attachment_points):
        what = f"network.attachment_points[{index}]"
        instance(what, ap, AttachmentPointConfig)
        name(f"{what}.name", ap.name)
        if name(f"{what}.gateway", ap.gateway) not in gateways:
            raise BadArgument(
                f"{what}.gateway is {ap.gateway!r}, which is not one of the network's gateways "
                f"({', '.join(sorted(gateways))})"
            )
        time_ms(f"{what}.access_delay", ap.access_delay)
    for index, cn in enumerate(config.correspondents):
        what = f"network.correspondents[{index}]"
        instance(what, cn, CorrespondentConfig)
        name(f"{what}.name", cn.name)
        text(f"{what}.address", cn.address)
        time_ms(f"{what}.delay", cn.delay)
