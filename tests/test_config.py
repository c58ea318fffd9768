"""The settings file: read from the platform's place (or ODPLAY_CONFIG), every mistake reported
with its line while odplay goes on with the defaults, and applied by the playground."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from typer.testing import CliRunner

from odplay.cli import app as cli
from odplay.config import Config, load_config
from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from tests.ui.conftest import FakeClock, drive


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == (Config(), None)


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = _file(tmp_path, 'theme = "nord"\nspeed = 2\n[keys]\n"odplay.next-step" = "n,j"\n')
    config, problem = load_config(path)
    assert problem is None
    assert (config.theme, config.speed, config.keys) == ("nord", 2.0, {"odplay.next-step": "n,j"})


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('theme = "nord"\nspeed = [\n', 2, "end of document"),
        ('theme = "nord"\nspeed = = 2\nkeys = 1\n', 2, "Invalid value"),
        ('theme = "nord"\ncolour = "red"\n', 2, "unknown setting 'colour'"),
        ("speed = 3\n", 1, "speed is one of"),
        ('[keys]\n"next" = "n"\n', 2, "not a binding id"),
        ('[keys]\n"odplay.next-step" = "N !"\n', 2, "Textual key names"),
    ],
)
def test_a_bad_file_says_where_and_keeps_the_defaults(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = _file(tmp_path, text)
    config, problem = load_config(path)
    assert config == Config()
    assert problem is not None and problem.line == line and says in problem.message
    assert f"{path}:{line}:" in str(problem)


def test_config_path_and_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, 'theme = "gruvbox"\n')
    monkeypatch.setenv("ODPLAY_CONFIG", str(path))
    assert CliRunner().invoke(cli, ["config", "path"]).stdout.strip() == str(path)
    shown = CliRunner().invoke(cli, ["config", "show"])
    assert shown.exit_code == 0 and 'theme = "gruvbox"' in shown.stdout
    path.write_text("speed = 7\n")
    bad = CliRunner().invoke(cli, ["config", "show"])
    assert bad.exit_code == 2 and f"{path}:1:" in bad.stderr
    assert 'theme = "textual-dark"' in bad.stdout  # the defaults, which are in effect


def test_the_playground_applies_theme_keys_and_speed() -> None:
    config = Config(theme="nord", speed=2.0, keys={"odplay.help": "j"})
    app = PlaygroundApp(Session.free(), highlight_seconds=0, wall_clock=FakeClock(), config=config)

    async def body(pilot: Pilot[None]) -> None:
        assert app.theme == "nord"
        assert app.session.speed == 2.0
        await pilot.press("j")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"

    drive(app, body)
