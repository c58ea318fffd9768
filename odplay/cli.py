"""The `odplay` command. `play` (also the bare `odplay`) and `screenshot` open the playground;
every other command is headless and never imports Textual.

Exit codes: 0 every expectation held; 1 an expectation failed (the run says which, and what was
seen instead); 2 bad input (a scenario file, an argument), with `file:line:column: field:` in the
message. Data goes to stdout, diagnostics to stderr.

Heavy modules (pydantic, ruamel.yaml, the model) are imported inside the commands, so that
`odplay --help` starts about as fast as Typer itself (see benchmarks/).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from odplay.scenario.budget import Budget
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


def _echo(message: str, err: bool = False) -> None:
    """Print a line that may hold a path or a scenario's words: control characters escaped."""
    from odplay.text import visible

    typer.echo(visible(message), err=err)


def _fail_input(message: str) -> NoReturn:
    _echo(message, err=True)
    raise typer.Exit(2)


def _load(scenario: str) -> tuple[Path, ScenarioModel]:
    from odplay.scenario.catalogue import resolve
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    path = resolve(scenario)
    try:
        return path, load_scenario(path)
    except ScenarioError as exc:
        _fail_input(str(exc))


MemoryBudgetOption = Annotated[
    str,
    typer.Option(
        "--memory-budget",
        metavar="SIZE",
        help="The memory the run may take (512MB, 2GB): a bigger run is refused, never swapped.",
    ),
]


def _budget(size: str, output: str) -> Budget:
    from odplay.scenario.budget import Budget, parse_size

    try:
        return Budget(parse_size(size), output)
    except ValueError as exc:
        _fail_input(f"--memory-budget: {exc}")


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context) -> None:
    """With no command: the playground, in free play on the built-in Section 4.2 network."""
    if ctx.invoked_subcommand is None:
        play(None, predict=False)


@app.command()
def play(
    scenario: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCENARIO]",
            help="A scenario to step through (a file, or a shipped one's name); none: free play.",
        ),
    ] = None,
    predict: Annotated[
        bool,
        typer.Option("--predict", help="Ask what will happen before each step that has questions."),
    ] = False,
) -> None:
    """Open the playground: free play on the default network, or a scenario to step through."""
    # The one way into Textual: the headless commands above and below never import it.
    from odplay.ui.launch import open_playground

    raise typer.Exit(open_playground(scenario, predict))


