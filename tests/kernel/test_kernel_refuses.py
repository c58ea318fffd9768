"""A machine that cannot run a scenario on its kernel is told which check failed and how to get
it, with exit 2, before anything is made (no root needed: the checks are made to fail). And the
report's JSON follows the project's convention and its schema, built here from made-up checks.
"""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.kernel import preflight
from odplay.kernel.checks import Check
from odplay.kernel.report import KernelReport, render, to_jsonable
from odplay.kernel.wire import Lateness


def test_not_root_is_refused_with_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight.os, "geteuid", lambda: 1000)
    result = CliRunner().invoke(app, ["kernel", "4.2-message-flow"])
    assert result.exit_code == 2
    assert "cannot run it: root:" in result.output
    assert "sudo odplay kernel" in result.output
    assert "Traceback" not in result.output


def test_without_pyroute2_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = preflight.find_spec
    monkeypatch.setattr(
        preflight, "find_spec", lambda name: None if name == "pyroute2" else real(name)
    )
    monkeypatch.setattr(preflight.os, "geteuid", lambda: 0)
    result = CliRunner().invoke(app, ["kernel", "graceful-replacement"])
    assert result.exit_code == 2
    assert "pip install 'odplay[kernel]'" in result.output


def test_a_missing_scenario_or_a_bad_format_is_bad_input() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["kernel"]).exit_code == 2
    assert runner.invoke(app, ["kernel", "--format", "csv", "4.2-message-flow"]).exit_code == 2
    assert runner.invoke(app, ["kernel", "no-such-scenario"]).exit_code == 2


def _report() -> KernelReport:
    checks = [
        Check(
            2,
            1000,
            "connect(fd 3 (app1), im.example.com:5222)",
            "0 from IPnp1",
            "0 from IPnp1",
            True,
            kind="source",
        ),
        Check(
            2,
            1000,
            "fd 3 (app1): round trip",
            "24 ms direct",
            "31.0 ms",
            False,
            "too slow",
            kind="rtt",
            numbers=(24.0, 31.0),
        ),
        Check(
            2,
            1000,
            "setsc(fd 3 (app1))",
            "0, IPnp1",
            "user-space setsc()",
            True,
            counted=False,
            kind="harness",
        ),
        Check(1, 0, "[bold]x\x1b[2J", "odplay", "linux", True, kind="status"),
    ]
    return KernelReport(
        "f.yaml", "A [red]title[/red]", 7, "6.18", checks, Lateness(10, 1.0, 0.5, 2, "ordinary")
    )


def test_the_json_follows_the_convention_and_the_schema() -> None:
    text = resources.files("odplay").joinpath("schemas", "kernel.schema.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = to_jsonable(_report())
    jsonschema.validate(data, schema)
    assert list(data)[:2] == ["format", "odplay"]
    assert data["summary"] == {"checks": 3, "agree": 2, "agreement": 2 / 3, "harness": 1}
    assert data["checks"][1]["why"] == "too slow" and data["checks"][0]["why"] is None
    assert data["round_trips"]["mean_offset_ms"] == 7.0
    assert "\x1b" not in json.dumps(data)


def test_the_table_shows_a_scenarios_words_as_text_not_markup() -> None:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(render(_report()))
    shown = console.export_text()
    assert "A [red]title[/red]" in shown and "[bold]x" in shown
    assert "\x1b" not in shown
    assert "3 checks the kernel decided, 2 agree (67%)" in shown
