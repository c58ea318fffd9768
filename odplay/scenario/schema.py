"""What a scenario file may say, as models (odplay.scenario.models). Unknown keys are refused
everywhere.

A scenario names a network (any field left out takes the built-in Section 4.2 network's value),
the host's policies, the applications, and a list of steps. A step happens at a simulated time,
says something to the learner (with rule IDs), does actions, and states expectations that the
run checks just before the next step starts (or at the end, for the last step).

An action's verbs and an expectation's subjects are the registry's (odplay.scenario.registry):
`ActionModel` has one optional field per verb, `ExpectModel` one per subject and one per fact,
filled in from the entries when this module is imported, and again by `rebuild()`.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from odplay.rules import RULES
from odplay.scenario.fields import (
    MAX_ACTIONS_PER_STEP,
    MAX_APPLICATIONS,
    MAX_DELAY_MS,
    MAX_NAME,
    MAX_NODES,
    MAX_POOL,
    MAX_SIM_TIME_MS,
    MAX_STEPS,
    Duration,
    ReachTarget,
    SocketRef,
    Strict,
)
from odplay.scenario.models import Model
from odplay.scenario.registry import subjects, verbs
from odplay.scenario.validation import (
    Field,
    FieldInfo,
    PrivateAttr,
    field_validator,
    model_validator,
)
from odplay.scenario.world_schema import (
    AnchorModel,
    ApplicationModel,
    AttachmentPointModel,
    CorrespondentModel,
    GatewayModel,
    HostModel,
    NetworkModel,
    SocketModel,
)
from odplay.sim.trace import TraceKind

__all__ = [
    "MAX_ACTIONS_PER_STEP",
    "MAX_APPLICATIONS",
    "MAX_DELAY_MS",
    "MAX_NAME",
    "MAX_NODES",
    "MAX_POOL",
    "MAX_SIM_TIME_MS",
    "MAX_STEPS",
    "ActionModel",
    "AnchorModel",
    "ApplicationModel",
    "AttachmentPointModel",
    "ChoiceModel",
    "CorrespondentModel",
    "ExpectModel",
    "GatewayModel",
    "HostModel",
    "NetworkModel",
    "PredictModel",
    "ReachAction",
    "ScenarioModel",
    "SocketModel",
    "SocketRef",
    "StepModel",
    "rebuild",
]

#: The old name of what `reach:` (the verb and the subject) takes.
ReachAction = ReachTarget


class ActionModel(Strict):
    """One action: a mapping with exactly one key, a verb's name (see `registry.verbs()`).
    Its fields are the verbs', set by `_fill` below."""

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

    @property
    def value(self) -> Any:
        """What follows the verb: a name, a number, or the verb's own fields."""
        return getattr(self, self.verb)


class ExpectModel(Strict):
    """One expectation: a subject's key (see `registry.subjects()`) and the facts about it that
    must hold."""

    @property
    def subject(self) -> str:
        return next(s for s in subjects() if getattr(self, s, None) is not None)

    def facts(self) -> Any:
        """The expectation as its subject's own `Facts` model (checked already, not again)."""
        fields = subjects()[self.subject].fields
        values = {name: getattr(self, name) for name in fields.model_fields}
        return fields.model_construct(set(self.model_fields_set), **values)

    @model_validator(mode="after")
    def _one_subject(self) -> ExpectModel:
        named = [s for s in subjects() if getattr(self, s, None) is not None]
        if len(named) != 1:
            *most, last = subjects()
            raise ValueError(
                f"an expectation names exactly one subject: {', '.join(most)} or {last}; "
                f"got {', '.join(named) or 'none'}"
            )
        entry = subjects()[named[0]]
        allowed = set(entry.fields.model_fields) - {entry.name}
        extra = sorted(self.model_fields_set - {entry.name} - allowed)
        if extra:
            raise ValueError(
                f"a {entry.name} expectation can check {', '.join(sorted(allowed))}; "
                f"not {', '.join(extra)}"
            )
        if not (self.model_fields_set - {entry.name} - entry.selectors):
            raise ValueError(f"this {entry.name} expectation checks nothing")
        return self


def _optional(info: FieldInfo) -> Any:
    """A field's type, made optional: in an action or an expectation every key may be absent."""
    return Optional[info.annotation]  # noqa: UP045 (built at run time from a value, not written)


def _action_fields() -> dict[str, Any]:
    return {name: Optional[entry.value] for name, entry in verbs().items()}  # noqa: UP045


def _expect_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for entry in subjects().values():
        # The declared fields, not model_fields: that would compile every subject's checks,
        # and a run compiles only those of the subjects its file names (start-up).
        for name, info in entry.fields._declared().items():
            annotation = _optional(info)
            if fields.setdefault(name, annotation) != annotation:
                raise TypeError(f"two subjects give the fact {name!r} different types")
    return fields


def _fill(model: type[Model], fields: dict[str, Any]) -> None:
    """Make `fields` (name: type, each defaulting to None) the model's own, and no others."""
    model.declare_fields({n: FieldInfo(None, annotation=a) for n, a in fields.items()})


_fill(ActionModel, _action_fields())
_fill(ExpectModel, _expect_fields())


