"""The playground's measurements, each side by side with a minimal Textual app in the same run.

1. Time to the first frame: odplay in free play at 80x24, against a minimal Textual app and
   against `python -c "import textual.app"` (goal: at most 1.5x the latter). The time runs
   from starting the process to the moment the first frame has been drawn: the child reads
   the system's monotonic clock (the one `time.perf_counter` reads on Linux, shared by every
   process) when the frame is done. The time to exit is reported beside it but not counted:
   shutting down is no part of a first frame. The three commands take turns, run by run.
2. Key press to updated frame with 1,000 live sockets, against a key that updates a minimal app
   (goal: at most 2x).
3. The longest stall when 1,000 events arrive at once: a move that breaks 1,000 sockets, then
   the ticks in which their 1,000 re-establishing timers fire together (goal: under 100 ms);
   the median of three runs.
4. Memory of the running app at its first frame, against the minimal app (goal: at most 1.5x).
5. The same first frame through the real command line, `python -m odplay play` in a pty,
   against `python -c "import textual.app"` (goal: at most 1.5x; see benchmarks/terminal.py).

Everything runs headless; the wall clock the app sees is a fake one moved by hand, so a tick
takes exactly the events it should.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace

from textual.app import App, ComposeResult
from textual.widgets import Static

from benchmarks import terminal
from benchmarks.common import Goal, startup
from odplay.constants import NON_PERSISTENT, SESSION_LASTING
from odplay.session.session import Session
from odplay.sim.apps import AppSpec, SocketPlan, spec_for
from odplay.sim.tables import SocketState
from odplay.ui.app import PlaygroundApp

SOCKETS = 1_000
PRESSES = 40

# The resident set at the first frame, read from /proc: ru_maxrss would count the benchmark's own
# memory too, since a child made by fork starts from its parent's high-water mark. No call to
# super().on_mount(): Textual calls the on_mount of every class in the MRO itself, so calling
# it as well would run the app's own twice.
FIRST_FRAME = """
import time
{prelude}
class FirstFrame({base}):
    def on_mount(self):
        self.call_after_refresh(self.measure_and_exit)
    def measure_and_exit(self):
        drawn = time.perf_counter()
        status = open("/proc/self/status").read().split("VmRSS:")[1].split()[0]
        self.exit(f"{{drawn}} {{status}}")
print(FirstFrame().run(headless=True, size=(80, 24)))
"""
OURS = FIRST_FRAME.format(prelude="from odplay.ui.app import PlaygroundApp", base="PlaygroundApp")
MINIMAL = FIRST_FRAME.format(
    prelude=(
        "from textual.app import App\n"
        "from textual.widgets import Static\n"
        "class Minimal(App):\n"
        "    def compose(self):\n"
        "        yield Static('hello')\n"
    ),
    base="Minimal",
)


class MinimalApp(App[None]):
    """The yardstick: one key, one Static that changes."""

    BINDINGS = [("full_stop", "bump", "Bump")]  # noqa: RUF012 - Textual's own idiom

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Start:
    """One start of an app: seconds to its first frame and to its exit, and its resident KiB."""

    to_frame: float
    to_exit: float
    memory_kb: int


def _start(code: str) -> Start:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    exited = time.perf_counter()
    drawn, memory = done.stdout.strip().splitlines()[-1].split()
    return Start(float(drawn) - started, exited - started, int(memory))


def _median(starts: list[Start]) -> Start:
    return Start(
        statistics.median(s.to_frame for s in starts),
        statistics.median(s.to_exit for s in starts),
        int(statistics.median(s.memory_kb for s in starts)),
    )


def _starts(runs: int = 7) -> tuple[Start, Start, float]:
    """odplay's start, the minimal app's and `import textual.app`'s, each the median of `runs`.

    They take turns, run by run, so that a slow patch of the machine falls on all three alike.
    """
    ours: list[Start] = []
    minimal: list[Start] = []
    textual_import: list[float] = []
    for _ in range(runs):
        ours.append(_start(OURS))
        minimal.append(_start(MINIMAL))
        textual_import.append(startup([sys.executable, "-c", "import textual.app"], runs=1))
    return _median(ours), _median(minimal), statistics.median(textual_import)


def _busy_session(sockets: int, type_: int = SESSION_LASTING) -> Session:
    """A free-play session with `sockets` connected sockets, ten per application."""
    session = Session.free()
    plans = tuple(
        SocketPlan(type=type_, peer="www.example.org", reconnect_after=200)  # type: ignore[arg-type]
        for _ in range(10)
    )
    for n in range(sockets // 10):
        session.launch(AppSpec(f"app{n}", "web-browser", plans))
    session.run_while(
        lambda: any(
            s.state is not SocketState.CONNECTED for s in session.world.stack.sockets.values()
        )
    )
    return session


async def _key_to_frame(app: App[None], key: str, presses: int) -> float:
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


class LongestCallback:
    """The longest time the event loop spent in one callback: the longest the app froze."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._run = asyncio.events.Handle._run

    def __enter__(self) -> LongestCallback:
        original, watcher = self._run, self

        def timed(handle: asyncio.events.Handle) -> None:
            start = time.perf_counter()
            original(handle)
            watcher.longest = max(watcher.longest, time.perf_counter() - start)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.events.Handle._run = self._run  # type: ignore[method-assign]


