"""Help: the four address types with the draft's own examples and rule IDs, the keys, and a
glossary of draft-16's and RFC 8653's names and the terms the playground uses.

The text is help.md beside this file, written in odplay's words and citing the draft by section
(3.2 for the types, 4.2 for the flow), followed by odplay/glossary.py's tables.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Markdown

from odplay.glossary import glossary_markdown
from odplay.ui.screens.reading_screen import ReadingScreen

#: help.md, then the glossary it ends with (odplay/glossary.py, also docs/glossary.md).
HELP = (
    resources.files("odplay.ui.screens").joinpath("help.md").read_text(encoding="utf-8")
    + "\n"
    + glossary_markdown()
)


class HelpScreen(ReadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "close", "Close", id="odplay.help.close"),
    ]
    HEADING = "Help"

    def content(self) -> ComposeResult:
        yield Markdown(HELP)