def _rule_ids(value: list[str]) -> list[str]:
    unknown = [r for r in value if r not in RULES]
    if unknown:
        raise ValueError(f"unknown rule ID {', '.join(unknown)}; see `odplay rules`")
    return value


class ChoiceModel(Strict):
    """One answer to a prediction; it is the right one when its expectation holds."""

    say: Annotated[str, Field(min_length=1, max_length=200)]
    expect: ExpectModel


class PredictModel(Strict):
    """A question put to the learner before the step plays: what will happen? The run decides
    the answer: exactly one choice's expectation must hold once the step has played."""

    question: Annotated[str, Field(min_length=1, max_length=400)]
    rules: list[str] = Field(default_factory=list)
    choices: Annotated[list[ChoiceModel], Field(min_length=2, max_length=6)]

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)


#: What `say_with` may name besides a rule ID: the kinds of trace entry (the `kind` of
#: `odplay run --json`), narration aside.
EVENT_KINDS = tuple(kind.value for kind in TraceKind if kind is not TraceKind.NARRATION)


class StepModel(Strict):
    at: Duration | None = None
    after: Duration | None = None
    say: Annotated[str, Field(max_length=4000)] = ""
    rules: list[str] = Field(default_factory=list)
    #: The event the `say` is shown with, when the step's own rules do not name it (see
    #: odplay.scenario.runner): a rule ID or a kind of trace entry.
    say_with: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    predict: Annotated[list[PredictModel], Field(max_length=5)] = Field(default_factory=list)
    do: Annotated[list[ActionModel], Field(max_length=MAX_ACTIONS_PER_STEP)] = Field(
        default_factory=list
    )
    expect: Annotated[list[ExpectModel], Field(max_length=MAX_ACTIONS_PER_STEP)] = Field(
        default_factory=list
    )

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)

    @field_validator("say_with")
    @classmethod
    def _say_with(cls, value: str | None) -> str | None:
        if value is None or value in RULES or value in EVENT_KINDS:
            return value
        raise ValueError(
            f"say_with names a rule ID (such as F6) or a kind of event: "
            f"{', '.join(EVENT_KINDS)}; got {value!r}"
        )

    @model_validator(mode="after")
    def _when(self) -> StepModel:
        if self.at is not None and self.after is not None:
            raise ValueError(
                "a step has `at` (absolute) or `after` (since the previous step), not both"
            )
        if self.say_with is not None and not self.say.strip():
            raise ValueError("say_with says when the step's `say` is shown; this step says nothing")
        return self


class ScenarioModel(Strict):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    summary: Annotated[str, Field(max_length=400)] = ""
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    rules: list[str] = Field(default_factory=list)
    network: NetworkModel = NetworkModel()
    host: HostModel = HostModel()
    applications: Annotated[list[ApplicationModel], Field(max_length=MAX_APPLICATIONS)] = Field(
        default_factory=list
    )
    steps: Annotated[list[StepModel], Field(min_length=1, max_length=MAX_STEPS)]
    end: Duration | None = None
    #: Where each step and each of its actions stand in the file: [(line, [action lines])].
    #: The loader fills it, so that an action the run cannot apply is reported at its line.
    _lines: list[tuple[int, list[int]]] = PrivateAttr(default_factory=list)
    #: The lines of `end` and of each application's size-setting fields (odplay.scenario.budget).
    _field_lines: dict[str, int] = PrivateAttr(default_factory=dict)
    #: The (line, column) of each expectation, its keys and each prediction, by field.
    _marks: dict[str, tuple[int, int]] = PrivateAttr(default_factory=dict)
    #: (step, action) → the (line, column) of the action ("") and of each key of its value, so
    #: that a value the run refuses is reported at its key (the loader fills it).
    _action_keys: dict[tuple[int, int], dict[str, tuple[int, int]]] = PrivateAttr(
        default_factory=dict
    )

    def action_line(self, step: int, action: int | None = None) -> int:
        """The 1-based line of a step (or one of its actions); 0 when unknown."""
        if step >= len(self._lines):
            return 0
        line, actions = self._lines[step]
        return actions[action] if action is not None and action < len(actions) else line

    def mark(self, field: str) -> tuple[int, int]:
        """The 1-based (line, column) of an expectation (`steps[2].expect[0]`), one of its keys
        (`steps[2].expect[0].state`) or a prediction; (0, 0) when unknown."""
        return self._marks.get(field, (0, 0))

    def action_mark(self, step: int, action: int, key: str = "") -> tuple[int, int]:
        """The (line, column) of an action's `key` (or of the action itself); (0, 0) unknown."""
        marks = self._action_keys.get((step, action), {})
        return marks.get(key) or marks.get("", (0, 0))

    def field_line(self, field: str) -> int:
        """The 1-based line of a field such as `end` or `applications[0]`; 0 when unknown."""
        return self._field_lines.get(field, 0)

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        return _rule_ids(value)


def rebuild() -> None:
    """Take in the registry's words again, after `registry.add` or `registry.remove`."""
    _fill(ActionModel, _action_fields())
    _fill(ExpectModel, _expect_fields())
    for model in (ActionModel, ExpectModel, ChoiceModel, PredictModel, StepModel, ScenarioModel):
        model.model_rebuild(force=True)
