"""What every benchmark shares: timing helpers and the way a goal is reported."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

#: The kinds of application a busy run launches in turn (benchmarks compare and longwork).
KINDS = (
    "web-browser",
    "instant-messenger",
    "streaming-client",
    "control-data-app",
    "legacy-app",
    "ssh-client",
    "dns-client",
)


@dataclass(frozen=True)
class Goal:
    goal: str
    figure: str
    met: bool

    def line(self) -> str:
        return f"{'MET   ' if self.met else 'MISSED'}  {self.goal}: {self.figure}"


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` runs, in seconds: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def startup(argv: list[str], runs: int = 7) -> float:
    """The median wall time of a whole command, start to exit, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
