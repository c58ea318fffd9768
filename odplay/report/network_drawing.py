"""The network drawn for a terminal: a map where it fits, a tree where it does not.

The map puts the Internet (with the correspondents) on top, the central anchor and the gateways
under it, the tunnels between them (dashed), each gateway's attachment points below, and the
host under the one it is attached to. Each connected socket's path is drawn through the nodes
it crosses (C3, D11): out of the serving gateway when its prefix is anchored there, through the
central anchor or an earlier gateway when it is not, in a colour of its own, and listed under
the map with its round-trip time and the sockets that take it. The spacing grows with the width
it is given, so the same map reads on a laptop and on a projector.

Pure Rich text, no Textual: the playground's network panel shows it, a test reads it, and a
headless command could print it. Every name comes from a scenario file and is shown as text
(odplay.text), never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from odplay.session.views import Topology
from odplay.sim.timeunits import format_duration
from odplay.text import one_line

#: Paths listed at most; the socket table has every one.
MAX_PATHS = 12
#: Sockets named on one path's line at most, before "+N".
MAX_SOCKETS_NAMED = 4
#: A node's name is cut to this many cells on the map (the tree shows it whole).
NAME_CELLS = 16
#: The rows the map itself takes: correspondents, Internet, anchor and gateways, tunnels,
#: the gateways' links, the attachment points, the host.
MAP_ROWS = 7

_CODE = {
    "fixed": "Fixed",
    "session-lasting": "SL",
    "non-persistent": "NP",
    "graceful-replacement": "GR",
}

# How a path reads: straight out of the serving gateway, through the central anchor, or back
# through an earlier gateway that still anchors its prefix (Session-lasting after a move).
DIRECT_STYLE = "bold cyan"
ANCHOR_STYLE = "bold yellow"
TUNNEL_STYLE = "bold magenta"
NODE_STYLE = "bold"
DIM = "dim"

# A cell's line connections, drawn as the box character that joins them.
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_BOX = {
    0: " ",
    _LEFT: "─",
    _RIGHT: "─",
    _LEFT | _RIGHT: "─",
    _UP: "│",
    _DOWN: "│",
    _UP | _DOWN: "│",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _DOWN | _LEFT | _RIGHT: "┬",
    _UP | _LEFT | _RIGHT: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}


class _Canvas:
    """A grid of cells: each holds line connections or a piece of text, and a style."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.lines = [[0] * width for _ in range(height)]
        self.dashed = [[False] * width for _ in range(height)]
        # None: a line (or blank) cell; "": the second half of a wide character.
        self.chars: list[list[str | None]] = [[None] * width for _ in range(height)]
        self.styles = [[DIM] * width for _ in range(height)]

    def hline(self, y: int, x0: int, x1: int, dashed: bool = False) -> None:
        x0, x1 = min(x0, x1), max(x0, x1)
        for x in range(x0, x1 + 1):
            if x < x1:
                self.lines[y][x] |= _RIGHT
            if x > x0:
                self.lines[y][x] |= _LEFT
            self.dashed[y][x] = dashed

    def join(self, x: int, y: int, mask: int) -> None:
        self.lines[y][x] |= mask

    def write(self, x: int, y: int, text: str, style: str, cells: int | None = None) -> int:
        """Write `text` (shown safe) at x, cut to `cells`; returns the cells it took."""
        room = self.width - x if cells is None else min(cells, self.width - x)
        shown = _cut(one_line(text), room)
        for char in shown:
            width = cell_len(char)
            if width == 0 and x > 0:  # a combining mark rides on the character before it
                self.chars[y][x - 1] = (self.chars[y][x - 1] or "") + char
                continue
            if x + width > self.width:
                break
            self.chars[y][x], self.styles[y][x] = char, style
            if width == 2:
                self.chars[y][x + 1], self.styles[y][x + 1] = "", style
            x += width
        return cell_len(shown)

    def paint(self, y: int, x0: int, x1: int, style: str) -> None:
        for x in range(min(x0, x1), max(x0, x1) + 1):
            self.styles[y][x] = style

    def text(self) -> Text:
        out = Text(no_wrap=True, overflow="crop", end="")
        for y, row in enumerate(self.chars):
            runs: list[tuple[str, str]] = []  # (characters, style): one span per run
            for x, char in enumerate(row):
                if char is None:
                    mask = self.lines[y][x]
                    char = "┄" if self.dashed[y][x] and mask == _LEFT | _RIGHT else _BOX[mask]
                style = self.styles[y][x] if char.strip() else ""
                if runs and runs[-1][1] == style:
                    runs[-1] = (runs[-1][0] + char, style)
                else:
                    runs.append((char, style))
            line = Text()
            for chars, style in runs:
                line.append(chars, style)
            line.rstrip()
            if y:
                out.append("\n")
            out.append_text(line)
        return out


