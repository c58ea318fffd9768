"""What every dialog shares: a centred frame with a title, Escape to cancel, and a line under the
fields where what is wrong with them is said as the learner types.

A dialog with many fields puts its problem line and buttons in an `.actions` block composed
before the fields but docked at the bottom: the buttons come first in the tab order and the
first of them has the focus when the dialog opens, so Enter applies at once and the fields are
a Tab away; however many fields there are (and however small the terminal: the fields scroll),
the buttons stay in sight."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Button, Static

from odplay.text import one_line, plain
from odplay.ui.dismiss_once import DismissOnceScreen
from odplay.ui.draw_now import draw_now

T = TypeVar("T")


class Dialog(DismissOnceScreen[T]):
    """A modal dialog; subclasses compose their fields inside `#dialog`.

    A dialog about the run (launching, moving, a socket's calls, a prediction...) shows the
    playground behind it, dimmed: the learner may want to read it while answering. One that
    is about files (class `-covers-the-run`: open, save) covers it: every frame of a
    see-through screen draws the playground under it again, tinted, which with a busy run kept
    the screen from drawing for about 100 ms as the dialog came up (benchmarks/long_work.py).
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog.-covers-the-run {
        background: $background;
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
        display: none;
    }
    Dialog .note {
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

    def actions(self, *buttons: Button) -> ComposeResult:
        """The `.actions` block of a dialog with many fields: its problem line and `buttons`,
        composed first (first in the tab order), docked under the fields (see the module)."""
        with Vertical(classes="actions"):
            yield Static("", classes="problem")
            with Horizontal(classes="buttons"):
                yield from buttons

    #: What the `.problem` lines say (they start hidden, saying nothing).
    _problem = ""
    #: The keys the frame's bottom edge lists, while it says what the dialog is doing instead.
    _keys: str | None = None

    def say_problem(self, text: str) -> None:
        """Show what is wrong (or nothing) in the dialog's `.problem` line."""
        if text == self._problem:
            return  # unchanged: no redraw, and no layout of the dialog
        self._problem = text
        for line in self.query(".problem").results(Static):
            line.update(plain(text))
            line.display = bool(text)

    def say_doing(self, text: str | None, draw: bool = False) -> None:
        """Say what the dialog is doing in its frame's bottom edge (None: its keys again), in
        place of the keys it lists there. One line that is always there: saying it lays
        nothing out, and with `draw` it is drawn at once, before the work it announces."""
        frame = next(iter(self.query("#dialog")), None)
        if frame is None:  # closing: nothing is left to say it in
            return
        if self._keys is None:
            self._keys = frame.border_subtitle
        # Text, not a string: a string here is read as markup, and `text` may hold a file's name.
        said = Content(one_line(text)) if text is not None else frame.render_str(self._keys or "")
        # Only the bottom edge is redrawn: the subtitle's setter redraws the whole frame, every
        # line of the dialog, which alone took twice a minimal app's key to frame. What the
        # setter stores, stored without its redraw (Textual's own attribute; the pin is exact),
        # then the one line redrawn: its region counts from the frame's content.
        frame._border_subtitle = said.expand_tabs(4).split()[0]
        top, left = frame.content_offset.y, frame.content_offset.x
        bottom = frame.outer_size.height - 1 - top
        frame.refresh(Region(-left, bottom, frame.outer_size.width, 1))
        if draw:
            draw_now(self.app, frame)
