"""A run for slides and handouts: the message ladder as Mermaid or SVG, the run as Markdown.

All three read the same trace the playground's ladder shows, with the same lanes (see
odplay.session.views), so an exported diagram and the app can never disagree.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from odplay.scenario.runner import RunResult
from odplay.session.views import LANES, Lane, ladder_row, prefix_table, socket_table
from odplay.sim.timeunits import format_time
from odplay.sim.trace import TraceEntry
from odplay.text import one_line

LANE_TITLES = {Lane.APPS: "Applications", Lane.STACK: "Host IP stack", Lane.NETWORK: "Network"}


def _rules(rules: tuple[str, ...]) -> str:
    return f" [{' '.join(rules)}]" if rules else ""


# ---------------------------------------------------------------------- Mermaid


def _mermaid_text(text: str) -> str:
    # A line ends a statement, `;` ends one too and `#` starts an entity in Mermaid: none of them
    # may reach a label, or a title could add statements of its own. `%%` would start a comment.
    return one_line(text).replace(";", ",").replace("#", "no. ").replace("%%", "% %")


def _mermaid_id(name: str) -> str:
    return "app_" + "".join(c if c.isalnum() else "_" for c in name)


def _participant(name: str | None, lane: Lane) -> str:
    if lane is Lane.STACK:
        return "Stack"
    if lane is Lane.NETWORK:
        return "Network"
    return _mermaid_id(name or "app")


def to_mermaid(result: RunResult) -> str:
    """A Mermaid sequence diagram: one participant per application, the stack, the network."""
    world = result.sim.world
    rows = [(entry, ladder_row(entry, world)) for entry in result.sim.trace]
    apps: dict[str, None] = {}
    for entry, row in rows:
        if row.source is Lane.APPS:
            apps[entry.actor] = None
        if row.target is Lane.APPS and entry.target:
            apps[entry.target] = None
    lines = ["sequenceDiagram", f"    title {_mermaid_text(result.scenario.title)}"]
    lines += [f"    participant {_mermaid_id(a)} as {_mermaid_text(a)}" for a in apps]
    lines += ["    participant Stack as Host IP stack", "    participant Network"]
    first = _mermaid_id(next(iter(apps))) if apps else "Stack"
    for entry, row in rows:
        text = _mermaid_text(f"{format_time(entry.time)} {row.text}{_rules(row.rules)}")
        if row.source is None:
            lines.append(f"    Note over {first},Network: {text}")
        elif row.target is None:
            lines.append(f"    Note over {_participant(entry.actor, row.source)}: {text}")
        else:
            source = _participant(entry.actor, row.source)
            lines.append(f"    {source}->>{_participant(entry.target, row.target)}: {text}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    """A Markdown table cell or line: one line, no raw HTML, `|` kept from ending the cell."""
    return html.escape(one_line(text), quote=False).replace("|", "\\|")


def _md_table(header: tuple[str, ...], rows: Iterator[tuple[str, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out


def to_markdown(result: RunResult) -> str:
    """The run as a report: each step with its narration and checks, the ladder, final tables."""
    model, sim = result.scenario, result.sim
    world = sim.world
    out = [f"# {_md(model.title)}", ""]
    if model.summary:
        out += [_md(model.summary), ""]
    passed = sum(c.ok for c in result.checks)
    out += [f"Expectations: {passed} of {len(result.checks)} held.", "", "## Steps", ""]
    for index, step in enumerate(model.steps):
        rules = f" ({_md(', '.join(step.rules))})" if step.rules else ""
        out.append(
            f"{index + 1}. **{format_time(result.step_times[index])}**{rules}: "
            f"{_md(' '.join(step.say.split()))}"
        )
        for check in (c for c in result.checks if c.step == index):
            mark = "✓" if check.ok else "✗"
            seen = "" if check.ok else f" (saw {check.seen})"
            out.append(f"   - {mark} {_md(f'{check.subject}: {check.expected}{seen}')}")
    out += ["", "## Messages", ""]
    out += _md_table(
        ("time", "from", "to", "message", "rules"),
        (
            (
                format_time(e.time),
                "▶ step" if e.kind == "narration" else e.actor,
                e.target or "",
                e.text,
                " ".join(e.rules),
            )
            for e in sim.trace
        ),
    )
    end = result.sim.now
    out += ["", f"## At the end ({format_time(end)})", "", "### Prefixes", ""]
    prefixes = prefix_table(world, end)
    out += _md_table(
        ("name", "type", "prefix", "anchor", "valid", "preferred", "state"),
        (row.cells for row in prefixes.values()),
    )
    out += ["", "### Sockets", ""]
    out += _md_table(
        ("app", "fd", "role", "asked", "flags", "bound", "state", "peer", "path"),
        (row.cells for row in socket_table(world).values()),
    )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------- SVG

_ROW = 22
_TOP = 70
_LEFT = 90
_LANE_X = {Lane.APPS: 170, Lane.STACK: 420, Lane.NETWORK: 670}
_TEXT_X = 720
_WIDTH = 1400
_LANE_COLOUR = {Lane.APPS: "#1e90ff", Lane.STACK: "#008b8b", Lane.NETWORK: "#c71585"}


def _esc(text: str) -> str:
    # XML 1.0 has no way to write most control characters, not even as references: show them.
    return html.escape(one_line(text), quote=True)


def to_svg(result: RunResult) -> str:
    """The message ladder as an SVG drawing: three lanes, one arrow per message."""
    world = result.sim.world
    entries: list[TraceEntry] = list(result.sim.trace)
    height = _TOP + _ROW * (len(entries) + 1)
    # Wide enough for the longest line, at about 7.3 pixels a character of 12px monospace.
    longest = max((len(e.text) + len(_rules(e.rules)) + 12 for e in entries), default=0)
    width = max(_WIDTH, _TEXT_X + round(7.3 * longest))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="monospace" font-size="12">',
        f"<title>{_esc(result.scenario.title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="10" y="24" font-size="16" font-weight="bold">'
        f"{_esc(result.scenario.title)}</text>",
    ]
    for lane in LANES:
        x = _LANE_X[lane]
        out.append(
            f'<text x="{x}" y="{_TOP - 16}" text-anchor="middle" font-weight="bold" '
            f'fill="{_LANE_COLOUR[lane]}">{LANE_TITLES[lane]}</text>'
        )
        out.append(
            f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{height - 8}" '
            f'stroke="{_LANE_COLOUR[lane]}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    for number, entry in enumerate(entries):
        row = ladder_row(entry, world)
        y = _TOP + _ROW * number + _ROW // 2
        out.append(f'<text x="10" y="{y + 4}" fill="#666">{_esc(row.time)}</text>')
        label = row.text + _rules(row.rules)
        if row.source is None:
            out.append(
                f'<rect x="{_LEFT}" y="{y - 9}" width="{width - _LEFT - 10}" height="18" '
                'fill="#f2f2f2"/>'
            )
            out.append(
                f'<text x="{_LEFT + 6}" y="{y + 4}" font-style="italic" font-weight="bold">'
                f"▶ {_esc(label)}</text>"
            )
            continue
        colour = _LANE_COLOUR[row.source]
        start = _LANE_X[row.source]
        out.append(f'<circle cx="{start}" cy="{y}" r="4" fill="{colour}"/>')
        if row.target is not None:
            end = _LANE_X[row.target]
            tip = -7 if end > start else 7
            out.append(
                f'<line x1="{start}" y1="{y}" x2="{end}" y2="{y}" stroke="{colour}" '
                'stroke-width="1.5"/>'
            )
            out.append(
                f'<polygon points="{end},{y} {end + tip},{y - 4} {end + tip},{y + 4}" '
                f'fill="{colour}"/>'
            )
        who = f"{row.who}: " if row.who and not row.text.startswith(row.who) else ""
        out.append(f'<text x="{_TEXT_X}" y="{y + 4}">{_esc(who + label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


FORMATS = {"mermaid": to_mermaid, "markdown": to_markdown, "svg": to_svg}
