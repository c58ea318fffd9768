"""The cost of each choice, in the playground: what the learner ran, run three ways (C3).

A scenario that is still being followed is compared as written; a free-play run (or a scenario
the learner has left) is compared by replaying the learner's own actions at their times.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from odplay.compare import Comparison, compare_actions, compare_scenario
from odplay.report.compare_view import comparison_tables
from odplay.session.session import Mode, Session


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


class CompareScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CompareScreen { align: center middle; background: $background 60%; }
    CompareScreen > VerticalScroll {
        width: 110; max-width: 100%; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="odplay.compare.close"),
    ]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "On demand, Mobile IP for all, no mobility (Section 1, C3)"
            box.border_subtitle = "Esc closes"
            yield Static(comparison_tables(self.comparison), id="comparison")

    def action_close(self) -> None:
        self.dismiss(None)
