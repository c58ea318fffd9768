"""Where the host is: the central anchor, the gateways and their attachment points, and the path
each connected socket's traffic takes, through which anchor, with its round-trip time (C3, D11).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from odplay.session.api import format_duration
from odplay.session.views import Topology

#: Paths listed at most; the socket table has every one.
MAX_PATHS = 12
_CODE = {
    "fixed": "Fixed",
    "session-lasting": "SL",
    "non-persistent": "NP",
    "graceful-replacement": "GR",
}


def render_topology(view: Topology) -> Text:
    text = Text()
    text.append(view.anchor, style="bold magenta")
    text.append(" (Fixed prefixes)\n", style="dim")
    for index, gw in enumerate(view.gateways):
        last = index == len(view.gateways) - 1
        text.append(" └─ " if last else " ├─ ", style="dim")
        text.append(gw.name, style="bold green" if gw.serving else "")
        text.append(" ── ", style="dim")
        for number, ap in enumerate(gw.attachment_points):
            if number:
                text.append(" · ", style="dim")
            here = ap == view.attachment
            text.append(ap, style="bold reverse green" if here else "")
            if here:
                text.append(" ◀ host", style="bold green")
        text.append("\n")
    if view.attachment is None:
        text.append(" host detached", style="bold yellow")
        text.append(" (Fixed addresses stay configured: T1)\n", style="dim")
    if view.legacy_network:
        text.append(" legacy network", style="bold yellow")
        text.append(": no on-demand service (B7)\n", style="dim")
    else:
        supported = " ".join(_CODE[s] for s in view.supports) or "nothing"
        text.append(f" supports {supported}", style="")
        text.append(f" · default {_CODE[view.default_type]}", style="dim")
        text.append(f" · grace {format_duration(view.grace_period)}\n", style="dim")
    if view.legacy_stack:
        text.append(" legacy host stack: no setsc() (B2)\n", style="bold yellow")
    for path in view.paths[:MAX_PATHS]:
        text.append(f" {path.app}/{path.fd} ", style="dodger_blue1")
        text.append(f"{path.address} ")
        text.append(" ▸ ".join(path.path.hops[1:]), style="dim")
        via = f" via {path.path.via}" if path.path.via else " direct"
        text.append(f" {path.path.rtt}ms{via}\n", style="yellow" if path.path.via else "green")
    if len(view.paths) > MAX_PATHS:
        more = len(view.paths) - MAX_PATHS
        text.append(f" and {more} more connected sockets: see the socket table\n", style="dim")
    text.rstrip()
    return text


class NetworkMap(Static):
    """The topology and the paths, redrawn when the state changes (it is a few lines)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._shown: Topology | None = None

    def show(self, view: Topology) -> None:
        if view != self._shown:
            self._shown = view
            self.update(render_topology(view))
