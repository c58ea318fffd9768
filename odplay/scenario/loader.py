"""Read a scenario file into a validated `ScenarioModel`, or say exactly what is wrong and where.

YAML 1.2 through ruamel.yaml (PyYAML's YAML 1.1 would read some IPv6 literals as numbers), with
the line and column of every key kept, so that a pydantic error's location path, or a reference
to something that does not exist, is reported as `file:line:column: field: message`.

The text is parsed once: composed into nodes (their shape checked before anything is built), then
built into plain dicts and lists that remember where each key and item stands. ruamel's
round-trip mode would keep comments too, which a scenario never needs and which cost most of
the parsing.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from odplay.scenario.errors import Problem, ScenarioError
from odplay.scenario.references import check_references
from odplay.scenario.schema import ScenarioModel
from odplay.text import visible

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
#: Values a file may stand for once its aliases are expanded: far more than any real scenario.
MAX_VALUES = 200_000
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def load_scenario(path: str | Path) -> ScenarioModel:
    """Load and check a scenario file; raise ScenarioError with every problem found."""
    path = Path(path)
    name = str(path)
    raw = _read_limited(path, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(name, 0, 0, "", f"not UTF-8 text (byte {exc.start})")]
        ) from None
    return parse_scenario(text, name)


def _refuse(name: str, message: str) -> NoReturn:
    raise ScenarioError([Problem(name, 0, 0, "", message)])


def _read_limited(path: Path, name: str) -> bytes:
    """The file's bytes, refusing at once anything that is not a regular file (a FIFO would
    block, /dev/zero never ends) and counting the limit on what is read, not on what stat says."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one forever.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        _refuse(name, "no such file")
    except IsADirectoryError:
        _refuse(name, "this is a folder, not a scenario file")
    except OSError as exc:
        _refuse(name, f"cannot read it: {exc.strerror}")
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        if stat.S_ISDIR(mode):
            _refuse(name, "this is a folder, not a scenario file")
        _refuse(name, "not a regular file (a device, a pipe or a socket); give a .yaml file")
    with os.fdopen(handle, "rb") as file:
        try:
            raw = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            _refuse(name, f"cannot read it: {exc.strerror}")
    if len(raw) > MAX_FILE_BYTES:
        _refuse(name, f"the file is larger than the limit of {MAX_FILE_BYTES} bytes")
    return raw


def parse_scenario(text: str, name: str = "<scenario>") -> ScenarioModel:
    tree = _made_visible(_parse_yaml(text, name))
    if not isinstance(tree, dict):
        what = "empty" if tree is None else f"a {type(tree).__name__}"
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"a scenario is a mapping of keys (title, steps, ...); this file is {what}",
                )
            ]
        )
    try:
        model = ScenarioModel.model_validate(tree)
    except ValidationError as exc:
        raise ScenarioError(_problems_from(exc, tree, name)) from None
    problems = [
        _locate(tree, loc, message, name, keep_last=True)
        for loc, message in check_references(model)
    ]
    if problems:
        raise ScenarioError(problems)
    model._lines = _step_lines(tree)
    model._action_keys = _action_keys(tree)
    model._field_lines = _budget_lines(tree)
    model._marks = _expect_marks(tree)
    return model


def _made_visible(node: Any) -> Any:
    """Every string in the file with its control characters shown as escapes (odplay.text).

    A scenario may come from a stranger: from here on, a title, a name or a `say` can carry no
    ESC, BEL or carriage return to any terminal, export or dialog, whoever shows it. Done in
    place, so that every key and item keeps its line and column.
    """
    if isinstance(node, str):
        return visible(node)
    if isinstance(node, _Map):
        for key in list(node):
            node[key] = _made_visible(node[key])
            if isinstance(key, str) and visible(key) != key:
                shown = visible(key)
                node[shown] = node.pop(key)
                node.marks[shown] = node.marks.pop(key, (1, 1))
    elif isinstance(node, _Seq):
        for index, item in enumerate(node):
            node[index] = _made_visible(item)
    return node


def _step_lines(tree: Any) -> list[tuple[int, list[int]]]:
    steps = tree.get("steps")
    if not isinstance(steps, _Seq):
        return []
    lines = []
    for index, step in enumerate(steps):
        actions = step.get("do") if isinstance(step, _Map) else None
        action_lines = (
            [actions.marks[i][0] for i in range(len(actions))] if isinstance(actions, _Seq) else []
        )
        lines.append((steps.marks[index][0], action_lines))
    return lines


def _expect_marks(tree: Any) -> dict[str, tuple[int, int]]:
    """Where each expectation, each of its keys, and each prediction stand, by field
    (`steps[2].expect[0]`, `steps[2].expect[0].state`, `steps[2].predict[0]`), so that a check
    that fails is reported at its line and column."""
    marks: dict[str, tuple[int, int]] = {}
    steps = tree.get("steps")
    if not isinstance(steps, _Seq):
        return marks
    for index, step in enumerate(steps):
        if not isinstance(step, _Map):
            continue
        for part in ("expect", "predict"):
            items = step.get(part)
            if not isinstance(items, _Seq):
                continue
            for number, item in enumerate(items):
                where = f"steps[{index}].{part}[{number}]"
                marks[where] = items.marks[number]
                if isinstance(item, _Map):
                    for key, mark in item.marks.items():
                        marks[f"{where}.{key}"] = mark
    return marks


