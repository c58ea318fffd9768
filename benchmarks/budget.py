"""Memory per simulated hour of a busy run, and what a step back costs after thousands of sockets.

    python3 dev.py bench budget      (or: python -m benchmarks budget)

A busy run: one application reopening a DNS socket every 20ms (hold 10ms, repeat_every 10ms).
tracemalloc measures what the run holds at 60s and at 120s of simulated time; the difference,
scaled to an hour, is the growth per simulated hour, side by side for the headless run (`odplay
run`: trace and tables), the playground's run (with checkpoints for stepping back) and one of
`odplay compare`'s three runs. It also reports the bytes per trace entry against the figure the
budget estimates with (odplay.scenario.budget.ENTRY_BYTES), and how many steps a step back from
the end replays. Uses only names that predate the budgets, so that it can measure an older tree
too (PYTHONPATH=/path/to/older/tree python -m benchmarks budget).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from benchmarks.common import Goal

BUSY = """\
title: busy
applications:
  - name: q
    kind: dns-client
    sockets: [{type: non-persistent, peer: dns.example.net, hold: 10ms, repeat_every: 10ms}]
steps:
  - do: [{attach: ap1}, {launch: q}]
end: END
"""
HOUR_MS = 3_600_000


def _held(run: Callable[[], Any]) -> tuple[int, Any]:
    """What `run`'s result holds in memory, by tracemalloc, in bytes."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = run()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held, result


def _scenario_run(end_s: int, checkpoints: bool) -> Any:
    from odplay.scenario.loader import parse_scenario
    from odplay.scenario.runner import ScenarioRun
    from odplay.sim.simulation import CHECKPOINT_EVERY

    model = parse_scenario(BUSY.replace("END", f"{end_s}s"), "busy.yaml")
    run = ScenarioRun(model, checkpoint_every=CHECKPOINT_EVERY if checkpoints else None)
    run.finish()
    return run


def _compare_run(end_s: int) -> Any:
    from odplay.compare import MODES, Meter, ModeResult, _variant
    from odplay.scenario.loader import parse_scenario
    from odplay.scenario.runner import ScenarioRun

    model = parse_scenario(BUSY.replace("END", f"{end_s}s"), "busy.yaml")
    run = ScenarioRun(_variant(model, MODES[0]), checkpoint_every=None)
    meter = Meter(ModeResult(MODES[0]))
    # As compare_scenario does: since the budgets, it reads each step's entries and drops them.
    run.sim.observer = getattr(meter, "observe_and_forget", meter.observe)
    run.finish()
    return run, meter


def per_hour(make: Callable[[int], Any]) -> tuple[float, Any]:
    """Bytes per simulated hour: the growth from 60s to 120s of the busy run, scaled."""
    make(1)  # imports and caches first, so that neither measured run pays for them
    short, _ = _held(lambda: make(60))
    long, result = _held(lambda: make(120))
    return (long - short) * HOUR_MS / 60_000, result


def measure() -> list[Goal]:
    try:
        from odplay.scenario.budget import ENTRY_BYTES as entry_bytes
    except ImportError:  # an older tree, measured for comparison
        entry_bytes = 0
    headless, run = per_hour(lambda s: _scenario_run(s, checkpoints=False))
    playground, played = per_hour(lambda s: _scenario_run(s, checkpoints=True))
    compared, _ = per_hour(_compare_run)
    entries = len(run.sim.trace)
    sockets = len(run.sim.world.stack.sockets)
    held, _ = _held(lambda: _scenario_run(120, checkpoints=False))
    per_entry = (held - sockets * 330) / entries
    sim = played.sim
    replayed = sim.step_index - max(s for s in sim.checkpoints if s < sim.step_index)
    checkpoint_bytes = sum(len(c) for c in sim.checkpoints.values())
    print("busy run (a DNS socket reopened every 20ms), tracemalloc, per simulated hour:")
    print(f"  headless run            {headless / 1e6:8.0f} MB/h")
    print(f"  playground (checkpoints) {playground / 1e6:7.0f} MB/h")
    print(f"  one of compare's runs   {compared / 1e6:8.0f} MB/h")
    print(f"  at 120s: {entries:,} trace entries, {sockets:,} sockets, about {per_entry:.0f} B an")
    print(f"  entry (the budget counts {entry_bytes} B)")
    print(f"  checkpoints: {len(sim.checkpoints)} of {checkpoint_bytes / 1e6:.1f} MB in all;")
    print(f"  a step back from the end replays {replayed:,} steps")
    return [
        Goal(
            "the budget's bytes per trace entry cover what an entry takes",
            f"{per_entry:.0f} B measured, {entry_bytes} B counted",
            per_entry <= entry_bytes,
        ),
        Goal(
            "a step back after thousands of closed sockets replays few steps",
            f"{replayed:,} steps after {sockets:,} sockets",
            replayed <= 1_000,
        ),
    ]
