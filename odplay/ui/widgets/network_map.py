"""The network panel: a map of the anchor, the gateways, their attachment points and the host,
with each connected socket's path drawn through them (C3, D11), or the same as a tree where the
panel is too small for the map (an 80x24 terminal). The drawing is odplay.report.network_drawing's;
this widget only picks the width and height it has and redraws when either, or the run, changes.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from odplay.report.network_drawing import draw_network
from odplay.session.views import Topology


class NetworkMap(Static):
    """The topology and the paths, redrawn when the state or the panel's size changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._view: Topology | None = None
        self._drawn: tuple[Topology, int, int] | None = None

    @property
    def room(self) -> tuple[int, int]:
        """The cells the drawing may take: this widget's width, its box's visible height."""
        height = self.parent.scrollable_content_region.height if self.parent else 0  # type: ignore[attr-defined]
        return self.size.width, height

    def show(self, view: Topology) -> None:
        self._view = view
        self._draw()

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._view is None:
            return
        width, height = self.room
        key = (self._view, width, height)
        if key != self._drawn:
            self._drawn = key
            # Before the first layout there is no size yet: the tree, until the resize.
            self.update(draw_network(self._view, width, height) if width else "")
