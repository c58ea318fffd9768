"""The `odplay` command. Headless commands only: none of them imports Textual.

Exit codes: 0 every expectation held; 1 an expectation failed (the run says which, and what was
seen instead); 2 bad input (a scenario file, an argument), with `file:line:column: field:` in the
message. Data goes to stdout, diagnostics to stderr.

Heavy modules (pydantic, ruamel.yaml, the model) are imported inside the commands, so that
`odplay --help` starts about as fast as Typer itself (see benchmarks/).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from odplay.scenario.schema import ScenarioModel

app = typer.Typer(
    name="odplay",
    help="A playground for On-Demand Mobility Management (draft-ietf-dmm-ondemand-mobility-16).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help, on purpose: Rich-formatted help imports and lays out Rich's markdown and
    # panels, which more than doubles the start-up of `odplay run --help` (see benchmarks/).
    rich_markup_mode=None,
)

DEFAULT_SCENARIO = "4.2-message-flow"


def scenarios_dir() -> Path:
    """The shipped scenarios: beside the package in a checkout (odplay is installed editable)."""
    return Path(__file__).resolve().parent.parent / "scenarios"


def _fail_input(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _resolve(scenario: str) -> Path:
    """A path, or the name of a shipped scenario (with or without .yaml)."""
    path = Path(scenario)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in scenario:
        return path
    for candidate in (scenarios_dir() / scenario, scenarios_dir() / f"{scenario}.yaml"):
        if candidate.exists():
            return candidate
    return path


def _load(scenario: str) -> tuple[Path, ScenarioModel]:
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    path = _resolve(scenario)
    try:
        return path, load_scenario(path)
    except ScenarioError as exc:
        _fail_input(str(exc))


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context) -> None:
    """With no command: the main job, the Section 4.2 message flow on the default network."""
    if ctx.invoked_subcommand is None:
        run(DEFAULT_SCENARIO, as_json=False, quiet=False)


@app.command()
def run(
    scenario: Annotated[
        str,
        typer.Argument(metavar="SCENARIO", help="A scenario file, or the name of a shipped one."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the trace and final state as JSON.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict.")] = False,
) -> None:
    """Run a scenario headless: its timeline, final tables and checked expectations."""
    path, model = _load(scenario)
    from odplay.scenario.runner import RunError, run_scenario

    try:
        result = run_scenario(model)
    except RunError as exc:
        _fail_input(exc.located(str(path)))
    if as_json:
        from odplay.report.jsonout import dumps, run_to_jsonable

        sys.stdout.write(dumps(run_to_jsonable(result, str(path))) + "\n")
    elif not quiet:
        from rich.console import Console

        from odplay.report.timeline import print_run

        print_run(result, Console())
    passed = sum(c.ok for c in result.checks)
    failed = len(result.checks) - passed
    for failure in result.failures:
        typer.echo(f"{path}: {failure.describe()}", err=True)
    typer.echo(f"{path}: {passed} passed, {failed} failed", err=True)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def validate(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files without running them."""
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    bad = 0
    for scenario in scenarios:
        path = _resolve(scenario)
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            typer.echo(str(exc), err=True)
            bad += 1
            continue
        typer.echo(f"{path}: ok ({model.title}, {len(model.steps)} steps)")
    raise typer.Exit(2 if bad else 0)


@app.command("scenarios")
def list_scenarios() -> None:
    """List the shipped scenarios with a one-line summary each."""
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    for path in sorted(scenarios_dir().glob("*.yaml")):
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            typer.echo(f"{path.stem}: cannot load: {exc.problems[0]}", err=True)
            continue
        typer.echo(f"{path.stem:<28} {model.title}: {model.summary}")


@app.command()
def rules(
    rule_ids: Annotated[list[str] | None, typer.Argument(help="Rule IDs, e.g. F8 T4.")] = None,
) -> None:
    """Explain the draft's rules by ID, with the section each comes from."""
    from odplay.rules import RULES, explain

    wanted = [r.upper() for r in rule_ids] if rule_ids else list(RULES)
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        _fail_input(f"unknown rule ID: {', '.join(unknown)} (known: {', '.join(RULES)})")
    for rule_id in wanted:
        line = explain(rule_id)
        if RULES[rule_id].choice:
            line += f" [setting: {RULES[rule_id].choice}]"
        typer.echo(line)


def main() -> None:
    app()
