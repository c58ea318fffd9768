"""Long work in the playground: the keys that once froze it (c, s, o, `,`, r) and a tick, on
two busy runs, against a minimal Textual app in the same run.

    python3 dev.py bench longwork      (or: python -m benchmarks longwork)

The runs: free play with 100 applications of seven kinds, moved between gateways; and free play
with 50 applications after 1,000 simulated seconds (thousands of closed sockets, a large trace
and large checkpoints). For each key it measures, with no Pilot pauses in the timing, from rest
(no frame for IDLE seconds, for both apps alike):

- key to frame: from the key event being sent to the first frame drawn after it (the frame is
  Textual's own `_display` call, which headless runs make too), against a key that updates a
  minimal app (goal: at most 2x). In the playground that frame is the key's answer: the status
  line (or the dialog's frame) saying what the key is doing, drawn before the work
  (LongWork.answering);
- key to its last frame: when what the key did is all on screen (reported, no goal);
- the longest the screen's thread was kept from drawing while the key's work ran to its end:
  the longest event-loop callback, and the longest gap of a 5 ms heartbeat on the loop (which
  also catches a worker thread holding the interpreter's lock) (goal: under 100 ms).

A tick of play is measured too, though it is not a key: its one frame is every panel the run
changed, and it counts towards the 100 ms goal only.

Work that odplay.session.jobs estimates long runs on a worker; the rest is done at once, after
its answer is drawn. Each figure is the median of REPEATS presses (the opening of a scenario,
which replaces the run, once), and the stall the longest of them.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input

from benchmarks.common import KINDS, Goal
from benchmarks.playground import FakeClock, LongestCallback, MinimalApp
from odplay.session.session import Session
from odplay.sim.apps import AppSpec, spec_for
from odplay.ui.app import PlaygroundApp

REPEATS = 5
SIZE = (150, 44)
HEARTBEAT = 0.005


def _spec(n: int) -> AppSpec:
    """Application `n`: the kinds in turn; a DNS client queries every 500 ms, all run long."""
    spec = spec_for(f"app{n}", KINDS[n % len(KINDS)])
    if spec.kind == "dns-client":
        spec = replace(spec, plans=(replace(spec.plans[0], hold=100, repeat_every=500),))
    return spec


def hundred_applications() -> Session:
    """100 applications launched 10 ms apart, then two moves between gateways 5 s apart."""
    session = Session.free()
    for n in range(100):
        session.launch(_spec(n))
        session.sim.run_for(10)
    for ap in ("ap3", "ap1"):
        session.sim.run_for(5000)
        session.move(ap)
    session.sim.run_for(5000)
    session.clock = session.world.now
    return session


def thousand_seconds() -> Session:
    """50 applications, then 1,000 simulated seconds of their traffic (DNS queries every
    500 ms), with a move every 100 s."""
    session = Session.free()
    for n in range(50):
        session.launch(_spec(n))
    for hundred in range(10):
        session.sim.run_for(100_000)
        session.move("ap3" if hundred % 2 == 0 else "ap1")
    session.clock = session.world.now
    return session


class Frames:
    """Every frame the app draws, timed: Textual's `_display`, wrapped."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.times: list[float] = []
        self.new = asyncio.Event()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.times.append(time.perf_counter())
                self.new.set()

        app._display = display  # type: ignore[method-assign]

    async def after(self, start: float, timeout: float = 30.0) -> float:
        """Seconds from `start` to the first frame drawn after it."""
        deadline = time.perf_counter() + timeout
        while not any(t > start for t in self.times):
            self.new.clear()
            await asyncio.wait_for(self.new.wait(), max(0.001, deadline - time.perf_counter()))
        return min(t for t in self.times if t > start) - start


@dataclass
class Heartbeat:
    """A task on the loop that wakes every HEARTBEAT seconds: its longest gap is the longest the
    loop was kept from running anything, a worker holding the interpreter's lock included."""

    longest: float = 0.0
    task: asyncio.Task[None] | None = field(default=None)

    async def _beat(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(HEARTBEAT)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - HEARTBEAT)
            last = now

    def __enter__(self) -> Heartbeat:
        self.task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.task is not None:
            self.task.cancel()


@dataclass(frozen=True)
class Press:
    key: str
    to_frame: float  # to the first frame after the key: the one that answers it
    stall: float
    to_last: float = 0.0  # to the last frame its work drew (its result on screen)


#: Seconds without a frame after which an app counts as idle.
IDLE = 0.1


async def _quiet(app: App[Any], frames: Frames | None = None) -> None:
    """Wait until no work is running and the app has stopped drawing: outside any timing.

    Both apps are measured from rest, as a learner's key finds them: a key pressed while the
    frames of the last one are still going out waits for the one being drawn, which would
    count the last key's frames against this one. (An app that never stops drawing is taken
    as it is after a few seconds.)"""
    give_up = time.perf_counter() + 3.0
    while True:
        await app.workers.wait_for_complete()
        await asyncio.sleep(0.02)
        playground = app if isinstance(app, PlaygroundApp) else None
        busy = playground is not None and playground.working is not None
        if busy or any(w.is_running for w in app.workers):
            continue
        last = max(frames.times, default=0.0) if frames is not None else 0.0
        if time.perf_counter() - last >= IDLE or time.perf_counter() > give_up:
            return
        await asyncio.sleep(IDLE)


