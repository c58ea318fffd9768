"""Export the current step as SVG (S, or the palette): the screen as it is, named
`<scenario>-step<N>.svg`, in the folder the app may write to (the files folder, confined to
it as saving is), never replacing a file without a second S."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from odplay.ui.palette import palette_entries
from tests.ui.conftest import FLOW, FakeClock, drive


def _app(folder: Path) -> PlaygroundApp:
    app = PlaygroundApp(
        Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock(), files=folder
    )
    app.scenario_name = FLOW.stem
    return app


def test_shift_s_writes_the_step_as_scenario_step_n_svg_in_the_files_folder(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "n", "S")
        await pilot.pause()
        written = tmp_path / "4.2-message-flow-step3.svg"
        assert written.is_file()
        svg = written.read_text().replace("&#160;", " ")  # Rich writes spaces so
        assert svg.startswith("<svg") and "step 3" in svg and "app2" in svg
        # Again: it exists, so the first S says so and leaves it; a second S replaces it.
        written.write_text("mine")
        await pilot.press("S")
        await pilot.pause()
        assert written.read_text() == "mine"
        assert any("S again replaces it" in n.message for n in app._notifications)
        await pilot.press("S")
        await pilot.pause()
        assert written.read_text().startswith("<svg")

    drive(app, body)


def test_free_play_names_the_file_by_its_messages_and_the_palette_offers_it(
    tmp_path: Path,
) -> None:
    app = PlaygroundApp(Session.free(), highlight_seconds=0, wall_clock=FakeClock(), files=tmp_path)
    assert "Export this step as SVG" in [entry[0] for entry in palette_entries(app)]

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("S")
        await pilot.pause()
        shown = len(app.session.trace)
        assert (tmp_path / f"free-play-step{shown}.svg").is_file()

    drive(app, body)
