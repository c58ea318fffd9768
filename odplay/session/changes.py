"""What one step changed in the host's tables: the rows that appeared, changed or went.

The viewer keeps the tables as they were after the step before (odplay.session.views' plain
rows) and compares them with the tables after the step just taken, so that each table can mark
its rows (+ appeared, ~ changed, − went: marks, not only colours) and the explanation can list
them. A prefix's lifetimes count down as time passes, so a prefix counts as changed only when
what it is changes (name, type, network, anchor, state), not because time went by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from odplay.session.views import Row, Table

APPEARED, CHANGED, WENT = "+", "~", "−"


@dataclass(frozen=True, slots=True)
class Changes:
    """The keys of one table's rows that appeared, changed and went in a step."""

    appeared: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    went: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.appeared or self.changed or self.went)

    def marks(self) -> dict[str, str]:
        """Each changed row's mark, by key."""
        marks = dict.fromkeys(self.appeared, APPEARED)
        marks |= dict.fromkeys(self.changed, CHANGED)
        return marks | dict.fromkeys(self.went, WENT)


def _whole(row: Row) -> object:
    return row


def prefix_identity(row: Row) -> object:
    """What a prefix is, without its lifetimes and grace counting down (odplay.session.views'
    prefix_table: name, type, network, anchor, valid, preferred, state)."""
    return row.cells[:4], row.cells[6].split(":")[0], row.tone


def table_changes(
    before: Table, after: Table, identity: Callable[[Row], object] = _whole
) -> Changes:
    """How `after` differs from `before`, row by row (in `after`'s order; went: `before`'s)."""
    appeared = tuple(k for k in after if k not in before)
    changed = tuple(
        k for k, row in after.items() if k in before and identity(before[k]) != identity(row)
    )
    went = tuple(k for k in before if k not in after)
    return Changes(appeared, changed, went)
