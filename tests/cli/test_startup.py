"""What keeps the headless commands quick to start (benchmarks/startup.py measures it), and that
none of it changes what they print."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
import typer.main

from odplay.cli import app, main
from tests.conftest import loaded_by_a_run_of_the_4_2_flow

ARGVS = [
    ["run", "--help"],
    ["run"],
    ["run", "--version"],
    ["config", "--help"],
    ["validate", "--help"],
    ["rn", "4.2-message-flow"],
    ["--help"],
]


def _exit_code(call: Any) -> int | str | None:
    with pytest.raises(SystemExit) as done:
        call()
    return done.value.code


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_main_prints_what_the_whole_app_prints(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["odplay", *argv])
    whole = _exit_code(app)
    whole_out = capsys.readouterr()
    assert _exit_code(main) == whole
    assert capsys.readouterr() == whole_out


def test_main_builds_only_the_command_it_is_asked_for_and_puts_the_app_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built: list[str] = []
    real = typer.main.get_command_from_info

    def counted(command_info: Any, **kwargs: Any) -> Any:
        command = real(command_info, **kwargs)
        built.append(command.name)
        return command

    monkeypatch.setattr(typer.main, "get_command_from_info", counted)
    commands, groups = list(app.registered_commands), list(app.registered_groups)
    monkeypatch.setattr(sys, "argv", ["odplay", "run", "--help"])
    assert _exit_code(main) == 0
    assert built == ["run"]
    assert (app.registered_commands, app.registered_groups) == (commands, groups)
    built.clear()
    monkeypatch.setattr(sys, "argv", ["odplay", "--help"])
    assert _exit_code(main) == 0
    assert len(built) > 10 and "run" in built and "path" in built
    assert "scenarios" in capsys.readouterr().out


def test_shell_completion_still_offers_every_command() -> None:
    code = "import sys\nsys.argv = ['odplay', 'run']\nfrom odplay.cli import main\nmain()\n"
    env = {**os.environ, "_ODPLAY_COMPLETE": "complete_bash", "COMP_WORDS": "odplay r"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "COMP_CWORD": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.split()) == (0, ["run", "rules"]), done.stderr


#: Modules a run of the draft's own example has no use for, left to the runs that need them.
NOT_FOR_THE_4_2_FLOW = ("hashlib",)  # a host name's address (odplay.sim.peers)


def test_a_run_of_the_4_2_flow_loads_nothing_it_does_not_use() -> None:
    assert loaded_by_a_run_of_the_4_2_flow(NOT_FOR_THE_4_2_FLOW) == []
