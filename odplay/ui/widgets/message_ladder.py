"""The message ladder: the run so far as a sequence diagram with three lanes.

The lanes are the applications, the host's IP stack and the network; each message is an arrow
between two of them (or a dot in one), with its text and the rules it illustrates, and each
scenario step is a line of its own. Rows are only ever appended or, when the learner steps back,
removed from the end; the view follows the newest row unless the learner has moved the cursor
up to read an older one. Only the newest `MAX_ROWS` messages are kept, so a long run cannot make
the table heavy.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from odplay.session.views import LANES, LadderRow, Lane, ladder_row
from odplay.sim.trace import TraceEntry
from odplay.sim.world import World
from odplay.ui.style import LANE_STYLE, rule_chips

#: Where each lane's line stands in the lanes column, and the column's header.
_X = {Lane.APPS: 1, Lane.STACK: 6, Lane.NETWORK: 11}
_WIDTH = 13
LANES_HEADER = "app  stk  net"
MAX_ROWS = 2000
#: Removing rows one by one is linear each; past this many, rebuilding the tail is cheaper.
_REBUILD_AFTER = 64


def lanes_cell(row: LadderRow) -> Text:
    """The arrow of one message across the three lanes, coloured by its sender's lane."""
    cells = [" "] * _WIDTH
    for lane in LANES:
        cells[_X[lane]] = "│"
    if row.source is None:
        return Text("━" * _WIDTH, style="bold")
    style = LANE_STYLE[row.source]
    start = _X[row.source]
    if row.target is None:
        cells[start] = "●"
    else:
        end = _X[row.target]
        low, high = min(start, end), max(start, end)
        for x in range(low + 1, high):
            cells[x] = "┼" if cells[x] == "│" else "─"
        cells[start] = "●"
        cells[end] = "▶" if end > start else "◀"
    return Text("".join(cells), style=style)


class MessageLadder(DataTable[Text]):
    """The trace as a ladder; the cursor selects a message to explain."""

    DEFAULT_CSS = """
    MessageLadder { height: 1fr; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.rows_shown: list[LadderRow] = []
        self.first = 0  # the trace number of the first row shown

    def on_mount(self) -> None:
        # The message last: it is the long one, and the viewport cuts it, not the rules.
        self.add_column("time", key="time")
        self.add_column(LANES_HEADER, key="lanes")
        self.add_column("rules", key="rules")
        self.add_column("message", key="message")

    def _cells(self, row: LadderRow) -> tuple[Text, Text, Text, Text]:
        if row.source is None:
            message = Text(f"▶ {row.text}", style="italic bold")
        else:
            message = Text()
            if row.who:
                message.append(f"{row.who}: ", style=LANE_STYLE[Lane.APPS])
            message.append(row.text)
        return (Text(row.time, style="dim"), lanes_cell(row), rule_chips(row.rules), message)

    @property
    def following(self) -> bool:
        """True when the cursor is on the newest row (or nowhere yet): new rows pull it along."""
        return self.row_count == 0 or self.cursor_row >= self.row_count - 1

    def sync(self, entries: list[TraceEntry], world: World) -> int:
        """Bring the ladder in line with the trace; returns rows added or removed."""
        follow = self.following
        total = len(entries)
        shown_end = self.first + len(self.rows_shown)
        first = max(0, total - MAX_ROWS)
        changed = 0
        if total < shown_end or first > self.first:
            cut = shown_end - total if total < shown_end else 0
            if cut > _REBUILD_AFTER or first > self.first:
                return self._rebuild(entries, world, first, follow)
            for _ in range(cut):
                self.remove_row(str(self.rows_shown.pop().number))
            changed += cut
            shown_end = total
        fresh = [ladder_row(e, world) for e in entries[shown_end:]]
        if fresh:
            self._append(fresh)
            self.rows_shown.extend(fresh)
            changed += len(fresh)
        if changed and follow and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        return changed

    def _rebuild(self, entries: list[TraceEntry], world: World, first: int, follow: bool) -> int:
        self.clear()
        self.first = first
        self.rows_shown = [ladder_row(e, world) for e in entries[first:]]
        self._append(self.rows_shown)
        if follow and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        return len(self.rows_shown)

    def _append(self, rows: list[LadderRow]) -> None:
        for row in rows:
            self.add_row(*self._cells(row), key=str(row.number))

    def selected(self) -> LadderRow | None:
        if not self.rows_shown or not self.is_valid_row_index(self.cursor_row):
            return None
        return self.rows_shown[self.cursor_row]

    def reset(self) -> None:
        self.clear()
        self.rows_shown = []
        self.first = 0