@app.command()
def serve(
    scenario: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCENARIO]", help="A scenario to open in each tab; none: free play."
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option("--host", help="The address to listen on; anything but localhost is public."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8000,
    predict: Annotated[bool, typer.Option("--predict", help="Open in predict mode.")] = False,
    max_sessions: Annotated[
        int,
        typer.Option(
            "--max-sessions",
            min=1,
            max=1000,
            help="Browser tabs served at once (each runs a playground of about 55 MiB).",
        ),
    ] = 10,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The URL students open, if not the address their browser used "
            "(behind a proxy, say).",
        ),
    ] = None,
    allow_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-origin",
            help="Another page origin allowed to open the playground's WebSocket (repeatable).",
        ),
    ] = None,
) -> None:
    """Serve the playground to a browser (textual-serve), on localhost unless told otherwise."""
    if scenario is not None:
        _load(scenario)  # refuse a bad file here, not in every browser tab
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        _fail_input(f"--public-url: {public_url!r} is not an http:// or https:// URL")
    from odplay.ui.serve import serve as serve_playground
    from odplay.ui.serve import students_addresses

    _echo(f"odplay: serving the playground on {host} port {port} (Ctrl+C stops)", err=True)
    addresses = [public_url] if public_url else students_addresses(host, port)
    if addresses:
        _echo(f"odplay: open {' or '.join(addresses)} in a browser", err=True)
    else:
        _echo(f"odplay: open http://<this machine's address>:{port} in a browser", err=True)
    try:
        serve_playground(
            scenario,
            host,
            port,
            predict,
            max_sessions=max_sessions,
            public_url=public_url,
            allowed_origins=tuple(allow_origin or ()),
        )
    except OSError as exc:
        _fail_input(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


@app.command()
def screenshot(
    out: Annotated[
        Path, typer.Option("--out", help="Where to write the SVG files.", file_okay=False)
    ] = Path("screenshots"),
) -> None:
    """Regenerate the playground's SVG screenshots (the ones README.md shows)."""
    from odplay.ui.screenshots import make_screenshots

    try:
        written = make_screenshots(out)
    except OSError as exc:
        _fail_input(f"{out}: cannot write there: {exc.strerror or exc}")
    for path in written:
        _echo(str(path))


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
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Run a scenario headless: its timeline, final tables and checked expectations."""
    budget = _budget(memory_budget, "json" if as_json else "quiet" if quiet else "table")
    path, model = _load(scenario)
    from odplay.scenario.runner import RunError, run_scenario

    try:
        result = run_scenario(model, budget)
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
        _echo(f"{path}: {failure.describe()}", err=True)
    _echo(f"{path}: {passed} passed, {failed} failed", err=True)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def validate(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files without running them."""
    from odplay.scenario.catalogue import resolve
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    bad = 0
    for scenario in scenarios:
        path = resolve(scenario)
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            _echo(str(exc), err=True)
            bad += 1
            continue
        _echo(f"{path}: ok ({model.title}, {len(model.steps)} steps)")
    raise typer.Exit(2 if bad else 0)


@app.command("scenarios")
def list_scenarios() -> None:
    """List the shipped scenarios with a one-line summary each."""
    from odplay.scenario.catalogue import shipped_scenarios

    for item in shipped_scenarios():
        if item.problem:
            _echo(f"{item.name}: cannot load: {item.problem}", err=True)
            continue
        _echo(f"{item.name:<31} {item.title}: {item.summary}")


@app.command()
def rules(
    rule_ids: Annotated[list[str] | None, typer.Argument(help="Rule IDs, e.g. F8 T4.")] = None,
    where: Annotated[
        bool,
        typer.Option(
            "--where", help="A Markdown table: each rule and the scenario steps showing it."
        ),
    ] = False,
) -> None:
    """Explain the draft's rules by ID, with the section each comes from."""
    from odplay.rules import RULES, explain

    if where:
        from odplay.scenario.catalogue import rule_table

        sys.stdout.write(rule_table())
        return

    wanted = [r.upper() for r in rule_ids] if rule_ids else list(RULES)
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        _fail_input(f"unknown rule ID: {', '.join(unknown)} (known: {', '.join(RULES)})")
    for rule_id in wanted:
        line = explain(rule_id)
        if RULES[rule_id].choice:
            line += f" [setting: {RULES[rule_id].choice}]"
        _echo(line)


@app.command()
def compare(
    scenario: Annotated[
        str,
        typer.Argument(metavar="SCENARIO", help="A scenario file, or the name of a shipped one."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Run a scenario three ways: on demand, Mobile IP for every socket, and no mobility."""
    budget = _budget(memory_budget, "compare")
    path, model = _load(scenario)
    from odplay.compare import compare_scenario
    from odplay.scenario.runner import RunError, check_size

    try:
        check_size(model, budget)
    except RunError as exc:
        _fail_input(exc.located(str(path)))
    comparison = compare_scenario(model, budget)
    if as_json:
        from odplay.report.compare_view import comparison_to_jsonable
        from odplay.report.jsonout import dumps

        sys.stdout.write(dumps(comparison_to_jsonable(comparison)) + "\n")
        return
    from rich.console import Console

    from odplay.report.compare_view import comparison_tables

    Console().print(comparison_tables(comparison))


class ExportFormat(StrEnum):
    mermaid = "mermaid"
    markdown = "markdown"
    svg = "svg"


@app.command()
def export(
    scenario: Annotated[
        str,
        typer.Argument(metavar="SCENARIO", help="A scenario file, or the name of a shipped one."),
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="mermaid: a sequence diagram; markdown: a report; svg: the ladder.",
        ),
    ] = ExportFormat.markdown,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Export a run: the message ladder as Mermaid or SVG, or the run as a Markdown report."""
    budget = _budget(memory_budget, "export")
    if out is not None:
        from odplay.files import UnsafeWrite, check_target

        try:
            check_target(out, overwrite=force)
        except FileExistsError:
            _fail_input(f"{out}: already exists; give --force to overwrite it")
        except UnsafeWrite as exc:
            _fail_input(str(exc))
    path, model = _load(scenario)
    from odplay.report.export import FORMATS
    from odplay.scenario.runner import RunError, run_scenario

    try:
        result = run_scenario(model, budget)
    except RunError as exc:
        _fail_input(exc.located(str(path)))
    text = FORMATS[fmt.value](result)
    if out is None:
        sys.stdout.write(text)
        return
    from odplay.files import UnsafeWrite, write_text

    try:
        write_text(out, text, overwrite=force)
    except FileExistsError:
        _fail_input(f"{out}: appeared while the run was exported; nothing was written")
    except UnsafeWrite as exc:
        _fail_input(str(exc))
    except OSError as exc:
        _fail_input(f"{out}: cannot write it: {exc.strerror or exc}")
    _echo(f"{out}: {fmt.value}, {len(result.sim.trace)} messages", err=True)


@app.command()
def errata() -> None:
    """Where the draft contradicts itself (rule A7), and what odplay does about each."""
    from odplay.constants import ERRATA

    for number, erratum in enumerate(ERRATA, start=1):
        _echo(f"{number}. {erratum.where}: {erratum.says}.")
        _echo(f"   The draft means: {erratum.canonical}.")
        _echo(f"   odplay: {erratum.odplay_does}.")


def main() -> None:
    app()