def _cut(text: str, cells: int) -> str:
    """`text` in at most `cells` cells, ending in … when cut."""
    if cell_len(text) <= cells:
        return text
    out, used = "", 0
    for char in text:
        if used + cell_len(char) > cells - 1:
            break
        out += char
        used += cell_len(char)
    return out + "…"


def _name_cells(name: str) -> int:
    return min(cell_len(one_line(name)), NAME_CELLS)


@dataclass(frozen=True, slots=True)
class _Layout:
    slot: int
    x: dict[str, int]  # each node's column: the anchor, the gateways, the attachment points
    groups: dict[str, list[str]]  # each gateway's attachment points, in order


def _slots(view: Topology) -> tuple[list[tuple[str, str | None]], dict[str, list[str]]]:
    """The columns, left to right: the anchor, then each gateway's attachment points."""
    columns: list[tuple[str, str | None]] = [(view.anchor, None)]
    groups: dict[str, list[str]] = {}
    for gw in view.gateways:
        groups[gw.name] = list(gw.attachment_points)
        if gw.attachment_points:
            columns += [(ap, gw.name) for ap in gw.attachment_points]
        else:
            columns.append(("", gw.name))  # a gateway with no attachment point keeps a column
    return columns, groups


def map_width(view: Topology) -> int:
    """The narrowest width the map can be drawn in; below it, the tree is shown."""
    columns, _ = _slots(view)
    names = [view.anchor, *(g.name for g in view.gateways), *(c for c, _ in columns)]
    slot = max(_name_cells(n) for n in names) + 2
    return 1 + slot * len(columns)


