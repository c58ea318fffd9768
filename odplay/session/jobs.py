"""Long work on a run, done aside so that a viewer stays responsive: stepping back far, starting
over, opening, saving and comparing.

The viewer makes a `Control`, runs the work on a thread of its own, and takes the result back on
its own thread: the work never touches what the viewer shows. A step back is computed on a twin
of the run (`rewind`) and swapped in with `Session.adopt`; a restart or an opened scenario is a
new session built aside (`Session.started_over`, `Session.load`) and taken in with
`Session.take_over`; a comparison and a save's replay only read the run, which the viewer keeps
still meanwhile. Cancelling (`Control.cancel`) makes the work stop at its next step with
`Cancelled`, and nothing of the run has changed.

Work that is quick (`rewind_cost` under QUICK) is better done at once: a thread's hop costs more
than it, and keys typed ahead (`,` held down) should each take effect in turn.
"""

from __future__ import annotations

import copy
import pickle
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from odplay.session.events import RunRestarted
from odplay.session.session import Session
from odplay.sim.simulation import Simulation
from odplay.sim.trace import Trace

if TYPE_CHECKING:
    from odplay.sim.network import NetworkConfig
    from odplay.sim.policy import HostPolicy
    from odplay.sim.world import World

#: Work cheaper than this (in replayed steps, see rewind_cost; about 40 ms on a laptop) is done
#: at once.
QUICK = 500
#: A checkpoint's bytes that cost as much to unpickle as one replayed step, roughly.
BYTES_PER_STEP = 500


class Cancelled(Exception):
    """The learner cancelled the work; the run is as it was."""


class Control:
    """What long work and its viewer share: a way to cancel, and how far the work has got.

    Thread-safe for one worker and one viewer: the viewer cancels and reads `fraction`; the work
    calls `check` (or an observer from `watch`) as it goes."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        #: How much of the work is done, 0 to 1 (0 until the work says).
        self.fraction = 0.0

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise Cancelled if the viewer cancelled."""
        if self._cancelled.is_set():
            raise Cancelled

    def watch(self, end: int, part: int = 0, parts: int = 1) -> Callable[[World], None]:
        """An observer for a run heading for `end` ms: checks, and counts part `part` of
        `parts` done as far as the run's clock has got."""

        def observe(w: World) -> None:
            self.check()
            self.fraction = (part + (min(1.0, w.now / end) if end > 0 else 0.0)) / parts

        return observe


# ---------------------------------------------------------------------- stepping back


@dataclass(frozen=True, slots=True)
class Rewind:
    """A step back computed aside: the world at `target`, for the run it was computed from."""

    sim: Simulation  # the run it belongs to (adopt refuses another)
    start: int  # the position it was computed from (adopt refuses a run that moved since)
    target: int
    world: World
    hidden: int = 0  # the entries of the run's trace at `target` left unshown (Session.shown)


def step_back_target(session: Session) -> int | None:
    """Where `,` puts the model: back before the latest step that showed something. None: at the
    start, or when `,` only hides the latest message of a step of the model (no work at all)."""
    if session.position == 0:
        return None
    entries, shown = session.sim.trace.entries, session.shown
    if shown == 0:
        return 0
    last = entries[shown - 1]
    if shown >= 2 and entries[shown - 2].step == last.step:
        return None  # Session.step_back only hides it
    return last.step


def rewind_cost(session: Session, target: int) -> int:
    """About how many steps' work putting the run back to `target` takes: the replay from the
    checkpoint before it, and unpickling that checkpoint."""
    sim = session.sim
    if not sim.checkpoints or target >= session.position:
        return 0
    base = max(s for s in sim.checkpoints if s <= target)
    return target - base + len(sim.checkpoints[base]) // BYTES_PER_STEP


def rewind(
    session: Session, target: int, control: Control | None = None, hidden: int = 0
) -> Rewind:
    """The world as it was after `target` steps (`hidden` of their entries left unshown),
    computed on a twin of the run (the run itself is not touched: adopt swaps the result in).
    Raises Cancelled if cancelled."""
    if control is not None:
        control.check()
    sim = session.sim
    twin = copy.copy(sim)
    # Its own copies of what it reads: the run may go on (if the work is cancelled) meanwhile.
    twin.inputs, twin.checkpoints = dict(sim.inputs), dict(sim.checkpoints)
    twin.trace = Trace()
    twin.trace.entries = list(sim.trace.entries)  # restoring truncates the twin's own copy
    twin.observer = None
    base = max(s for s in sim.checkpoints if s <= target)
    # What twin.restore(base) does, nothing to replay, but unpickled a frame at a time: one
    # pickle.loads of a large checkpoint would hold the interpreter's lock, and so keep the
    # screen's thread from drawing, for all the time it takes.
    twin.trace.truncate_to_step(base)
    world: World = pickle.Unpickler(_Frames(sim.checkpoints[base], control)).load()
    world.trace = twin.trace
    twin.world = world
    twin.checkpoint_every = None  # the replay makes no checkpoints of its own
    if control is not None:
        twin.observer = _counting(control, base, target)
    while twin.step_index < target and twin.step():
        pass
    return Rewind(sim, session.position, target, twin.world, hidden)


