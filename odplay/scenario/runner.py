"""Play a scenario on the model: time each step, narrate it, act, and check what it expects.

Each action is played by its verb's registry entry (odplay/scenario/verbs/), each expectation
checked by its subject's (odplay/scenario/subjects/).

A step's expectations are checked just before the next step starts (its time reached and the
events due by then taken), or at the end of the run for the last step; that lets a blocking
setsc() or a grace period play out before its result is judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NoReturn

from odplay.scenario.budget import CHECK_EVERY, Budget, refusal
from odplay.scenario.build import build_app, build_network, build_policy
from odplay.scenario.expectations import CheckResult, RunContext, check
from odplay.scenario.registry import verbs
from odplay.scenario.schema import ActionModel, ScenarioModel
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec
from odplay.sim.simulation import CHECKPOINT_EVERY, Simulation

if TYPE_CHECKING:
    from odplay.sim.world import World

#: How long a run goes on after its last step when the scenario gives no `end`.
SETTLE_MS = 10_000
#: A guard against runaway scenarios (an application repeating every 10ms for a week...).
MAX_EVENTS = 2_000_000


class RunError(RuntimeError):
    """The run could not go on: an action that does not fit the state, or too many events.

    `line` is where the offending step or action stands in the file (0 when unknown), so the
    message can be given as `file:line: steps[i].do[j]: ...` like a loading error.
    """

    def __init__(self, step: int, message: str, line: int = 0, field: str = "") -> None:
        verb = field.rsplit(".", 1)[1] if "." in field else ""
        super().__init__(f"step {step + 1}: " + (f"{verb}: " if verb else "") + message)
        self.step = step
        self.line = line
        self.field = field or f"steps[{step}]"
        self.message = message

    def located(self, file: str) -> str:
        """`file:line: field: message`, the form every bad-input message takes."""
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class PredictionResult:
    """A prediction's question, its choices, and which of them the run bore out."""

    step: int  # index of the scenario step it comes before
    question: str
    choices: tuple[str, ...]
    holds: tuple[bool, ...]  # one per choice
    seen: tuple[str, ...]  # what was seen, per choice, when it did not hold
    rules: tuple[str, ...]

    @property
    def answer(self) -> int | None:
        """The right choice, or None when the author's choices are not exactly one right."""
        right = [i for i, ok in enumerate(self.holds) if ok]
        return right[0] if len(right) == 1 else None


@dataclass
class RunResult:
    scenario: ScenarioModel
    sim: Simulation
    checks: list[CheckResult] = field(default_factory=list)
    step_times: list[int] = field(default_factory=list)
    step_starts: list[int] = field(default_factory=list)  # model step index where each began
    predictions: list[PredictionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.ok]


def step_times(model: ScenarioModel) -> list[int]:
    times, now = [], 0
    for step in model.steps:
        if step.at is not None:
            now = max(now, step.at)
        elif step.after is not None:
            now += step.after
        times.append(now)
        for action in step.do:
            takes = verbs()[action.verb].takes
            now += takes(action.value) if takes is not None else 0
    return times


