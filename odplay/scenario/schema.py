"""What a scenario file may say, as pydantic v2 models. Unknown keys are refused everywhere.

A scenario names a network (any field left out takes the built-in Section 4.2 network's value),
the host's policies, the applications, and a list of steps. A step happens at a simulated time,
says something to the learner (with rule IDs), does actions, and states expectations that the
run checks just before the next step starts (or at the end, for the last step).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from odplay.constants import AddressType, Status, parse_address_type, parse_flag
from odplay.rules import RULES
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


def _type(value: Any) -> AddressType:
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
Type = Annotated[AddressType, BeforeValidator(_type)]
IPv6 = Annotated[str, BeforeValidator(_ipv6)]
StatusName = Annotated[str, BeforeValidator(_status)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Port = Annotated[int, Field(ge=0, le=65535)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------- network


class AnchorModel(Strict):
    name: Name = "anchor"
    internet_delay: Delay = 20
    pool: Annotated[int, Field(ge=0, le=MAX_POOL)] = 64


class GatewayModel(Strict):
    name: Name
    internet_delay: Delay = 5
    anchor_delay: Delay = 15
    pool: Annotated[int, Field(ge=0, le=MAX_POOL)] = 64


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


class HostModel(Strict):
    allocation: Annotated[str, Field(pattern="^(reuse|fresh)$")] | None = None
    on_last_close: Annotated[str, Field(pattern="^(keep|release)$")] | None = None
    permissions: dict[str, list[Name]] | None = None
    boot_types: list[Type] | None = None
    default_type: Type | None = None
    legacy_stack: bool | None = None

    @field_validator("permissions")
    @classmethod
    def _permission_types(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        for key in value or {}:
            parse_address_type(key)
        return value


# ---------------------------------------------------------------------- applications


def _fallback(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == "legacy":
        return "legacy"
    return _type(value)


class SocketModel(Strict):
    role: Name = "main"
    type: Type | None = None
    legacy: bool = False  # True: no setsc() at all for this socket (B1)
    flags: list[Flag] = []
    peer: Name | None = None
    port: Port | None = None
    listen: Port | None = None
    bind: bool = True
    fallback: list[Annotated[Any, BeforeValidator(_fallback)]] = []
    reestablish: bool | None = None
    reconnect_after: Delay | None = None
    move_over_after: Duration | None = None
    publish: Name | None = None
    hold: Duration | None = None
    repeat_every: Duration | None = None

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


# ---------------------------------------------------------------------- steps


class SocketDecl(Strict):
    name: Name
    owner: Name = "demo"
    role: Name = "main"


class SocketRef(Strict):
    socket: Name


class SetscAction(SocketRef):
    type: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] | Type


class SetsockoptAction(SocketRef):
    flags: list[Flag]


class BindAction(SocketRef):
    address: str = "setsc"  # `setsc`: what setsc() gave; a name (IPsl1); a value; or `::`
    port: Port = 0


class ConnectAction(SocketRef):
    peer: Name
    port: Port = 443


class ListenAction(SocketRef):
    port: Port = 0


class ReachAction(Strict):
    name: Name
    port: Port
    from_: Annotated[Name | None, Field(alias="from")] = None


class ActionModel(Strict):
    """One action: a mapping with exactly one of these keys."""

    attach: Name | None = None
    move: Name | None = None
    detach: bool | None = None
    launch: Name | None = None
    quit: Name | None = None
    socket: SocketDecl | None = None
    setsockopt: SetsockoptAction | None = None
    setsc: SetscAction | None = None
    bind: BindAction | None = None
    connect: ConnectAction | None = None
    listen: ListenAction | None = None
    close: SocketRef | None = None
    reach: ReachAction | None = None
    host: HostModel | None = None
    network: NetworkModel | None = None
    wait: Duration | None = None

    @model_validator(mode="before")
    @classmethod
    def _exactly_one(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) != 1:
            keys = ", ".join(map(str, data)) or "nothing"
            raise ValueError(f"an action has exactly one key, such as `move: ap3`; got {keys}")
        if isinstance(data, dict) and next(iter(data.values())) is None:
            # `- socket:` with nothing after it reads as null; an action always says something.
            raise ValueError(f"`{next(iter(data))}:` needs a value, such as `move: ap3`")
        return data

    @property
    def verb(self) -> str:
        return next(iter(self.model_fields_set))


class ExpectModel(Strict):
    """One expectation: a subject key (socket, prefix, address, app, reach, call, host, dns)
    and the facts about it that must hold."""

    socket: Name | None = None
    prefix: Name | None = None
    address: Name | None = None
    app: Name | None = None
    reach: ReachAction | None = None
    call: (
        Annotated[
            str, Field(pattern=r"^[^.]+\.(socket|setsockopt|setsc|bind|connect|listen|close)$")
        ]
        | None
    ) = None
    host: Annotated[str, Field(pattern="^host$")] | None = None
    dns: Name | None = None

    # facts
    role: Name | None = None
    fd: int | None = None
    state: Name | None = None
    bound: Name | None = None
    source: Name | None = None
    type: Name | None = None
    via: Name | None = None
    status: StatusName | None = None
    reestablished: bool | None = None
    anchor: Name | None = None
    exists: bool | None = None
    users: Annotated[int, Field(ge=0)] | None = None
    setsc: list[StatusName] | None = None
    broken: Annotated[int, Field(ge=0)] | None = None
    failed: Annotated[int, Field(ge=0)] | None = None
    running: bool | None = None
    reachable: bool | None = None
    returned: StatusName | None = None
    attachment: Name | None = None
    points_to: Name | None = None

    @property
    def subject(self) -> str:
        subjects = ("socket", "prefix", "address", "app", "reach", "call", "host", "dns")
        return next(s for s in subjects if getattr(self, s) is not None)

    @model_validator(mode="after")
    def _one_subject(self) -> ExpectModel:
        subjects = [
            s
            for s in ("socket", "prefix", "address", "app", "reach", "call", "host", "dns")
            if getattr(self, s) is not None
        ]
        if len(subjects) != 1:
            raise ValueError(
                "an expectation names exactly one subject: socket, prefix, address, app, reach, "
                f"call, host or dns; got {', '.join(subjects) or 'none'}"
            )
        allowed = _FACTS[subjects[0]]
        extra = sorted(self.model_fields_set - {subjects[0]} - allowed)
        if extra:
            raise ValueError(
                f"a {subjects[0]} expectation can check {', '.join(sorted(allowed))}; "
                f"not {', '.join(extra)}"
            )
        if not (self.model_fields_set - {subjects[0], "role", "fd"}):
            raise ValueError(f"this {subjects[0]} expectation checks nothing")
        return self


_FACTS: dict[str, set[str]] = {
    "socket": {"role", "fd", "state", "bound", "source", "type", "via", "status", "reestablished"},
    "prefix": {"state", "anchor", "type"},
    "address": {"exists", "users", "type"},
    "app": {"setsc", "broken", "failed", "running"},
    "reach": {"reachable"},
    "call": {"returned"},
    "host": {"attachment"},
    "dns": {"points_to"},
}


def _rule_ids(value: list[str]) -> list[str]:
    unknown = [r for r in value if r not in RULES]
    if unknown:
        raise ValueError(f"unknown rule ID {', '.join(unknown)}; see shared/spec/RULES.md")
    return value


class ChoiceModel(Strict):
    """One answer to a prediction; it is the right one when its expectation holds."""

    say: Annotated[str, Field(min_length=1, max_length=200)]
    expect: ExpectModel


class PredictModel(Strict):
    """A question put to the learner before the step plays: what will happen? The run decides
    the answer: exactly one choice's expectation must hold once the step has played."""

    question: Annotated[str, Field(min_length=1, max_length=400)]
    rules: list[str] = []
    choices: Annotated[list[ChoiceModel], Field(min_length=2, max_length=6)]

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)


