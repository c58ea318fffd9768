"""The prefix table: what the host holds or held, with type, anchor, lifetimes and grace (T1-T4)."""

from __future__ import annotations

from odplay.session.api import World
from odplay.session.views import PREFIX_COLUMNS, Table, prefix_table
from odplay.ui.widgets.live_table import LiveTable

EMPTY = "no prefixes: attach the host (a), or ask for one with a socket (k)"


class PrefixTable(LiveTable):
    """Prefixes by teaching name; a Graceful-replacement prefix counts its grace period down."""

    def __init__(self, highlight_seconds: float = 1.5, **kwargs: object) -> None:
        super().__init__(PREFIX_COLUMNS, highlight_seconds, EMPTY, **kwargs)

    @staticmethod
    def view(world: World, clock: int) -> Table:
        return prefix_table(world, clock)
