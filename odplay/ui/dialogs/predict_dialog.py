"""Predict, then watch: before a step plays, the learner says what will happen.

The scenario's author wrote the question and the choices; the run itself decides which choice
is right (each choice is an expectation, and exactly one holds), and the explanation panel
reveals it after the step, with the rules that explain why.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from odplay.session.scenarios import PredictionResult
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog


class PredictDialog(Dialog[int | None]):
    """Returns the index of the choice the learner made, or None to skip the question."""

    DEFAULT_CSS = """
    PredictDialog #question { height: auto; margin-bottom: 1; text-style: bold; }
    PredictDialog OptionList { height: auto; max-height: 10; }
    """

    def __init__(self, prediction: PredictionResult, step_number: int, number: int, of: int):
        super().__init__()
        self.prediction = prediction
        self.step_number = step_number
        self.number, self.of = number, of

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            count = f" ({self.number} of {self.of})" if self.of > 1 else ""
            dialog.border_title = f"Predict: step {self.step_number}{count}"
            dialog.border_subtitle = "Enter answers · Esc skips"
            yield Static(plain(self.prediction.question), id="question")
            yield OptionList(
                *(
                    Option(plain(f"{chr(ord('A') + i)}. {choice}"), id=str(i))
                    for i, choice in enumerate(self.prediction.choices)
                ),
                id="choices",
                compact=True,
            )

    def on_mount(self) -> None:
        self.query_one("#choices").focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))
