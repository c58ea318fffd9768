"""Side-by-side measurements, printed as ratios against a yardstick run in the same process or run.

    python3 dev.py bench                # everything
    python3 dev.py bench model          # the event core, a large run, CLI start-up
    python3 dev.py bench playground     # first frame, key to frame, stalls, memory
    python3 dev.py bench compare        # odplay compare against odplay run, 20-160 applications
    python3 dev.py bench core           # only the event core against SimPy (part of model)
    python3 dev.py bench terminal       # only `odplay play`'s first frame in a pty (of playground)
    python3 dev.py bench startup        # odplay run (--help, and the 4.2 flow) against import typer
    python3 dev.py bench budget         # memory per simulated hour of a busy run, step-back cost
    python3 dev.py bench longwork       # c, s, o, `,`, r, a tick on two busy runs: stalls, frames

No test in the suite is timed; these are measurements, and each says whether its goal is met.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

from benchmarks.common import Goal


def main(argv: list[str]) -> int:
    known = {"model", "playground", "compare", "core", "terminal", "startup", "budget", "longwork"}
    wanted = set(argv) or known - {"core", "terminal", "budget", "longwork"}
    unknown = wanted - known
    if unknown:
        print(f"bench: no benchmark {', '.join(sorted(unknown))}; try {', '.join(sorted(known))}")
        return 2
    # The yardsticks (typer, textual, SimPy) were compiled to bytecode when pip installed them.
    # odplay is installed editable and is compiled on first import, unless PYTHONDONTWRITEBYTECODE
    # is set (it is on some machines), which would make every timed start recompile it.
    compileall.compile_dir(Path(__file__).parents[1] / "odplay", quiet=1)
    results: list[Goal] = []
    if "model" in wanted:
        from benchmarks import model

        results += model.measure()
    elif "core" in wanted:
        from benchmarks import model

        results.append(model.event_core())
    if "playground" in wanted:
        from benchmarks import playground

        results += playground.measure()
    elif "terminal" in wanted:
        from benchmarks import terminal

        ratio, figure = terminal.describe(*terminal.paired())
        print(f"first frame of `python -m odplay play` in a pty: {figure}")
        results.append(Goal(terminal.GOAL, figure, ratio <= 1.5))
    if "startup" in wanted:
        from benchmarks import startup

        results += startup.measure()
    if "compare" in wanted:
        from benchmarks import compare

        results += compare.measure()
    if "budget" in wanted:
        from benchmarks import budget

        results += budget.measure()
    if "longwork" in wanted:
        from benchmarks import long_work

        results += long_work.measure()
    print()
    for result in results:
        print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
