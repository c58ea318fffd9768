"""The headless view of a run: a timeline of every message with its rule IDs, then the host's
prefix, address and socket tables as they ended, then the checks. Rich does the drawing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from odplay.report import words
from odplay.scenario.runner import RunResult
from odplay.sim.simulation import Simulation
from odplay.sim.timeunits import format_duration, format_time
from odplay.text import plain

_ACTOR_STYLE = {"stack": "cyan", "network": "magenta", "host": "yellow", "narrator": "bold"}


#: Rows per printed table. A huge run's timeline is printed a chunk at a time: one Rich table of
#: a million rows is laid out (every cell measured) in memory before a line of it is printed.
TIMELINE_CHUNK = 2_000


def _timeline_table(first: bool) -> Table:
    table = Table(
        title="Timeline" if first else None,
        expand=True,
        show_lines=False,
        title_justify="left",
        show_header=first,
    )
    table.add_column("time", justify="right", no_wrap=True, style="dim")
    table.add_column("from → to", no_wrap=True)
    table.add_column("what happened", ratio=1, overflow="fold")
    table.add_column("rules", no_wrap=True, style="green")
    return table


def timeline_chunks(sim: Simulation, rows: int = TIMELINE_CHUNK) -> Iterator[Table]:
    """The timeline as tables of at most `rows` rows each, made one at a time as printed."""
    table = _timeline_table(first=True)
    for entry in sim.trace:
        if table.row_count >= rows:
            yield table
            table = _timeline_table(first=False)
        if entry.kind == "narration":
            table.add_row(
                format_time(entry.time),
                Text("▶ step", style="bold"),
                plain(entry.text, style="italic"),
                plain(" ".join(entry.rules)),
                end_section=False,
            )
            continue
        style = _ACTOR_STYLE.get(entry.actor, "blue")
        who = plain(entry.actor, style=style)
        if entry.target:
            who.append(" → ")
            who.append_text(plain(entry.target, style=_ACTOR_STYLE.get(entry.target, "blue")))
        table.add_row(format_time(entry.time), who, plain(entry.text), plain(" ".join(entry.rules)))
    yield table


def timeline(sim: Simulation) -> Table:
    """The whole timeline as one table: for a short run (print_run prints it in chunks)."""
    return next(timeline_chunks(sim, rows=max(len(sim.trace), 1)))


def _until(ms: int | None) -> str:
    return "∞" if ms is None else format_time(ms)


def _prefix_state(prefix: dict[str, Any]) -> str:
    """`withdrawn at 5.000s` for a prefix that went (its valid-until is when), else its state."""
    if prefix["state"] in ("withdrawn", "released") and prefix["valid_until_ms"] is not None:
        return f"{prefix['state']} at {format_time(prefix['valid_until_ms'])}"
    return str(prefix["state"])


def _row(table: Table, *cells: str | Text) -> None:
    """A table row whose text cells are data, never markup."""
    table.add_row(*(plain(c) if isinstance(c, str) else c for c in cells))


def _table(title: str, legend: str) -> Table:
    """A final-state table with its legend under it, in the playground's words."""
    caption = plain(legend, style="dim")
    return Table(
        title=title, title_justify="left", caption=caption, caption_justify="left", expand=True
    )


def state_tables(sim: Simulation) -> Group:
    state = sim.snapshot()
    prefixes = _table("Prefixes", words.RUN_PREFIX_LEGEND)
    for column in ("name", "type", "prefix", "anchor", "valid until", "preferred until", "state"):
        prefixes.add_column(column, overflow="fold")  # a value is folded, never cut
    for p in state["prefixes"]:
        _row(
            prefixes,
            p["name"],
            p["type"],
            p["prefix"],
            p["anchor"],
            _until(p["valid_until_ms"]),
            _until(p["preferred_until_ms"]),
            _prefix_state(p),
        )
    owners = {s["fd"]: s["app"] for s in state["sockets"]}
    addresses = _table("Addresses", words.ADDRESS_LEGEND)
    for column in ("name", "address", "type", words.USED_BY):
        addresses.add_column(column, overflow="fold")
    for a in state["addresses"]:
        users = ((fd, owners[fd]) for fd in a["used_by"])
        _row(addresses, a["name"], a["address"], a["type"], words.used_by(users))
    sockets = _table("Sockets", words.SOCKET_LEGEND)
    columns = ("fd", "app", "role", "asked", "flags", words.LOCAL_ADDRESS, "state", "peer")
    for column in (*columns, "path", "RTT"):
        sockets.add_column(column, overflow="fold")
    for s in state["sockets"]:
        local = words.local_address(
            s["state"], s["bound_address"], s["source_address"], s["setsc_address"]
        )
        _row(
            sockets,
            str(s["fd"]),
            s["app"],
            s["role"],
            s["requested_type"] or "-",
            ",".join(s["flags"]) or "-",
            local,
            words.socket_state(s["state"], s["broken_reason"], s["reestablishes"]),
            s["peer"] or "-",
            f"via {s['via']}" if s["via"] else ("direct" if s["path"] else "-"),
            format_duration(s["rtt_ms"]) if s["rtt_ms"] is not None else "-",
        )
    where = state["attachment"] or "detached"
    header = plain(
        f"At {format_time(state['time_ms'])} the host is on {where}"
        + (f" ({state['serving_gateway']})" if state["serving_gateway"] else ""),
        style="bold",
    )
    return Group(header, prefixes, addresses, sockets)


def print_run(result: RunResult, console: Console) -> None:
    console.print(plain(result.scenario.title, style="bold underline"))
    if result.scenario.summary:
        console.print(plain(result.scenario.summary))
    for chunk in timeline_chunks(result.sim, TIMELINE_CHUNK):
        console.print(chunk)
    console.print(state_tables(result.sim))
    checks = Table(title="Expectations", title_justify="left", expand=True)
    checks.add_column("step", justify="right")
    checks.add_column("subject")
    checks.add_column("expected")
    checks.add_column("result")
    for c in result.checks:
        verdict = (
            Text("ok", style="green") if c.ok else plain(f"FAILED: saw {c.seen}", style="bold red")
        )
        _row(checks, str(c.step + 1), c.subject, c.expected, verdict)
    console.print(checks)
    if result.predictions:
        predictions = Table(
            title="Predictions (asked before their step in predict mode)",
            title_justify="left",
            expand=True,
        )
        predictions.add_column("step", justify="right")
        predictions.add_column("question")
        predictions.add_column("what the run shows")
        predictions.add_column("rules", style="green")
        for p in result.predictions:
            answer: str | Text = (
                p.choices[p.answer]
                if p.answer is not None
                else Text("no single answer: the scenario's choices need fixing", style="bold red")
            )
            _row(predictions, str(p.step + 1), p.question, answer, " ".join(p.rules))
        console.print(predictions)
