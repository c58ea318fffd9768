"""`s` saves the run on screen as a scenario: it replays the same run, and a file already there
is replaced only when the learner saves a second time."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static
from typer.testing import CliRunner

from odplay.cli import app as cli
from odplay.session.session import Session
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.save_dialog import SaveDialog
from tests.ui.conftest import FakeClock, drive, free_app, settle


def _a_run(app: PlaygroundApp, clock: FakeClock) -> None:
    app.session.launch(spec_for("web-browser", "web-browser"))
    fd = app.session.do(cmd.SocketCall("me")).value
    app.session.do(cmd.Setsc(fd, 2))
    app.session.play()
    app._last_tick = clock.now
    clock.advance(3.0)
    app._tick()
    app.session.move("ap3")


async def _save_as(pilot: Pilot[None], path: Path) -> str:
    """Open the save dialog, type `path`, press Enter; what the dialog says, if it stays."""
    await pilot.press("s")
    dialog = pilot.app.screen
    assert isinstance(dialog, SaveDialog)
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)  # the recording is replayed on a worker
    if pilot.app.screen is dialog:
        return str(dialog.query_one(".problem", Static).render())
    return ""


def test_s_saves_a_scenario_that_replays_the_run(tmp_path: Path) -> None:
    clock = FakeClock()
    app = free_app(clock)
    path = tmp_path / "my-run.yaml"

    async def body(pilot: Pilot[None]) -> None:
        _a_run(app, clock)
        assert await _save_as(pilot, path) == ""

    drive(app, body)
    result = CliRunner().invoke(cli, ["run", "-q", str(path)])
    assert result.exit_code == 0, result.output
    replayed = Session.load(path)
    replayed.next_scenario_step()
    while replayed.next_scenario_step() is not None:
        pass
    moves = [e.text for e in replayed.sim.trace if e.kind == "move"]
    assert moves == [e.text for e in app.session.sim.trace if e.kind == "move"]


def test_saving_over_a_file_asks_first(tmp_path: Path) -> None:
    clock = FakeClock()
    app = free_app(clock)
    path = tmp_path / "mine.yaml"
    path.write_text("the learner's own notes\n")

    async def body(pilot: Pilot[None]) -> None:
        _a_run(app, clock)
        said = await _save_as(pilot, path)
        assert "exists" in said
        assert path.read_text() == "the learner's own notes\n"
        await pilot.press("escape")  # Esc keeps it
        await pilot.pause()
        assert path.read_text() == "the learner's own notes\n"
        assert await _save_as(pilot, path) != ""  # asked again: a new dialog asks anew
        await pilot.press("enter")  # the second Enter in the same dialog replaces it
        await settle(pilot)
        assert not isinstance(app.screen, SaveDialog)

    drive(app, body)
    assert path.read_text().startswith("# Recorded in the odplay playground")


def test_the_save_dialog_says_what_is_wrong_with_a_path(tmp_path: Path) -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        assert "folder" in await _save_as(pilot, tmp_path)
        await pilot.press("escape")
        assert ".yaml" in await _save_as(pilot, tmp_path / "notes.txt")
        await pilot.press("escape")
        assert "no such folder" in await _save_as(pilot, tmp_path / "nowhere" / "run.yaml")

    drive(app, body)
    assert list(tmp_path.iterdir()) == []


def test_saving_over_a_symbolic_link_says_what_to_do(tmp_path: Path) -> None:
    """A dangling link used to loop ("appeared meanwhile; save again"); a live one would have
    been replaced. Neither is written through: the dialog says why, and the link stays."""
    clock = FakeClock()
    app = free_app(clock)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    victim = tmp_path / "victim.yaml"
    victim.write_text("precious\n")
    live = tmp_path / "live.yaml"
    live.symlink_to(victim)

    async def body(pilot: Pilot[None]) -> None:
        _a_run(app, clock)
        said = await _save_as(pilot, dangling)
        assert "symbolic link" in said
        await pilot.press("enter")  # saving again changes nothing
        await settle(pilot)
        assert "symbolic link" in str(app.screen.query_one(".problem", Static).render())
        await pilot.press("escape")
        await _save_as(pilot, live)  # "exists": asks first
        await pilot.press("enter")
        await settle(pilot)
        assert "symbolic link" in str(app.screen.query_one(".problem", Static).render())

    drive(app, body)
    assert dangling.is_symlink() and not (tmp_path / "nowhere.yaml").exists()
    assert live.is_symlink() and victim.read_text() == "precious\n"
