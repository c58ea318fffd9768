"""The message ladder: the run so far as a sequence diagram with three lanes.

The lanes are the applications, the host's IP stack and the network; each message is an arrow
between two of them (or a dot in one), with the rules it illustrates and its text, and each
scenario step is a line of its own. A long run has hundreds of thousands of messages, so this is
a Line API widget in the toolong manner: it reads the trace where it lies, renders only the lines
on screen, and caches them. Appending a thousand messages costs nothing until they are seen.
The cursor follows the newest message unless the learner has pinned one: moving the cursor to
an older message (arrows, Page Up, Home, a click) pins it, Enter pins the one under the cursor
(or lets it go), and End goes back to following the newest.

A message is never cut: one longer than its column wraps onto lines of its own under it (the
lanes run on beside them), at spaces where it can. How many lines each message takes is kept
for the messages so far and extended as the trace grows, so that the lines on screen are found
by a bisection, not by wrapping the whole trace again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from odplay.session.api import TraceEntry, World
from odplay.session.views import LANES, LadderRow, Lane, ladder_row
from odplay.ui.style import LANE_STYLE, rule_chips
from odplay.ui.widgets.line_view import LineView

#: Where each lane's line stands in the lanes column.
_X = {Lane.APPS: 1, Lane.STACK: 6, Lane.NETWORK: 11}
_TIME, _LANES, _RULES = 9, 13, 13
#: Where the message column begins.
MESSAGE_COLUMN = _TIME + 2 + _LANES + 2 + _RULES + 2
#: The message column's width at the least, however narrow the panel.
MIN_MESSAGE = 16
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


def message_of(row: LadderRow) -> str:
    """What the message column says of a row: who, if the text does not begin with it, and what."""
    if row.source is None:
        return f"▶ {row.text}"
    if row.who and not row.text.startswith(row.who):
        return f"{row.who}: {row.text}"
    return row.text


#: Characters whose width may not be one cell: wide (East Asian, emoji) and zero-width ones.
_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u1100-\u115f\u200b-\u200f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe00-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)


def cells(text: str) -> int:
    """How many cells `text` takes: its length, unless it holds a character that may not be one
    cell wide (then rich's cell_len, a loop in Python). A burst of a thousand messages, each
    with an arrow, is measured at the speed of len()."""
    if text.isascii() or not _NOT_ONE_CELL.search(text):
        return len(text)
    return cell_len(text)


def wrap(message: str, width: int) -> list[str]:
    """`message` in lines of at most `width` cells, broken at spaces where it can be (a word
    longer than a line is broken where it must): every character is kept."""
    measure = cells
    if measure(message) <= width:
        return [message]
    lines: list[str] = []
    line, used = "", 0
    for word in message.split(" "):
        size = measure(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:
            lines.append(word[:width])
            word = word[width:]
            size = measure(word)
        line, used = word, size
    lines.append(line)
    return lines


def wrap_count(message: str, width: int) -> int:
    """len(wrap(message, width)), step for step, without making the lines (the ladder counts
    every message's lines as the trace grows: a burst of a thousand is counted in a frame)."""
    if cells(message) <= width:
        return 1
    count, begun, used = 0, False, 0  # begun: the current line holds something
    for word in message.split(" "):
        size = cells(word)
        if begun and used + 1 + size <= width:
            used += 1 + size
            continue
        if begun:
            count += 1
        while size > width:
            count += 1
            word = word[width:]
            size = cells(word)
        begun, used = bool(word), size
    return count + 1


def ladder_text(row: LadderRow, width: int | None = None) -> list[Text]:
    """A row of the ladder: time, lanes, rules, message; the message wrapped at `width` cells
    (None: on one line), each further line under it with only the lanes beside it."""
    text = Text(no_wrap=True, end="")
    text.append(f"{row.time:>{_TIME}}  ", style="dim")
    text.append_text(lanes_cell(row))
    text.append("  ")
    chips = rule_chips(row.rules)
    chips.truncate(_RULES, pad=True)
    text.append_text(chips)
    text.append("  ")
    message = message_of(row)
    lines = [message] if width is None else wrap(message, width)
    if row.source is None:
        text.append(lines[0], style="italic bold")
    elif message != row.text:
        who = len(row.who) + 2
        text.append(lines[0][:who], style=LANE_STYLE[Lane.APPS])
        text.append(lines[0][who:])
    else:
        text.append(lines[0])
    texts = [text]
    if len(lines) > 1:
        gutter = " " * _LANES if row.source is None else _GUTTER
        for more in lines[1:]:
            line = Text(no_wrap=True, end="")
            line.append(" " * (_TIME + 2))
            line.append(gutter, style="dim")
            line.append(" " * (2 + _RULES + 2))
            line.append(more, style="italic bold" if row.source is None else "")
            texts.append(line)
    return texts


#: The lanes' lines, beside the further lines of a wrapped message.
_GUTTER = "".join("│" if x in _X.values() else " " for x in range(_LANES))


class LadderLines(LineView):
    """The lines of the ladder, over the trace's own list of entries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pin", "Pin", show=False, id="odplay.ladder.pin"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__("nothing has happened yet", **kwargs)
        #: The learner chose the message under the cursor: new messages do not move it.
        self.pinned = False
        self.entries: list[TraceEntry] = []
        self.world: World | None = None
        self.count = 0
        #: The line after each message's last, for the first len(_ends) messages, wrapped at
        #: _width cells: row i takes the lines from _ends[i - 1] (0 for the first) to _ends[i].
        self._ends: list[int] = []
        self._width = 0

    @property
    def row_count(self) -> int:
        return self.count

    @property
    def message_width(self) -> int:
        """How wide the message column is: the rest of the panel (less the scroll bar's gutter,
        kept whether or not the bar shows, so the lines do not wrap again when it comes),
        never less than a few words."""
        return max(MIN_MESSAGE, self.scrollable_content_region.width - MESSAGE_COLUMN)

    def content_width(self) -> int:
        return MESSAGE_COLUMN + self.message_width

    def _lines_known(self) -> list[int]:
        """_ends for every message so far at the panel's width, extended as the trace grows
        (and worked out again when the width changes)."""
        width = self.message_width
        if width != self._width:
            self._width, self._ends = width, []
        ends, world = self._ends, self.world
        if len(ends) > self.count:
            del ends[self.count :]
        if len(ends) < self.count and world is not None:
            line = ends[-1] if ends else 0
            for entry in self.entries[len(ends) : self.count]:
                # Most messages fit: that is told from the lengths alone (who is the actor or
                # the target, if anyone), without making the row.
                who = max(len(entry.actor), len(entry.target or ""))
                if cells(entry.text) + who + 2 > width:
                    line += wrap_count(message_of(ladder_row(entry, world)), width)
                else:
                    line += 1
                ends.append(line)
        return ends

    @property
    def line_count(self) -> int:
        ends = self._lines_known()
        return ends[-1] if ends else 0

    def row_line(self, index: int) -> int:
        if index <= 0:
            return 0
        ends = self._lines_known()
        return ends[min(index, len(ends)) - 1] if ends else 0

    def line_row(self, line: int) -> tuple[int, int]:
        index = bisect_right(self._lines_known(), line)
        return index, line - self.row_line(index)

    def heading(self) -> Text:
        return Text(HEADER)

    def row_key(self, index: int) -> object:
        return self.entries[index]

    def row_text(self, index: int) -> Text:
        """Row `index` on one line, the message whole however long."""
        assert self.world is not None
        return ladder_text(ladder_row(self.entries[index], self.world))[0]

    def row_lines(self, index: int) -> list[Text]:
        assert self.world is not None
        return ladder_text(ladder_row(self.entries[index], self.world), self.message_width)

    def on_resize(self, event: events.Resize) -> None:
        self.forget()  # the lines wrap at another width
        super().on_resize(event)
        self.call_after_refresh(self.show_cursor)

    def sync(self, entries: list[TraceEntry], world: World) -> int:
        """Follow the trace (appended to, or cut back by a step back); returns the change."""
        if entries is not self.entries:
            # Another list: a step back shows a shorter copy of the same trace, whose lines are
            # still good (and each is checked against its entry when drawn). Another run's
            # trace (different entries where the two meet) is drawn anew.
            meet = min(len(entries), len(self.entries)) - 1
            other_run = meet >= 0 and entries[meet] is not self.entries[meet]
            self.entries = entries
            if other_run:
                self.forget()
                self._ends = []
                self.world = world
                self.update_size()
                self.refresh()  # drawn anew even if it has as many entries as the last one
        self.world = world
        before, self.count = self.count, len(entries)
        if self.count == before:
            return 0
        if self.count < before:
            del self._ends[self.count :]
            if self.cursor >= self.count:
                self.pinned = False  # the pinned message was stepped back over
        follow = not self.pinned
        self.update_size()
        if follow or self.cursor >= self.count:
            self.set_reactive(LadderLines.cursor, self.count - 1)
            # After the next layout, when the new virtual size has set how far it can scroll.
            self.call_after_refresh(self.show_cursor)
            self.post_message(self.Selected(self))
        self.refresh()
        return abs(self.count - before)

    def _move_to(self, row: int) -> None:
        # The learner moved the cursor: to an older message pins it, to the newest follows.
        super()._move_to(row)
        self.pinned = 0 <= self.cursor < self.row_count - 1
        self.post_message(self.Selected(self))

    def action_pin(self) -> None:
        """Pin the message under the cursor, or let it go (then the newest is followed)."""
        if self.pinned:
            self.pinned = False
            self._move_to(self.row_count - 1)
        elif self.row_count:
            self.pinned = True
            self.post_message(self.Selected(self))

    def pin_note(self) -> str:
        """Which message the explanation shows, and why."""
        if self.pinned:
            return (
                f"Pinned: message {self.cursor + 1} of {self.count} "
                "(Enter or End: follow the latest)"
            )
        return "Following the latest message (↑ ↓ select one and pin it; Enter pins this one)"

    def selected(self) -> LadderRow | None:
        if self.world is None or not 0 <= self.cursor < self.count:
            return None
        return ladder_row(self.entries[self.cursor], self.world)


class MessageLadder(Vertical):
    """A heading over the ladder's lines."""

    DEFAULT_CSS = """
    MessageLadder { height: 1fr; }
    MessageLadder > LadderLines { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
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
        lines.pinned = False
        lines._ends = []
        lines.set_reactive(LadderLines.cursor, -1)
        lines.forget()
        lines.update_size()
        lines.refresh()
