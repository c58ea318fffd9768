"""The scenario language's words: every verb a step can `do`, every subject it can `expect`.

Each verb lives in its own module under `odplay/scenario/verbs/`, each subject under
`odplay/scenario/subjects/`; a module holds one entry (`VERB = Verb(...)` or
`SUBJECT = Subject(...)`) that says everything about its word: its fields, how it runs or checks,
how a recording writes it back, what it must refer to, and its documentation. The schema, the
loader's reference checks, the runner, the recorder and the generated docs page read the entries
from here, so that a new word is one new module (and its test), found by its place in the folder.

Entries import nothing heavy when they are read: anything from the model is imported inside
their functions, where a run needs it anyway.

Adding a verb, say `ping: {socket, count}`: write `odplay/scenario/verbs/ping.py` holding its
fields, a class of annotated attributes with their defaults, everything imported from
odplay.scenario.fields (no pydantic: a test refuses it, since start-up would pay for it):

    class PingAction(SocketRef):        # SocketRef is a Strict model with `socket: Name`
        count: Annotated[int, Field(ge=1, le=100)] = 3

(or, for a single value, a value type such as `Name` or `Duration`), a `run(value, run)` that
applies the model's commands to `run.sim`, a `record(command, recording)` for the command class
names in `records`, a `references(value, loc, names)` that yields (loc, message) for names that
do not exist, and `VERB = Verb(name="ping", ...)` with its docs and an example. Then regenerate
docs/scenario-language.md (`python -m odplay.scenario.docs`) and test the verb. A subject is the
same under `subjects/`, with a `Facts` model and a `check(facts, at)`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Any, NamedTuple

from odplay.sim.records import Record

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult
    from odplay.scenario.models import Model
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun

#: A location in the file, as a validation error gives one: ("steps", 0, "do", 1, "move").
Loc = tuple[Any, ...]
#: What a reference check yields: where, and what is wrong there.
Problems = Iterator[tuple[Loc, str]]


class Names(Record):
    """What a scenario has named by the step being checked, for the reference checks."""

    attachment_points: set[str]
    applications: set[str]
    correspondents: set[str]
    nodes: set[str]  # the gateways and the anchor
    sockets: set[str] = field(default_factory=set)  # declared by `socket:` actions so far
    anchor: str = ""  # the central anchor's name (one of `nodes`; the rest are gateways)
    #: Where the first `attach:` stands, once one has: the host has booted (D10) by then.
    attached: Loc | None = None


def one_of(value: str, known: set[str], what: str) -> str | None:
    """None when `value` is known; otherwise the message that says what there is instead."""
    if value in known:
        return None
    return f"no {what} {value!r}; there are: {', '.join(sorted(known)) or 'none'}"


def no_references(value: Any, loc: Loc, names: Names) -> Problems:
    return iter(())


# The entries are NamedTuples rather than frozen dataclasses: as immutable, and a tenth of the
# cost to define, which start-up feels (benchmarks/, startup).


class Verb(NamedTuple):
    """An action a step can do: `- NAME: VALUE`."""

    name: str
    #: The type of what follows the key: a Strict model (extra keys refused) or a value type.
    value: Any
    #: One paragraph for the docs page: what it does, in the draft's words where it has some.
    docs: str
    #: A YAML line that uses it, for the docs page.
    example: str
    #: Play it on a run: turn it into the model's commands.
    run: Callable[[Any, ScenarioRun], None]
    #: The names of the model's command classes (odplay.sim.commands) it writes back.
    records: tuple[str, ...] = ()
    #: One of those commands, as the value this verb's key takes in a recorded file.
    record: Callable[[Any, Recording], Any] | None = None
    #: What it must refer to: names declared elsewhere in the scenario.
    references: Callable[[Any, Loc, Names], Problems] = no_references
    #: The simulated time it takes (`wait`); the next action starts after it.
    takes: Callable[[Any], int] | None = None
    #: A call on a declared socket: its status can be expected as `call: SOCKET.NAME`.
    socket_call: bool = False


class Subject(NamedTuple):
    """Something an expectation checks: `- {NAME: WHICH, FACT: VALUE, ...}`."""

    name: str
    #: A `Facts` model: the subject's own key (required) and the facts it can check.
    fields: type[Model]
    docs: str
    example: str
    #: Check the facts against the model's state; one result per fact (or one for the whole).
    check: Callable[[Any, Checking], list[CheckResult]]
    references: Callable[[Any, Loc, Names], Problems] = no_references
    #: Fields that pick which one is meant rather than state a fact (a socket's role and fd).
    selectors: frozenset[str] = frozenset()
    #: When the facts can be judged: the simulated time (ms) the window they speak of closes
    #: (RUN_END: the end of the run), or None for "when the step's expectations are checked".
    #: A subject over a span of the run (`between: [0s, end]`) waits for its span to be over.
    due: Callable[[Any], int | None] | None = None


#: `due` for facts about the whole run: they are judged once it has ended.
RUN_END = 1 << 62


_verbs: dict[str, Verb] = {}
_subjects: dict[str, Subject] = {}
_found = False


def _find() -> None:
    """Read every entry module once, in name order; modules named `_...` are helpers."""
    global _found
    if _found:
        return
    _found = True
    for package, attribute, table in (
        ("odplay.scenario.verbs", "VERB", _verbs),
        ("odplay.scenario.subjects", "SUBJECT", _subjects),
    ):
        # The folder's *.py files, listed directly: pkgutil would cost start-up 5 ms or more.
        names = {
            file.name.removesuffix(".py")
            for folder in importlib.import_module(package).__path__
            for file in os.scandir(folder)
            if file.name.endswith(".py") and not file.name.startswith("_")
        }
        for name in sorted(names):
            entry = getattr(importlib.import_module(f"{package}.{name}"), attribute)
            table[entry.name] = entry


def verbs() -> dict[str, Verb]:
    """Every verb, by name."""
    _find()
    return _verbs


def subjects() -> dict[str, Subject]:
    """Every expectation subject, by name."""
    _find()
    return _subjects


def add(entry: Verb | Subject) -> None:
    """Add a word from elsewhere (a test's own). The schema must be rebuilt to accept it:
    `odplay.scenario.schema.rebuild()`."""
    table: dict[str, Any] = _verbs if isinstance(entry, Verb) else _subjects
    _find()
    if entry.name in table:
        raise ValueError(f"{entry.name!r} is already a scenario word")
    table[entry.name] = entry


def remove(entry: Verb | Subject) -> None:
    table: dict[str, Any] = _verbs if isinstance(entry, Verb) else _subjects
    del table[entry.name]
