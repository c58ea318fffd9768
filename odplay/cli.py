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
    from rich.console import Console

    from odplay.scenario.budget import Budget
    from odplay.scenario.runner import RunResult
    from odplay.scenario.schema import ScenarioModel

app = typer.Typer(
    name="odplay",
    help="A playground for On-Demand Mobility Management (draft-ietf-dmm-ondemand-mobility-16).",
    no_args_is_help=False,
    # `--install-completion` / `--show-completion` for bash, zsh and fish; scenario arguments
    # complete to the shipped scenarios' names.
    add_completion=True,
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


def _print_version(value: bool) -> None:
    if value:
        from odplay import version

        typer.echo(f"odplay {version()}")
        raise typer.Exit(0)


def _complete_scenario(incomplete: str) -> list[str]:
    """Shell completion for a SCENARIO argument: the shipped scenarios' names."""
    from odplay.scenario.catalogue import shipped_names

    return [name for name in shipped_names() if name.startswith(incomplete)]


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
def main_callback(
    ctx: typer.Context,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print odplay's version and exit.",
        ),
    ] = False,
) -> None:
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
            autocompletion=_complete_scenario,
        ),
    ] = None,
    predict: Annotated[
        bool,
        typer.Option("--predict", help="Ask what will happen before each step that has questions."),
    ] = False,
    # Hidden: what `odplay serve` gives each browser tab (see odplay.ui.serve.play_command).
    served: Annotated[
        bool,
        typer.Option("--served", hidden=True, help="A browser drives this playground."),
    ] = False,
    files: Annotated[
        Path | None,
        typer.Option(
            "--files", hidden=True, help="The one folder files may be opened or saved in."
        ),
    ] = None,
) -> None:
    """Open the playground: free play on the default network, or a scenario to step through."""
    if files is not None and not files.is_dir():
        _fail_input(f"--files: {files} is not a folder")
    # The one way into Textual: the headless commands above and below never import it.
    from odplay.ui.launch import open_playground

    folder = files.resolve() if files is not None else None
    raise typer.Exit(open_playground(scenario, predict, served=served, files=folder))


@app.command()
def serve(
    scenario: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCENARIO]",
            help="A scenario to open in each tab; none: free play.",
            autocompletion=_complete_scenario,
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
    files: Annotated[
        Path | None,
        typer.Option(
            "--files",
            help="The one folder a tab may open or save files in (default: the current folder).",
        ),
    ] = None,
) -> None:
    """Serve the playground to a browser (textual-serve), on localhost unless told otherwise.

    Each tab may open and save files only inside one folder (--files, or the current folder):
    a path outside it, through `..` or a link, is refused. Nothing a tab does needs root or
    touches the machine: any such action is off when served.
    """
    folder = (files or Path.cwd()).resolve()
    if not folder.is_dir():
        _fail_input(f"--files: {files} is not a folder")
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
            files=folder,
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


class OutputFormat(StrEnum):
    plain = "plain"
    json = "json"
    csv = "csv"


#: Piped output is laid out this wide whatever the terminal, so that it never depends on it.
PIPED_WIDTH = 200


def _console() -> Console:
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=PIPED_WIDTH)


def _chosen_format(
    fmt: OutputFormat | None, *shorthands: tuple[bool, OutputFormat]
) -> OutputFormat:
    chosen = {f for on, f in shorthands if on} | ({fmt} if fmt else set())
    if len(chosen) > 1:
        _fail_input(f"give one output format, not {' and '.join(sorted(chosen))}")
    return chosen.pop() if chosen else OutputFormat.plain


def _scenario_paths(given: list[str]) -> tuple[list[Path], bool]:
    """The files named, with each folder's *.yaml in name order; True if a batch was asked for
    (several names, or a folder)."""
    from odplay.scenario.catalogue import resolve

    paths: list[Path] = []
    batch = len(given) > 1
    for name in given:
        path = resolve(name)
        if path.is_dir():
            batch = True
            found = sorted(path.glob("*.yaml"))
            if not found:
                _fail_input(f"{path}: a folder with no .yaml scenario files")
            paths += found
        else:
            paths.append(path)
    return paths, batch


SCENARIOS_ARGUMENT = typer.Argument(
    metavar="SCENARIO...",
    help="Scenario files, folders of them, or shipped scenarios' names.",
    autocompletion=_complete_scenario,
)


