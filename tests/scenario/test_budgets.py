"""Budgets, not surprises: a run's size is estimated before it starts and counted as it goes.

Every assertion is on counts and estimates (events, trace entries, sockets, bytes by count),
never on wall-clock time or the machine's real memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.scenario.budget import (
    CHECK_EVERY,
    ENTRY_BYTES,
    Budget,
    estimate,
    parse_size,
)
from odplay.scenario.catalogue import shipped_scenarios
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.runner import MAX_EVENTS, RunError, ScenarioRun, run_scenario
from odplay.sim.simulation import CHECKPOINT_BYTES_PER_STEP, CHECKPOINT_EVERY, Simulation

# Eight lines: one application reopening a DNS socket every 20ms, for a simulated week.
WEEK = """\
title: a week of DNS
applications:
  - name: q
    kind: dns-client
    sockets: [{type: non-persistent, peer: dns.example.net, hold: 10ms, repeat_every: 10ms}]
steps:
  - do: [{attach: ap1}, {launch: q}]
end: 168h
"""


def _busy(end: str) -> str:
    return WEEK.replace("end: 168h", f"end: {end}")


def _crowd(apps: int, moves: int) -> str:
    lines = ["title: crowd", "applications:"]
    lines += [f"  - {{name: a{i}, kind: instant-messenger}}" for i in range(apps)]
    lines += ["steps:", "  - do:", "      - attach: ap1"]
    lines += [f"      - launch: a{i}" for i in range(apps)]
    for n in range(moves):
        lines += ["  - after: 1s", f"    do: [{{move: {'ap3' if n % 2 == 0 else 'ap1'}}}]"]
    return "\n".join(lines) + "\nend: 300s\n"


@pytest.fixture
def steps_taken(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every step the model takes, to show a refusal came before the run."""
    taken = [0]
    original = Simulation.step

    def counting(self: Simulation) -> bool:
        taken[0] += 1
        return original(self)

    monkeypatch.setattr(Simulation, "step", counting)
    return taken


def test_a_week_of_short_sessions_is_refused_before_a_single_event(
    steps_taken: list[int],
) -> None:
    model = parse_scenario(WEEK, "week.yaml")
    with pytest.raises(RunError) as caught:
        run_scenario(model)
    assert steps_taken == [0]
    said = caught.value.located("week.yaml")
    # The file, the line and the field that makes the run big, and what to change.
    assert said.startswith("week.yaml:5: applications[0].sockets[0].repeat_every: ")
    assert f"more than odplay's limit of {MAX_EVENTS:,}" in said
    assert "make `end` at most 1h" in said
    assert "make `repeat_every` at least" in said


def test_an_hour_that_fits_the_events_but_not_the_memory_names_the_budget() -> None:
    model = parse_scenario(_busy("2h"), "two.yaml")
    with pytest.raises(RunError) as caught:
        run_scenario(model, Budget(parse_size("1GB")))
    said = caught.value.located("two.yaml")
    assert said.startswith("two.yaml:5: applications[0].sockets[0].repeat_every: ")
    assert "more than its budget of 1 GB" in said
    assert "--memory-budget 2GB" in said
    run_scenario(model.model_copy(update={"end": 60_000}), Budget(parse_size("1GB")))


def test_many_applications_and_moves_point_at_the_end_of_the_run() -> None:
    model = parse_scenario(_crowd(200, 100), "crowd.yaml")
    est = estimate(model)
    assert est.repeating == 0 and est.biggest == "end"
    with pytest.raises(RunError) as caught:
        run_scenario(model, Budget(est.bytes() // 2))
    said = caught.value.located("crowd.yaml")
    assert said.startswith(f"crowd.yaml:{len(_crowd(200, 100).splitlines())}: end: ")
    assert "200 applications live through 101 moves" in said  # 100 moves and the attach


@pytest.mark.parametrize(
    "text",
    [_busy("30s"), _crowd(50, 20), *(item.path.read_text() for item in shipped_scenarios())],
    ids=["busy", "crowd", *(item.name for item in shipped_scenarios())],
)
def test_the_estimate_is_never_below_what_the_run_takes(text: str) -> None:
    model = parse_scenario(text, "x.yaml")
    est = estimate(model)
    sim = run_scenario(model).sim
    assert est.events >= sim.step_index
    assert est.entries >= len(sim.trace)
    assert est.sockets >= len(sim.world.stack.sockets)


def test_a_run_that_outgrows_its_budget_is_stopped_by_its_counts() -> None:
    # The playground's path: no estimate first, only the counting as the run goes.
    limit = 2_000_000
    run = ScenarioRun(parse_scenario(_busy("10min")), checkpoint_every=None, budget=Budget(limit))
    with pytest.raises(RunError) as caught:
        run.finish()
    assert "past its memory budget of 2 MB" in str(caught.value)
    # Stopped within one counting slice of the limit, not at the end of the run.
    assert len(run.sim.trace) * ENTRY_BYTES <= limit + CHECK_EVERY * 10 * ENTRY_BYTES
    assert run.sim.now < 10 * 60_000


@pytest.mark.parametrize(
    ("text", "size"),
    [("1GB", 10**9), ("512MB", 512 * 10**6), ("1.5GiB", 3 * 2**29), ("2000", 2000)],
)
def test_sizes_are_read_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "-1GB", "0", "1PB"])
def test_a_size_that_is_none_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


