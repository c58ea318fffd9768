"""A comparison as the learner reads it (Rich tables, side by side) or as JSON for tools."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from odplay.compare import Comparison, ModeResult, Tally
from odplay.report.compare_types import side_json as _side_json
from odplay.report.compare_types import type_tables
from odplay.sim.messages import KIND_ORDER
from odplay.text import plain


def _apps(comparison: Comparison) -> list[str]:
    names: dict[str, None] = {}
    for result in comparison.results:
        names.update(dict.fromkeys(result.apps))
    return list(names)


def _table(title: str, comparison: Comparison) -> Table:
    table = Table(title=title, title_justify="left", expand=True, title_style="bold")
    table.add_column("application")
    for result in comparison.results:
        table.add_column(plain(result.title), justify="right")
    return table


def _rtt(tally: Tally) -> str:
    if tally.mean_rtt is None:
        return "-"
    stretch = f" ×{tally.stretch:.2f}" if tally.stretch is not None else ""
    return f"{tally.mean_rtt:.0f}ms{stretch}"


def _rows(table: Table, comparison: Comparison, cell: Any, host_row: str | None = None) -> Table:
    for app in _apps(comparison):
        table.add_row(plain(app), *(cell(r.apps.get(app, Tally())) for r in comparison.results))
    if host_row is not None:
        table.add_row(host_row, *(cell(r.host) for r in comparison.results))
    table.add_row(
        Text("total", style="bold"), *(cell(r.total) for r in comparison.results), end_section=True
    )
    return table


def _summary(result: ModeResult, base: ModeResult) -> str:
    total, yard = result.total, base.total
    sessions = "session" if total.broken == 1 else "sessions"
    parts = [
        f"{total.broken} {sessions} broken",
        f"{total.anchored_mbyte:.1f} MB through anchors",
    ]
    if total.mean_rtt is not None and yard.mean_rtt:
        parts.append(f"mean RTT {total.mean_rtt / yard.mean_rtt:.2f}x on demand's")
    parts.append(_messages_said(result))
    line = f"{result.title}: " + ", ".join(parts)
    return line + (f" (the run stopped: {result.error})" if result.error else "")


def _messages_said(result: ModeResult) -> str:
    """What this mode really sent: the total, then each kind it sent (none it did not)."""
    total = sum(result.messages.values())
    noun = "message" if total == 1 else "messages"
    kinds = ", ".join(f"{n} {kind}" for kind, n in result.messages.items())
    return f"{total} {noun} with the network" + (f" ({kinds})" if kinds else "")


def _messages_table(comparison: Comparison) -> Table:
    """The ladder's messages with the network, by kind: the rows are what some mode sent."""
    table = Table(
        title="Messages between the host and the network, by kind (as the ladder shows them)",
        title_justify="left",
        expand=True,
        title_style="bold",
    )
    table.add_column("kind")
    for result in comparison.results:
        table.add_column(plain(result.title), justify="right")
    for kind in KIND_ORDER:
        if any(kind in r.messages for r in comparison.results):
            table.add_row(kind, *(str(r.messages.get(kind, "-")) for r in comparison.results))
    table.add_row(
        Text("total", style="bold"),
        *(str(sum(r.messages.values())) for r in comparison.results),
        end_section=True,
    )
    return table


def comparison_tables(comparison: Comparison) -> Group:
    """The comparison, one table per measure, the three ways side by side (Section 1, C3)."""
    tunnels = _table(
        "Tunnels: seconds each application's sockets spent tunnelled; for the host, the peak "
        "held at once and tunnel-seconds",
        comparison,
    )
    for app in _apps(comparison):
        tunnels.add_row(
            plain(app),
            *(f"{r.apps.get(app, Tally()).tunnelled_ms / 1000:.1f}s" for r in comparison.results),
        )
    tunnels.add_row(
        Text("host", style="bold"),
        *(f"{r.peak_tunnels} · {r.tunnel_ms / 1000:.1f}s" for r in comparison.results),
    )
    base = comparison.results[0]
    sides = any(r.label for r in comparison.results)
    intro = (
        "The same scenario under each side's host settings, on its own network. "
        if sides
        else "The same applications and moves, run three ways. "
    )
    return Group(
        plain(comparison.title, style="bold underline"),
        Text(
            intro + "Stretch is the round-trip time over that of the direct path through the "
            "serving gateway (C3, D11).",
            style="italic",
        ),
        *(type_tables(comparison) if sides else ()),
        _rows(_table("Round-trip time, mean and stretch", comparison), comparison, _rtt),
        _rows(
            _table("Traffic carried through an anchor (MB)", comparison),
            comparison,
            lambda t: f"{t.anchored_mbyte:.2f}",
        ),
        tunnels,
        _rows(_table("Sessions broken", comparison), comparison, lambda t: str(t.broken)),
        _messages_table(comparison),
        *(plain(_summary(r, base)) for r in comparison.results),
    )


def tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "mean_rtt_ms": None if tally.mean_rtt is None else round(tally.mean_rtt, 3),
        "stretch": None if tally.stretch is None else round(tally.stretch, 4),
        "anchored_mbyte": round(tally.anchored_mbyte, 4),
        "tunnelled_socket_seconds": round(tally.tunnelled_ms / 1000, 3),
        "sessions_broken": tally.broken,
        "signalling_messages": tally.signalling,
        "connected_socket_seconds": round(tally.connected_ms / 1000, 3),
    }


def comparison_to_jsonable(comparison: Comparison) -> dict[str, Any]:
    from odplay.report.jsonout import envelope

    return envelope("odplay.compare", comparison_body(comparison))


def comparison_body(comparison: Comparison) -> dict[str, Any]:
    return {
        "title": comparison.title,
        "modes": [
            {
                "mode": r.mode.value,
                "error": r.error or None,
                "applications": {name: tally_json(t) for name, t in r.apps.items()},
                "host_signalling_messages": r.host.signalling,
                "messages_by_kind": dict(r.messages),
                "total": tally_json(r.total),
                "peak_tunnels": r.peak_tunnels,
                "tunnel_seconds": round(r.tunnel_ms / 1000, 3),
            }
            | (_side_json(r) if r.label else {})
            for r in comparison.results
        ],
    }


def comparison_lines(comparison: Comparison, width: int) -> list[list[Segment]]:
    """The comparison's tables rendered to lines of `width` cells, ahead of showing them: with a
    hundred applications, laying the tables out takes seconds, which a viewer does aside (a
    worker) rather than on the thread that draws its screen."""
    console = Console(width=width, color_system="truecolor", force_terminal=True)
    options = console.options.update(width=width)
    return console.render_lines(comparison_tables(comparison), options, pad=False)
