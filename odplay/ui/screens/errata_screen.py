"""The errata view: where the draft contradicts itself (rule A7), and what odplay does about it."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.widgets import Static

from odplay.constants import ERRATA
from odplay.ui.screens.reading_screen import ReadingScreen


def errata_table() -> Table:
    table = Table(expand=True, show_lines=True, header_style="bold")
    table.add_column("where", no_wrap=True, style="cyan")
    table.add_column("the draft says")
    table.add_column("it means")
    table.add_column("odplay")
    for erratum in ERRATA:
        table.add_row(erratum.where, erratum.says, erratum.canonical, erratum.odplay_does)
    return table


class ErrataScreen(ReadingScreen):
    HEADING = "The draft's errata (A7, sections 3.5, 4.1, 6.1, 6.2)"
    WIDTH = 120

    def content(self) -> ComposeResult:
        yield Static(
            "Where the draft's text disagrees with itself, odplay follows Section 6 and "
            "accepts the other spelling as an alias (odplay/constants.py, ERRATA).\n"
        )
        yield Static(errata_table(), id="errata")
