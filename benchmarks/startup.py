"""Start-up of the headless commands, paired with `python -c "import typer"` in the same run.

The three commands take turns, round after round, so that a slow patch of a shared machine falls
on all of them alike; each figure is the median of its rounds, and each ratio the median of the
rounds' own ratios. Goals: `odplay run --help` at most 1.3x, `odplay run 4.2-message-flow -q`
(load, validate, run and check the draft's own example) at most 3x `import typer`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from benchmarks.common import Goal

ROUNDS = 15
COMMANDS = {
    "import typer": [sys.executable, "-c", "import typer"],
    "odplay run --help": [sys.executable, "-m", "odplay", "run", "--help"],
    "odplay run 4.2-message-flow -q": [
        sys.executable,
        "-m",
        "odplay",
        "run",
        "4.2-message-flow",
        "-q",
    ],
}
GOALS = {"odplay run --help": 1.3, "odplay run 4.2-message-flow -q": 3.0}


def _once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    return time.perf_counter() - start


def measure(rounds: int = ROUNDS) -> list[Goal]:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(rounds):
        for name, argv in COMMANDS.items():
            times[name].append(_once(argv))
    yardstick = times["import typer"]
    results = []
    for name, goal in GOALS.items():
        ratios = [t / y for t, y in zip(times[name], yardstick, strict=True)]
        ratio = statistics.median(ratios)
        figure = (
            f"{ratio:.2f}x ({statistics.median(times[name]) * 1000:.0f} ms against "
            f"{statistics.median(yardstick) * 1000:.0f} ms; rounds {min(ratios):.2f}-"
            f"{max(ratios):.2f}x)"
        )
        print(f"start-up: {name}: {figure}")
        results.append(Goal(f"{name} at most {goal}x import typer", figure, ratio <= goal))
    return results