@app.command()
def run(
    scenarios: Annotated[list[str], SCENARIOS_ARGUMENT],
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="plain: the timeline and tables; json: the trace and final state (one object "
            "per line for several files); csv: one row per expectation.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Short for --format json.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict.")] = False,
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Run scenarios headless: the timeline, final tables and checked expectations; with several
    files or a folder, one line each. Exit 1 if an expectation failed, 2 if a file is bad."""
    output = _chosen_format(fmt, (as_json, OutputFormat.json))
    shown = (
        "json"
        if output is OutputFormat.json
        else "table"
        if output is OutputFormat.plain
        else "quiet"
    )
    budget = _budget(memory_budget, "quiet" if quiet else shown)
    paths, batch = _scenario_paths(scenarios)
    if not batch:
        raise typer.Exit(_run_one(paths[0], output, quiet, budget))
    worst = 0
    if output is OutputFormat.csv:
        from odplay.report.csvout import RUN_HEADER, to_csv

        sys.stdout.write(to_csv((), RUN_HEADER))
    for path in paths:
        code = _run_in_batch(path, output, budget)
        worst = max(worst, code) if 2 not in (worst, code) else 2
    raise typer.Exit(worst)


def _run_scenario(path: Path, budget: Budget) -> RunResult:
    """Load and run one scenario; bad input raises typer.Exit(2) after saying why."""
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario
    from odplay.scenario.runner import RunError, run_scenario

    try:
        model = load_scenario(path)
    except ScenarioError as exc:
        _fail_input(str(exc))
    try:
        return run_scenario(model, budget)
    except RunError as exc:
        _fail_input(exc.located(str(path)))


def _run_one(path: Path, output: OutputFormat, quiet: bool, budget: Budget) -> int:
    result = _run_scenario(path, budget)
    if output is OutputFormat.json:
        from odplay.report.jsonout import dumps, run_to_jsonable

        sys.stdout.write(dumps(run_to_jsonable(result, str(path))) + "\n")
    elif output is OutputFormat.csv:
        from odplay.report.csvout import RUN_HEADER, run_rows, to_csv

        sys.stdout.write(to_csv(run_rows(result, str(path)), RUN_HEADER))
    elif not quiet:
        from odplay.report.timeline import print_run

        print_run(result, _console())
    passed = sum(c.ok for c in result.checks)
    for failure in result.failures:
        _echo(f"{path}: {failure.describe()}", err=True)
    _echo(f"{path}: {passed} passed, {len(result.checks) - passed} failed", err=True)
    return 0 if result.ok else 1


def _run_in_batch(path: Path, output: OutputFormat, budget: Budget) -> int:
    """One scenario of several: one line (or CSV rows, or one JSON object) for it."""
    try:
        result = _run_scenario(path, budget)
    except typer.Exit as refused:  # already said why, on stderr
        if output is OutputFormat.plain:
            _echo(f"{path}: bad input (see above)")
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
        _echo(f"{path}: {'ok' if result.ok else 'FAILED'}: {passed} passed, {failed} failed")
    for failure in result.failures:
        _echo(f"{path}: {failure.describe()}", err=True)
    return 0 if result.ok else 1


@app.command()
def validate(
    scenarios: Annotated[
        list[str],
        typer.Argument(help="Scenario files to check.", autocompletion=_complete_scenario),
    ],
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
        typer.Argument(
            metavar="SCENARIO",
            help="A scenario file, or the name of a shipped one.",
            autocompletion=_complete_scenario,
        ),
    ],
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="plain: tables side by side; json: one object; csv: one row per application "
            "and mode, for spreadsheets.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Short for --format json.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Short for --format csv.")] = False,
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Run a scenario three ways: on demand, Mobile IP for every socket, and no mobility."""
    output = _chosen_format(fmt, (as_json, OutputFormat.json), (as_csv, OutputFormat.csv))
    budget = _budget(memory_budget, "compare")
    path, model = _load(scenario)
    from odplay.compare import compare_scenario
    from odplay.scenario.runner import RunError, check_size

    try:
        check_size(model, budget)
    except RunError as exc:
        _fail_input(exc.located(str(path)))
    comparison = compare_scenario(model, budget)
    if output is OutputFormat.json:
        from odplay.report.compare_view import comparison_to_jsonable
        from odplay.report.jsonout import dumps

        sys.stdout.write(dumps(comparison_to_jsonable(comparison)) + "\n")
    elif output is OutputFormat.csv:
        from odplay.report.csvout import COMPARE_HEADER, compare_rows, to_csv

        sys.stdout.write(to_csv(compare_rows(comparison, str(path)), COMPARE_HEADER))
    else:
        from odplay.report.compare_view import comparison_tables

        _console().print(comparison_tables(comparison))


class ExportFormat(StrEnum):
    mermaid = "mermaid"
    markdown = "markdown"
    svg = "svg"


@app.command()
def export(
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO",
            help="A scenario file, or the name of a shipped one.",
            autocompletion=_complete_scenario,
        ),
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


config_app = typer.Typer(
    help="odplay's settings file: where it is, and what is in effect.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")


@config_app.command("path")
def config_path_command() -> None:
    """Print where odplay reads its settings (ODPLAY_CONFIG overrides it)."""
    from odplay.config import config_path

    _echo(str(config_path()))


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect; a bad file is reported with its line (exit 2)."""
    from odplay.config import load_config, to_toml

    config, problem = load_config()
    sys.stdout.write(_visible(to_toml(config)))
    if problem is not None:
        _fail_input(str(problem))


def _visible(text: str) -> str:
    from odplay.text import visible

    return visible(text)


def main() -> None:
    app()