async def _stalls() -> tuple[float, float, int]:
    """A move that breaks 1,000 sockets, then the ticks in which 1,000 timers fire at once."""
    gc.collect()  # each run starts from a clean heap, as a freshly started playground would
    session = _busy_session(SOCKETS, NON_PERSISTENT)
    clock = FakeClock()
    app = PlaygroundApp(session, highlight_seconds=0, wall_clock=clock)
    async with app.run_test(size=(150, 44)) as pilot:
        await pilot.pause()
        with LongestCallback() as move:
            app.do_move("ap3")
            await pilot.pause()
        due = len(session.world.queue)
        session.play()
        app._last_tick = clock.now
        with LongestCallback() as burst:
            # Wall time runs past every application's 200 ms re-establishing timer; the app
            # takes what is due a tick at a time, drawing in between, until nothing is left.
            for _ in range(20):
                clock.now += 0.05
                app._tick()
                await pilot.pause()
    return move.longest, burst.longest, due


def measure() -> list[Goal]:
    results: list[Goal] = []

    ours_start, minimal_start, textual_import = _starts()
    ours, minimal = ours_start.to_frame, minimal_start.to_frame
    ratio = ours / textual_import
    print(
        f"first frame: odplay {ours * 1000:.0f}ms, minimal Textual app {minimal * 1000:.0f}ms "
        f"({ours / minimal:.2f}x), import textual.app {textual_import * 1000:.0f}ms "
        f"({ratio:.2f}x); to exit: odplay {ours_start.to_exit * 1000:.0f}ms, "
        f"minimal {minimal_start.to_exit * 1000:.0f}ms"
    )
    results.append(
        Goal("first frame at most 1.5x import textual.app", f"{ratio:.2f}x", ratio <= 1.5)
    )

    ratio, figure = terminal.describe(*terminal.paired())
    print(f"first frame of `python -m odplay play` in a pty: {figure}")
    results.append(Goal(terminal.GOAL, figure, ratio <= 1.5))

    session = _busy_session(SOCKETS)
    # A steady source of events to step through: a DNS client querying every 50 ms.
    dns = spec_for("dns", "dns-client")
    session.launch(replace(dns, plans=(replace(dns.plans[0], hold=10, repeat_every=50),)))
    live = len(session.world.stack.live_sockets())
    app = PlaygroundApp(session, highlight_seconds=0, wall_clock=FakeClock())
    ours_key = asyncio.run(_key_to_frame(app, "full_stop", PRESSES))
    minimal_key = asyncio.run(_key_to_frame(MinimalApp(), "full_stop", PRESSES))
    ratio = ours_key / minimal_key
    print(
        f"key to frame with {live} live sockets: odplay {ours_key * 1000:.1f}ms, minimal app "
        f"{minimal_key * 1000:.1f}ms, ratio {ratio:.2f}x"
    )
    results.append(Goal("key to frame at most 2x the minimal app", f"{ratio:.2f}x", ratio <= 2.0))

    # The machine's own hiccups land in a single run's longest callback; take the median of
    # three runs, each its own longest stall.
    runs = [asyncio.run(_stalls()) for _ in range(3)]
    move = statistics.median(r[0] for r in runs)
    tick = statistics.median(r[1] for r in runs)
    due = runs[0][2]
    worst = max(move, tick)
    print(
        f"longest stall: a move breaking {SOCKETS} sockets {move * 1000:.0f}ms; their {due} "
        f"re-establishing timers firing at once {tick * 1000:.0f}ms"
    )
    results.append(Goal("longest stall under 100 ms", f"{worst * 1000:.0f}ms", worst < 0.1))

    ours_kb, minimal_kb = ours_start.memory_kb, minimal_start.memory_kb
    ratio = ours_kb / minimal_kb
    print(
        f"memory at first frame: odplay {ours_kb // 1024}MiB, minimal app {minimal_kb // 1024}MiB"
    )
    results.append(Goal("memory at most 1.5x the minimal app", f"{ratio:.2f}x", ratio <= 1.5))
    return results
