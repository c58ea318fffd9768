"""A one-line strip naming the panels; on a small terminal it says which one is showing (in
brackets, and in reverse video).

The panels are switched with the digit keys (or a click here); on a large terminal every panel
is visible at once and the strip is hidden by the stylesheet.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

PANELS = (
    ("sockets", "Sockets"),
    ("prefixes", "Prefixes"),
    ("addresses", "Addresses"),
    ("ladder", "Ladder"),
)


def render_tabs(shown: str) -> Text:
    text = Text()
    for number, (panel, label) in enumerate(PANELS, start=1):
        # The shown one in brackets too: reverse video alone is lost on some projectors.
        if panel == shown:
            text.append(f"[{number} {label}]", style="bold reverse")
        else:
            text.append(f" {number} {label} ", style="dim")
        text.append(" ")
    return text


class PanelTabs(Static):
    class Chosen(Message):
        """A panel was clicked."""

        def __init__(self, panel: str) -> None:
            super().__init__()
            self.panel = panel

    def show(self, shown: str) -> None:
        self.update(render_tabs(shown))

    def on_click(self, event: events.Click) -> None:
        offset = 0
        for number, (panel, label) in enumerate(PANELS, start=1):
            width = len(f" {number} {label} ") + 1
            if offset <= event.x < offset + width:
                self.post_message(self.Chosen(panel))
                return
            offset += width