class ScenarioRun:
    """A scenario played step by step: the playground steps it, `run_scenario` runs it all."""

    def __init__(
        self,
        model: ScenarioModel,
        checkpoint_every: int | None = CHECKPOINT_EVERY,
        budget: Budget | None = None,
    ) -> None:
        self.model = model
        #: The memory the run may take, counted every CHECK_EVERY events; None: unbounded.
        self.budget = budget
        self.sim = Simulation(
            build_network(model.network),
            build_policy(model.host),
            model.seed,
            checkpoint_every=checkpoint_every,
        )
        self.apps: dict[str, AppSpec] = {a.name: build_app(a) for a in model.applications}
        self.ctx = RunContext(labels={}, results={})
        self.result = RunResult(model, self.sim, step_times=step_times(model))
        self.next_step = 0
        self._events = 0

    @property
    def done(self) -> bool:
        return self.next_step >= len(self.model.steps)

    def advance(self, time: int) -> None:
        """Run the model on to `time` (ms), taking every event due by then.

        Every CHECK_EVERY events the run's size is counted: a run that outgrows its budget stops
        with a message, rather than taking the machine with it.
        """
        sim = self.sim
        while (deadline := sim.world.next_deadline) is not None and deadline <= time:
            if self._events >= MAX_EVENTS:
                self._refuse(f"more than {MAX_EVENTS} events: the scenario runs away")
            sim.step()
            self._events += 1
            if self._events % CHECK_EVERY == 0 and self.budget is not None:
                over = self.budget.over(sim)
                if over is not None:
                    self._refuse(over)
        sim.run_until(time)  # nothing is due any more: only the clock moves on

    def _refuse(self, message: str) -> NoReturn:
        step = max(self.next_step - 1, 0)
        raise RunError(step, message, line=self.model.action_line(step))

    def _check(self, index: int) -> None:
        at = self.sim.step_index
        step = self.model.steps[index]
        for expect in step.expect:
            self.result.checks.extend(
                replace(result, at=at) for result in check(expect, index, self.sim, self.ctx)
            )
        for predict in step.predict:
            outcomes = [check(c.expect, index, self.sim, self.ctx) for c in predict.choices]
            prediction = PredictionResult(
                index,
                " ".join(predict.question.split()),
                tuple(c.say for c in predict.choices),
                tuple(all(r.ok for r in results) for results in outcomes),
                tuple("; ".join(r.seen for r in results if not r.ok) for results in outcomes),
                tuple(predict.rules),
            )
            self.result.predictions.append(prediction)
            right = sum(prediction.holds)
            # The author's duty: exactly one answer is right, and the run says which.
            self.result.checks.append(
                CheckResult(
                    index,
                    f"prediction: {prediction.question}",
                    right == 1,
                    "exactly one choice holds",
                    f"{right} choices hold",
                    at,
                )
            )

    def play_next(self) -> None:
        """Check the previous step's expectations, then play the next step."""
        index = self.next_step
        step = self.model.steps[index]
        self.advance(self.result.step_times[index])
        if index > 0:
            self._check(index - 1)
        self.result.step_starts.append(self.sim.step_index)
        self.next_step += 1
        if step.say or step.rules:
            self.sim.apply(cmd.Narrate(step.say.strip(), tuple(step.rules)))
        for number, action in enumerate(step.do):
            self._act(index, number, action)

    def finish(self) -> RunResult:
        while not self.done:
            self.play_next()
        last = self.result.step_times[-1] if self.result.step_times else 0
        end = self.model.end if self.model.end is not None else last + SETTLE_MS
        self.advance(max(end, self.sim.now))
        self._check(len(self.model.steps) - 1)
        return self.result

    def _act(self, index: int, number: int, action: ActionModel) -> None:
        try:
            verbs()[action.verb].run(action.value, self)
        except cmd.CommandError as exc:
            raise RunError(
                index,
                str(exc),
                line=self.model.action_line(index, number),
                field=f"steps[{index}].do[{number}].{action.verb}",
            ) from None


def run_scenario(
    model: ScenarioModel,
    budget: Budget | None = None,
    observer: Callable[[World], None] | None = None,
) -> RunResult:
    """Play a whole scenario headless. No checkpoints: nothing will step back.

    A run whose estimate (odplay.scenario.budget) passes MAX_EVENTS or the memory budget is
    refused before it starts, with the field to change; one that outgrows its budget as it goes
    is stopped. `budget` defaults to DEFAULT_MEMORY_BUDGET. `observer`, if given, is called with
    the world after every step (a viewer's progress, or its way to stop the run by raising).
    """
    budget = budget if budget is not None else Budget()
    check_size(model, budget)
    run = ScenarioRun(model, checkpoint_every=None, budget=budget)
    run.sim.observer = observer
    return run.finish()


def check_size(model: ScenarioModel, budget: Budget) -> None:
    """Refuse, before it starts, a run that would not fit in MAX_EVENTS or `budget`."""
    refused = refusal(model, MAX_EVENTS, budget.limit, budget.output)
    if refused is not None:
        raise RunError(0, refused.message, line=refused.line, field=refused.field)
