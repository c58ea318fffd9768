"""The message ladder: the run so far as a sequence diagram with three lanes.

The lanes are the applications, the host's IP stack and the network; each message is an arrow
between two of them (or a dot in one), with the rules it illustrates and its text, and each
scenario step is a line of its own. A long run has hundreds of thousands of messages, so this is
a Line API widget in the toolong manner: it reads the trace where it lies, renders only the lines
on screen, and caches them. Appending a thousand messages costs nothing until they are seen.
The cursor follows the newest message unless the learner has moved it up to read an older one.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical

from odplay.session.api import TraceEntry, World
from odplay.session.views import LANES, LadderRow, Lane, ladder_row
from odplay.ui.style import LANE_STYLE, rule_chips
from odplay.ui.widgets.line_view import LineView

#: Where each lane's line stands in the lanes column.
_X = {Lane.APPS: 1, Lane.STACK: 6, Lane.NETWORK: 11}
_TIME, _LANES, _RULES = 9, 13, 13
#: `*` after a rule ID: draft-16 only, not in RFC 8653 (odplay/ui/style.py rule_chips).
HEADER = f"{'time':>{_TIME}}  {'app  stk  net':<{_LANES}}  {'rules *=draft':<{_RULES}}  message"


def lanes_cell(row: LadderRow) -> Text:
    """The arrow of one message across the three lanes, coloured by its sender's lane."""
    if row.source is None:
        return Text("━" * _LANES, style="bold")
    cells = [" "] * _LANES
    for lane in LANES:
        cells[_X[lane]] = "│"
    start = _X[row.source]
    if row.target is None:
        cells[start] = "●"
    else:
        end = _X[row.target]
        for x in range(min(start, end) + 1, max(start, end)):
            cells[x] = "┼" if cells[x] == "│" else "─"
        cells[start] = "●"
        cells[end] = "▶" if end > start else "◀"
    return Text("".join(cells), style=LANE_STYLE[row.source])


def ladder_text(row: LadderRow) -> Text:
    """One line of the ladder: time, lanes, rules, message."""
    text = Text(no_wrap=True, end="")
    text.append(f"{row.time:>{_TIME}}  ", style="dim")
    text.append_text(lanes_cell(row))
    text.append("  ")
    chips = rule_chips(row.rules)
    chips.truncate(_RULES, pad=True)
    text.append_text(chips)
    text.append("  ")
    if row.source is None:
        text.append(f"▶ {row.text}", style="italic bold")
        return text
    if row.who and not row.text.startswith(row.who):
        text.append(f"{row.who}: ", style=LANE_STYLE[Lane.APPS])
    text.append(row.text)
    return text


class LadderLines(LineView):
    """The lines of the ladder, over the trace's own list of entries."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("nothing has happened yet", **kwargs)
        self.entries: list[TraceEntry] = []
        self.world: World | None = None
        self.count = 0

    @property
    def row_count(self) -> int:
        return self.count

    def heading(self) -> Text:
        return Text(HEADER)

    def row_key(self, index: int) -> object:
        return self.entries[index]

    def row_text(self, index: int) -> Text:
        assert self.world is not None
        return ladder_text(ladder_row(self.entries[index], self.world))

    def sync(self, entries: list[TraceEntry], world: World) -> int:
        """Follow the trace (appended to, or cut back by a step back); returns the change."""
        if entries is not self.entries:
            self.entries = entries
            self.forget()
        self.world = world
        follow = self.following
        before, self.count = self.count, len(entries)
        if self.count == before:
            return 0
        self.update_size()
        if follow or self.cursor >= self.count:
            self.set_reactive(LadderLines.cursor, self.count - 1)
            # After the next layout, when the new virtual size has set how far it can scroll.
            self.call_after_refresh(self.show_cursor)
            self.post_message(self.Selected(self))
        self.refresh()
        return abs(self.count - before)

    def selected(self) -> LadderRow | None:
        if self.world is None or not 0 <= self.cursor < self.count:
            return None
        return ladder_row(self.entries[self.cursor], self.world)


class MessageLadder(Vertical):
    """A heading over the ladder's lines."""

    DEFAULT_CSS = """
    MessageLadder { height: 1fr; }
    MessageLadder > LadderLines { height: 1fr; overflow-x: hidden; }
    """

    def compose(self) -> ComposeResult:
        yield LadderLines(id="ladder-lines")

    @property
    def lines(self) -> LadderLines:
        return self.query_one(LadderLines)

    def sync(self, entries: list[TraceEntry], world: World) -> int:
        return self.lines.sync(entries, world)

    def selected(self) -> LadderRow | None:
        return self.lines.selected()

    def reset(self) -> None:
        lines = self.lines
        lines.entries, lines.count = [], 0
        lines.set_reactive(LadderLines.cursor, -1)
        lines.forget()
        lines.update_size()
        lines.refresh()
