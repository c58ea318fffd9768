"""The cost of each choice, in the playground: what the learner ran, run three ways (C3).

A scenario that is still being followed is compared as written; a free-play run (or a scenario
the learner has left) is compared by replaying the learner's own actions at their times
(odplay.session.scenarios.compare_run). The tables are laid out ahead of showing
(odplay.report.compare_view.comparison_lines, on the same worker as the comparison when it is
long) and drawn a screenful at a time: a hundred applications' tables take seconds to lay out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.app import ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from odplay.ui.screens.reading_screen import ReadingScreen

if TYPE_CHECKING:
    # The scenario layer is slow to import: the screen needs it only to lay out tables itself.
    from odplay.session.scenarios import Comparison

WIDTH = 110
#: The cells the tables are laid out in: the page's width less its border, padding and scrollbar.
LINE_WIDTH = WIDTH - 6


class RenderedLines(ScrollView, can_focus=True):
    """Lines rendered beforehand, drawn by the Line API: only those on screen cost anything."""

    DEFAULT_CSS = """
    RenderedLines { height: 1fr; }
    """

    def __init__(self, lines: list[list[Segment]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = [Strip(line) for line in lines]
        width = max((strip.cell_length for strip in self.lines), default=0)
        self.virtual_size = Size(width, len(self.lines))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        if index >= len(self.lines):
            return Strip.blank(self.size.width)
        return self.lines[index].crop_extend(scroll_x, scroll_x + self.size.width, None)


class CompareScreen(ReadingScreen):
    # Opaque, unlike the other reading screens: a see-through backdrop makes Textual draw the
    # whole playground, tinted, behind the comparison when it opens (twice: on show and on the
    # resize after), which held the screen 100-140 ms with 100 applications
    # (benchmarks/long_work.py). The comparison covers most of the screen anyway.
    DEFAULT_CSS = """
    CompareScreen { background: $background; }
    """
    HEADING = "On demand, Mobile IP for all, no mobility (Section 1, C3)"
    WIDTH = WIDTH

    def __init__(self, comparison: Comparison, lines: list[list[Segment]] | None = None) -> None:
        super().__init__()
        self.comparison = comparison
        if lines is None:
            from odplay.report.compare_view import comparison_lines

            lines = comparison_lines(comparison, LINE_WIDTH)
        self.lines = lines

    def content(self) -> ComposeResult:
        yield RenderedLines(self.lines, id="comparison")
