"""A table that follows a keyed view cell by cell, and draws only the rows on screen.

`show()` compares the rows it is given with those it showed last (the dolphie way): rows that are
gone are dropped, new rows are added, and a row whose cells changed is redrawn, and nothing
else is. Drawing is the Line API's (see LineView): a thousand sockets changing at once costs a
comparison of tuples, not a thousand widget updates. A row that was added or changed stands out
for `highlight_seconds`, then `fade()` returns it to its tone. Columns grow to fit what they
have shown and never shrink until the table is reset, so that nothing jumps about as rows come
and go.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from odplay.session.views import Table
from odplay.ui.style import FRESH_STYLE, TONE_STYLE
from odplay.ui.widgets.line_view import LineView

_GAP = 2


class LiveTable(LineView):
    """A table of one view (prefixes, addresses, sockets), kept in step with it."""

    DEFAULT_CSS = """
    LiveTable { height: 1fr; }
    """

    def __init__(
        self,
        columns: tuple[str, ...],
        highlight_seconds: float = 1.5,
        empty_text: str = "",
        **kwargs: object,
    ) -> None:
        super().__init__(empty_text, **kwargs)
        self.column_names = columns
        self.highlight_seconds = highlight_seconds
        self.shown: Table = {}
        self.keys: list[str] = []
        self.widths = [cell_len(name) for name in columns]
        self._fresh: dict[str, float] = {}
        #: What the step just taken did to each row it changed: + appeared, ~ changed, − went
        #: (odplay.ui.step_changes), drawn in the first column, so it reads without colour.
        self.marks: dict[str, str] = {}

    # ------------------------------------------------------------------ LineView

    @property
    def row_count(self) -> int:
        return len(self.keys)

    def content_width(self) -> int:
        return max(self.size.width, sum(self.widths) + _GAP * len(self.widths))

    def heading(self) -> Text:
        return self._join(self.column_names, "")

    def row_key(self, index: int) -> object:
        key = self.keys[index]
        return (self.shown[key], key in self._fresh, self.marks.get(key))

    def row_text(self, index: int) -> Text:
        key = self.keys[index]
        row = self.shown[key]
        style = FRESH_STYLE if key in self._fresh else TONE_STYLE[row.tone]
        return self._join(row.cells, style, self.marks.get(key, " "))

    def _join(self, cells: tuple[str, ...], style: str, mark: str = " ") -> Text:
        text = Text(no_wrap=True, end="")
        for column, (cell, width) in enumerate(zip(cells, self.widths, strict=True)):
            text.append(mark if column == 0 else " ", style="bold" if column == 0 else "")
            text.append(cell)
            text.append(" " * (width - cell_len(cell) + _GAP - 1))
        text.append(" " * (self.content_width() - text.cell_len))  # a highlight spans the row
        # A span, not the Text's own style: rendering segments directly drops the latter.
        text.stylize(style)
        return text

    # ------------------------------------------------------------------ following the view

    def show(self, rows: Table, now: float) -> int:
        """Bring the table in line with `rows`; returns how many rows changed."""
        highlight = self.highlight_seconds > 0
        selected = self.selected_key()
        changed = sum(1 for key in self.shown if key not in rows)
        for key, row in rows.items():
            if self.shown.get(key) == row:
                continue
            changed += 1
            for column, cell in enumerate(row.cells):
                self.widths[column] = max(self.widths[column], cell_len(cell))
            if highlight:
                self._fresh[key] = now
        if not changed:
            self.fade(now)
            return 0
        if rows.keys() != self.shown.keys():
            self.keys = list(rows)
            self.forget()
        self.shown = dict(rows)
        for key in [k for k in self._fresh if k not in rows]:
            del self._fresh[key]
        self.update_size()
        if self.keys:
            index = self.keys.index(selected) if selected in rows else max(self.cursor, 0)
            self.set_reactive(LiveTable.cursor, min(index, len(self.keys) - 1))
        else:
            self.set_reactive(LiveTable.cursor, -1)
        self.fade(now)
        self.refresh()
        return changed

    def set_marks(self, marks: dict[str, str]) -> None:
        """Mark rows as the step just taken changed them (redrawn even if no cell changed)."""
        if marks != self.marks:
            self.marks = marks
            self.refresh()

    def fade(self, now: float) -> None:
        """Return rows whose moment has passed to their ordinary look."""
        expired = [k for k, since in self._fresh.items() if now - since >= self.highlight_seconds]
        for key in expired:
            del self._fresh[key]
        if expired:
            self.refresh()

    def selected_key(self) -> str | None:
        if 0 <= self.cursor < len(self.keys):
            return self.keys[self.cursor]
        return None

    def reset(self) -> None:
        """Forget everything shown (a new session)."""
        self.shown, self.keys, self._fresh, self.marks = {}, [], {}, {}
        self.widths = [cell_len(name) for name in self.column_names]
        self.set_reactive(LiveTable.cursor, -1)
        self.forget()
        self.update_size()
        self.refresh()