def _action_keys(tree: Any) -> dict[tuple[int, int], dict[str, tuple[int, int]]]:
    """Where each action stands, and each key of its value when that is a mapping."""
    steps = tree.get("steps")
    marks: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}
    if not isinstance(steps, _Seq):
        return marks
    for i, step in enumerate(steps):
        actions = step.get("do") if isinstance(step, _Map) else None
        if not isinstance(actions, _Seq):
            continue
        for j, action in enumerate(actions):
            here = marks[(i, j)] = {"": actions.marks[j]}
            value = next(iter(action.values()), None) if isinstance(action, _Map) else None
            if isinstance(value, _Map):
                here.update({str(key): mark for key, mark in value.marks.items()})
    return marks


def _budget_lines(tree: Any) -> dict[str, int]:
    """The lines of the fields a run's size depends on (`end`, each application and its
    sockets' `hold` and `repeat_every`), so that a refusal of a run too big can point at them."""
    lines: dict[str, int] = {}
    if "end" in tree:
        lines["end"] = tree.marks.get("end", (0, 0))[0]
    apps = tree.get("applications")
    if not isinstance(apps, _Seq):
        return lines
    for i, app in enumerate(apps):
        lines[f"applications[{i}]"] = apps.marks[i][0]
        sockets = app.get("sockets") if isinstance(app, _Map) else None
        if not isinstance(sockets, _Seq):
            continue
        for j, sock in enumerate(sockets):
            if isinstance(sock, _Map):
                for key in ("hold", "repeat_every"):
                    if key in sock:
                        lines[f"applications[{i}].sockets[{j}].{key}"] = sock.marks[key][0]
    return lines


class _Map(dict[Any, Any]):
    """A mapping that remembers the (line, column) of each key, both 1-based."""

    marks: dict[Any, tuple[int, int]]


class _Seq(list[Any]):
    """A sequence that remembers the (line, column) of each item, both 1-based."""

    marks: list[tuple[int, int]]


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _LocatingConstructor(SafeConstructor):
    """YAML's safe types, with mappings and sequences that know where their parts stand."""

    def construct_yaml_map(self, node: Any) -> Any:
        data = _Map()
        data.marks = {}
        yield data
        # Deep: a duplicate key's message shows both values in full, as ruamel's own loader does.
        data.update(self.construct_mapping(node, deep=True))
        # Merged keys (`<<: *base`) first: the mapping's own keys win, as they do for values.
        for key_node, _ in [*(getattr(node, "merge", None) or ()), *node.value]:
            key = self.construct_object(key_node)
            key = tuple(key) if isinstance(key, list) else key
            if key in data:
                data.marks[key] = _mark(key_node)

    def construct_yaml_seq(self, node: Any) -> Any:
        data = _Seq()
        data.marks = [_mark(child) for child in node.value]
        yield data
        data.extend(self.construct_sequence(node, deep=True))

    def construct_scalar_safely(self, node: Any) -> Any:
        """A bool, int or float the safe constructor cannot build (`!!bool maybe`, `!!int abc`,
        an integer past Python's 4,300 digits) becomes a YAML error at its line."""
        build = _SCALAR_BUILDERS[node.tag]
        try:
            return build(self, node)
        except (ValueError, KeyError, ArithmeticError):
            kind = _SCALAR_KINDS[node.tag]
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:40] + f"... ({len(value)} characters)"
            error = _BadScalar(None, None, f"{shown!r} is not {kind}", node.start_mark)
            error.node = node
            raise error from None


class _BadScalar(ConstructorError):
    """A scalar that cannot be built; it keeps its node, so that the field can be named."""

    node: Node


_SCALAR_KINDS = {
    "tag:yaml.org,2002:bool": "a boolean (true or false)",
    "tag:yaml.org,2002:int": "an integer odplay can read (at most 4,300 digits)",
    "tag:yaml.org,2002:float": "a number",
}
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
}
for _tag in _SCALAR_BUILDERS:
    _LocatingConstructor.add_constructor(_tag, _LocatingConstructor.construct_scalar_safely)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:map", _LocatingConstructor.construct_yaml_map
)
_LocatingConstructor.add_constructor(
    "tag:yaml.org,2002:seq", _LocatingConstructor.construct_yaml_seq
)


#: A `%YAML` directive for any version but 1.2: ruamel would switch to YAML 1.1's rules, under
#: which `yes` is a bool and some IPv6 literals are numbers.
_OLD_YAML = re.compile(r"^%YAML[ \t]+(?!1\.2(?:[ \t]|$))(\S*)", re.MULTILINE)


