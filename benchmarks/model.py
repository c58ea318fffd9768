"""The model's measurements, each side by side with its yardstick in the same run.

1. The event core against SimPy on the same timer workload (goal: at least 1.5x SimPy's rate).
   Paired and repeated: the two take turns (which goes first alternates) many times, each
   timed in CPU seconds of this process (time spent waiting for a core on a shared machine is
   neither's cost), and the figure is the median of the per-pair ratios, with the middle half
   of them and the lowest and highest beside it.
2. A large run (1,000 applications, 10,000 sockets, 100 moves) and how its time grows as the
   sockets double (goal: no worse than linear). Judged on the growth exponent k of time ~ n^k,
   fitted over all sizes, of odplay's own work: the runs are timed with CPython's cyclic garbage
   collector paused (after a full collection), because each of its full collections walks the
   whole heap and their number grows with it, which makes any growing Python program slightly
   worse than linear. The same runs with the collector on are timed and printed beside them.
3. Start-up of `odplay run --help` against `python -c "import typer"` (goal: at most 1.3x).
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from benchmarks.common import Goal, best_of, startup
from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING
from odplay.sim.apps import AppSpec, SocketPlan
from odplay.sim.network import default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.trace import Trace
from odplay.sim.world import World

TIMERS, ROUNDS = 1_000, 100
CORE_PAIRS = 31


@dataclass
class _Ticker:
    """The smallest application: each timer fires, then schedules itself again."""

    left: int

    def on_timer(self, w: World, action: str, index: int, fd: int) -> None:
        self.left -= 1
        if self.left > 0:
            w.app_timer(1 + index % 7, "ticker", action, index, fd)


def odplay_core() -> None:
    w = World(default_network(), HostPolicy(), 0, Trace())
    w.apps["ticker"] = _Ticker(TIMERS * ROUNDS)  # type: ignore[assignment]
    for index in range(TIMERS):
        w.app_timer(1 + index % 7, "ticker", "tick", index, 0)
    while w.step_event():
        pass


def simpy_core() -> None:
    import simpy

    env = simpy.Environment()

    def timer(index: int):  # type: ignore[no-untyped-def]
        for _ in range(ROUNDS):
            yield env.timeout(1 + index % 7)

    for index in range(TIMERS):
        env.process(timer(index))
    env.run()


def large_run(sockets: int, moves: int = 100) -> None:
    plans = tuple(
        SocketPlan(
            type=(FIXED, SESSION_LASTING, NON_PERSISTENT)[i % 3],
            peer="www.example.org",
            reconnect_after=50,
        )
        for i in range(10)
    )
    network = default_network()
    network.supports = {FIXED, SESSION_LASTING, NON_PERSISTENT}
    sim = Simulation(network, seed=1, checkpoint_every=None)
    sim.attach("ap1")
    for n in range(sockets // 10):
        sim.launch(f"app{n}", "web-browser", AppSpec(f"app{n}", "web-browser", plans))
    sim.run_for(1000)
    for move in range(moves):
        sim.move("ap3" if move % 2 == 0 else "ap1")
        sim.run_for(1000)


def paired_cpu(
    pairs: int, ours: Callable[[], object], theirs: Callable[[], object]
) -> tuple[list[float], list[float]]:
    """CPU seconds of each of `pairs` runs of both, taking turns; who goes first alternates."""
    times: tuple[list[float], list[float]] = ([], [])
    work = (ours, theirs)
    for index in range(pairs):
        for which in (0, 1) if index % 2 == 0 else (1, 0):
            gc.collect()
            start = time.process_time()
            work[which]()
            times[which].append(time.process_time() - start)
    return times


def without_collector(work: Callable[[], object]) -> Callable[[], object]:
    """`work`, run with the cyclic garbage collector paused (and a full collection first)."""

    def paused() -> object:
        gc.collect()
        gc.disable()
        try:
            return work()
        finally:
            gc.enable()

    return paused


def growth_exponent(sizes: list[int], times: list[float]) -> float:
    """The least-squares slope of log(time) against log(size): k in time ~ size^k."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def event_core() -> Goal:
    """odplay's event core against SimPy's, paired (see the module's docstring)."""
    ours, theirs = paired_cpu(CORE_PAIRS, odplay_core, simpy_core)
    events = TIMERS * ROUNDS
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    ratio = statistics.median(ratios)
    quartiles = statistics.quantiles(ratios, n=4)
    spread = (
        f"middle half {quartiles[0]:.2f}-{quartiles[2]:.2f}x, all {min(ratios):.2f}-"
        f"{max(ratios):.2f}x, {CORE_PAIRS} pairs"
    )
    print(
        f"event core: odplay {events / statistics.median(ours):,.0f} events/s, SimPy "
        f"{events / statistics.median(theirs):,.0f} events/s (medians); ratio {ratio:.2f}x "
        f"({spread})"
    )
    return Goal("event core at least 1.5x SimPy", f"{ratio:.2f}x ({spread})", ratio >= 1.5)


def measure() -> list[Goal]:
    results = [event_core()]

    sizes = [1250, 2500, 5000, 10_000]
    own = [best_of(3, without_collector(lambda n=n: large_run(n))) for n in sizes]  # type: ignore[misc]
    with_gc = [best_of(1, lambda n=n: large_run(n)) for n in sizes]  # type: ignore[misc]
    for n, t, g in zip(sizes, own, with_gc, strict=True):
        print(
            f"large run: {n // 10} applications, {n} sockets, 100 moves: {t:.2f}s "
            f"({g:.2f}s with the collector on)"
        )
    doublings = ", ".join(f"{b / a:.2f}x" for a, b in pairwise(own))
    exponent = growth_exponent(sizes, own)
    gc_exponent = growth_exponent(sizes, with_gc)
    print(
        f"large run: each doubling of sockets took {doublings} the time; time ~ n^{exponent:.2f} "
        f"(n^{gc_exponent:.2f} with the collector on)"
    )
    results.append(
        Goal(
            "large run grows no worse than linearly (time ~ n^k, k <= 1.1)",
            f"k = {exponent:.2f} (doublings {doublings}; with the collector on k = "
            f"{gc_exponent:.2f})",
            exponent <= 1.1,
        )
    )

    odplay_help = startup([sys.executable, "-m", "odplay", "run", "--help"])
    typer_import = startup([sys.executable, "-c", "import typer"])
    ratio = odplay_help / typer_import
    print(
        f"start-up: odplay run --help {odplay_help * 1000:.0f}ms, import typer "
        f"{typer_import * 1000:.0f}ms, ratio {ratio:.2f}x"
    )
    results.append(
        Goal("odplay run --help at most 1.3x import typer", f"{ratio:.2f}x", ratio <= 1.3)
    )
    return results
