"""R3, B3 in the playground: the socket workbench's peer field (`k`) takes any peer, a
correspondent, a host name or an IPv6 address, so that two destinations can show source
selection's longest match; a value that is neither is refused in the dialog, and the palette
and the help screen say so."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Input, RichLog, Static

from odplay.ui.dialogs.socket_dialog import SocketDialog
from odplay.ui.palette import palette_entries
from odplay.ui.screens.help_screen import HELP
from tests.ui.conftest import drive, free_app


async def _connect_new_socket(pilot: Pilot[None], dialog: SocketDialog, peer: str) -> None:
    dialog.query_one("#do-socket", Button).press()
    await pilot.pause()
    dialog.query_one("#peer", Input).value = peer
    dialog.query_one("#do-connect", Button).press()
    await pilot.pause()


def test_R3_the_workbench_connects_to_addresses_and_the_source_follows_the_destination() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        assert dialog.query_one("#peer", Input).value == "www.example.org"
        await _connect_new_socket(pilot, dialog, "2001:db8:1:1::99")
        await _connect_new_socket(pilot, dialog, "2001:db8:1:2::99")
        log = "\n".join(str(line.text) for line in dialog.query_one("#results", RichLog).lines)
        assert "connect(3, [2001:db8:1:1::99]:443) from IPsl1 → 0" in log
        assert "connect(4, [2001:db8:1:2::99]:443) from IPnp1 → 0" in log
        sockets = {s.fd: s for s in app.session.sockets()}
        assert (sockets[3].source_address, sockets[4].source_address) == ("IPsl1", "IPnp1")

    drive(app, body, size=(100, 36))


def test_R3_the_workbench_refuses_a_peer_that_is_neither_an_address_nor_a_name() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        before = len(app.session.trace)
        await _connect_new_socket(pilot, dialog, "[red]not a host")
        problem = str(dialog.query_one(".problem", Static).render())
        assert "Peer:" in problem and "is neither an IPv6 address" in problem
        assert "[red]not a host" in problem  # shown as typed: data, not markup
        assert not [e for e in app.session.trace[before:] if e.kind.startswith("connect")]

    drive(app, body, size=(100, 36))


def test_R3_the_palette_and_the_help_screen_offer_a_free_peer() -> None:
    app = free_app()
    entries = {title: why for title, _, why in palette_entries(app)}
    assert "Connect to any peer…" in entries
    assert entries["Connect to any peer…"].startswith("R3")
    assert "IPv6 address" in HELP and "2001:db8:1:1::99" in HELP
