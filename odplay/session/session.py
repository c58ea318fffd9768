"""The controller behind the playground: a run the learner plays, pauses, steps and acts on.

Two modes. In *free play* a Simulation runs on a network and the learner acts at the session's
clock. In *scenario* mode the whole scenario is played once, up front, with checkpoints; the
learner then moves through that recorded history (by event or by scenario step, forwards and
backwards), and a step's expectations appear once the position passes the point where the run
checked them. Acting during a scenario leaves the script: the recorded future is dropped and the
session goes on as free play from there.

The viewer is shown the trace up to the position, one message at a time if it likes: a step of the
model that makes several entries at once (a timer whose application closes, reopens and
reconnects) can be shown entry by entry (`step_forward`), while the tables show that step's whole
outcome from its first entry. A scenario step is a stretch of the trace that begins with its
narration (odplay.scenario.runner ties it to the events it explains), so moving by scenario steps
can stop within one step of the model too.

The session keeps its own clock, which runs ahead of the model's while playing (the model's
clock moves only when something happens). Nothing here reads a clock: the viewer tells `tick()`
how much wall time passed, so the session is as deterministic as the model under it.

A viewer acts only through `do()` (or `call()`, for a socket call that may block), reads through
the properties below and odplay.session.views, and learns of changes by subscribing to the events
of odplay.session.events; the names it may use are gathered in odplay.session.api.
"""

from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from odplay.config import SPEEDS as CONFIG_SPEEDS
from odplay.constants import Status
from odplay.session.events import E, Events, LeftScript, PaceChanged, RunMoved, RunRestarted
from odplay.session.outcome import Outcome
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec
from odplay.sim.network import NetworkConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import Address, Socket, SocketState
from odplay.sim.trace import TraceEntry
from odplay.sim.world import World

if TYPE_CHECKING:
    from pathlib import Path

    # Only a scenario needs its models and ruamel.yaml; free play starts without them.
    from odplay.scenario.expectations import CheckResult
    from odplay.scenario.runner import PredictionResult
    from odplay.scenario.schema import ScenarioModel


class Mode(StrEnum):
    FREE = "free play"
    SCENARIO = "scenario"


#: Simulated seconds per wall second the learner can choose between.
SPEEDS = CONFIG_SPEEDS
DEFAULT_SPEED = SPEEDS.index(1.0)
#: The timers a learner sees counting down: grace periods and applications' own timers.
TIMER_KINDS = frozenset({"grace-expiry", "app-timer"})
#: A guard for one call: a tick or a "next timer" never takes more steps than this at once,
#: so a runaway configuration cannot freeze the viewer.
MAX_STEPS_PER_CALL = 20_000
#: Where the host attaches when free play starts.
FIRST_ATTACHMENT = "ap1"


@dataclass(frozen=True, slots=True)
class ScenarioStep:
    """One step of a scenario as the learner steps through it."""

    number: int  # 1-based
    time: int
    say: str
    rules: tuple[str, ...]
    start: int  # the trace entry its window begins at: its narration
    end: int  # the trace entry the next step's window begins at (the script's length, last)


P = ParamSpec("P")
R = TypeVar("R")


