"""A scenario that cannot be opened: every problem with its file, line and field, in the app."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from odplay.session.api import ScenarioError
from odplay.ui.dismiss_once import DismissOnceScreen


def render_problems(error: ScenarioError) -> Text:
    text = Text()
    for problem in error.problems:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        if problem.line and problem.column:
            where += f":{problem.column}"
        text.append(where, style="bold")
        if problem.field:
            text.append(f"  {problem.field}", style="cyan")
        text.append(f"\n  {problem.message}\n")
    text.rstrip()
    return text


class LoadErrorScreen(DismissOnceScreen[None]):
    DEFAULT_CSS = """
    LoadErrorScreen { align: center middle; background: $background 60%; }
    LoadErrorScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $error; background: $surface; padding: 0 1;
    }
    LoadErrorScreen #problems { height: auto; max-height: 16; }
    LoadErrorScreen Horizontal { height: auto; align-horizontal: right; }
    LoadErrorScreen Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_error", "Continue", id="odplay.load-error.continue"),
    ]

    def __init__(self, error: ScenarioError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "This scenario cannot be opened"
            with VerticalScroll(id="problems"):
                yield Static(render_problems(self.error), id="problem-text")
            yield Static("Nothing was changed. The playground goes on with what it had.")
            with Horizontal():
                yield Button("Continue", variant="primary", id="continue")
                yield Button("Quit odplay", id="quit")

    def on_mount(self) -> None:
        self.query_one("#continue").focus()

    @on(Button.Pressed, "#continue")
    def action_dismiss_error(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(return_code=2)