class _Frames:
    """A checkpoint's bytes as a file the unpickler reads a frame (64 KiB) at a time, letting
    other threads run between frames (and stopping if the work is cancelled)."""

    def __init__(self, data: bytes, control: Control | None) -> None:
        self.data = memoryview(data)
        self.at = 0
        self.control = control

    def _yield(self) -> None:
        time.sleep(0)  # gives up the interpreter's lock for a moment
        if self.control is not None:
            self.control.check()

    def read(self, size: int = -1) -> bytes:
        self._yield()
        end = len(self.data) if size < 0 else min(len(self.data), self.at + size)
        chunk = self.data[self.at : end].tobytes()
        self.at = end
        return chunk

    def readinto(self, buffer: memoryview) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def readline(self) -> bytes:
        end = bytes(self.data[self.at :]).find(b"\n")
        return self.read(-1 if end < 0 else end + 1)


def _counting(control: Control, base: int, target: int) -> Callable[[World], None]:
    def observe(w: World) -> None:
        control.check()
        control.fraction = (w.step - base) / max(1, target - base)

    return observe


def adopt(session: Session, rewind: Rewind) -> bool:
    """Swap a step back computed aside into `session` (its viewers hear RunMoved). False, and
    nothing changes, if the run is not the one it was computed from, or has moved since."""
    sim = session.sim
    if rewind.sim is not sim or rewind.start != session.position:
        return False
    with session._moving():
        # The twin replayed the very steps the run had taken: the entries it made are those the
        # run holds up to `target`, so the run's own trace is cut there and kept.
        sim.trace.truncate_to_step(rewind.target)
        rewind.world.trace = sim.trace
        sim.world = rewind.world
        session._hidden = rewind.hidden
        session.clock = session.world.now
    return True


# ---------------------------------------------------------------------- starting over, opening


def restart_replays(session: Session) -> bool:
    """Whether `Session.restart` plays a whole scenario again (one the learner has left), rather
    than going back to the start of what it holds: long work."""
    return session.scenario is not None and not session.following_script


def started_over(
    session: Session,
    network: NetworkConfig | None = None,
    policy: HostPolicy | None = None,
    control: Control | None = None,
) -> Session:
    """A new run from `session`'s start, or (given `network` and `policy`) free play from those,
    built aside: `take_over` makes it the session's run. Raises Cancelled if cancelled."""
    observer = control.watch(_scenario_end(session)) if control is not None else None
    if network is None or policy is None:
        start = session._start_network, session._start_policy
        return Session(*start, session.seed, session.scenario, observer)
    return Session(copy.deepcopy(network), copy.deepcopy(policy), session.seed, None, observer)


def load(path: Path, control: Control | None = None) -> Session:
    """Session.load, built aside: ScenarioError for a bad file, Cancelled if cancelled."""
    return Session.load(path, (lambda _w: control.check()) if control is not None else None)


def _scenario_end(session: Session) -> int:
    steps = session.steps
    return steps[-1].time if steps else 0


#: What makes a run, as Session._begin sets it: what take_over moves from one session to another.
_RUN_STATE = (
    "scenario",
    "_hidden",
    "_script_steps",
    "_start_network",
    "_start_policy",
    "seed",
    "clock",
    "checks",
    "predictions",
    "answers",
    "steps",
    "left_script_at",
    "mode",
    "sim",
    "script_end",
)


def take_over(session: Session, other: Session) -> None:
    """Make `other`'s run `session`'s (a restart or a scenario built aside), keeping the
    session's listeners and speed; they hear RunRestarted, and the run is paused."""
    for name in _RUN_STATE:
        setattr(session, name, getattr(other, name))
    session.playing = False
    session.events.publish(RunRestarted())


def previous_step_target(session: Session) -> tuple[int, int] | None:
    """Where `b` goes in a scenario: the end of the previous step (or the start), as the model's
    step to go to and how many of the entries it made stay hidden (Session._go_to_entry: a
    step's boundary may fall within one step of the model). None: at the start."""
    bounds = session._boundaries()
    index = bisect_left(bounds, session.shown) - 1
    if index < 0:
        return None
    entry, steps = bounds[index], session._script_steps
    if entry >= len(steps):
        return session.script_end, 0
    if entry == 0:
        return 0, 0
    if steps[entry - 1] != steps[entry]:
        return steps[entry], 0
    # The entries the run shows after steps[entry] + 1 steps are the script's up to that step.
    return steps[entry] + 1, bisect_right(steps, steps[entry]) - entry
