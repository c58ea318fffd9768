"""The value types a scenario file's fields are made of, and the limits that bound them.

Shared by the schema, every verb and every expectation subject: a duration, a delay, an address
type, an IPv6 literal, a status name, a flag, a name, a port. Each refuses a bad value with a
message the loader reports at the value's line. Nothing here imports the model's machinery, so
that reading a verb's fields stays cheap.

Everything a verb's or a subject's module needs to declare its fields is here: `Strict` (or
`Facts`) to derive from, these value types, and `Field`, `BeforeValidator`, `AfterValidator`,
`field_validator` and `model_validator` (odplay.scenario.validation; pydantic's names, no
pydantic).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from odplay.constants import AddressType, Status, parse_address_type, parse_flag
from odplay.scenario.models import Model
from odplay.scenario.validation import (
    AfterValidator,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from odplay.sim.timeunits import parse_duration

__all__ = [
    "MAX_ACTIONS_PER_STEP",
    "MAX_APPLICATIONS",
    "MAX_DELAY_MS",
    "MAX_NAME",
    "MAX_NODES",
    "MAX_POOL",
    "MAX_SIM_TIME_MS",
    "MAX_STEPS",
    "AfterValidator",
    "BeforeValidator",
    "Count",
    "Delay",
    "Duration",
    "Facts",
    "Field",
    "Flag",
    "IPv6",
    "Name",
    "Port",
    "ReachTarget",
    "SocketRef",
    "StatusName",
    "Strict",
    "Type",
    "address_type",
    "field_validator",
    "model_validator",
]

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


class Strict(Model):
    """Unknown keys are refused everywhere; a loaded scenario never changes (odplay.scenario.
    models). A verb's fields are a Strict subclass, or a value type from this module."""


class Facts(Strict):
    """A subject's fields: its own key (required) and the facts it can check (each optional).
    Never validated on their own: the expectation model holds every subject's, flattened."""


class SocketRef(Strict):
    """What every call on a declared socket names first."""

    socket: Name


class ReachTarget(Strict):
    """A name and port to reach, from the host or (with `from`) from a correspondent."""

    name: Name
    port: Port
    from_: Annotated[Name | None, Field(alias="from")] = None
