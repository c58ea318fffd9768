"""The scenario language's reference page (docs/scenario-language.md), written from the registry.

Every verb and expectation subject documents itself in its own module (its `docs`, an example,
and its fields); this module lays them out as Markdown, so the page can never disagree with what
the loader accepts. A test checks that the page in the repository is what this writes:
`python -m odplay.scenario.docs > docs/scenario-language.md` brings it up to date.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from odplay.constants import AddressType
from odplay.scenario.fields import MAX_DELAY_MS, MAX_NAME
from odplay.scenario.registry import Subject, Verb, subjects, verbs
from odplay.scenario.schema import ActionModel, ExpectModel, ScenarioModel, StepModel

#: How a value checked by one of odplay's own validators reads, by the validator's name.
_CHECKED_AS = {
    "_duration": "duration (such as 250ms, 2s, 1m)",
    "_delay": f"delay (a duration, at most {MAX_DELAY_MS // 1000}s)",
    "address_type": "address type (fixed, session-lasting, non-persistent, graceful-replacement)",
    "_ipv6": "IPv6 address",
    "_status": "status (SUCCESS or one of the draft's errors)",
    "_flag": "flag (an RFC 5014 name such as home or on-net)",
    "_fallback": "address type, or legacy",
    "_call_name": "SOCKET.CALL, such as s1.setsc",
    "_window": "span `[FROM, TO]`: two durations, TO may be `end`",
    "_pools": "mapping of address type to a number of prefixes",
}

_HEADER = """\
# The scenario language

<!-- Generated from the registry (odplay/scenario/verbs/, odplay/scenario/subjects/) by
odplay.scenario.docs; do not edit by hand: `python -m odplay.scenario.docs > THIS-FILE`. -->

A scenario is a YAML 1.2 file: the network and host it starts with, the applications it can
launch, and a list of steps. Each step happens at a simulated time, can say something to the
learner (with the draft's rule IDs), does actions (`do:`) and states expectations (`expect:`)
that the run checks just before the next step starts, or at the end for the last step. A
prediction (`predict:`) asks the learner which of its choices will hold; each choice is an
expectation. Unknown keys are refused everywhere, with the file, line and column.
"""


def _words(annotation: Any) -> str:
    """A field's type in a learner's words."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extras = get_args(annotation)
        return _checked_words(base, extras)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_words(arg) for arg in get_args(annotation) if arg is not type(None))
    if origin is list:
        return f"list of {_words(get_args(annotation)[0])}"
    if origin is dict:
        return "mapping"
    if annotation is ActionModel:
        return "action (see the verbs below)"
    if annotation is ExpectModel:
        return "expectation (see the subjects below)"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping: " + ", ".join(_keys(annotation))
    return {
        bool: "true or false",
        int: "number",
        str: "text",
        AddressType: "address type",
    }.get(annotation, "anything")


def _checked_words(base: Any, extras: list[Any]) -> str:
    metadata: list[Any] = []
    for extra in extras:
        name = getattr(getattr(extra, "func", None), "__name__", "")
        if name in _CHECKED_AS:
            return _CHECKED_AS[name]
        metadata.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
    bounds = {
        kind: getattr(m, kind)
        for m in metadata
        for kind in ("le", "max_length")
        if hasattr(m, kind)
    }
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    if pattern == "^host$":
        return "`host`"
    if pattern:
        return "one of " + ", ".join(f"`{p}`" for p in pattern.strip("^$()").split("|"))
    if base is int and bounds.get("le") == 65535:
        return "port"
    if base is str and bounds.get("max_length") == MAX_NAME:
        return "name"
    return _words(base)


def _annotation(info: FieldInfo) -> Any:
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _keys(model: type[BaseModel]) -> list[str]:
    return [f"`{info.alias or name}`" for name, info in model.model_fields.items()]


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        return "empty"
    value = info.default
    if value is None:
        return "-"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return "nothing"
    if isinstance(value, BaseModel):
        return "the built-in one"
    return f"`{value}`"


def _table(model: type[BaseModel], skip: frozenset[str] = frozenset()) -> list[str]:
    lines = ["| key | value | default |", "|---|---|---|"]
    for name, info in model.model_fields.items():
        if name not in skip:
            key = info.alias or name
            lines.append(f"| `{key}` | {_words(_annotation(info))} | {_default(info)} |")
    return lines


def _verb(verb: Verb) -> list[str]:
    lines = [f"### `{verb.name}`", "", verb.docs, "", "```yaml", f"- {verb.example}", "```", ""]
    if isinstance(verb.value, type) and issubclass(verb.value, BaseModel):
        lines += [*_table(verb.value), ""]
    else:
        lines += [f"Takes: {_words(verb.value)}.", ""]
    return lines


def _subject(subject: Subject) -> list[str]:
    key = subject.fields.model_fields[subject.name]
    lines = [
        f"### `{subject.name}`",
        "",
        subject.docs,
        "",
        "```yaml",
        f"- {subject.example}",
        "```",
        "",
        f"Names: {_words(_annotation(key))}.",
        "",
    ]
    selectors = [f"`{name}`" for name in subject.fields.model_fields if name in subject.selectors]
    if selectors:
        lines += [f"Picked by: {', '.join(selectors)}.", ""]
    facts = [n for n in subject.fields.model_fields if n not in subject.selectors | {subject.name}]
    rows = [
        f"| `{name}` | {_words(_annotation(subject.fields.model_fields[name]))} |" for name in facts
    ]
    return [*lines, "| fact | value |", "|---|---|", *rows, ""]


def scenario_language() -> str:
    """The whole reference page, as Markdown."""
    lines = [_HEADER, "## A scenario's keys", "", *_table(ScenarioModel), ""]
    lines += ["## A step's keys", "", *_table(StepModel), ""]
    lines += [
        "## Verbs: what a step can `do`",
        "",
        "An action is a mapping with exactly one key, the verb. Calls on a socket name one "
        "declared by an earlier `socket:` action.",
        "",
    ]
    for verb in verbs().values():
        lines += _verb(verb)
    lines += [
        "## Subjects: what a step can `expect`",
        "",
        "An expectation names exactly one subject and states facts about it; each fact is "
        "checked, and a run that sees otherwise says what it saw.",
        "",
    ]
    for subject in subjects().values():
        lines += _subject(subject)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(scenario_language())