def _parse_yaml(text: str, name: str) -> Any:
    directive = _OLD_YAML.search(text)
    if directive:
        line = text.count("\n", 0, directive.start()) + 1
        raise ScenarioError(
            [
                Problem(
                    name,
                    line,
                    1,
                    "",
                    f"%YAML {directive.group(1)}: odplay reads YAML 1.2 only; remove the directive",
                )
            ]
        )
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _LocatingConstructor
    root: Node | None = None
    try:
        # The shape is checked on the composed node graph, before any Python value is built:
        # building a "billion laughs" (or only reporting a duplicate key in one) never ends.
        # ruamel's warnings (an anchor named twice, which YAML allows) would reach the learner
        # as a Python warning with a source line; they are not problems with the scenario.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YAMLWarning)
            root = yaml.compose(text)
            _check_shape(root, name)
            return None if root is None else yaml.constructor.construct_document(root)
    except _BadScalar as exc:
        line, column = _mark(exc.node)
        field = _field_of(root, exc.node)
        raise ScenarioError([Problem(name, line, column, field, str(exc.problem))]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise ScenarioError([Problem(name, line, column, "", f"YAML: {message}")]) from None
    except YAMLError as exc:
        raise ScenarioError([Problem(name, 0, 0, "", f"YAML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, 0, 0, "", "YAML nested too deeply")]) from None


def _field_of(root: Node | None, target: Node) -> str:
    """Where `target` stands in the document, as `steps[0].at` (empty if not found)."""

    def walk(node: Node, path: str, level: int) -> str | None:
        if node is target:
            return path
        if level > MAX_DEPTH:
            return None
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if key is target:
                    return path
                where = f"{path}.{key.value}" if path else str(key.value)
                found = walk(value, where, level + 1)
                if found is not None:
                    return found
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                found = walk(item, f"{path}[{index}]", level + 1)
                if found is not None:
                    return found
        return None

    return (walk(root, "", 0) or "") if root is not None else ""


def _check_shape(root: Node | None, name: str) -> None:
    """Refuse a document nested too deeply, or one whose aliases expand past MAX_VALUES values.

    YAML anchors and aliases (`&a`, `*a`) share one node among many places, so a few lines can
    stand for billions of values (the "billion laughs"). The walk counts a shared node once per
    place it stands, memoised by identity, so it finishes at once whatever the file says.
    """
    sizes: dict[int, int] = {}  # id(node) -> the values it stands for

    def too_deep(node: Node) -> NoReturn:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise ScenarioError(
            [Problem(name, line, column, "", f"nested deeper than {MAX_DEPTH} levels")]
        )

    def walk(node: Node, level: int) -> int:
        if level > MAX_DEPTH:
            too_deep(node)
        if id(node) in sizes:
            return sizes[id(node)]
        children: list[Node] = []
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        total = 1
        for child in children:
            total += walk(child, level + 1)
            if total > MAX_VALUES:
                break
        sizes[id(node)] = total
        return total

    if root is not None and walk(root, 0) > MAX_VALUES:
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"the file stands for more than {MAX_VALUES} values (aliases such as *a "
                    "repeat what an anchor &a names); odplay takes no more",
                )
            ]
        )


def _problems_from(exc: ValidationError, tree: Any, name: str) -> list[Problem]:
    """One problem per location; our own validators' messages win over pydantic's generic ones
    (a union such as `int | type` otherwise reports every branch)."""
    by_loc: dict[tuple[Any, ...], list[tuple[bool, str]]] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        clean = _navigable(tree, loc, keep_last=error["type"] == "missing")
        ours = error["type"] == "value_error"
        by_loc.setdefault(clean, []).append((ours, _message(error)))
    problems = []
    for loc, messages in by_loc.items():
        preferred = [m for ours, m in messages if ours] or [m for _, m in messages]
        unique = list(dict.fromkeys(preferred))
        problems.append(_locate(tree, loc, "; or ".join(unique), name, keep_last=True))
    return problems


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    if kind == "missing":
        return "this required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _navigable(tree: Any, loc: Sequence[Any], keep_last: bool) -> tuple[Any, ...]:
    """The part of a pydantic location that names real keys and items of the YAML tree."""
    node, kept = tree, []
    for index, part in enumerate(loc):
        in_map = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            kept.append(part)
            node = node[part]
        elif (
            index == len(loc) - 1
            and keep_last
            and isinstance(part, str)
            and _IDENTIFIER.match(part)
        ):
            kept.append(part)
    return tuple(kept)


def _locate(tree: Any, loc: Sequence[Any], message: str, name: str, keep_last: bool) -> Problem:
    node: Any = tree
    line, column = 1, 1
    field = ""
    for part in loc:
        if isinstance(node, _Map) and part in node:
            line, column = node.marks.get(part, (line, column))
            node = node[part]
            field += f".{part}" if field else str(part)
        elif isinstance(node, _Seq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.marks[part]
            node = node[part]
            field += f"[{part}]"
        elif keep_last and isinstance(part, str):
            field += f".{part}" if field else part
            break
    return Problem(name, line, column, field, message)
