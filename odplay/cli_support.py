"""What the headless commands share: printing a line safely, refusing bad input (exit 2), the
output formats, the memory budget, and running one scenario file or a batch of them.

Kept apart from odplay/cli.py, which declares the commands, so that neither grows past what
reads in one sitting. Like the CLI, it never imports Textual, and imports heavy modules only
inside the functions that need them.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from typer.models import CommandInfo

    from odplay.scenario.budget import Budget
    from odplay.scenario.runner import RunResult


def echo_line(message: str, err: bool = False) -> None:
    """Print a line that may hold a path or a scenario's words: control characters escaped."""
    from odplay.text import visible

    typer.echo(visible(message), err=err)


def fail_input(message: str) -> NoReturn:
    echo_line(message, err=True)
    raise typer.Exit(2)


MemoryBudgetOption = Annotated[
    str,
    typer.Option(
        "--memory-budget",
        metavar="SIZE",
        help="The memory the run may take (512MB, 2GB): a bigger run is refused, never swapped.",
    ),
]


def memory_budget_of(size: str, output: str) -> Budget:
    from odplay.scenario.budget import Budget, parse_size

    try:
        return Budget(parse_size(size), output)
    except ValueError as exc:
        fail_input(f"--memory-budget: {exc}")


#: The short forms of `--format`, the same on every command that has them.
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Short for --format csv.")]
SideOption = Annotated[
    list[str] | None,
    typer.Option(
        "--side",
        help="Instead of the three ways, one run per side, each with these host settings "
        "(`api=sockopt`, `api=sockopt;sockopt_connect=now`, `rotation={}`), and a tally per "
        "address type. Give it twice or more.",
    ),
]


class OutputFormat(StrEnum):
    plain = "plain"
    json = "json"
    csv = "csv"


#: Piped output is laid out this wide whatever the terminal, so that it never depends on it.
PIPED_WIDTH = 200


def console() -> Console:
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=PIPED_WIDTH)


def chosen_format(fmt: OutputFormat | None, *shorthands: tuple[bool, OutputFormat]) -> OutputFormat:
    chosen = {f for on, f in shorthands if on} | ({fmt} if fmt else set())
    if len(chosen) > 1:
        fail_input(f"give one output format, not {' and '.join(sorted(chosen))}")
    return chosen.pop() if chosen else OutputFormat.plain


def scenario_paths(given: list[str]) -> tuple[list[Path], bool]:
    """The files named, with each folder's *.yaml in name order; True if a batch was asked for
    (several names, or a folder)."""
    from odplay.scenario.shipped import resolve

    paths: list[Path] = []
    batch = len(given) > 1
    for name in given:
        path = resolve(name)
        if path.is_dir():
            batch = True
            found = sorted(path.glob("*.yaml"))
            if not found:
                fail_input(f"{path}: a folder with no .yaml scenario files")
            paths += found
        else:
            paths.append(path)
    return paths, batch


def run_scenario_file(path: Path, budget: Budget) -> RunResult:
    """Load and run one scenario; bad input raises typer.Exit(2) after saying why."""
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario
    from odplay.scenario.runner import RunError, run_scenario

    try:
        model = load_scenario(path)
    except ScenarioError as exc:
        fail_input(str(exc))
    try:
        return run_scenario(model, budget)
    except RunError as exc:
        fail_input(exc.located(str(path)))


def run_one(path: Path, output: OutputFormat, quiet: bool, budget: Budget) -> int:
    result = run_scenario_file(path, budget)
    if output is OutputFormat.json:
        from odplay.report.jsonout import dumps, run_to_jsonable

        sys.stdout.write(dumps(run_to_jsonable(result, str(path))) + "\n")
    elif output is OutputFormat.csv:
        from odplay.report.csvout import RUN_HEADER, run_rows, to_csv

        sys.stdout.write(to_csv(run_rows(result, str(path)), RUN_HEADER))
    elif not quiet:
        from odplay.report.timeline import print_run

        print_run(result, console())
    passed = sum(c.ok for c in result.checks)
    for failure in result.failures:
        echo_line(failure.located(str(path)), err=True)
    echo_line(f"{path}: {passed} passed, {len(result.checks) - passed} failed", err=True)
    return 0 if result.ok else 1


def run_in_batch(path: Path, output: OutputFormat, budget: Budget) -> int:
    """One scenario of several: one line (or CSV rows, or one JSON object) for it."""
    try:
        result = run_scenario_file(path, budget)
    except typer.Exit as refused:  # already said why, on stderr
        if output is OutputFormat.plain:
            echo_line(f"{path}: bad input (see above)")
        return int(refused.exit_code or 2)
    passed = sum(c.ok for c in result.checks)
    failed = len(result.checks) - passed
    if output is OutputFormat.json:
        import json

        from odplay.report.jsonout import run_to_jsonable

        sys.stdout.write(json.dumps(run_to_jsonable(result, str(path)), ensure_ascii=True) + "\n")
    elif output is OutputFormat.csv:
        from odplay.report.csvout import run_rows, to_csv

        sys.stdout.write(to_csv(run_rows(result, str(path))))
    else:
        echo_line(f"{path}: {'ok' if result.ok else 'FAILED'}: {passed} passed, {failed} failed")
    for failure in result.failures:
        echo_line(failure.located(str(path)), err=True)
    return 0 if result.ok else 1


def run_asked(app: typer.Typer, args: list[str]) -> None:
    """Run the app on its command line (`args`, sys.argv[1:], which Click reads itself).

    Typer reads every command's annotations into Click parameters before it looks at the
    command line, 15-25 ms for all of odplay's; `odplay run ...` needs only `run`'s, so when the
    first argument names a command, only that one is built for this process (the app is put
    back afterwards). The help, shell completion and a mistyped name still see every command."""
    commands, groups = app.registered_commands, app.registered_groups
    asked = args[0] if args else ""
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    named = [c for c in commands if _command_name(c) == asked]
    named_groups = [g for g in groups if g.name == asked]
    if (named or named_groups) and not completing:
        app.registered_commands, app.registered_groups = named, named_groups
    try:
        app()
    finally:
        app.registered_commands, app.registered_groups = commands, groups


def _command_name(info: CommandInfo) -> str:
    """The name Typer gives a command: its own, or its function's with `_` as `-`."""
    if info.name:
        return info.name
    return info.callback.__name__.lower().replace("_", "-") if info.callback else ""
