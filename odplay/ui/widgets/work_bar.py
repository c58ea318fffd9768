"""One line that says what long work is under way, how far it has got, and that Esc cancels it.

Drawn as text (a spinner, the label, a bar of block characters): Textual's ProgressBar would be
one more module for the first frame to import, for a line most runs never show.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from odplay.text import one_line

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_BAR = 24


class WorkBar(Static):
    DEFAULT_CSS = """
    WorkBar {
        height: 1;
        display: none;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.label = ""
        self.fraction = 0.0
        self._turn = 0

    def begin(self, label: str) -> None:
        self.label, self.fraction, self._turn = label, 0.0, 0
        self._draw()

    def progress(self, fraction: float) -> None:
        """Show `fraction` done (0 to 1), and turn the spinner: the work is alive."""
        self.fraction = max(0.0, min(1.0, fraction))
        self._turn += 1
        self._draw()

    def _draw(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {_SPINNER[self._turn % len(_SPINNER)]} ", style="bold")
        text.append(one_line(self.label))
        if self.fraction > 0:
            filled = round(self.fraction * _BAR)
            text.append("  ")
            text.append("█" * filled, style="bold")
            text.append("░" * (_BAR - filled), style="dim")
            text.append(f" {self.fraction:4.0%}")
        text.append("  Esc cancels", style="dim")
        # Its height is fixed (one line): no layout pass, which would have every widget of the
        # screen laid out again each tenth of a second while the work runs.
        self.update(text, layout=False)
