"""A prefix's lifetimes never change once it has gone, and every table says when it went (T3, T4,
D8).

A prefix goes when the network withdraws it (T3, F5), when its grace period ends (T4) or when the
host releases it (D8). From then on its "valid until" is the moment it went and its "preferred
until" is what it was, or that moment if it was still preferred: a deprecated Graceful-
replacement prefix stopped being preferred when its grace period began, and says so after its
withdrawal too (it used to jump to the end of the grace period). The playground's prefix panel,
`odplay run`'s tables and the Markdown report show `withdrawn at 7.000s` (or `released at`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from odplay.report.timeline import state_tables
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import run_scenario
from odplay.session.session import Session
from odplay.session.views import prefix_table
from odplay.sim.timeunits import format_time

ROOT = Path(__file__).parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
GRACEFUL = ROOT / "scenarios" / "graceful-replacement.yaml"
#: The trace entries that say a prefix went, each with the prefix's name in its data.
GONE = {"prefix-withdrawn", "grace-expired", "address-released"}
LATER = 3_600_000  # an hour on: nothing about a prefix that went may count down


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_lifetimes_never_change_after_a_prefix_goes_and_it_shows_when(path: Path) -> None:
    session = Session.from_scenario(load_scenario(path))
    script = len(run_scenario(load_scenario(path)).sim.trace)
    preferred: dict[str, int | None] = {}  # while the host held it
    went: dict[str, int] = {}
    frozen: dict[str, object] = {}
    while session.shown < script and session.step_forward():
        entry = session.trace[-1]
        if entry.kind in GONE:
            went.setdefault(entry.data["prefix"], entry.time)
        for name, prefix in session.world.stack.prefixes.items():
            if prefix.usable:
                preferred[name] = prefix.preferred_until
                continue
            if name not in went:
                continue  # it went with an entry not shown yet (the same step of the model)
            when = went[name]
            before = preferred.get(name)
            row = prefix_table(session.world, session.clock)[name]
            assert prefix.valid_until == when
            assert prefix.preferred_until == (when if before is None else min(before, when))
            assert row.cells[-1] == f"{prefix.state.value} at {format_time(when)}"
            assert prefix_table(session.world, session.clock + LATER)[name] == row
            shown = (prefix.valid_until, prefix.preferred_until, row)
            assert frozen.setdefault(name, shown) == shown, f"{name} changed after it went"


def test_a_graceful_replacement_prefix_stays_unpreferred_from_its_grace_period_on_T4() -> None:
    result = run_scenario(load_scenario(GRACEFUL))
    gr1 = next(p for p in result.sim.snapshot()["prefixes"] if p["name"] == "PREFgr1")
    # Deprecated at the move (2s), withdrawn when the grace period ended (7s).
    assert (gr1["state"], gr1["preferred_until_ms"], gr1["valid_until_ms"]) == (
        "withdrawn",
        2000,
        7000,
    )
    console = Console(width=200, record=True)
    console.print(state_tables(result.sim))
    row = next(line for line in console.export_text().splitlines() if "PREFgr1" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[-3:] == ["7.000s", "2.000s", "withdrawn at 7.000s"]


def test_a_released_prefix_says_when_it_was_released_D8() -> None:
    result = run_scenario(load_scenario(ROOT / "scenarios" / "release-vs-keep.yaml"))
    released = [e for e in result.sim.trace if e.kind == "address-released"]
    assert released
    rows = prefix_table(result.sim.world, result.sim.now)
    for entry in released:
        state = rows[entry.data["prefix"]].cells[-1]
        assert state == f"released at {format_time(entry.time)}"