def test_the_cli_refuses_with_exit_2_and_takes_a_memory_budget(tmp_path: Path) -> None:
    week = tmp_path / "week.yaml"
    week.write_text(WEEK)
    busy = tmp_path / "busy.yaml"
    busy.write_text(_busy("20s"))
    cli = CliRunner()
    for command in (["run"], ["run", "--json"], ["compare"], ["export", "-f", "mermaid"]):
        result = cli.invoke(app, [*command, str(week)])
        assert result.exit_code == 2, result.output
        assert f"{week}:5: applications[0].sockets[0].repeat_every:" in result.stderr
    assert cli.invoke(app, ["run", "-q", str(busy)]).exit_code == 0
    small = cli.invoke(app, ["run", "-q", "--memory-budget", "1MB", str(busy)])
    assert small.exit_code == 2 and "more than its budget of 1 MB" in small.stderr
    bad = cli.invoke(app, ["compare", "--memory-budget", "lots", str(busy)])
    assert bad.exit_code == 2 and "--memory-budget" in bad.stderr


def test_checkpoints_follow_live_sockets_not_every_socket_ever_opened() -> None:
    # 3,000 short sessions: thousands of closed sockets, one live at a time.
    run = ScenarioRun(parse_scenario(_busy("60s")))
    run.finish()
    sim = run.sim
    assert len(sim.world.stack.sockets) > 3000 and sim.world.stack.live_count <= 1
    last = max(sim.checkpoints)
    # A step back from the end replays at most one spacing of steps: that of a world with a
    # handful of live sockets (its checkpoints' size allowing), not of 3,000 sockets. (Where
    # the last checkpoint falls depends on how the pickles grew; the bound is what the spacing
    # rule promises.)
    spacing = max(CHECKPOINT_EVERY, len(sim.checkpoints[last]) // CHECKPOINT_BYTES_PER_STEP)
    assert sim.step_index - last <= spacing < len(sim.world.stack.sockets)
    # ...and the checkpoints' memory stays about CHECKPOINT_BYTES_PER_STEP a step (each is
    # spaced by the size of the one before, which the world has since outgrown a little).
    checkpoint_bytes = sum(len(c) for c in sim.checkpoints.values())
    assert checkpoint_bytes <= 2 * CHECKPOINT_BYTES_PER_STEP * sim.step_index


def test_a_long_timeline_is_printed_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console
    from rich.table import Table

    from odplay.report import timeline

    result = run_scenario(parse_scenario(_busy("3s")))
    assert len(result.sim.trace) > 2 * 500
    monkeypatch.setattr(timeline, "TIMELINE_CHUNK", 500, raising=False)
    printed: list[Any] = []
    console = Console()
    monkeypatch.setattr(console, "print", lambda *items, **_: printed.extend(items))
    timeline.print_run(result, console)
    tables = [t for t in printed if isinstance(t, Table) and t.columns[0].header == "time"]
    assert len(tables) == -(-len(result.sim.trace) // 500)
    assert max(t.row_count for t in tables) == 500
    assert sum(t.row_count for t in tables) == len(result.sim.trace)


def test_the_shipped_scenarios_fit_the_default_budget() -> None:
    for item in shipped_scenarios():
        run_scenario(load_scenario(item.path))


def test_the_live_socket_table_hides_closed_sockets_by_default_only_when_many() -> None:
    from odplay.session.views import CLOSED_SHOWN_UP_TO, socket_table

    few = run_scenario(parse_scenario(_busy("1s"))).sim.world
    many = run_scenario(parse_scenario(_busy("10s"))).sim.world
    assert len(few.stack.sockets) <= CLOSED_SHOWN_UP_TO < len(many.stack.sockets)
    assert len(socket_table(few, None)) == len(few.stack.sockets)  # few: all listed
    assert len(socket_table(many, None)) <= many.stack.live_count + 1  # many: closed hidden
    assert len(socket_table(many, True)) == len(many.stack.sockets)  # `h` shows them again


def test_compare_keeps_no_trace_so_its_runs_fit_where_a_run_would_not() -> None:
    from odplay.compare import compare_scenario

    model = parse_scenario(_busy("2min"))
    limit = 5_000_000  # 6,000 sockets' records fit; 42,000 trace entries would not
    with pytest.raises(RunError, match="past its memory budget"):
        ScenarioRun(model, checkpoint_every=None, budget=Budget(limit)).finish()
    comparison = compare_scenario(model, Budget(limit))
    assert [r.error for r in comparison.results] == ["", "", ""]
    assert comparison.results[0].apps["q"].connected_ms > 0
