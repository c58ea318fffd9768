"""The network panel in the playground: a map where it fits, following the host as it moves;
the tree on an 80x24 terminal (C3, D11, T1)."""

from __future__ import annotations

from textual.pilot import Pilot

from odplay.ui.widgets.network_map import NetworkMap
from tests.ui.conftest import drive, free_app


def _panel(pilot: Pilot[None]) -> str:
    return str(pilot.app.query_one(NetworkMap).render())


def test_the_panel_draws_the_map_on_a_large_terminal_and_follows_the_host() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        rows = _panel(pilot).split("\n")
        assert rows[0].startswith("Internet") and "▲ host" in rows[6]
        assert rows[6].index("▲") == rows[5].index("ap1") + 1
        app.do_move("ap3")
        await pilot.pause()
        rows = _panel(pilot).split("\n")
        assert rows[6].index("▲") == rows[5].index("ap3") + 1
        await pilot.press("a")  # detach
        await pilot.pause()
        assert "host detached" in _panel(pilot)

    drive(app, body, size=(160, 48))


def test_the_panel_keeps_the_tree_at_80x24() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        shown = _panel(pilot)
        assert shown.startswith("anchor (Fixed prefixes)") and "ap1 ◀ host" in shown

    drive(app, body, size=(80, 24))
