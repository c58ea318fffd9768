"""What every dialog shares: a centred frame with a title, Escape to cancel, and a line under the
fields where what is wrong with them is said as the learner types.

A dialog with many fields puts its problem line and buttons in an `.actions` block composed
before the fields but docked at the bottom: the buttons come first in the tab order and the
first of them has the focus when the dialog opens, so Enter applies at once and the fields are
a Tab away; however many fields there are (and however small the terminal: the fields scroll),
the buttons stay in sight."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.widgets import Static

from odplay.text import plain
from odplay.ui.dismiss_once import DismissOnceScreen

T = TypeVar("T")


class Dialog(DismissOnceScreen[T]):
    """A modal dialog; subclasses compose their fields inside `#dialog`."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog > #dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    Dialog .field-row {
        height: auto;
        margin-bottom: 1;
    }
    Dialog .field-label {
        width: 18;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    Dialog .problem {
        color: $error;
        height: auto;
    }
    Dialog .buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    Dialog .actions {
        dock: bottom;
        height: auto;
    }
    Dialog .buttons Button {
        margin-left: 1;
    }
    Dialog Input.-textual-compact {
        background: $boost;
    }
    Dialog Input.-textual-compact:focus {
        background: $primary 30%;
    }
    Dialog .hint {
        color: $text-muted;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="odplay.dialog.cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def say_problem(self, text: str) -> None:
        """Show what is wrong (or nothing) in the dialog's `.problem` line."""
        for line in self.query(".problem").results(Static):
            line.update(plain(text))
            line.display = bool(text)
