"""The explanation beside the action: the scenario step being played (its narration, rules and
the expectations checked so far) and the message selected in the ladder, with every rule it
illustrates spelled out: ID, section of the draft, and what it says, in odplay's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from odplay.session.api import ScenarioStep
from odplay.session.views import LadderRow
from odplay.ui.style import explain_rules, rule_chips

if TYPE_CHECKING:
    from odplay.session.scenarios import CheckResult, PredictionResult

FREE_PLAY_HINT = (
    "Free play: l launch an app · m move the host · k socket calls · e settings · "
    "space run time · ? help"
)


Revealed = list[tuple["PredictionResult", int | None]]


def render_predictions(revealed: Revealed) -> Text:
    """Each question of the step, what the learner said, and what the run showed."""
    text = Text()
    for prediction, said in revealed:
        right = prediction.answer
        text.append(f"? {prediction.question}\n", style="bold magenta")
        if said is not None:
            verdict, style = ("right", "green") if said == right else ("not this time", "red")
            text.append(f"  You said {chr(ord('A') + said)}: {prediction.choices[said]}", style)
            text.append(f" ({verdict})\n", style=f"bold {style}")
        if right is not None and said != right:
            text.append(f"  The run shows {chr(ord('A') + right)}: {prediction.choices[right]}\n")
        if prediction.rules:
            text.append_text(explain_rules(prediction.rules))
            text.append("\n")
    return text


def render_explanation(
    step: ScenarioStep | None,
    total_steps: int,
    checks: list[CheckResult],
    message: LadderRow | None,
    note: str,
    revealed: Revealed | None = None,
    pin: str = "",
    changed: str = "",
) -> Text:
    """The step being played (narration, predictions, checks, its rules), then the selected
    message, after `pin`: whether it is the latest or one the learner pinned. `changed`: what
    the step just taken changed in the tables."""
    text = Text()
    if step is not None:
        text.append(f"Step {step.number} of {total_steps} ", style="bold")
        text.append_text(rule_chips(step.rules))
        text.append("\n")
        text.append(step.say, style="italic")
        text.append("\n")
        text.append_text(render_predictions(revealed or []))
        for check in (
            c
            for c in checks
            if c.step == step.number - 1 and not c.subject.startswith("prediction")
        ):
            mark, style = ("✓", "green") if check.ok else ("✗", "bold red")
            text.append(f"{mark} {check.subject}: {check.expected}", style=style)
            if not check.ok:
                text.append(f" (saw {check.seen})", style=style)
            text.append("\n")
        text.append_text(explain_rules(step.rules))
        text.append("\n")
    elif note:
        text.append(note, style="italic")
        text.append("\n")
    if changed:
        text.append(f"{changed}\n", style="bold")
    narration_of_step = message is not None and message.source is None and step is not None
    if message is not None and pin:
        text.append(f"\n{pin}", style="dim italic")
        if narration_of_step:
            text.append("\n(the step's own narration: above)", style="dim italic")
    if message is not None and not narration_of_step:
        text.append("\n")
        text.append(f"{message.time} ", style="dim")
        if message.who and not message.text.startswith(message.who):
            text.append(f"{message.who}: ", style="dodger_blue1")
        text.append(message.text, style="bold")
        text.append("\n")
        text.append_text(explain_rules(message.rules))
    text.rstrip()
    return text


class ExplainPanel(VerticalScroll):
    """A scrollable explanation; redrawn only when what it explains changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._key: object = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="explanation")

    def show(
        self,
        step: ScenarioStep | None,
        total_steps: int,
        checks: list[CheckResult],
        message: LadderRow | None,
        note: str,
        revealed: Revealed | None = None,
        pin: str = "",
        changed: str = "",
    ) -> None:
        key = (step, total_steps, len(checks), message, note, tuple(revealed or ()), pin, changed)
        if key == self._key:
            return
        self._key = key
        self.query_one("#explanation", Static).update(
            render_explanation(step, total_steps, checks, message, note, revealed, pin, changed)
        )
