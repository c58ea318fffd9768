"""Help: the four address types with the draft's own examples and rule IDs, then the keys.

The text is help.md beside this file, written in odplay's words and citing the draft by section
(3.2 for the types, 4.2 for the flow).
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Markdown

from odplay.ui.screens.reading_screen import ReadingScreen

HELP = resources.files("odplay.ui.screens").joinpath("help.md").read_text(encoding="utf-8")


class HelpScreen(ReadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "close", "Close", id="odplay.help.close"),
    ]
    HEADING = "Help"

    def content(self) -> ComposeResult:
        yield Markdown(HELP)