def _publishes_moves(
    method: Callable[Concatenate[Session, P], R],
) -> Callable[Concatenate[Session, P], R]:
    """A Session method after which the viewers hear of it (RunMoved) if the run moved."""

    @wraps(method)
    def moving(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with session._moving():
            return method(session, *args, **kwargs)

    return moving


class Session:
    """One learner's run. Build it with :meth:`free`, :meth:`from_scenario` or :meth:`load`."""

    def __init__(
        self,
        network: NetworkConfig | None = None,
        policy: HostPolicy | None = None,
        seed: int = 0,
        scenario: ScenarioModel | None = None,
        observer: Callable[[World], None] | None = None,
    ) -> None:
        """`observer`, if given, watches a scenario being played through (after each step):
        long work's progress, or its way to stop (odplay.session.jobs)."""
        self.seed = seed
        self.scenario = scenario
        self._start_network = network or default_network()
        self._start_policy = policy or HostPolicy()
        self.speed_index = DEFAULT_SPEED
        self.playing = False
        self.events = Events()
        self._begin(observer)

    @classmethod
    def free(
        cls, network: NetworkConfig | None = None, policy: HostPolicy | None = None, seed: int = 0
    ) -> Session:
        return cls(network, policy, seed)

    @classmethod
    def from_scenario(cls, model: ScenarioModel) -> Session:
        """Play the scenario through once; raises RunError if an action cannot apply."""
        return cls(seed=model.seed, scenario=model)

    @classmethod
    def load(cls, path: Path, observer: Callable[[World], None] | None = None) -> Session:
        """A scenario session from a file; raises ScenarioError (file:line:column: field: ...).

        `observer` watches the scenario being played through (see __init__)."""
        from odplay.scenario.errors import Problem, ScenarioError
        from odplay.scenario.loader import load_scenario
        from odplay.scenario.runner import RunError

        model = load_scenario(path)
        try:
            return cls(seed=model.seed, scenario=model, observer=observer)
        except RunError as exc:
            raise ScenarioError([Problem(str(path), exc.line, 0, exc.field, exc.message)]) from None

    def subscribe(self, kind: type[E], listener: Callable[[E], None]) -> Callable[[], None]:
        """Call `listener` after every change of `kind` (odplay.session.events); returns what
        unsubscribes it."""
        return self.events.subscribe(kind, listener)

    def _begin(self, observer: Callable[[World], None] | None = None) -> None:
        self.clock = 0
        self.playing = False
        #: Entries at the end of the trace not shown yet (the rest of one step of the model).
        self._hidden = 0
        #: The model step that made each entry of the scenario's trace: where to go to show it.
        self._script_steps: list[int] = []
        self.checks: list[CheckResult] = []
        self.predictions: list[PredictionResult] = []
        #: The learner's answers: (scenario step index, prediction index) -> the choice made.
        self.answers: dict[tuple[int, int], int] = {}
        self.steps: list[ScenarioStep] = []
        self.left_script_at: int | None = None
        if self.scenario is None:
            self.mode = Mode.FREE
            self.sim = Simulation(
                copy.deepcopy(self._start_network), copy.deepcopy(self._start_policy), self.seed
            )
            names = [ap.name for ap in self._start_network.attachment_points]
            self.sim.attach(FIRST_ATTACHMENT if FIRST_ATTACHMENT in names else names[0])
            self.script_end = 0
            return
        from odplay.scenario.runner import ScenarioRun

        self.mode = Mode.SCENARIO
        run = ScenarioRun(self.scenario)
        run.sim.observer = observer
        result = run.finish()
        run.sim.observer = None
        self.sim = run.sim
        self.checks = result.checks
        self.predictions = result.predictions
        self.script_end = self.sim.step_index
        self._script_steps = [entry.step for entry in self.sim.trace]
        starts = result.step_entries
        self.steps = [
            ScenarioStep(
                number=i + 1,
                time=result.step_times[i],
                say=" ".join(step.say.split()),
                rules=tuple(step.rules),
                start=starts[i],
                end=starts[i + 1] if i + 1 < len(starts) else len(self._script_steps),
            )
            for i, step in enumerate(self.scenario.steps)
        ]
        self.sim.restore(0)

    # ------------------------------------------------------------------ what the viewer reads

    @property
    def world(self) -> World:
        return self.sim.world

    @property
    def position(self) -> int:
        """How many simulation steps have been taken."""
        return self.sim.step_index

    @property
    def shown(self) -> int:
        """How many entries of the trace the viewer is shown."""
        return len(self.sim.trace) - self._hidden

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def following_script(self) -> bool:
        return self.mode is Mode.SCENARIO

    def current_step(self) -> ScenarioStep | None:
        """The scenario step the position is in (its narration has been played), if any."""
        if not self.following_script:
            return None
        started = [s for s in self.steps if s.start < self.shown]
        return started[-1] if started else None

    def upcoming_step(self) -> ScenarioStep | None:
        """The scenario step that `next_scenario_step` would play, if the script goes on."""
        if not self.following_script:
            return None
        bounds = self._boundaries()
        index = bisect_right(bounds, self.shown)
        if index >= len(bounds):
            return None
        target = bounds[index]
        ending = [s for s in self.steps if s.end == target and s.start >= self.shown]
        return ending[0] if ending else None

    def predictions_for(self, step: ScenarioStep) -> list[PredictionResult]:
        return [p for p in self.predictions if p.step == step.number - 1]

    def answer(self, step: ScenarioStep, question: int, choice: int) -> None:
        """Record the learner's prediction for one of a step's questions."""
        self.answers[(step.number - 1, question)] = choice

    def score(self) -> tuple[int, int]:
        """Predictions right, of those answered and revealed by now."""
        revealed = {s.number - 1 for s in self.steps if s.end <= self.shown}
        right = total = 0
        for (step, question), choice in self.answers.items():
            if step not in revealed:
                continue
            prediction = self.predictions_for(self.steps[step])[question]
            total += 1
            right += prediction.answer == choice
        return right, total

    def visible_checks(self) -> list[CheckResult]:
        """The expectations the run had checked by the entries shown (each once its step's
        window has been shown whole)."""
        return [c for c in self.checks if c.at <= self.shown]

    def _boundaries(self) -> list[int]:
        return sorted({0, *(s.end for s in self.steps)})

    @property
    def title(self) -> str | None:
        """The title of the scenario the run comes from; None for free play from the start."""
        return self.scenario.title if self.scenario is not None else None

    @property
    def summary(self) -> str:
        """The scenario's own introduction (its `summary`); empty for free play."""
        return self.scenario.summary if self.scenario is not None else ""

    @property
    def trace(self) -> list[TraceEntry]:
        """What the viewer is shown of what has happened, in order."""
        entries = self.sim.trace.entries
        return entries[: len(entries) - self._hidden] if self._hidden else entries

    @property
    def network(self) -> NetworkConfig:
        """The network's settings as they are now (SetNetwork changes them)."""
        return self.world.network.config

    @property
    def policy(self) -> HostPolicy:
        """The host's policies as they are now (SetPolicy changes them)."""
        return self.world.stack.policy

    @property
    def attachment(self) -> str | None:
        """The attachment point the host is on; None while detached."""
        return self.world.stack.attachment

    @property
    def serving_gateway(self) -> str | None:
        return self.world.stack.serving_gateway

    def running_apps(self) -> list[str]:
        return [name for name, app in self.world.apps.items() if app.running]

    def sockets(self) -> list[Socket]:
        """Every socket the host has had, closed ones too, by fd."""
        return list(self.world.stack.sockets.values())

    def socket(self, fd: int) -> Socket | None:
        return self.world.stack.sockets.get(fd)

    def address(self, name: str) -> Address | None:
        return self.world.stack.addresses.get(name)

    def getsockopt(self, fd: int) -> int | None:
        """IPV6_ADDR_PREFERENCES of a socket (A6); None: no such socket (EBADF)."""
        return self.sim.getsockopt(fd)

    # ------------------------------------------------------------------ time

    @contextmanager
    def _moving(self) -> Iterator[None]:
        """Tell the viewers once the run has moved, if it has."""
        before = (self.position, self.clock, self.shown)
        yield
        if (self.position, self.clock, self.shown) != before:
            self.events.publish(RunMoved(self.position, self.clock))

    def _pace_changed(self) -> None:
        self.events.publish(PaceChanged(self.playing, self.speed))

    def play(self) -> None:
        self.playing = True
        self._pace_changed()

    def pause(self) -> None:
        self.playing = False
        self._pace_changed()

    def faster(self) -> float:
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        self._pace_changed()
        return self.speed

    def slower(self) -> float:
        self.speed_index = max(self.speed_index - 1, 0)
        self._pace_changed()
        return self.speed

    @_publishes_moves
    def tick(self, wall_ms: float, max_steps: int = MAX_STEPS_PER_CALL) -> int:
        """Let `wall_ms` of real time pass, if playing. Returns the steps taken.

        At most `max_steps` are taken: when more are due (a thousand timers firing at once),
        the clock waits where the model is and the rest are taken on the next ticks, so that
        the viewer can draw in between.
        """
        if not self.playing or wall_ms <= 0:
            return 0
        self._hidden = 0  # time runs on: the rest of a step shown one message at a time shows
        target = self.clock + max(1, round(wall_ms * self.speed))
        taken = self.sim.take_due(target, max_steps=max_steps)
        if taken >= max_steps:
            self.clock = max(self.clock, self.world.now)
        else:
            self.clock = target
        return taken

    @_publishes_moves
    def step_forward(self) -> bool:
        """Show the next message: exactly one more trace entry. False: nothing is left to show.

        When the model's next step makes several entries, the first is shown and the others
        wait for the next calls. Once the last is shown, a recorded pause that follows it (time
        passing with nothing happening) is taken too, so that stepping back and then forward
        lands exactly where it started.
        """
        if self._hidden:
            self._hidden -= 1
        else:
            before = len(self.sim.trace)
            shown = False
            for _ in range(MAX_STEPS_PER_CALL):
                if not self.sim.step():
                    break
                if len(self.sim.trace) > before:
                    shown = True
                    break
            if not shown:
                self.clock = max(self.clock, self.world.now)
                return False
            self._hidden = len(self.sim.trace) - before - 1
        while not self._hidden and isinstance(self._next_recorded(), cmd.AdvanceTo):
            self.sim.step()
        self.clock = max(self.clock, self.world.now)
        return True

    def _next_recorded(self) -> cmd.Command | None:
        """The recorded command the next step replays, if the position is inside the history."""
        if self.position < self.sim.horizon:
            return self.sim.inputs.get(self.position)
        return None

    @_publishes_moves
    def step_back(self) -> bool:
        """Hide the latest message shown: exactly one trace entry. False at the very start.

        Hiding the first shown entry of a step of the model undoes that step; hiding a later
        one only hides it.
        """
        if self.position == 0:
            return False
        entries, shown = self.sim.trace.entries, self.shown
        if shown == 0:
            self._go_to(0)
            return True
        last = entries[shown - 1]
        if shown >= 2 and entries[shown - 2].step == last.step:
            self._hidden += 1
        else:
            self._go_to(last.step)
        return True

    @_publishes_moves
    def next_scenario_step(self) -> ScenarioStep | None:
        """Play on to the end of the current or next scenario step; None past the script's end."""
        bounds = self._boundaries()
        index = bisect_right(bounds, self.shown)
        if index >= len(bounds):
            return None
        self._go_to_entry(bounds[index])
        return self.current_step()

    @_publishes_moves
    def previous_scenario_step(self) -> ScenarioStep | None:
        """Go back to the end of the previous scenario step (or the start)."""
        bounds = self._boundaries()
        index = bisect_left(bounds, self.shown) - 1
        if index < 0:
            return None
        self._go_to_entry(bounds[index])
        return self.current_step()

    @_publishes_moves
    def next_timer(self) -> bool:
        """Run until the next grace period or application timer fires. False: none is pending."""
        queue = self.world.queue
        if not any(kind in TIMER_KINDS for _, _, kind, _ in queue):
            return False
        self._hidden = 0
        for _ in range(MAX_STEPS_PER_CALL):
            head = self.world.queue[0] if self.world.queue else None
            replaying = self._next_recorded() is not None
            fires = head is not None and not replaying and head[2] in TIMER_KINDS
            if not self.sim.step():
                break
            if fires:
                break
        self.clock = max(self.clock, self.world.now)
        return True

    @_publishes_moves
    def run_while(self, busy: Callable[[], bool]) -> int:
        """Take steps while `busy()` holds: a blocking call waiting in simulated time (A5).

        Returns the simulated milliseconds that passed.
        """
        start = self.world.now
        self._hidden = 0
        for _ in range(MAX_STEPS_PER_CALL):
            if not busy() or not self.sim.step():
                break
        self.clock = max(self.clock, self.world.now)
        return self.world.now - start

    def restart(self) -> None:
        """Back to the start: the same network, policies and scenario, time 0, paused."""
        self.answers = {}
        if self.following_script:
            self._go_to(0)
            self.clock = 0
            self.playing = False
        else:
            self._begin()
        self.events.publish(RunRestarted())

    def restart_with(self, network: NetworkConfig, policy: HostPolicy) -> None:
        """Start over in free play with other starting settings (boot types take effect, D10)."""
        self.scenario = None
        self._start_network = copy.deepcopy(network)
        self._start_policy = copy.deepcopy(policy)
        self._begin()
        self.events.publish(RunRestarted())

    def _go_to(self, step: int) -> None:
        """To the state after `step` steps of the model, every entry they made shown."""
        self._hidden = 0
        if step > self.position:
            while self.position < step and self.sim.step():
                pass
        elif step < self.position:
            self.sim.restore(step)
        self.clock = self.world.now

    def _go_to_entry(self, entry: int) -> None:
        """Show exactly the first `entry` entries of the scenario's trace (a step's boundary,
        which may fall within one step of the model: the rest of that step is hidden)."""
        steps = self._script_steps
        if entry >= len(steps):
            self._go_to(self.script_end)
        elif entry == 0:
            self._go_to(0)
        elif steps[entry - 1] != steps[entry]:
            self._go_to(steps[entry])  # just before the model step that makes entry `entry`
        else:
            self._go_to(steps[entry] + 1)
            self._hidden = len(self.sim.trace) - entry

    # ------------------------------------------------------------------ acting

    @_publishes_moves
    def do(self, command: cmd.Command) -> Outcome:
        """Apply a command at the session's clock; a refusal is in the outcome, never raised.

        During a scenario, acting leaves the script (LeftScript): the recorded future is dropped.
        """
        self._hidden = 0  # acting comes after the whole of the step being shown
        if self.clock > self.world.now:
            self.sim.apply(cmd.AdvanceTo(self.clock))
        self._leave_script()
        try:
            value = self.sim.apply(command)
        except cmd.CommandError as exc:
            return Outcome(error=str(exc))
        return Outcome(value, blocked=self._blocks(command))

    def call(self, command: cmd.Command) -> Outcome:
        """`do`, then, if the caller blocks, let simulated time pass until the call returns:
        setsc() while the stack asks the network (A5), connect() while it waits for an untyped
        prefix (B5). The outcome holds what the call finally returned and how long it waited."""
        outcome = self.do(command)
        if not outcome.blocked:
            return outcome
        waited = self.run_while(lambda: self._blocks(command))
        return Outcome(self._returned(command), blocked=self._blocks(command), waited=waited)

    def _blocks(self, command: cmd.Command) -> bool:
        """Whether the caller of `command` (a socket call) is still waiting for it to return."""
        if isinstance(command, cmd.Setsc | cmd.Connect):
            sock = self.socket(command.fd)
            waiting = (
                SocketState.BLOCKED if isinstance(command, cmd.Setsc) else SocketState.CONNECTING
            )
            return sock is not None and sock.state is waiting
        return False

    def _returned(self, command: cmd.Command) -> Status | None:
        """What a setsc() or connect() that blocked returned once it was answered."""
        if not isinstance(command, cmd.Setsc | cmd.Connect):
            return None
        sock = self.socket(command.fd)
        if sock is None:
            return None
        if isinstance(command, cmd.Setsc):
            return sock.setsc_status
        return Status.SUCCESS if sock.state is SocketState.CONNECTED else Status.EADDRNOTAVAIL

    def _leave_script(self) -> None:
        if self.mode is not Mode.SCENARIO:
            return
        step = self.current_step()
        self.left_script_at = step.number if step else 0
        self.mode = Mode.FREE
        self.checks = self.visible_checks()
        self.events.publish(LeftScript(self.left_script_at))

    # Shorthands for the commands a test or a benchmark uses most.

    def launch(self, spec: AppSpec) -> Outcome:
        return self.do(cmd.Launch(spec))

    def quit(self, app: str) -> Outcome:
        return self.do(cmd.Quit(app))

    def move(self, ap: str) -> Outcome:
        return self.do(cmd.Move(ap))

    def detach(self) -> Outcome:
        return self.do(cmd.Detach())
