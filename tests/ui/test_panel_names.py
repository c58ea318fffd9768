"""One name per panel: the tab, the panel's border, its key's description in the key bar, the
palette's command and the help all call each panel the same (the tab said "4 Ladder" while the
panel said "Messages")."""

from __future__ import annotations

from textual.pilot import Pilot

from odplay.ui.app import PlaygroundApp
from odplay.ui.screens.help_screen import HELP
from odplay.ui.widgets.panel_tabs import PANELS, render_tabs
from tests.ui.conftest import drive, flow_app


def test_each_panel_has_one_name_on_its_tab_border_key_palette_and_help() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        keys = {a.binding.action: a.binding.description for a in app.active_bindings.values()}
        tabs = render_tabs("ladder").plain
        help_line = next(line for line in HELP.splitlines() if line.startswith("| 1-4 |"))
        for number, (name, label) in enumerate(PANELS, start=1):
            assert app.query_one(f"#{name}").border_title == label
            assert f"{number} {label}" in tabs
            assert keys[f"show_panel({number})"] == label
            assert label in help_line
        assert "Messages" not in [str(w.border_title) for w in app.query(".panel")]

    drive(app, body)


def test_the_palette_names_each_panel_as_its_tab_does() -> None:
    from odplay.ui.palette import palette_entries

    app = PlaygroundApp(highlight_seconds=0)
    names = [entry[0] for entry in palette_entries(app)]
    for _name, label in PANELS:
        assert f"Show the {label} panel" in names
