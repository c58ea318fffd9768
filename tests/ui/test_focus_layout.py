"""The focus layout (z, or `layout = "focus"` in the settings file): one panel at a time, large,
at any size, with the step's explanation always on screen (for a projector)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from odplay.config import Config, load_config, to_toml
from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from odplay.ui.widgets.message_ladder import LadderLines
from tests.ui.conftest import FLOW, FakeClock, drive, flow_app


def _shown_panels(app: PlaygroundApp) -> list[str]:
    return [str(panel.id) for panel in app.query(".panel") if panel.display]


def test_the_settings_file_says_which_layout_and_refuses_another(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('layout = "focus"\n')
    config, problem = load_config(path)
    assert problem is None and config.layout == "focus"
    assert 'layout = "focus"' in to_toml(config)
    path.write_text('theme = "nord"\nlayout = "big"\n')
    config, problem = load_config(path)
    assert config == Config() and config.layout == "panels"
    assert problem is not None and problem.line == 2 and "layout is one of" in problem.message


def test_z_shows_one_panel_large_with_the_explanation_and_z_again_every_panel() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*["n"] * 5)
        await pilot.pause()
        assert _shown_panels(app) == ["prefixes", "ladder", "addresses", "sockets"]
        narrow = app.query_one(LadderLines).message_width
        await pilot.press("z")
        await pilot.pause()
        assert app.focus_layout and _shown_panels(app) == ["ladder"]
        assert app.query_one("#explain").display and app.query_one("#tabs").display
        assert "Step 5 of 8" in str(app.query_one("#explanation").render())
        # The one panel takes the whole width: the ladder's messages get most of it.
        assert app.query_one(LadderLines).message_width > narrow + 40
        await pilot.press("2")
        await pilot.pause()
        assert _shown_panels(app) == ["prefixes"]
        await pilot.press("z")
        await pilot.pause()
        assert not app.focus_layout and len(_shown_panels(app)) == 4

    drive(app, body, size=(160, 48))


def test_the_settings_file_s_focus_layout_is_there_from_the_first_frame() -> None:
    config = Config(layout="focus")
    app = PlaygroundApp(
        Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock(), config=config
    )

    async def body(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert app.focus_layout and _shown_panels(app) == ["ladder"]
        assert app.query_one("#explain").display

    drive(app, body, size=(160, 48))
