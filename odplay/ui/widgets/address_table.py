"""The address table: the host's configured addresses and the sockets that use each (D7)."""

from __future__ import annotations

from odplay.session.api import World
from odplay.session.views import ADDRESS_COLUMNS, Table, address_table
from odplay.ui.widgets.live_table import LiveTable

EMPTY = "no addresses: the host holds no usable prefix"


class AddressTable(LiveTable):
    """Addresses made from the prefixes, beside their real (documentation-prefix) values."""

    def __init__(self, highlight_seconds: float = 1.5, **kwargs: object) -> None:
        super().__init__(ADDRESS_COLUMNS, highlight_seconds, EMPTY, **kwargs)

    @staticmethod
    def view(world: World) -> Table:
        return address_table(world)
