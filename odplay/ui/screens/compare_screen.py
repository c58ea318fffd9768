"""The cost of each choice, in the playground: what the learner ran, run three ways (C3).

A scenario that is still being followed is compared as written; a free-play run (or a scenario
the learner has left) is compared by replaying the learner's own actions at their times.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from odplay.compare import Comparison, compare_actions, compare_scenario
from odplay.report.compare_view import comparison_tables
from odplay.session.session import Mode, Session
from odplay.ui.screens.reading_screen import ReadingScreen


def compare_session(session: Session) -> Comparison:
    if session.scenario is not None and session.mode is Mode.SCENARIO:
        return compare_scenario(session.scenario)
    start = session.sim.initial_world()
    title = session.scenario.title if session.scenario else "Free play"
    return compare_actions(
        f"{title}: what you did, three ways",
        start.network.config,
        start.stack.policy,
        start.seed,
        session.sim.actions(),
        session.clock,
    )


class CompareScreen(ReadingScreen):
    HEADING = "On demand, Mobile IP for all, no mobility (Section 1, C3)"
    WIDTH = 110

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def content(self) -> ComposeResult:
        yield Static(comparison_tables(self.comparison), id="comparison")
