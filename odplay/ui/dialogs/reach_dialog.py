"""A correspondent opens a connection to the host (C2): the learner picks who calls and what.

The targets are every published name and every address the host holds, at each listening port,
each saying whether something listens there; the reach itself decides, and the ladder shows the
answer with the path and its round-trip time (direct, or through the address's anchor).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from odplay.session.views import ReachTarget
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog

#: The Select value for "whichever correspondent": the model's default (no particular peer).
ANY = "(any correspondent)"


@dataclass(frozen=True, slots=True)
class ReachRequest:
    name: str
    port: int
    peer: str | None


class ReachDialog(Dialog[ReachRequest | None]):
    """Returns what to reach and from where, or None."""

    def __init__(self, targets: list[ReachTarget], correspondents: list[str]) -> None:
        super().__init__()
        self.targets = targets
        self.correspondents = correspondents

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "A correspondent reaches the host (C2)"
            dialog.border_subtitle = "Enter reaches · Esc cancels"
            yield Select(
                [(plain(name), name) for name in self.correspondents],
                prompt=ANY,
                id="peer",
                compact=True,
            )
            if self.targets:
                yield OptionList(
                    *(Option(plain(t.label), id=str(i)) for i, t in enumerate(self.targets)),
                    id="targets",
                    compact=True,
                )
            else:
                yield Static(
                    plain("Nothing to reach: the host holds no address and DNS names none."),
                    classes="note",  # always shown (a `.problem` line shows only what is said)
                )
            yield Static(
                plain(
                    "A Fixed address reaches the host across moves; a detached host reaches "
                    "nobody. The answer, path and RTT appear in the ladder."
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        if self.targets:
            self.query_one("#targets").focus()

    @on(OptionList.OptionSelected, "#targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        target = self.targets[int(event.option.id or 0)]
        peer = self.query_one("#peer", Select).value
        chosen_peer = peer if isinstance(peer, str) else None  # Select.BLANK: any correspondent
        self.dismiss(ReachRequest(target.name, target.port, chosen_peer))
