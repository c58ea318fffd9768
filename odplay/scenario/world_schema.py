"""What a scenario file says about the world it starts in: the network, the host's policies and
the applications. The `host:` and `network:` verbs reuse the first two mid-run."""

from __future__ import annotations

from typing import Annotated, Any

from odplay.constants import is_on_demand_flag, one_on_demand, parse_address_type
from odplay.scenario.fields import (
    MAX_NODES,
    MAX_POOL,
    Delay,
    Duration,
    Flag,
    IPv6,
    Name,
    Port,
    Strict,
    Type,
    address_type,
)
from odplay.scenario.validation import BeforeValidator, Field, field_validator, model_validator

# ---------------------------------------------------------------------- network


def distinct_types(keys: Any, what: str) -> None:
    """Each key names a type (any spelling the language takes), and no type twice: with
    `{Fixed: 1s, fixed: 2s}` one value would be dropped without a word."""
    seen: dict[object, str] = {}
    for key in keys:
        if not isinstance(key, str):
            raise ValueError(f"a key of {what} names an address type, not {key!r}")
        type_ = parse_address_type(key)
        if type_ in seen:
            raise ValueError(f"{seen[type_]!r} and {key!r} name the same type; give it once")
        seen[type_] = key


def _pools(value: Any) -> Any:
    """`{session-lasting: 4}`: every key must name a type, each type once."""
    if isinstance(value, dict):
        distinct_types(value, "pools")
    return value


#: At most this many prefixes of each type out at once, within `pool` (per-type pools, D4).
Pools = Annotated[dict[str, Annotated[int, Field(ge=0, le=MAX_POOL)]], BeforeValidator(_pools)]


class AnchorModel(Strict):
    name: Name = "anchor"
    internet_delay: Delay = 20
    pool: Annotated[int, Field(ge=0, le=MAX_POOL)] = 64
    pools: Pools | None = None


class GatewayModel(Strict):
    name: Name
    internet_delay: Delay = 5
    anchor_delay: Delay = 15
    pool: Annotated[int, Field(ge=0, le=MAX_POOL)] = 64
    #: The types this gateway serves; left out, the network's `supports` (F1, F8).
    supports: list[Type] | None = None
    #: A legacy gateway in an on-demand network, or the other way round; left out, the
    #: network's `legacy` (B7).
    legacy: bool | None = None
    pools: Pools | None = None


class AttachmentPointModel(Strict):
    name: Name
    gateway: Name
    access_delay: Delay = 2


class CorrespondentModel(Strict):
    name: Name
    address: IPv6
    delay: Delay = 5


