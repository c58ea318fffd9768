"""Play a scenario on the model: time each step, narrate it, act, and check what it expects.

Each action is played by its verb's registry entry (odplay/scenario/verbs/), each expectation
checked by its subject's (odplay/scenario/subjects/).

A step's `say` is told with the events it explains, never before and never after them. A step
that acts is told as it acts: its say comes just before its actions. A step that only explains
(no `do`) waits, from the moment the step before it has acted, for the first event that carries
one of its rules, or the one its `say_with` names; the say is told at the start of the chain of
events that event belongs to (a timer firing, a reply arriving), after whatever in that chain the
step before names, and at the step's own time at the latest. A step that acts and has `say_with`
is told with that event instead (by the next step's time at the latest). Each step's window is
thus a stretch of the trace that begins with its say: the playground steps by these windows, and
`odplay run --json` numbers each entry by the window it falls in.

A step's expectations are checked when the next step begins (its say told, or its time reached
and the events due by then taken), or at the end of the run for the last step; that lets a
blocking setsc() or a grace period play out before its result is judged. An expectation over a
span of the run (`between: [5s, end]`) waits until its span is over. Each result says where its
fact stands in the file (field, line and column), so that a failure can be reported there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NoReturn

from odplay.scenario.budget import CHECK_EVERY, Budget, refusal
from odplay.scenario.build import build_app, build_network, build_policy
from odplay.scenario.expectations import CheckResult, RunContext, check
from odplay.scenario.registry import subjects, verbs
from odplay.scenario.schema import ActionModel, ExpectModel, ScenarioModel
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec
from odplay.sim.records import Frozen
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

    def __init__(
        self, step: int, message: str, line: int = 0, field: str = "", column: int = 0
    ) -> None:
        verb = field.rsplit(".", 1)[1] if "." in field else ""
        super().__init__(f"step {step + 1}: " + (f"{verb}: " if verb else "") + message)
        self.step = step
        self.line = line
        self.column = column
        self.field = field or f"steps[{step}]"
        self.message = message

    def located(self, file: str) -> str:
        """`file:line[:column]: field: message`, the form every bad-input message takes."""
        where = f"{file}:{self.line}" if self.line else file
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}"


class PredictionResult(Frozen):
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
    #: The trace entry each step's window begins at: its say, or where it began if it says
    #: nothing; a window runs to the next one's beginning.
    step_entries: list[int] = field(default_factory=list)
    #: The model steps each step's actions took: [first, end), empty for a step with no `do`.
    acted: list[tuple[int, int]] = field(default_factory=list)
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
        #: The step whose say waits in the model for the event it names, if one does.
        self._awaiting: int | None = None
        self._registered: set[int] = set()
        self._acted = 0  # how many steps have played their actions
        #: Expectations over a span of the run not over yet: (due, step, number, expectation).
        self._waiting: list[tuple[int, int, int, ExpectModel]] = []

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
            if self._awaiting is not None and sim.world.awaiting is None:
                self._told()
            if self._events % CHECK_EVERY == 0 and self.budget is not None:
                over = self.budget.over(sim)
                if over is not None:
                    self._refuse(over)
        sim.run_until(time)  # nothing is due any more: only the clock moves on

    def _refuse(self, message: str) -> NoReturn:
        step = max(self.next_step - 1, 0)
        raise RunError(step, message, line=self.model.action_line(step))

    def _located(self, result: CheckResult, field: str, at: int) -> CheckResult:
        """The result, with the step it was made at and where its fact stands in the file."""
        fact = f"{field}.{result.fact}" if result.fact else field
        if result.fact and self.model.mark(fact) == (0, 0):
            fact = field  # a fact the subject names but the file does not (a default)
        line, column = self.model.mark(fact)
        return replace(result, at=at, field=fact, line=line, column=column)

    def _judge(self, index: int, number: int, expect: ExpectModel, at: int) -> None:
        field = f"steps[{index}].expect[{number}]"
        results = check(expect, index, self.sim, self.ctx)
        self.result.checks.extend(self._located(r, field, at) for r in results)

    def _check(self, index: int, at: int, final: bool = False) -> None:
        """Judge step `index`'s expectations and predictions, and any waiting expectation
        whose span is over (all of them, when `final`); `at` is the trace entry step `index`'s
        window ends at, from which a viewer shows these results."""
        now = self.sim.now
        waiting, self._waiting = self._waiting, []
        for due, where, number, expect in waiting:
            # Judged once time has passed the span's end: more can still happen at its last ms.
            if final or due < now:
                self._judge(where, number, expect, at)
            else:
                self._waiting.append((due, where, number, expect))
        step = self.model.steps[index]
        for number, expect in enumerate(step.expect):
            when = subjects()[expect.subject].due
            until = when(expect.facts()) if when is not None else None
            if until is not None and until >= now and not final:
                self._waiting.append((until, index, number, expect))
            else:
                self._judge(index, number, expect, at)
        for p_index, predict in enumerate(step.predict):
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
            verdict = CheckResult(
                index,
                f"prediction: {prediction.question}",
                right == 1,
                "exactly one choice holds",
                f"{right} choices hold",
            )
            self.result.checks.append(
                self._located(verdict, f"steps[{index}].predict[{p_index}]", at)
            )

    # ------------------------------------------------------------------ narration in step

    def names(self, index: int) -> tuple[str, ...]:
        """What step `index`'s say waits for (rule IDs or trace kinds); () when it is told as
        the step's time comes: a step that acts is told with its actions, unless `say_with`."""
        step = self.model.steps[index]
        if not (step.say.strip() or step.rules):
            return ()
        if step.say_with is not None:
            return (step.say_with,)
        return () if step.do else tuple(step.rules)

    def _waits_early(self, index: int) -> bool:
        """A step that only explains: it waits from the moment the step before it has acted."""
        return (
            index < len(self.model.steps)
            and not self.model.steps[index].do
            and bool(self.names(index))
        )

    def _register(self, index: int) -> None:
        """Let step `index`'s say wait in the model for the first event it names."""
        step = self.model.steps[index]
        before = self.model.steps[index - 1] if index > 0 else None
        after = (*before.rules, *([before.say_with] if before.say_with else [])) if before else ()
        self._registered.add(index)
        self._awaiting = index
        self.sim.apply(
            cmd.Narrate(step.say.strip(), tuple(step.rules), self.names(index), tuple(after))
        )

    def _told(self) -> None:
        """The waiting say has been told: its step's window begins there."""
        index, self._awaiting = self._awaiting, None
        assert index is not None
        self._open(index, self.sim.world.told_at)
        if self._acted > index and self._waits_early(index + 1):
            self._register(index + 1)

    def _tell_now(self) -> None:
        """The waiting say's time has come without its event: tell it now."""
        self.sim.apply(cmd.TellAwaited())
        self._told()

    def _open(self, index: int, entry: int) -> None:
        """Step `index`'s window begins at trace entry `entry`: the step before it is judged."""
        if index > 0:
            self._check(index - 1, entry)
        trace = self.sim.trace.entries
        self.result.step_entries.append(entry)
        self.result.step_starts.append(
            trace[entry].step if entry < len(trace) else self.sim.step_index
        )

    # ------------------------------------------------------------------ playing

    def play_next(self) -> None:
        """Play on to the next step's time, then play it (its window opens with its say)."""
        index = self.next_step
        step = self.model.steps[index]
        if self._waits_early(index) and index not in self._registered:
            self._register(index)  # the first step
        self.advance(self.result.step_times[index])
        while self._awaiting is not None:
            self._tell_now()
        self.next_step += 1
        names = self.names(index)
        if not names:
            self._open(index, len(self.sim.trace))
            if step.say or step.rules:
                self.sim.apply(cmd.Narrate(step.say.strip(), tuple(step.rules)))
        elif step.do:
            self._register(index)  # told with the event its `say_with` names
        first = self.sim.step_index
        for number, action in enumerate(step.do):
            self._act(index, number, action)
        self.result.acted.append((first, self.sim.step_index))
        self._acted = index + 1
        if self._awaiting is None and self._waits_early(index + 1):
            self._register(index + 1)

    def finish(self) -> RunResult:
        while not self.done:
            self.play_next()
        last = self.result.step_times[-1] if self.result.step_times else 0
        end = self.model.end if self.model.end is not None else last + SETTLE_MS
        self.advance(max(end, self.sim.now))
        while self._awaiting is not None:
            self._tell_now()
        self._check(len(self.model.steps) - 1, len(self.sim.trace), final=True)
        return self.result

    def _act(self, index: int, number: int, action: ActionModel) -> None:
        try:
            verbs()[action.verb].run(action.value, self)
            if self._awaiting is not None and self.sim.world.awaiting is None:
                self._told()
        except cmd.CommandError as exc:
            field = f"steps[{index}].do[{number}].{action.verb}"
            if not exc.field:
                raise RunError(
                    index, str(exc), line=self.model.action_line(index, number), field=field
                ) from None
            # A value the run refuses (a `listen` port on a bound socket): at its key.
            line, column = self.model.action_mark(index, number, exc.field)
            raise RunError(
                index, str(exc), line=line, field=f"{field}.{exc.field}", column=column
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