def _layout(view: Topology, width: int) -> _Layout:
    columns, groups = _slots(view)
    slot = max(map_width(view) - 1, (width - 1)) // len(columns)
    centre = [1 + i * slot + slot // 2 for i in range(len(columns))]
    x: dict[str, int] = {view.anchor: centre[0]}
    for index, (name, _) in enumerate(columns[1:], start=1):
        if name:
            x[name] = centre[index]
    for gw in view.gateways:
        spots = [centre[i] for i, (_, owner) in enumerate(columns) if owner == gw.name]
        x[gw.name] = (min(spots) + max(spots)) // 2
    return _Layout(slot, x, groups)


def _centred(canvas: _Canvas, x: int, y: int, name: str, style: str) -> None:
    shown = _cut(one_line(name), NAME_CELLS)
    start = max(0, min(canvas.width - cell_len(shown), x - cell_len(shown) // 2))
    canvas.write(start, y, shown, style)


def _path_style(view: Topology, via: str | None) -> str:
    if via is None:
        return DIRECT_STYLE
    return ANCHOR_STYLE if via == view.anchor else TUNNEL_STYLE


@dataclass(frozen=True, slots=True)
class _Route:
    hops: tuple[str, ...]
    rtt: int
    via: str | None
    sockets: tuple[str, ...]


def routes(view: Topology) -> list[_Route]:
    """The distinct paths the connected sockets take, each with the sockets that take it."""
    found: dict[tuple[tuple[str, ...], int, str | None], list[str]] = {}
    for p in view.paths:
        found.setdefault((p.path.hops, p.path.rtt, p.path.via), []).append(f"{p.app}/{p.fd}")
    return [_Route(h, rtt, via, tuple(s)) for (h, rtt, via), s in found.items()]


def draw_map(view: Topology, width: int) -> Text | None:
    """The map in `width` cells, with the paths and the settings under it; None: too narrow."""
    if width < map_width(view):
        return None
    layout = _layout(view, width)
    x = layout.x
    canvas = _Canvas(width, MAP_ROWS)
    nodes = [view.anchor, *(g.name for g in view.gateways)]
    right = max(x[n] for n in nodes)
    # Row 1: the Internet, reached by the anchor and every gateway.
    canvas.hline(1, 1, right)
    canvas.join(1, 1, _UP)
    for name in nodes:
        canvas.join(x[name], 1, _DOWN)
    # Row 3: the tunnels from each gateway to the anchor and between gateways (dashed).
    if view.gateways:
        canvas.hline(3, x[view.anchor], right, dashed=True)
    canvas.join(x[view.anchor], 3, _UP)
    for gw in view.gateways:
        canvas.join(x[gw.name], 3, _UP | (_DOWN if layout.groups[gw.name] else 0))
        aps = [x[ap] for ap in layout.groups[gw.name]]
        if not aps:
            continue
        # Row 4: each gateway's links down to its attachment points.
        canvas.hline(4, min(aps), max(aps))
        canvas.join(x[gw.name], 4, _UP)
        for ap_x in aps:
            canvas.join(ap_x, 4, _DOWN)
    # The text goes on top of the lines.
    used_peers = {r.hops[-1] for r in routes(view)}
    canvas.write(0, 0, "Internet", NODE_STYLE)
    peers: dict[str, tuple[int, int]] = {}  # where each correspondent's name is: first, last
    at = 8
    # Those a path reaches first, so that they are named even when the others are cut.
    listed = sorted(view.correspondents, key=lambda name: name not in used_peers)
    for index, peer in enumerate(listed):
        rest = len(listed) - index
        room = width - at - (len(f" · +{rest}") if rest > 1 else 0)
        if cell_len(one_line(peer)) + 3 > room:
            canvas.write(at, 0, f" · +{rest}", DIM)
            break
        at += canvas.write(at, 0, " · " if index else ": ", DIM)
        cells = canvas.write(at, 0, peer, NODE_STYLE if peer in used_peers else "")
        peers[peer] = (at, at + cells - 1)
        at += cells
    if not view.correspondents:
        canvas.write(at, 0, ": no correspondents", DIM)
    _centred(canvas, x[view.anchor], 2, view.anchor, "bold magenta")
    for gw in view.gateways:
        style = "bold green" if gw.serving else NODE_STYLE
        _centred(canvas, x[gw.name], 2, gw.name, style)
        for ap in layout.groups[gw.name]:
            here = ap == view.attachment
            _centred(canvas, x[ap], 5, ap, "bold reverse green" if here else "")
    if view.attachment is not None and view.attachment in x:
        canvas.write(x[view.attachment], 6, "▲ host", "bold green")
    else:
        canvas.write(1, 6, "host detached: Fixed addresses stay configured (T1)", "bold yellow")
    # The paths, anchored ones first, so that the direct ones read on top where they share.
    for route in sorted(routes(view), key=lambda r: r.via is None):
        _draw_route(canvas, view, layout, route, peers)
    text = canvas.text()
    text.append("\n")
    text.append_text(_legend(view))
    text.rstrip()
    return text


def _draw_route(
    canvas: _Canvas,
    view: Topology,
    layout: _Layout,
    route: _Route,
    peers: dict[str, tuple[int, int]],
) -> None:
    """Colour the cells a path crosses: host, attachment point, gateway, tunnel, way out."""
    x = layout.x
    hops = route.hops  # host, attachment point, serving gateway, [anchor], correspondent
    if len(hops) < 4 or hops[1] not in x or hops[2] not in x:
        return
    style = _path_style(view, route.via)
    ap, serving = x[hops[1]], x[hops[2]]
    exit_node = route.via if route.via in x else hops[2]
    out = x[exit_node]
    canvas.paint(6, ap, ap, style)
    canvas.paint(4, ap, serving, style)
    canvas.paint(3, serving, out, style)
    _paint_name(canvas, out, 2, exit_node, style)
    canvas.paint(1, 1, out, style)
    canvas.paint(0, 0, 7, style)
    if hops[-1] in peers:
        canvas.paint(0, *peers[hops[-1]], style)


def _paint_name(canvas: _Canvas, x: int, y: int, name: str, style: str) -> None:
    shown = cell_len(_cut(one_line(name), NAME_CELLS))
    start = max(0, min(canvas.width - shown, x - shown // 2))
    canvas.paint(y, start, start + shown - 1, style)


def _legend(view: Topology) -> Text:
    """The network's settings and each path, under the map."""
    text = Text()
    _settings(text, view)
    shown = routes(view)
    for route in shown[:MAX_PATHS]:
        style = _path_style(view, route.via)
        text.append(" ━━ ", style=style)
        text.append(f"{route.rtt}ms ", style=style)
        text.append(f"via {one_line(route.via)}" if route.via else "direct", style=style)
        text.append("  " + " ▸ ".join(one_line(h) for h in route.hops[1:]), style=DIM)
        named = [one_line(s) for s in route.sockets[:MAX_SOCKETS_NAMED]]
        more = len(route.sockets) - len(named)
        text.append("  " + " ".join(named) + (f" +{more}" if more else ""), style="dodger_blue1")
        text.append("\n")
    if len(shown) > MAX_PATHS:
        text.append(f" and {len(shown) - MAX_PATHS} more paths: see the socket table\n", DIM)
    if not view.paths and view.attachment is not None:
        text.append(" no connected socket yet: l launches an application\n", style=DIM)
    return text


def _settings(text: Text, view: Topology) -> None:
    if view.legacy_network:
        text.append(" legacy network", style="bold yellow")
        text.append(": no on-demand service (B7)\n", style=DIM)
    else:
        supported = " ".join(_CODE[s] for s in view.supports) or "nothing"
        text.append(f" supports {supported}")
        text.append(f" · default {_CODE[view.default_type]}", style=DIM)
        text.append(f" · grace {format_duration(view.grace_period)}\n", style=DIM)
    if view.legacy_stack:
        text.append(" legacy host stack: no setsc() (B2)\n", style="bold yellow")


def draw_tree(view: Topology) -> Text:
    """The network as a tree, for a panel too small for the map (an 80x24 terminal)."""
    text = Text()
    text.append(one_line(view.anchor), style="bold magenta")
    text.append(" (Fixed prefixes)\n", style=DIM)
    for index, gw in enumerate(view.gateways):
        last = index == len(view.gateways) - 1
        text.append(" └─ " if last else " ├─ ", style=DIM)
        text.append(one_line(gw.name), style="bold green" if gw.serving else "")
        text.append(" ── ", style=DIM)
        for number, ap in enumerate(gw.attachment_points):
            if number:
                text.append(" · ", style=DIM)
            here = ap == view.attachment
            text.append(one_line(ap), style="bold reverse green" if here else "")
            if here:
                text.append(" ◀ host", style="bold green")
        text.append("\n")
    if view.attachment is None:
        text.append(" host detached", style="bold yellow")
        text.append(" (Fixed addresses stay configured: T1)\n", style=DIM)
    _settings(text, view)
    for path in view.paths[:MAX_PATHS]:
        text.append(f" {one_line(path.app)}/{path.fd} ", style="dodger_blue1")
        text.append(f"{one_line(path.address)} ")
        text.append(" ▸ ".join(one_line(h) for h in path.path.hops[1:]), style=DIM)
        via = f" via {one_line(path.path.via)}" if path.path.via else " direct"
        text.append(f" {path.path.rtt}ms{via}\n", style="yellow" if path.path.via else "green")
    if len(view.paths) > MAX_PATHS:
        more = len(view.paths) - MAX_PATHS
        text.append(f" and {more} more connected sockets: see the socket table\n", style=DIM)
    text.rstrip()
    return text


def draw_network(view: Topology, width: int, height: int | None = None) -> Text:
    """The map if it fits in `width` (and `height`, if given, for the map and its settings
    line); the tree otherwise."""
    if height is not None and height < MAP_ROWS + 1:
        return draw_tree(view)
    return draw_map(view, width) or draw_tree(view)
