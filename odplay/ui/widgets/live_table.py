"""A DataTable that follows a keyed view cell by cell, never rebuilding itself.

`show()` compares the rows it is given with those it showed last: rows that are gone are removed,
new rows are added, and in a row that changed only the changed cells are updated (the dolphie
way; rebuilding a large DataTable per tick costs a second and flickers). A row that was added or
changed stands out for `highlight_seconds`, then `fade()` returns it to its tone.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from odplay.session.views import Row, Table
from odplay.ui.style import FRESH_STYLE, TONE_STYLE


class LiveTable(DataTable[Text]):
    """A table of one view (prefixes, addresses, sockets), kept in step with it."""

    DEFAULT_CSS = """
    LiveTable { height: 1fr; }
    """

    def __init__(
        self, columns: tuple[str, ...], highlight_seconds: float = 1.5, **kwargs: object
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.column_names = columns
        self.highlight_seconds = highlight_seconds
        self.shown: Table = {}
        self._fresh: dict[str, float] = {}

    def on_mount(self) -> None:
        for name in self.column_names:
            self.add_column(name, key=name)

    def _cells(self, row: Row, fresh: bool) -> list[Text]:
        style = FRESH_STYLE if fresh else TONE_STYLE[row.tone]
        return [Text(cell, style=style, no_wrap=True) for cell in row.cells]

    def show(self, rows: Table, now: float) -> int:
        """Bring the table in line with `rows`; returns how many rows changed."""
        highlight = self.highlight_seconds > 0
        changed = 0
        for key in [k for k in self.shown if k not in rows]:
            self.remove_row(key)
            self._fresh.pop(key, None)
            changed += 1
        for key, row in rows.items():
            old = self.shown.get(key)
            if old == row:
                continue
            changed += 1
            cells = self._cells(row, fresh=highlight)
            if old is None:
                self.add_row(*cells, key=key)
            else:
                for name, before, after, cell in zip(
                    self.column_names, old.cells, row.cells, cells, strict=True
                ):
                    # A fresh row is restyled whole so that it stands out; otherwise only the
                    # cells whose text or tone changed are touched.
                    if highlight or before != after or old.tone != row.tone:
                        self.update_cell(key, name, cell, update_width=True)
            if highlight:
                self._fresh[key] = now
        self.shown = dict(rows)
        self.fade(now)
        return changed

    def fade(self, now: float) -> None:
        """Return rows whose moment has passed to their ordinary look."""
        for key, since in list(self._fresh.items()):
            if now - since < self.highlight_seconds:
                continue
            del self._fresh[key]
            row = self.shown.get(key)
            if row is None:
                continue
            for name, cell in zip(self.column_names, self._cells(row, fresh=False), strict=True):
                self.update_cell(key, name, cell)

    def reset(self) -> None:
        """Forget everything shown (a new session)."""
        self.clear()
        self.shown = {}
        self._fresh = {}