class StepModel(Strict):
    at: Duration | None = None
    after: Duration | None = None
    say: Annotated[str, Field(max_length=4000)] = ""
    rules: list[str] = []
    predict: Annotated[list[PredictModel], Field(max_length=5)] = []
    do: Annotated[list[ActionModel], Field(max_length=MAX_ACTIONS_PER_STEP)] = []
    expect: Annotated[list[ExpectModel], Field(max_length=MAX_ACTIONS_PER_STEP)] = []

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)

    @model_validator(mode="after")
    def _when(self) -> StepModel:
        if self.at is not None and self.after is not None:
            raise ValueError(
                "a step has `at` (absolute) or `after` (since the previous step), not both"
            )
        return self


class ScenarioModel(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    summary: Annotated[str, Field(max_length=400)] = ""
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    rules: list[str] = []
    network: NetworkModel = NetworkModel()
    host: HostModel = HostModel()
    applications: Annotated[list[ApplicationModel], Field(max_length=MAX_APPLICATIONS)] = []
    steps: Annotated[list[StepModel], Field(min_length=1, max_length=MAX_STEPS)]
    end: Duration | None = None
    #: Where each step and each of its actions stand in the file: [(line, [action lines])].
    #: The loader fills it, so that an action the run cannot apply is reported at its line.
    _lines: list[tuple[int, list[int]]] = PrivateAttr(default_factory=list)

    def action_line(self, step: int, action: int | None = None) -> int:
        """The 1-based line of a step (or one of its actions); 0 when unknown."""
        if step >= len(self._lines):
            return 0
        line, actions = self._lines[step]
        return actions[action] if action is not None and action < len(actions) else line

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)
