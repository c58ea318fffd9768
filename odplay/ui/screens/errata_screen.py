"""The errata view: where the draft contradicts itself (rule A7), where RFC 8653's own text is
unclear, and what odplay does about each."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from odplay.constants import ERRATA, Erratum
from odplay.rfc8653 import RFC_ERRATA
from odplay.ui.screens.reading_screen import ReadingScreen


def errata_table(
    errata: tuple[Erratum, ...] = ERRATA, says: str = "the draft says", means: str = "it means"
) -> Table:
    table = Table(expand=True, show_lines=True, header_style="bold")
    table.add_column("where", no_wrap=True, style="cyan")
    table.add_column(says)
    table.add_column(means)
    table.add_column("odplay")
    for erratum in errata:
        table.add_row(erratum.where, erratum.says, erratum.canonical, erratum.odplay_does)
    return table


class ErrataScreen(ReadingScreen):
    HEADING = "Errata: draft-16's own (A7, sections 3.5, 4.1, 6.1, 6.2) and RFC 8653's"
    WIDTH = 120

    def content(self) -> ComposeResult:
        yield Static(
            "Where the draft's text disagrees with itself, odplay follows Section 6 and "
            "accepts the other spelling as an alias (odplay/constants.py, ERRATA).\n"
        )
        yield Static(errata_table(), id="errata")
        yield Static(
            Text(
                "\nRFC 8653's own: where the text the draft became is unclear, and how odplay "
                "reads it (odplay/rfc8653.py, RFC_ERRATA).\n"
            )
        )
        yield Static(
            errata_table(RFC_ERRATA, "RFC 8653 says", "odplay reads it as"),
            id="rfc-errata",
        )
