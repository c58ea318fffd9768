"""Runs and comparisons as CSV, for spreadsheets: one header line, then one row per fact.

`odplay run --format csv` gives one row per checked expectation; `odplay compare --csv` one row
per application and mode, with each mode's total and the host's own signalling. Every value is
plain text with its control characters escaped (odplay.text), so a cell cannot carry a formula
prefix into a spreadsheet either: a leading `=`, `+`, `-` or `@` is quoted with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from odplay.text import visible

RUN_HEADER = ("scenario", "step", "at_ms", "subject", "expected", "seen", "ok")
COMPARE_HEADER = (
    "scenario",
    "mode",
    "row",
    "mean_rtt_ms",
    "stretch",
    "anchored_mbyte",
    "tunnelled_socket_seconds",
    "sessions_broken",
    "signalling_messages",
    "connected_socket_seconds",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = visible(str(value))
    # A spreadsheet runs a cell that starts like a formula; a scenario's words are not formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: Iterable[Iterable[Any]], header: Iterable[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def run_rows(result: Any, source: str) -> list[tuple[Any, ...]]:
    """One row per checked expectation of a run (odplay.scenario.runner.RunResult)."""
    times = result.step_times
    return [
        (
            source,
            c.step + 1,
            times[c.step] if c.step < len(times) else "",
            c.subject,
            c.expected,
            c.seen,
            "true" if c.ok else "false",
        )
        for c in result.checks
    ]


def compare_rows(comparison: Any, source: str) -> list[tuple[Any, ...]]:
    """One row per application and mode of a comparison, then each mode's total and host. With
    `--side`, the mode column holds the side's settings as given (a string from outside: the CSV
    writer quotes it like any other cell)."""
    from odplay.report.compare_view import tally_json

    rows = []
    for mode in comparison.results:
        column = mode.label or mode.mode.value
        named = [*mode.apps.items(), ("total", mode.total)]
        for name, tally in named:
            t = tally_json(tally)
            rows.append(
                (
                    source,
                    column,
                    name,
                    t["mean_rtt_ms"],
                    t["stretch"],
                    t["anchored_mbyte"],
                    t["tunnelled_socket_seconds"],
                    t["sessions_broken"],
                    t["signalling_messages"],
                    t["connected_socket_seconds"],
                )
            )
        rows.append((source, column, "host", "", "", "", "", "", mode.host.signalling, ""))
    return rows
