"""A served playground (`odplay serve`) opens and saves files only inside its files folder.

A remote learner types paths into the open (`o`) and save (`s`) dialogs; whatever leads out of
the folder is refused in the dialog, which says the folder files must be in, and nothing is read
or written. The `--files` folder reaches each tab's command line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static
from typer.testing import CliRunner

from odplay.cli import app as cli
from odplay.session.session import Session
from odplay.ui import launch, serve
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.open_dialog import OpenDialog
from odplay.ui.dialogs.save_dialog import SaveDialog
from tests.ui.conftest import FLOW, FakeClock, drive, settle


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inside = tmp_path / "class"
    inside.mkdir()
    (inside / "flow.yaml").write_text(FLOW.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "elsewhere.yaml").write_text(FLOW.read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.yaml", inside / "link-out.yaml")
    os.symlink(tmp_path, inside / "up")
    return inside


def served_app(folder: Path | None, served: bool = True) -> PlaygroundApp:
    return PlaygroundApp(
        Session.free(), highlight_seconds=0, wall_clock=FakeClock(), served=served, files=folder
    )


async def _in_dialog(pilot: Pilot[None], key: str, text: str) -> tuple[bool, str]:
    """Press `key`, type `text`, press Enter: (whether the dialog stayed, what it says)."""
    await pilot.press(key)
    dialog = pilot.app.screen
    assert isinstance(dialog, OpenDialog | SaveDialog)
    field = dialog.query_one("#path", Input)
    field.value = text
    field.focus()  # the open dialog starts on its list of shipped scenarios
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)  # an opened scenario is loaded on a worker
    stayed = pilot.app.screen is dialog
    said = str(dialog.query_one(".problem", Static).render()) if stayed else ""
    if stayed:
        await pilot.press("escape")
        await pilot.pause()
    return stayed, said


OUTSIDE = ("/etc/passwd", "../elsewhere.yaml", "../../x.yaml", "link-out.yaml", "up/x.yaml")


def test_the_open_dialog_refuses_a_path_out_of_the_folder(folder: Path) -> None:
    app = served_app(folder)
    outside = [*OUTSIDE, str(folder.parent / "elsewhere.yaml")]

    async def body(pilot: Pilot[None]) -> None:
        for text in outside:
            stayed, said = await _in_dialog(pilot, "o", text)
            assert stayed, text
            assert f"files must be in {folder.resolve()}" in said, (text, said)
        assert app.session.title is None  # nothing was opened
        stayed, said = await _in_dialog(pilot, "o", "flow.yaml")
        assert not stayed, said
        assert app.session.title == "Section 4.2: the message flow"

    drive(app, body)


def test_the_save_dialog_refuses_a_path_out_of_the_folder(folder: Path) -> None:
    app = served_app(folder)
    before = sorted(p.name for p in folder.parent.iterdir())

    async def body(pilot: Pilot[None]) -> None:
        for text in (*OUTSIDE, "../new.yaml", "up/new.yaml", str(folder.parent / "new.yaml")):
            stayed, said = await _in_dialog(pilot, "s", text)
            assert stayed, text
            assert f"files must be in {folder.resolve()}" in said, (text, said)
        stayed, said = await _in_dialog(pilot, "s", "mine.yaml")
        assert not stayed, said

    drive(app, body)
    assert sorted(p.name for p in folder.parent.iterdir()) == before  # nothing written outside
    assert (folder / "mine.yaml").is_file()
    assert (folder.parent / "elsewhere.yaml").read_text(encoding="utf-8") == FLOW.read_text(
        encoding="utf-8"
    )


def test_served_with_no_folder_given_keeps_files_in_the_working_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    app = served_app(None)
    assert app.served and app.files_folder == folder.resolve()

    async def body(pilot: Pilot[None]) -> None:
        stayed, said = await _in_dialog(pilot, "s", str(folder.parent / "out.yaml"))
        assert stayed and "files must be in" in said

    drive(app, body)


def test_not_served_the_dialogs_take_any_path(folder: Path) -> None:
    app = served_app(None, served=False)
    assert not app.served and app.files_folder is None

    async def body(pilot: Pilot[None]) -> None:
        stayed, said = await _in_dialog(pilot, "o", str(folder.parent / "elsewhere.yaml"))
        assert not stayed, said

    drive(app, body)


# ---------------------------------------------------------------------- the command line


def test_serve_files_reaches_every_tabs_command(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[str] = []
    monkeypatch.setattr(serve.ServedPlayground, "serve", lambda self: commands.append(self.command))
    result = CliRunner().invoke(cli, ["serve", "--files", str(folder)])
    assert result.exit_code == 0, result.output
    assert commands == [serve.play_command(None, False, files=str(folder.resolve()), served=True)]
    assert commands[0].endswith(f"play --served --files {folder.resolve()}")


def test_serve_defaults_to_the_working_folder_and_refuses_a_missing_one(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[str] = []
    monkeypatch.setattr(serve.ServedPlayground, "serve", lambda self: commands.append(self.command))
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert commands[0].endswith(f"--served --files {folder.resolve()}")
    result = CliRunner().invoke(cli, ["serve", "--files", str(folder / "nope")])
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr
    assert len(commands) == 1


def test_play_passes_served_and_files_to_the_app(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bool, Path | None]] = []

    def fake_open(
        scenario: str | None, predict: bool = False, served: bool = False, files: Path | None = None
    ) -> int:
        seen.append((served, files))
        return 0

    monkeypatch.setattr(launch, "open_playground", fake_open)
    result = CliRunner().invoke(cli, ["play", "--served", "--files", str(folder)])
    assert result.exit_code == 0, result.output
    assert seen == [(True, folder.resolve())]
    assert "--served" not in CliRunner().invoke(cli, ["play", "--help"]).output  # hidden


def test_a_screenshot_is_written_in_the_folder_under_its_own_name_only(
    folder: Path, tmp_path: Path
) -> None:
    app = served_app(folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(tmp_path / "victim.svg", folder / "linked.svg")

    async def body(pilot: Pilot[None]) -> None:
        app.deliver_screenshot("../../shot.svg", str(elsewhere))
        app.deliver_screenshot("linked.svg")  # a link in the folder: never written through
        await pilot.pause()

    drive(app, body)
    assert (folder / "shot.svg").read_text(encoding="utf-8").startswith("<svg")
    assert list(elsewhere.iterdir()) == []
    assert not (tmp_path / "shot.svg").exists()
    assert not (tmp_path / "victim.svg").exists()
