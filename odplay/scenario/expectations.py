"""Check a scenario step's expectations against the model's state.

Each check returns what was expected and what was seen, in words a learner can read, so that a
failed run says exactly which fact did not hold. What each subject checks, and how, is its own
module's business (odplay/scenario/subjects/); this module hands it the state and the helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import subjects
from odplay.sim.records import Frozen

if TYPE_CHECKING:
    from odplay.scenario.schema import ExpectModel
    from odplay.sim.simulation import Simulation


class CheckResult(Frozen):
    step: int  # index of the scenario step
    subject: str
    ok: bool
    expected: str
    seen: str
    #: The simulation step at which it was checked, so that a viewer stepping back and forth
    #: shows only the checks made by then.
    at: int = -1
    #: The fact it checks (`state`), or "" for the expectation as a whole.
    fact: str = ""
    #: Where it stands in the file: the field (`steps[2].expect[0].state`), its line and column
    #: (0 when unknown: an expectation built in code, not read from a file).
    field: str = ""
    line: int = 0
    column: int = 0

    def describe(self) -> str:
        mark = "ok" if self.ok else "FAILED"
        detail = "" if self.ok else f" (saw {self.seen})"
        return f"step {self.step + 1}: {self.subject}: {self.expected} {mark}{detail}"

    def located(self, file: str) -> str:
        """`file:line:column: field: step N: ...`, the form every bad-input message takes."""
        where = f"{file}:{self.line}:{self.column}" if self.line else file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.describe()}"


@dataclass
class RunContext:
    """What the runner knows beyond the model: socket labels, the last result of each call,
    every result of each, in order (`SOCKET.VERB`: [SUCCESS, EINVAL, ...]), and what the last
    getsockopt() on each declared socket read back (by the socket's name)."""

    labels: dict[str, int]
    results: dict[str, str]
    history: dict[str, list[str]] = field(default_factory=dict)
    reads: dict[str, int] = field(default_factory=dict)


def show(value: Any) -> str:
    """A value as a learner reads it: true/false, [a, b], nothing."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "nothing" if value is None else str(value)


@dataclass
class Checking:
    """One expectation being checked: the step, the model, and the facts it states."""

    step: int
    sim: Simulation
    ctx: RunContext
    subject: str
    #: How the results name what was checked, such as `prefix PREFsl1`.
    title: str
    #: The facts the expectation states, in name order (not its subject, not its selectors).
    facts: list[str]
    _state: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def state(self) -> dict[str, Any]:
        """The model's tables, as `Simulation.snapshot()` gives them."""
        if self._state is None:
            self._state = self.sim.snapshot()
        return self._state

    def result(
        self, ok: bool, expected: str, seen: str, title: str | None = None, fact: str = ""
    ) -> CheckResult:
        """One result; `fact` names the key it checks, so that a failure points at its line."""
        title = self.title if title is None else title
        return CheckResult(self.step, title, ok, expected, seen, fact=fact)

    def compare(
        self, row: dict[str, Any] | None, expect: Any, read: Callable[[dict[str, Any], str], Any]
    ) -> list[CheckResult]:
        """One result per fact, read off `row`; a single failure when there is no such row."""
        if row is None:
            wanted = ", ".join(f"{f} {show(getattr(expect, f))}" for f in self.facts)
            return [self.result(False, wanted, f"no such {self.subject}")]
        results = []
        for fact in self.facts:
            wanted, seen = getattr(expect, fact), read(row, fact)
            results.append(
                self.result(
                    wanted == seen, f"{fact} {show(wanted)}", f"{fact} {show(seen)}", fact=fact
                )
            )
        return results


def check(expect: ExpectModel, step: int, sim: Simulation, ctx: RunContext) -> list[CheckResult]:
    subject = expect.subject
    entry = subjects()[subject]
    facts = sorted(expect.model_fields_set - {subject} - entry.selectors)
    title = f"{subject} {getattr(expect, subject)}"
    return entry.check(expect.facts(), Checking(step, sim, ctx, subject, title, facts))
