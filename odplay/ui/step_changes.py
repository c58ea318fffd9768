"""What the step just taken changed, for the playground: each table's rows marked (+ appeared,
~ changed, − went: the rows that went stay, dimmed, until the next step) and a line for the
explanation listing them.

Only while the run is paused and stepped: playing, every tick would be a step, and the
highlight of fresh rows (LiveTable) says what changes; so is the cost of building every table
(those of panels out of sight too) kept to the steps a learner takes one at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from odplay.session.api import World
from odplay.session.changes import Changes, prefix_identity, table_changes
from odplay.session.views import Row, Table, Tone, address_table, prefix_table

#: The tables, as their panels are called (panel_tabs.PANELS).
NAMES = {"prefixes": "Prefixes", "addresses": "Addresses", "sockets": "Sockets"}
#: How many rows of each kind (appeared, changed, went) a table lists in the explanation.
LISTED = 6


def _label(table: str, row: Row) -> str:
    """How the explanation names a row: a socket by its application and fd."""
    return f"{row.cells[0]} fd {row.cells[1]}" if table == "sockets" else row.cells[0]


def tables_now(
    world: World, clock: int, sockets: Callable[[World], Table], only: str | None = None
) -> dict[str, Table]:
    """The host's tables (or only the one named) as the panels show them; `sockets` is the
    socket panel's view (it knows whether closed sockets are shown)."""
    tables: dict[str, Table] = {}
    if only in (None, "prefixes"):
        tables["prefixes"] = prefix_table(world, clock)
    if only in (None, "addresses"):
        tables["addresses"] = address_table(world)
    if only in (None, "sockets"):
        tables["sockets"] = sockets(world)
    return tables


class StepChanges:
    """The tables after the latest step, and what that step changed in each."""

    def __init__(self) -> None:
        self.now: dict[str, Table] | None = None
        self.changes: dict[str, Changes] = {}
        self.gone: dict[str, Table] = {}  # the rows that went, as they were, dimmed

    def forget(self) -> None:
        """No step to compare with (a new run, or time playing): nothing is marked."""
        self.now, self.changes, self.gone = None, {}, {}

    def step(self, tables: dict[str, Table], moved: bool, forward: bool = True) -> None:
        """The tables now; `moved`: a step was taken since the last call, `forward` (compare
        them) or back (nothing to mark: the run is as it was before)."""
        before = self.now
        if moved:
            self.changes, self.gone = {}, {}
            if before is not None and forward:
                for name, rows in tables.items():
                    identity = prefix_identity if name == "prefixes" else None
                    changes = (
                        table_changes(before[name], rows, identity)
                        if identity
                        else table_changes(before[name], rows)
                    )
                    self.changes[name] = changes
                    old = before[name]
                    self.gone[name] = {k: Row(old[k].cells, Tone.DIM) for k in changes.went}
        self.now = tables

    def marks(self, table: str) -> dict[str, str]:
        changes = self.changes.get(table)
        return changes.marks() if changes else {}

    def with_gone(self, table: str, rows: Table) -> Table:
        """`rows`, and after them (dimmed) the rows the step took away."""
        gone = self.gone.get(table)
        return rows | gone if gone else rows

    def summary(self) -> str:
        """The explanation's line: what appeared (+), changed (~) and went (−), by table."""
        parts = []
        for table, changes in self.changes.items():
            if not changes:
                continue
            now = self.now[table] if self.now is not None else {}
            gone = self.gone.get(table, {})
            # The first few of each kind: a move can break a thousand sockets at once.
            named = [f"+{_label(table, now[k])}" for k in changes.appeared[:LISTED]]
            named += [f"~{_label(table, now[k])}" for k in changes.changed[:LISTED]]
            named += [f"−{_label(table, gone[k])}" for k in changes.went[:LISTED]]
            total = len(changes.appeared) + len(changes.changed) + len(changes.went)
            more = f" and {total - len(named)} more" if total > len(named) else ""
            parts.append(f"{NAMES[table]} {' '.join(named)}{more}")
        return f"Changed by this step: {' · '.join(parts)}" if parts else ""
