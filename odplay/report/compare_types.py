"""A side-by-side comparison's tally per address type (odplay.compare_sides), as tables or JSON.

One table per question RFC 8653's additions raise: who waited for an address and how long, how
long addresses stayed linkable, and what their renewal cost in broken sessions and messages.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from odplay.compare import Comparison, ModeResult
from odplay.compare_sides import TypeTally
from odplay.text import plain


def _types(comparison: Comparison) -> list[str]:
    names: dict[str, None] = {}
    for result in comparison.results:
        names.update(dict.fromkeys(result.types))
    return list(names)


def _seconds(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.1f}s"


def _table(title: str, comparison: Comparison, cell: Any) -> Table:
    table = Table(title=title, title_justify="left", expand=True, title_style="bold")
    table.add_column("type")
    for result in comparison.results:
        table.add_column(plain(result.title), justify="right")
    for slug in _types(comparison):
        table.add_row(slug, *(cell(r.types.get(slug, TypeTally())) for r in comparison.results))
    return table


def _wait(t: TypeTally) -> str:
    if t.mean_wait_ms is None:
        return "-"
    other = f", {t.other_source} from another type" if t.other_source else ""
    return f"{t.sockets} · {t.mean_wait_ms:.0f}ms{other}"


def type_tables(comparison: Comparison) -> list[Table | Text]:
    """The per-type tables, each side a column."""
    return [
        _table(
            "Who waits: sockets that asked for the type · mean time from socket() to connect() "
            "or listen(), and how many first sent from another type's address",
            comparison,
            _wait,
        ),
        _table(
            "Linkable: addresses of the type used · mean and longest time one was in use "
            "(RFC 8653 Section 5)",
            comparison,
            lambda t: (
                f"{t.addresses} · {_seconds(t.mean_linkable_ms)} · {_seconds(t.longest_ms)}"
                if t.addresses
                else "-"
            ),
        ),
        _table(
            "What it costs: sessions broken on the type's addresses · messages with the network "
            "about its prefixes",
            comparison,
            lambda t: f"{t.broken} · {t.messages}",
        ),
    ]


def tally_json(t: TypeTally) -> dict[str, Any]:
    return {
        "sockets": t.sockets,
        "mean_wait_ms": None if t.mean_wait_ms is None else round(t.mean_wait_ms, 3),
        "first_sent_from_another_type": t.other_source,
        "addresses_used": t.addresses,
        "mean_linkable_seconds": None
        if t.mean_linkable_ms is None
        else round(t.mean_linkable_ms / 1000, 3),
        "longest_linkable_seconds": round(t.longest_ms / 1000, 3),
        "sessions_broken": t.broken,
        "messages": t.messages,
    }


def side_json(result: ModeResult) -> dict[str, Any]:
    """What a side adds to its mode's JSON object: its label and the tally per type."""
    return {"side": result.label, "types": {s: tally_json(t) for s, t in result.types.items()}}
