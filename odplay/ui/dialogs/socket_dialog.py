"""The socket workbench: make the draft's socket calls one by one and see each return value.

socket(), setsockopt()/getsockopt() of IPV6_ADDR_PREFERENCES (RFC 5014 flags and ON_NET, A6),
setsc() (A1-A5, including reserved types, A2), bind(), listen(), connect() and close(). A
setsc() or connect() that must ask the network blocks, as the draft says it may (A5): simulated
time runs until the answer comes, and the wait is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, RichLog, Select

from odplay.constants import AddressType
from odplay.session.api import (
    Bind,
    Close,
    Command,
    Connect,
    GetSockOpt,
    Listen,
    Outcome,
    RunMoved,
    Setsc,
    SetSockOpt,
    SocketCall,
    SocketState,
    peer_problem,
)
from odplay.session.views import socket_label
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog
from odplay.ui.dialogs.fields import name_problem, parse_flags, parse_port

if TYPE_CHECKING:
    from odplay.ui.app import PlaygroundApp

NEW = -1
SETSC_CHOICES: list[tuple[str, int]] = [
    *((f"{t.value} {t.name}", t.value) for t in AddressType),
    *((f"{v} reserved (A2)", v) for v in (0, 5, 6, 7)),
]


#: The ladder's entries for socket calls and their answers: what the results log repeats.
CALL_KINDS = frozenset(
    {
        "socket",
        "call",
        "setsockopt",
        "getsockopt",
        "getsockopt-error",
        "setsc",
        "setsc-result",
        "setsc-unused",
        "bind",
        "listen",
        "connect",
        "close",
        "rfc5014-ignored",
        "on-demand",  # RFC 8653 Appendix A's field under host api: sockopt
        "setsockopt-error",
        "setsc-error",
        "bind-error",
        "listen-error",
        "connect-error",
        "close-error",
    }
)


class SocketDialog(Dialog[None]):
    """Bare socket calls on one socket; results are listed as they come."""

    DEFAULT_CSS = """
    SocketDialog > #dialog { width: 90; }
    SocketDialog Input { width: 1fr; }
    SocketDialog Select { width: 1fr; }
    SocketDialog .port { width: 10; }
    SocketDialog Button { min-width: 12; margin-left: 1; }
    SocketDialog #results { height: 8; border: round $primary 40%; }
    """

    def __init__(self, fd: int | None = None) -> None:
        super().__init__()
        self.fd = fd

    @property
    def playground(self) -> PlaygroundApp:
        return self.app  # type: ignore[return-value]

    def _socket_choices(self) -> list[tuple[Text, int]]:
        choices = [
            (plain(socket_label(s)), s.fd)
            for s in self.playground.session.sockets()
            if s.state is not SocketState.CLOSED
        ]
        return [*choices, (plain("new: socket()"), NEW)]

    def compose(self) -> ComposeResult:
        config = self.playground.session.network
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Socket calls (A1-A6, R1-R3)"
            dialog.border_subtitle = "Esc closes"
            with Horizontal(classes="field-row"):
                yield Label("Socket", classes="field-label")
                choices = self._socket_choices()
                # The socket selected in the table may have closed since: then start on "new".
                start = self.fd if any(fd == self.fd for _, fd in choices) else NEW
                yield Select(
                    choices,
                    value=start,
                    allow_blank=False,
                    id="socket",
                    compact=True,
                )
                yield Input("demo", placeholder="owner", id="owner", classes="port", compact=True)
                yield Button("socket()", id="do-socket", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Address type", classes="field-label")
                yield Select(SETSC_CHOICES, value=2, allow_blank=False, id="type", compact=True)
                yield Button("setsc()", variant="primary", id="do-setsc", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Preferences", classes="field-label")
                yield Input(
                    placeholder="on-net, home, coa... (A6, R1); on-demand=TYPE (api sockopt)",
                    id="flags",
                    compact=True,
                )
                yield Button("setsockopt()", id="do-setsockopt", compact=True)
                yield Button("getsockopt()", id="do-getsockopt", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Local address", classes="field-label")
                yield Input(
                    "setsc", placeholder="setsc, IPsl1, an address, ::", id="address", compact=True
                )
                yield Input("0", placeholder="port", id="port", classes="port", compact=True)
                yield Button("bind()", id="do-bind", compact=True)
                yield Button("listen()", id="do-listen", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Peer", classes="field-label")
                # Any peer: a correspondent (suggested as one types), or any Internet host by
                # IPv6 address or name, to see source selection's longest match (R3, B3).
                names = [c.name for c in config.correspondents]
                yield Input(
                    names[0] if names else "",
                    placeholder="a correspondent, a host name or an IPv6 address",
                    suggester=SuggestFromList(names, case_sensitive=False),
                    id="peer",
                    compact=True,
                )
                yield Input("443", placeholder="port", id="peer-port", classes="port", compact=True)
                yield Button("connect()", id="do-connect", compact=True)
                yield Button("close()", variant="error", id="do-close", compact=True)
            yield RichLog(id="results", wrap=True, markup=False)
            yield Label("", classes="problem")

    def on_mount(self) -> None:
        # The run may move while the dialog is open (time playing, a blocked call answered, a
        # move breaking a socket): the socket list follows it, so each state shown is current.
        self._unsubscribe = self.playground.session.subscribe(RunMoved, self._run_moved)
        self.say_problem("")
        self._sync_socket_state()
        self.query_one("#results", RichLog).write(
            Text("Each call and what it returned is listed here.", style="dim")
        )

    def on_unmount(self) -> None:
        self._unsubscribe()

    def _run_moved(self, _: RunMoved) -> None:
        if self.is_attached:
            self._refresh_choices(self._selected())

    # ------------------------------------------------------------------ helpers

    def _log_entry(self, text: str, ok: bool = True) -> None:
        self.query_one("#results", RichLog).write(Text(text, style="" if ok else "bold red"))

    def _selected(self) -> int | None:
        value = self.query_one("#socket", Select).value
        return value if isinstance(value, int) and value != NEW else None

    def _sync_socket_state(self) -> None:
        has_socket = self._selected() is not None
        for button in self.query(Button).results():
            if button.id not in ("do-socket",):
                button.disabled = not has_socket

    def _refresh_choices(self, select_fd: int | None) -> None:
        select = self.query_one("#socket", Select)
        # set_options re-selects the current value, which raises if that socket just closed:
        # "new" is always an option, so stand on it while the options change.
        select.value = NEW
        choices = self._socket_choices()
        select.set_options(choices)
        # The socket may have closed meanwhile (quit, or a break while time played): then "new".
        still_there = any(fd == select_fd for _, fd in choices)
        select.value = select_fd if select_fd is not None and still_there else NEW
        self._sync_socket_state()

    def _port(self, widget_id: str) -> int | None:
        try:
            port = parse_port(self.query_one(widget_id, Input).value)
        except ValueError as exc:
            self.say_problem(f"{exc}.")
            return None
        self.say_problem("")
        return port

    def _call(self, command: Command, fd: int | None = None) -> Outcome:
        """Make the call; one that blocks returns once simulated time has brought its answer.

        The log shows the call and its answer in the ladder's own words (the same entries, the
        same status names), so the workbench and the ladder never say one thing two ways.
        """
        session = self.playground.session
        before = len(session.trace)
        outcome = self.playground.act(command, wait=True)
        fd = fd if fd is not None else getattr(command, "fd", None)
        for entry in session.trace[before:]:
            if entry.kind in CALL_KINDS and (fd is None or entry.data.get("fd") == fd):
                self._log_entry(entry.text, ok=not entry.kind.endswith("-error"))
        if outcome.waited is not None:
            self._log_entry(f"(blocked {outcome.waited}ms while the stack asked the network: A5)")
        return outcome

    # ------------------------------------------------------------------ the calls

    @on(Select.Changed, "#socket")
    def _socket_changed(self) -> None:
        self._sync_socket_state()

    @on(Button.Pressed, "#do-socket")
    def _socket(self) -> None:
        owner = self.query_one("#owner", Input).value.strip()
        problem = name_problem(owner, set(), "owner")
        self.say_problem(problem)
        if problem:
            return
        fd = self._call(SocketCall(owner)).value
        if fd is not None:
            self._refresh_choices(fd)

    @on(Button.Pressed, "#do-setsc")
    def _setsc(self) -> None:
        fd = self._selected()
        value = self.query_one("#type", Select).value
        if fd is None or not isinstance(value, int):
            return
        self._call(Setsc(fd, value))
        self._refresh_choices(fd)

    @on(Button.Pressed, "#do-setsockopt")
    def _setsockopt(self) -> None:
        fd = self._selected()
        text = self.query_one("#flags", Input).value
        if fd is None:
            return
        try:
            flags = parse_flags(text, allow_on_net=True)
        except ValueError as exc:
            self.say_problem(f"{exc}.")
            return
        self.say_problem("")
        self._call(SetSockOpt(fd, flags))

    @on(Button.Pressed, "#do-getsockopt")
    def _getsockopt(self) -> None:
        """A real call, on the ladder like the others: what the stack holds, read back."""
        fd = self._selected()
        if fd is None:
            return
        self._call(GetSockOpt(fd))

    @on(Button.Pressed, "#do-bind")
    def _bind(self) -> None:
        fd = self._selected()
        port = self._port("#port")
        if fd is None or port is None:
            return
        address = self.query_one("#address", Input).value.strip() or "::"
        if address == "setsc":
            sock = self.playground.session.socket(fd)
            address = (sock.setsc_address if sock else None) or "::"
        self._call(Bind(fd, address, port))
        self._refresh_choices(fd)

    @on(Button.Pressed, "#do-listen")
    def _listen(self) -> None:
        fd = self._selected()
        port = self._port("#port")
        if fd is None or port is None:
            return
        self._call(Listen(fd, port))
        self._refresh_choices(fd)

    @on(Button.Pressed, "#do-connect")
    def _connect(self) -> None:
        fd = self._selected()
        port = self._port("#peer-port")
        peer = self.query_one("#peer", Input).value.strip()
        if fd is None or port is None:
            return
        problem = peer_problem(self.playground.session.network, peer)
        if problem:
            self.say_problem(f"Peer: {problem}.")
            return
        self._call(Connect(fd, peer, port))
        self._refresh_choices(fd)

    @on(Button.Pressed, "#do-close")
    def _close(self) -> None:
        fd = self._selected()
        if fd is None:
            return
        self._call(Close(fd))
        self._refresh_choices(None)
