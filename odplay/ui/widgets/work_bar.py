"""One line that says what long work is under way, how far it has got, and that Esc cancels it.
It lies over the key bar while the work runs (the keys that change the run wait meanwhile).

Drawn as text (a spinner, the label, a bar of block characters): Textual's ProgressBar would be
one more module for the first frame to import, for a line most runs never show.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from odplay.text import one_line

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_BAR = 24


class WorkBar(Static):
    DEFAULT_CSS = """
    WorkBar {
        height: 1;
        dock: bottom;
        layer: work;
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
        self._when_drawn: list[Callable[[], object]] = []

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the bar has next been drawn (after that frame is out)."""
        self._when_drawn.append(callback)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        # Drawn: the frame goes out in this same callback, so what waits for it runs after it.
        callbacks, self._when_drawn = self._when_drawn, []
        for callback in callbacks:
            self.call_later(callback)
        return lines

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
