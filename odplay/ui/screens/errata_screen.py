"""The errata view: where the draft contradicts itself (rule A7), and what odplay does about it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from odplay.constants import ERRATA


def errata_table() -> Table:
    table = Table(expand=True, show_lines=True, header_style="bold")
    table.add_column("where", no_wrap=True, style="cyan")
    table.add_column("the draft says")
    table.add_column("it means")
    table.add_column("odplay")
    for erratum in ERRATA:
        table.add_row(erratum.where, erratum.says, erratum.canonical, erratum.odplay_does)
    return table


class ErrataScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ErrataScreen { align: center middle; background: $background 60%; }
    ErrataScreen > VerticalScroll {
        width: 120; max-width: 100%; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="odplay.errata.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "The draft's errata (A7, sections 3.5, 4.1, 6.1, 6.2)"
            box.border_subtitle = "Esc closes"
            yield Static(
                "Where the draft's text disagrees with itself, odplay follows Section 6 and "
                "accepts the other spelling as an alias (odplay/constants.py, ERRATA).\n"
            )
            yield Static(errata_table(), id="errata")

    def action_close(self) -> None:
        self.dismiss(None)
