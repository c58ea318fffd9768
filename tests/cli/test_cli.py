"""The headless commands: exit codes 0/1/2, data on stdout, diagnostics on stderr, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from odplay.cli import app

ROOT = Path(__file__).parents[2]
FLOW = str(ROOT / "scenarios" / "4.2-message-flow.yaml")


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def test_run_passes_the_4_2_flow_and_tells_it_as_a_story(cli: CliRunner) -> None:
    result = cli.invoke(app, ["run", FLOW])
    assert result.exit_code == 0, result.output
    assert "Section 4.2: the message flow" in result.stdout
    assert "EAI_REQUIREDIPNOTSUPPORTED" in result.stdout
    assert "36 passed, 0 failed" in result.stderr


def test_run_json_reports_trace_and_final_state(cli: CliRunner) -> None:
    result = cli.invoke(app, ["run", FLOW, "--json"])
    data = json.loads(result.stdout)
    assert data["ok"] is True
    sockets = {s["fd"]: s for s in data["state"]["sockets"]}
    assert any(
        s["bound_address"] == "IPnp2" and s["state"] == "connected" for s in sockets.values()
    )
    assert {"time_ms", "actor", "kind", "text", "rules"} <= set(data["trace"][0])


def test_a_shipped_scenario_can_be_named_without_its_path(cli: CliRunner) -> None:
    assert cli.invoke(app, ["run", "4.2-message-flow", "-q"]).exit_code == 0


def test_a_failed_expectation_exits_1_and_says_what_was_seen(
    cli: CliRunner, tmp_path: Path
) -> None:
    text = (
        Path(FLOW)
        .read_text()
        .replace(
            "bound: IPnp2\n        reestablished: true", "bound: IPnp1\n        reestablished: true"
        )
    )
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text)
    result = cli.invoke(app, ["run", str(wrong), "-q"])
    assert result.exit_code == 1
    assert "step 6: socket app1: bound IPnp1 FAILED (saw bound IPnp2)" in result.stderr


def test_bad_input_exits_2_with_file_line_and_field(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nsteps:\n  - at: 0s\n    do:\n      - move: mars\n")
    for command in (["run", str(bad)], ["validate", str(bad)]):
        result = cli.invoke(app, command)
        assert result.exit_code == 2
        assert f"{bad}:5:9: steps[0].do[0].move: no attachment point 'mars'" in result.stderr
        assert "Traceback" not in result.output


def test_an_action_that_does_not_fit_the_state_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "twice.yaml"
    bad.write_text(
        "title: t\nsteps:\n  - at: 0s\n    do:\n      - attach: ap1\n      - attach: ap2\n"
    )
    result = cli.invoke(app, ["run", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:6: steps[0].do[1].attach: the host is already attached" in result.stderr


def test_every_network_setting_the_schema_accepts_can_change_mid_run(
    cli: CliRunner, tmp_path: Path
) -> None:
    scenario = tmp_path / "settings.yaml"
    scenario.write_text(
        "title: t\nsteps:\n  - at: 0s\n    do:\n      - attach: ap1\n"
        "      - network: {inter_gateway_delay: 40ms, grace_period: 5s, legacy: false}\n"
    )
    result = cli.invoke(app, ["run", str(scenario), "--json"])
    assert result.exit_code == 0, result.stderr
    texts = [e["text"] for e in json.loads(result.stdout)["trace"]]
    assert "network inter_gateway_delay = 40" in texts


def test_validate_scenarios_and_rules(cli: CliRunner) -> None:
    assert cli.invoke(app, ["validate", FLOW]).exit_code == 0
    listing = cli.invoke(app, ["scenarios"])
    assert listing.exit_code == 0 and "4.2-message-flow" in listing.stdout
    rules = cli.invoke(app, ["rules", "F8", "s1"])
    assert "F8 (section 4.2)" in rules.stdout and "S1 (section 7)" in rules.stdout
    assert cli.invoke(app, ["rules", "Q7"]).exit_code == 2


def test_a_bad_option_exits_2(cli: CliRunner) -> None:
    assert cli.invoke(app, ["run", FLOW, "--colour"]).exit_code == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["run", FLOW, "--json"],
        ["run", "--help"],
        ["validate", FLOW],
        ["scenarios"],
        ["rules", "F5"],
        ["rules", "--where"],
        ["export", FLOW, "-f", "mermaid"],
        ["compare", FLOW],
        ["errata"],
        ["kernel"],
        ["kernel", "--help"],
        ["--help"],
    ],
)
def test_headless_commands_never_import_textual(argv: list[str]) -> None:
    """The import contract, checked at run time: a real headless run loads no textual module."""
    code = (
        "import sys\n"
        "from odplay.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "sys.stderr.write('TEXTUAL:' + ','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "TEXTUAL:" in done.stderr and done.stderr.rsplit("TEXTUAL:", 1)[1] == ""


def test_the_playground_without_a_terminal_says_so_and_exits_2(cli: CliRunner) -> None:
    for argv in ([], ["play"], ["play", "4.2-message-flow"]):
        result = cli.invoke(app, argv)
        assert result.exit_code == 2
        assert "the playground needs a terminal" in result.stderr
        assert "Traceback" not in result.output


def test_screenshot_regenerates_the_svgs(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["screenshot", "--out", str(tmp_path / "shots")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "shots").glob("*.svg"))
    assert {"4.2-start.svg", "4.2-after-move.svg", "4.2-end.svg"} <= set(written)
    assert (
        "Section 4.2, step 5: just after the move"
        in (tmp_path / "shots" / "4.2-after-move.svg").read_text()
    )


def test_screenshot_into_a_file_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    result = cli.invoke(app, ["screenshot", "--out", str(taken)])
    assert result.exit_code == 2 and taken.read_text() == "mine"


def test_python_dash_m_odplay_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "odplay", "rules", "A7"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "A7 (section 4.1, 6.1, 6.2)" in done.stdout


def test_errata_lists_every_A7_inconsistency_and_what_odplay_does(cli: CliRunner) -> None:
    from odplay.constants import ERRATA

    result = cli.invoke(app, ["errata"])
    assert result.exit_code == 0
    for erratum in ERRATA:
        assert erratum.says in result.stdout and erratum.odplay_does in result.stdout


def test_version_comes_from_the_package_metadata(cli: CliRunner) -> None:
    from importlib.metadata import version

    result = cli.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"odplay {version('odplay')}"


def test_scenario_arguments_complete_to_shipped_names() -> None:
    from odplay.cli import _complete_scenario

    assert _complete_scenario("4.2") == ["4.2-message-by-message", "4.2-message-flow"]
    assert "graceful-replacement" in _complete_scenario("")
    assert _complete_scenario("no-such") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_offered_for_each_shell(cli: CliRunner, shell: str) -> None:
    result = cli.invoke(app, ["--show-completion", shell])
    assert result.exit_code == 0 and "odplay" in result.stdout.lower()


_LONG = """title: long
summary: a long idle run
seed: 1
network:
  supports: [session-lasting, non-persistent, graceful-replacement]
  signalling_delay: 0ms
applications:
  - name: im
    kind: instant-messenger
steps:
  - at: 0s
    do:
      - attach: ap1
      - launch: im
end: 2h
"""


def test_D9_compare_estimates_each_side_before_running_any(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(_LONG)
    sides = ["--side", "rotation={}", "--side", "rotation={non-persistent: 1ms}"]
    result = cli.invoke(app, ["compare", str(path), *sides])
    assert result.exit_code == 2, result.output
    assert "--side 2 (rotation={non-persistent: 1ms}): this run would take about" in result.stderr
    assert "Traceback" not in result.output


def test_D9_compare_takes_at_most_eight_sides(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(_LONG.replace("end: 2h", "end: 10s"))
    sides = [arg for n in range(9) for arg in ("--side", f"rotation={{non-persistent: {n + 1}s}}")]
    result = cli.invoke(app, ["compare", str(path), *sides])
    assert result.exit_code == 2
    assert "--side: at most 8 sides (9 given)" in result.stderr
    result = cli.invoke(app, ["compare", str(path), "--side", "api=setsc", "--side", "api=\u2028"])
    assert result.exit_code == 2
    assert "--side 2: one line of KEY=VALUE settings" in result.stderr
