"""The socket table: owner, requested type, flags, bound address, state, peer, path and RTT."""

from __future__ import annotations

from odplay.session.api import World
from odplay.session.views import SOCKET_COLUMNS, Table, shows_closed, socket_table
from odplay.ui.widgets.live_table import LiveTable

EMPTY = "no sockets yet: l launches an application, k makes one by hand"


class SocketTable(LiveTable):
    """Every socket of the run; closed ones are dimmed, or hidden (`include_closed`).

    `include_closed` None (the default) shows closed sockets while the run has few, and hides
    them past odplay.session.views.CLOSED_SHOWN_UP_TO; `h` sets it either way."""

    def __init__(self, highlight_seconds: float = 1.5, **kwargs: object) -> None:
        super().__init__(SOCKET_COLUMNS, highlight_seconds, EMPTY, **kwargs)
        self.include_closed: bool | None = None
        self.showing_closed = True  # what the last view did, for `h` to turn the other way

    def view(self, world: World) -> Table:
        self.showing_closed = shows_closed(world, self.include_closed)
        return socket_table(world, self.showing_closed)

    def selected_fd(self) -> int | None:
        """The fd of the socket under the cursor, if there is one."""
        key = self.selected_key()
        return int(key) if key is not None else None
