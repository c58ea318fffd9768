"""A checkbox whose state shows as a mark, not only a colour: ✓ when on, blank when off.

Textual's checkbox draws the same X either way and tells on from off by its colour alone, which
a monochrome projector, a colour-blind learner or NO_COLOR cannot see.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

ON, OFF = "✓", " "


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        # Read by the base class's _button as the button's inside.
        self.BUTTON_INNER = ON if self.value else OFF
        return super()._button
