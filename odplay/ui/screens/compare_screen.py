"""The cost of each choice, in the playground: what the learner ran, run three ways (C3).

A scenario that is still being followed is compared as written; a free-play run (or a scenario
the learner has left) is compared by replaying the learner's own actions at their times
(odplay.session.scenarios.compare_run).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from odplay.report.compare_view import comparison_tables
from odplay.session.scenarios import Comparison
from odplay.ui.screens.reading_screen import ReadingScreen


class CompareScreen(ReadingScreen):
    HEADING = "On demand, Mobile IP for all, no mobility (Section 1, C3)"
    WIDTH = 110

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def content(self) -> ComposeResult:
        yield Static(comparison_tables(self.comparison), id="comparison")
