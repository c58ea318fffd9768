"""The value types a scenario file's fields are made of, and the limits that bound them.

Shared by the schema, every verb and every expectation subject: a duration, a delay, an address
type, an IPv6 literal, a status name, a flag, a name, a port. Each refuses a bad value with a
message the loader reports at the value's line. Nothing here imports the model's machinery, so
that reading a verb's fields stays cheap.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from odplay.constants import AddressType, Status, parse_address_type, parse_flag
from odplay.sim.timeunits import parse_duration

# Limits that keep a hostile or mistaken file from hanging the run or exhausting memory.
MAX_APPLICATIONS = 2_000
MAX_STEPS = 5_000
MAX_ACTIONS_PER_STEP = 500
MAX_NODES = 256
MAX_POOL = 0xFFFF
MAX_SIM_TIME_MS = 7 * 24 * 3_600_000  # one simulated week
MAX_DELAY_MS = 60_000
MAX_NAME = 64


def _duration(value: Any) -> int:
    ms = parse_duration(value)
    if ms > MAX_SIM_TIME_MS:
        raise ValueError(f"{value!r} is longer than odplay's limit of one simulated week")
    return ms


def _delay(value: Any) -> int:
    ms = parse_duration(value)
    if ms > MAX_DELAY_MS:
        raise ValueError(
            f"{value!r} is longer than the limit of {MAX_DELAY_MS // 1000}s for a delay"
        )
    return ms


def address_type(value: Any) -> AddressType:
    if isinstance(value, AddressType):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an address type name such as session-lasting, got {value!r}")
    return parse_address_type(value)


def _ipv6(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected an IPv6 address, got {value!r}")
    try:
        return str(ipaddress.IPv6Address(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a valid IPv6 address") from None


def _status(value: Any) -> str:
    if not isinstance(value, str) or value.upper() not in Status.__members__:
        names = ", ".join(Status.__members__)
        raise ValueError(f"unknown status {value!r}; expected one of: {names}")
    return value.upper()


def _flag(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a flag name such as on-net or home, got {value!r}")
    parse_flag(value)
    return value


Duration = Annotated[int, BeforeValidator(_duration)]
Flag = Annotated[str, BeforeValidator(_flag)]
Delay = Annotated[int, BeforeValidator(_delay)]
Type = Annotated[AddressType, BeforeValidator(address_type)]
IPv6 = Annotated[str, BeforeValidator(_ipv6)]
StatusName = Annotated[str, BeforeValidator(_status)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Port = Annotated[int, Field(ge=0, le=65535)]
Count = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    """Unknown keys are refused everywhere; a loaded scenario never changes.

    `defer_build`: a model's validator is built when it is first used, not when its class is
    made. Only ScenarioModel's is ever used (it validates the whole file), so the nested models'
    own validators and serializers are never built: that took `odplay run`'s start-up from about
    4.5x to about 3x `import typer` (benchmarks/, startup)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Facts(Strict):
    """A subject's fields. Never validated on their own (the expectation model holds them all,
    flattened), so their validator is never built: that keeps start-up short."""

    model_config = ConfigDict(defer_build=True)


class SocketRef(Strict):
    """What every call on a declared socket names first."""

    socket: Name


class ReachTarget(Strict):
    """A name and port to reach, from the host or (with `from`) from a correspondent."""

    name: Name
    port: Port
    from_: Annotated[Name | None, Field(alias="from")] = None
