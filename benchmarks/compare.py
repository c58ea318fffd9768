"""`odplay compare` against `odplay run` on the same scenario, side by side in the same process.

Compare runs a scenario three ways (on demand, Mobile IP for all, no mobility), so it should
cost about three times one run; its meter must not add more than a run's worth on top (goal:
at most 4x `run` at 160 applications), and its time per application must not grow with the
number of applications (goal: growth from 20 to 160 applications no worse than linear).

Each size is timed paired: `run_scenario`, `compare_scenario` and the three runs compare makes
without its meter, on the same parsed scenario, take turns many times, and each figure is the
median of the per-pair ratios (with its spread, the lowest and highest ratio), which a busy
machine disturbs far less than either time alone. The three unmetered runs show what compare
cannot cost less than: its no-mobility run re-establishes every session after each move and
costs more than the on-demand run `run` makes.
The scenario: the built-in 4.2 network with every type offered, the host attached at ap1,
applications of six kinds launched one every 10 ms, then two moves between gateways 2 s apart.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.common import KINDS, Goal
from benchmarks.model import growth_exponent
from odplay.compare import MODES, compare_scenario
from odplay.scenario.runner import run_scenario
from odplay.scenario.schema import ScenarioModel

SIZES = (20, 40, 80, 160)
REPEATED_QUERY = {
    "type": "non-persistent",
    "peer": "dns.example.net",
    "port": 53,
    "hold": "100ms",
    "repeat_every": "500ms",
    "reestablish": False,
}
MOVES = 2
BETWEEN_MOVES = 5000  # ms


def scenario(applications: int, moves: int = MOVES) -> ScenarioModel:
    """The benchmark's scenario with `applications` applications and `moves` moves."""
    apps: list[dict[str, Any]] = [
        {"name": f"app{n}", "kind": KINDS[n % len(KINDS)]} for n in range(applications)
    ]
    for app in apps:
        if app["kind"] == "dns-client":  # a query every second: traffic that goes on all run
            app["sockets"] = [REPEATED_QUERY]
    steps: list[dict[str, Any]] = [{"at": "0s", "do": [{"attach": "ap1"}]}]
    # One launch every 10 ms: each is a step of its own, as a learner's would be.
    steps += [
        {"at": f"{100 + 10 * n}ms", "do": [{"launch": app["name"]}]} for n, app in enumerate(apps)
    ]
    first = 100 + 10 * applications + BETWEEN_MOVES
    steps += [
        {
            "at": f"{first + BETWEEN_MOVES * move}ms",
            "do": [{"move": "ap3" if move % 2 == 0 else "ap1"}],
        }
        for move in range(moves)
    ]
    return ScenarioModel.model_validate(
        {
            "title": f"compare benchmark, {applications} applications",
            "network": {
                "supports": ["fixed", "session-lasting", "non-persistent", "graceful-replacement"]
            },
            "applications": apps,
            "steps": steps,
            "end": f"{first + BETWEEN_MOVES * moves}ms",
        }
    )


def _timed(work: Callable[[], object]) -> float:
    """CPU seconds of `work`: the machine is shared, and time spent waiting for a core is no
    part of either command's cost (both run on one thread and never wait for anything else)."""
    gc.collect()
    start = time.process_time()
    work()
    return time.process_time() - start


def _unmetered(model: ScenarioModel) -> Callable[[], object]:
    """The three runs compare makes, without its meter: what compare cannot cost less than."""
    variants = [
        model.model_copy(
            update={"network": model.network.model_copy(update={"mobility": mode.value})}
        )
        for mode in MODES
    ]
    return lambda: [run_scenario(variant) for variant in variants]


@dataclass
class Sized:
    """One size's paired timings: per pair, seconds of run, compare and the unmetered three."""

    applications: int
    run: list[float]
    compare: list[float]
    three: list[float]

    @property
    def ratios(self) -> list[float]:
        return [c / r for c, r in zip(self.compare, self.run, strict=True)]

    @property
    def overheads(self) -> list[float]:
        return [c / t for c, t in zip(self.compare, self.three, strict=True)]


def paired(applications: int, pairs: int) -> Sized:
    """Run, compare and the three unmetered runs, taking turns `pairs` times on one scenario."""
    model = scenario(applications)
    three = _unmetered(model)
    work: list[Callable[[], object]] = [
        lambda: run_scenario(model),
        lambda: compare_scenario(model),
        three,
    ]
    times: list[list[float]] = [[], [], []]
    for index in range(pairs):
        # Turn the order round each time, so that none always runs on a warmer machine.
        order = [0, 1, 2] if index % 2 == 0 else [2, 1, 0]
        for which in order:
            times[which].append(_timed(work[which]))
    return Sized(applications, *times)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x (spread {min(values):.2f}-{max(values):.2f}x)"


def measure(sizes: tuple[int, ...] = SIZES) -> list[Goal]:
    sized = [paired(n, max(15, 1920 // n)) for n in sizes]
    for s in sized:
        compare_s = statistics.median(s.compare)
        print(
            f"compare: {s.applications} applications, {len(s.run)} pairs: run "
            f"{statistics.median(s.run) * 1000:.0f}ms, compare {compare_s * 1000:.0f}ms "
            f"({compare_s / s.applications * 1000:.2f}ms per application); compare/run "
            f"{_spread(s.ratios)}; compare/(its three runs unmetered) {_spread(s.overheads)}"
        )
    compare_times = [statistics.median(s.compare) for s in sized]
    exponent = growth_exponent(list(sizes), compare_times)
    per_app = ", ".join(
        f"{n}: {t / n * 1000:.2f}ms" for n, t in zip(sizes, compare_times, strict=True)
    )
    # The run compare makes three of has some growth of its own (a bind checks the ports of
    # every live socket): shown beside, so that the meter's part can be told apart.
    run_exponent = growth_exponent(list(sizes), [statistics.median(s.run) for s in sized])
    print(
        f"compare: time ~ n^{exponent:.2f} from {sizes[0]} to {sizes[-1]} applications "
        f"(run alone ~ n^{run_exponent:.2f})"
    )
    largest = sized[-1]
    ratio = statistics.median(largest.ratios)
    ratios = ", ".join(f"{s.applications}: {statistics.median(s.ratios):.2f}x" for s in sized)
    return [
        Goal(
            f"compare at most 4x run at {largest.applications} applications",
            f"{ratio:.2f}x ({ratios}; its meter adds "
            f"{statistics.median(largest.overheads) - 1:.0%} to its three runs)",
            ratio <= 4,
        ),
        Goal(
            f"compare grows no worse than linearly, {sizes[0]} to {largest.applications} "
            "applications (time ~ n^k, k <= 1.1)",
            f"k = {exponent:.2f} (per application {per_app}; run alone k = {run_exponent:.2f})",
            exponent <= 1.1,
        ),
    ]
