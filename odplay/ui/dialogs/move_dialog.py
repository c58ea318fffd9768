"""Move the host to another attachment point, attach it, or detach it.

Each choice says beforehand what kind of move it is: behind the same gateway every prefix stays,
or the Non-persistent ones are replaced (T3, network same_gateway_move), a gateway change
withdraws Non-persistent prefixes (T3) and starts grace periods (T4), and detaching keeps Fixed
addresses configured (T1).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from odplay.session.api import NetworkConfig
from odplay.session.views import move_choices
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog


class MoveDialog(Dialog[str | None]):
    """Returns an attachment point's name, `detach`, or None."""

    def __init__(self, config: NetworkConfig, attachment: str | None) -> None:
        super().__init__()
        self.choices = move_choices(config, attachment)
        self.attachment = attachment

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = (
                f"Move the host (now on {self.attachment})"
                if self.attachment
                else "Attach the host"
            )
            dialog.border_subtitle = "Enter chooses · Esc cancels"
            yield OptionList(
                *(Option(plain(label), id=value) for value, label in self.choices),
                id="aps",
                compact=True,
            )
            yield Static("", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#aps").focus()

    @on(OptionList.OptionSelected, "#aps")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