class NetworkModel(Strict):
    """Every field is optional: what is left out comes from the built-in 4.2 network."""

    anchor: AnchorModel | None = None
    gateways: Annotated[list[GatewayModel], Field(min_length=1, max_length=MAX_NODES)] | None = None
    attachment_points: (
        Annotated[list[AttachmentPointModel], Field(min_length=1, max_length=MAX_NODES)] | None
    ) = None
    correspondents: Annotated[list[CorrespondentModel], Field(max_length=MAX_NODES)] | None = None
    inter_gateway_delay: Delay | None = None
    supports: list[Type] | None = None
    default_type: Type | None = None
    on_attach: list[Type] | None = None
    grace_period: Duration | None = None
    signalling_delay: Delay | None = None
    legacy: bool | None = None
    #: on-demand (the draft), mobile-ip (everything anchored centrally) or none; `odplay
    #: compare` sets it for each of its three runs.
    mobility: Annotated[str, Field(pattern="^(on-demand|mobile-ip|none)$")] | None = None
    #: T3: what a move behind the same gateway does to Non-persistent prefixes.
    same_gateway_move: Annotated[str, Field(pattern="^(keep|replace)$")] | None = None
    #: T4: back at the gateway of a prefix in its grace period: a new prefix, or the old revived.
    graceful_return: Annotated[str, Field(pattern="^(replace|revive)$")] | None = None
    #: RFC 8653 Section 5: prefixes of every type mixed, in a block per type, or blocks dealt
    #: out afresh every `shuffle_every`.
    prefix_types: Annotated[str, Field(pattern="^(mixed|blocks|shuffled)$")] | None = None
    shuffle_every: Duration | None = None

    @field_validator("shuffle_every")
    @classmethod
    def _some_time(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise ValueError("shuffle_every must be more than 0")
        return value


def _bytes(value: Any) -> int:
    """`5MB`, `250kB`, `1.5MB` or a whole number of bytes (RFC 8653 Section 5's lifetime)."""
    from odplay.scenario.budget import parse_size

    if isinstance(value, bool):
        raise ValueError("a size such as 5MB, or a number of bytes")
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        raise ValueError("a size such as 5MB, or a number of bytes")
    return parse_size(value)


Bytes = Annotated[int, BeforeValidator(_bytes)]


def _lifetimes(value: dict[str, int] | None, least: str) -> dict[str, int] | None:
    """RFC 8653 Section 5's lifetimes per type: each key a type, once, each lifetime at least 1."""
    distinct_types(value or {}, "rotation")
    for key, lifetime in (value or {}).items():
        if lifetime < 1:
            raise ValueError(f"rotation of {key}: a lifetime of at least {least}")
    return value


class HostModel(Strict):
    allocation: Annotated[str, Field(pattern="^(reuse|fresh)$")] | None = None
    on_last_close: Annotated[str, Field(pattern="^(keep|release)$")] | None = None
    permissions: dict[str, list[Name]] | None = None
    boot_types: list[Type] | None = None
    default_type: Type | None = None
    legacy_stack: bool | None = None
    #: A6, D9: under `allocation: fresh`, when no fresh prefix comes: fail, or a held address.
    when_fresh_fails: Annotated[str, Field(pattern="^(fail|reuse)$")] | None = None
    #: B2: a legacy stack's answer to ON_NET: EINVAL (odplay's reading) or ignore (Linux's).
    legacy_on_net: Annotated[str, Field(pattern="^(einval|ignore)$")] | None = None
    #: RFC 8653 Appendix A: setsc(), or the OnDemand field set with setsockopt().
    api: Annotated[str, Field(pattern="^(setsc|sockopt)$")] | None = None
    #: `api: sockopt`: connect() before the OnDemand prefix came waits for it, or goes now.
    sockopt_connect: Annotated[str, Field(pattern="^(wait|now)$")] | None = None
    #: RFC 8653 Section 5: type -> the lifetime after which its addresses are renewed.
    rotation: dict[str, Duration] | None = None
    #: The same in bytes sent (`5MB`, `250kB` or a number of bytes), at nominal rates.
    rotation_bytes: dict[str, Bytes] | None = None

    @field_validator("rotation")
    @classmethod
    def _rotation_types(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return _lifetimes(value, "1ms")

    @field_validator("rotation_bytes")
    @classmethod
    def _rotation_sizes(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return _lifetimes(value, "1 byte")

    @field_validator("permissions")
    @classmethod
    def _permission_types(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        distinct_types(value or {}, "permissions")
        return value


# ---------------------------------------------------------------------- applications


def _fallback(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == "legacy":
        return "legacy"
    return address_type(value)


class SocketModel(Strict):
    role: Name = "main"
    type: Type | None = None
    legacy: bool = False  # True: no setsc() at all for this socket (B1)
    flags: list[Flag] = Field(default_factory=list)
    peer: Name | None = None
    port: Port | None = None
    listen: Port | None = None
    bind: bool = True
    fallback: list[Annotated[Any, BeforeValidator(_fallback)]] = Field(default_factory=list)
    reestablish: bool | None = None
    reconnect_after: Delay | None = None
    move_over_after: Duration | None = None
    publish: Name | None = None
    hold: Duration | None = None
    repeat_every: Duration | None = None

    @field_validator("flags")
    @classmethod
    def _one_on_demand(cls, value: list[str]) -> list[str]:
        one_on_demand(value)
        return value

    @model_validator(mode="after")
    def _type_once(self) -> SocketModel:
        # Under api: sockopt the socket's type goes in the OnDemand field: an `on-demand=`
        # flag beside it would be OR'ed with it into another type.
        if self.type is not None and any(is_on_demand_flag(f) for f in self.flags):
            raise ValueError(
                "flags: an on-demand= flag beside type: the socket's type goes in the OnDemand "
                "field already; give it once, as type"
            )
        return self

    @field_validator("repeat_every")
    @classmethod
    def _repeat(cls, value: int | None) -> int | None:
        if value is not None and value < 10:
            raise ValueError("repeat_every must be at least 10ms")
        return value


class ApplicationModel(Strict):
    name: Name
    kind: Name
    sockets: Annotated[list[SocketModel], Field(min_length=1, max_length=16)] | None = None
