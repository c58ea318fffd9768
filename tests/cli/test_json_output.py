"""Every `--json` output follows the project's convention and its shipped JSON Schema: one object
with `format` and `odplay` first, steps in the scenario's terms, one object per line for a batch.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from odplay import version
from odplay.cli import app

ROOT = Path(__file__).parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("odplay").joinpath("schemas", f"{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_run_json_matches_its_schema(scenario: Path) -> None:
    data = json.loads(_invoke("run", "--json", str(scenario)).stdout)
    jsonschema.validate(data, _schema("run"))
    assert list(data)[:2] == ["format", "odplay"]
    assert data["odplay"]["version"] == version()
    steps = len(data["checks"]) and max(c["step"] for c in data["checks"])
    assert all(0 <= e["step"] <= max(steps, data["state"]["step"]) for e in data["trace"])


@pytest.mark.parametrize("scenario", SHIPPED[:4], ids=lambda p: p.stem)
def test_compare_json_matches_its_schema(scenario: Path) -> None:
    data = json.loads(_invoke("compare", "--json", str(scenario)).stdout)
    jsonschema.validate(data, _schema("compare"))
    assert data["format"] == {"name": "odplay.compare", "version": 1}


def test_trace_steps_are_the_scenarios_own() -> None:
    data = json.loads(_invoke("run", "--json", "4.2-message-flow").stdout)
    narrations = [e for e in data["trace"] if e["kind"] == "narration"]
    assert [e["step"] for e in narrations] == list(range(1, 9))
    # A step that acts is told at its `at`; one that explains, with the events it explains,
    # which may come before its `at` (app1's re-establishment at 5.2s, for the step at 5.5s).
    assert all(e["time_ms"] <= e["step_at_ms"] for e in narrations)
    assert [e["time_ms"] for e in narrations if e["time_ms"] < e["step_at_ms"]] == [5200, 8050]
    assert data["state"]["step"] == 8


def test_a_batch_prints_one_json_object_per_line(tmp_path: Path) -> None:
    result = _invoke("run", "--json", "4.2-message-flow", "graceful-replacement")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        jsonschema.validate(json.loads(line), _schema("run"))


def test_a_folder_runs_every_scenario_and_prints_a_line_each() -> None:
    result = CliRunner().invoke(app, ["run", str(ROOT / "scenarios")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(SHIPPED)
    assert all(": ok: " in line for line in lines)


def test_a_batch_exits_1_when_an_expectation_fails_and_2_on_a_bad_file(tmp_path: Path) -> None:
    flow = (ROOT / "scenarios" / "4.2-message-flow.yaml").read_text()
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        flow.replace(
            "bound: IPnp2\n        reestablished: true", "bound: IPnp1\n        reestablished: true"
        )
    )
    good = ROOT / "scenarios" / "graceful-replacement.yaml"
    failed = CliRunner().invoke(app, ["run", str(good), str(wrong)])
    assert failed.exit_code == 1
    assert (
        "wrong.yaml: FAILED" in failed.stdout and "graceful-replacement.yaml: ok" in failed.stdout
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    refused = CliRunner().invoke(app, ["run", str(good), str(bad), str(wrong)])
    assert refused.exit_code == 2
    assert "bad.yaml" in refused.stderr


def test_csv_outputs_have_a_header_and_a_row_per_fact() -> None:
    run = _invoke("run", "--format", "csv", "4.2-message-flow").stdout.splitlines()
    assert run[0] == "scenario,step,at_ms,subject,expected,seen,ok"
    assert len(run) == 1 + 36
    compare = _invoke("compare", "--csv", "4.2-message-flow").stdout.splitlines()
    assert compare[0].startswith("scenario,mode,row,mean_rtt_ms")
    assert {line.split(",")[1] for line in compare[1:]} == {"on-demand", "mobile-ip", "none"}


def test_piped_output_does_not_depend_on_the_terminal_width() -> None:
    narrow = CliRunner().invoke(app, ["run", "4.2-message-flow"], env={"COLUMNS": "60"}).stdout
    wide = CliRunner().invoke(app, ["run", "4.2-message-flow"], env={"COLUMNS": "250"}).stdout
    assert narrow == wide
    assert "…" not in narrow and "2001:db8:1:1::/64" in narrow