async def _press(app: App[Any], frames: Frames, key: str, character: str | None = None) -> Press:
    """Send `key`, time its frame, and the longest stall until its work is done."""
    await _quiet(app, frames)
    with LongestCallback() as callback, Heartbeat() as beat:
        start = time.perf_counter()
        app.post_message(events.Key(key, character))
        to_frame = await frames.after(start)
        await _quiet(app, frames)  # the work done, and every frame it drew
    to_last = max(frames.times) - start
    return Press(key, to_frame, max(callback.longest, beat.longest), to_last)


async def _tick(app: PlaygroundApp, frames: Frames, clock: FakeClock) -> Press:
    """One tick of play (50 ms of wall time) and its frame."""
    await _quiet(app, frames)
    with LongestCallback() as callback, Heartbeat() as beat:
        start = time.perf_counter()
        clock.now += 0.05
        app._tick()
        to_frame = await frames.after(start)
    return Press("tick", to_frame, max(callback.longest, beat.longest), to_frame)


async def _back_to_main(app: App[Any]) -> None:
    await asyncio.sleep(0.1)  # a screen pushed by the work's result comes up first
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await asyncio.sleep(0.02)


async def _keys_on(session: Session, folder: Path) -> list[Press]:
    clock = FakeClock()
    app = PlaygroundApp(session, highlight_seconds=0, wall_clock=clock)
    presses: list[Press] = []
    async with app.run_test(size=SIZE):
        frames = Frames(app)
        await _quiet(app)
        for _ in range(REPEATS):
            presses.append(await _press(app, frames, "comma", ","))
        for _ in range(REPEATS):
            presses.append(await _press(app, frames, "c", "c"))
            await _back_to_main(app)
        session.play()
        app._last_tick = clock.now
        if app._ticker is not None:
            app._ticker.resume()
        for _ in range(REPEATS):
            presses.append(await _tick(app, frames, clock))
        app._set_playing(False)
        for n in range(REPEATS):
            presses.append(await _press(app, frames, "s", "s"))
            app.screen.query_one("#path", Input).value = str(folder / f"run{id(session)}-{n}.yaml")
            saved = await _press(app, frames, "enter", "\r")
            presses.append(replace(saved, key="s (saving)"))
            await _back_to_main(app)
        for _ in range(REPEATS):
            presses.append(await _press(app, frames, "r", "r"))
        for _ in range(REPEATS - 1):
            presses.append(await _press(app, frames, "o", "o"))
            await _back_to_main(app)
        presses.append(await _press(app, frames, "o", "o"))
        opened = await _press(app, frames, "enter", "\r")  # the first: the 4.2 flow
        presses.append(replace(opened, key="o (opening)"))
    return presses


async def _minimal() -> list[float]:
    app = MinimalApp()
    times = []
    async with app.run_test(size=SIZE):
        frames = Frames(app)
        await _quiet(app)
        for _ in range(20):
            times.append((await _press(app, frames, "full_stop", ".")).to_frame)
    return times


def _summary(presses: list[Press]) -> dict[str, tuple[float, float, float]]:
    """Per key: the median key to frame, the median key to its last frame, the longest stall."""
    keys: dict[str, list[Press]] = {}
    for press in presses:
        keys.setdefault(press.key, []).append(press)
    return {
        key: (
            statistics.median(p.to_frame for p in ps),
            statistics.median(p.to_last for p in ps),
            max(p.stall for p in ps),
        )
        for key, ps in keys.items()
    }


def measure() -> list[Goal]:
    minimal = statistics.median(asyncio.run(_minimal()))
    worst_stall, worst_ratio, worst_tick = 0.0, 0.0, 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, build in (
            ("100 applications", hundred_applications),
            ("50 applications after 1,000 s", thousand_seconds),
        ):
            session = build()
            sockets = len(session.world.stack.sockets)
            print(
                f"{name}: {sockets:,} sockets, {len(session.trace):,} trace entries, "
                f"{session.position:,} steps"
            )
            presses = asyncio.run(_keys_on(session, Path(folder)))
            for key, (to_frame, to_last, stall) in _summary(presses).items():
                ratio = to_frame / minimal
                worst_stall = max(worst_stall, stall)
                if key == "tick":  # not a key: its one frame is the run moved on
                    worst_tick = max(worst_tick, to_frame)
                    print(
                        f"  {'tick':12} its frame   {to_frame * 1000:6.1f}ms (not a key: every "
                        f"panel that changed), longest stall {stall * 1000:6.1f}ms"
                    )
                    continue
                worst_ratio = max(worst_ratio, ratio)
                print(
                    f"  {key:12} key to frame {to_frame * 1000:6.1f}ms ({ratio:4.1f}x the minimal "
                    f"app's {minimal * 1000:.1f}ms), to its last frame {to_last * 1000:6.1f}ms, "
                    f"longest stall {stall * 1000:6.1f}ms"
                )
    print(f"a tick's frame: {worst_tick * 1000:.0f}ms at worst (under the 100 ms stall goal)")
    return [
        Goal(
            "no frame waits more than 100 ms for c, s, o, `,`, r or a tick",
            f"{worst_stall * 1000:.0f}ms at worst",
            worst_stall < 0.1,
        ),
        Goal(
            "key to frame within 2x the minimal app for those keys",
            f"{worst_ratio:.2f}x at worst",
            worst_ratio <= 2.0,
        ),
    ]
