"""The `odplay` command. `play` (also the bare `odplay`) and `screenshot` open the playground;
every other command is headless and never imports Textual.

Exit codes: 0 every expectation held; 1 an expectation failed (the run says which, and what was
seen instead); 2 bad input (a scenario file, an argument), with `file:line:column: field:` in the
message. Data goes to stdout, diagnostics to stderr.

Heavy modules (the scenario language, ruamel.yaml, the model) are imported inside the commands,
so that `odplay --help` starts about as fast as Typer itself (see benchmarks/).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from odplay.cli_support import (
    CsvOption,
    JsonOption,
    MemoryBudgetOption,
    OutputFormat,
    SideOption,
    chosen_format,
    console,
    echo_line,
    fail_input,
    memory_budget_of,
    run_asked,
    run_in_batch,
    run_one,
    scenario_paths,
)

if TYPE_CHECKING:
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


def _load(scenario: str) -> tuple[Path, ScenarioModel]:
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario
    from odplay.scenario.shipped import resolve

    path = resolve(scenario)
    try:
        return path, load_scenario(path)
    except ScenarioError as exc:
        fail_input(str(exc))


def _print_version(value: bool) -> None:
    if value:
        from odplay import version

        typer.echo(f"odplay {version()}")
        raise typer.Exit(0)


def _complete_scenario(incomplete: str) -> list[str]:
    """Shell completion for a SCENARIO argument: the shipped scenarios' names."""
    from odplay.scenario.catalogue import shipped_names

    return [name for name in shipped_names() if name.startswith(incomplete)]


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
        fail_input(f"--files: {files} is not a folder")
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
        fail_input(f"--files: {files} is not a folder")
    if scenario is not None:
        _load(scenario)  # refuse a bad file here, not in every browser tab
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        fail_input(f"--public-url: {public_url!r} is not an http:// or https:// URL")
    from odplay.ui.serve import serve as serve_playground
    from odplay.ui.serve import students_addresses

    echo_line(f"odplay: serving the playground on {host} port {port} (Ctrl+C stops)", err=True)
    addresses = [public_url] if public_url else students_addresses(host, port)
    if addresses:
        echo_line(f"odplay: open {' or '.join(addresses)} in a browser", err=True)
    else:
        echo_line(f"odplay: open http://<this machine's address>:{port} in a browser", err=True)
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
        fail_input(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


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
        fail_input(f"{out}: cannot write there: {exc.strerror or exc}")
    for path in written:
        echo_line(str(path))


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
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict.")] = False,
    memory_budget: MemoryBudgetOption = "1GB",
) -> None:
    """Run scenarios headless: the timeline, final tables and checked expectations; with several
    files or a folder, one line each. Exit 1 if an expectation failed, 2 if a file is bad."""
    output = chosen_format(fmt, (as_json, OutputFormat.json))
    shown = (
        "json"
        if output is OutputFormat.json
        else "table"
        if output is OutputFormat.plain
        else "quiet"
    )
    budget = memory_budget_of(memory_budget, "quiet" if quiet else shown)
    paths, batch = scenario_paths(scenarios)
    if not batch:
        raise typer.Exit(run_one(paths[0], output, quiet, budget))
    worst = 0
    if output is OutputFormat.csv:
        from odplay.report.csvout import RUN_HEADER, to_csv

        sys.stdout.write(to_csv((), RUN_HEADER))
    for path in paths:
        code = run_in_batch(path, output, budget)
        worst = max(worst, code) if 2 not in (worst, code) else 2
    raise typer.Exit(worst)


@app.command()
def validate(
    scenarios: Annotated[
        list[str],
        typer.Argument(help="Scenario files to check.", autocompletion=_complete_scenario),
    ],
) -> None:
    """Check scenario files without running them."""
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario
    from odplay.scenario.shipped import resolve

    bad = 0
    for scenario in scenarios:
        path = resolve(scenario)
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            echo_line(str(exc), err=True)
            bad += 1
            continue
        echo_line(f"{path}: ok ({model.title}, {len(model.steps)} steps)")
    raise typer.Exit(2 if bad else 0)


@app.command("scenarios")
def list_scenarios() -> None:
    """List the shipped scenarios with a one-line summary each."""
    from odplay.scenario.catalogue import shipped_scenarios

    for item in shipped_scenarios():
        if item.problem:
            echo_line(f"{item.name}: cannot load: {item.problem}", err=True)
            continue
        echo_line(f"{item.name:<31} {item.title}: {item.summary}")


@app.command()
def rules(
    rule_ids: Annotated[list[str] | None, typer.Argument(help="Rule IDs, e.g. F8 T4.")] = None,
    where: Annotated[
        bool,
        typer.Option(
            "--where", help="A Markdown table: each rule and the scenario steps showing it."
        ),
    ] = False,
    markdown: Annotated[
        bool,
        typer.Option("--markdown", help="The whole catalogue as Markdown (docs/rules.md)."),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="The rules as JSON, each with its RFC 8653 status."),
    ] = False,
    rfc: Annotated[
        bool,
        typer.Option("--rfc", help="A table of the rules RFC 8653 changed, weakened or dropped."),
    ] = False,
) -> None:
    """Explain the draft's rules by ID, with the section each comes from and where it stands in
    RFC 8653."""
    from odplay.rules import RULES, catalogue_markdown, explain

    chosen = [
        name
        for name, on in (
            ("--where", where),
            ("--markdown", markdown),
            ("--json", as_json),
            ("--rfc", rfc),
        )
        if on
    ]
    if len(chosen) > 1:
        fail_input(f"give only one of {', '.join(chosen)}")
    if markdown:
        sys.stdout.write(catalogue_markdown())
        return
    if where:
        from odplay.scenario.catalogue import rule_table

        sys.stdout.write(rule_table())
        return

    wanted = [r.upper() for r in rule_ids] if rule_ids else list(RULES)
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        fail_input(f"unknown rule ID: {', '.join(unknown)} (known: {', '.join(RULES)})")
    if as_json:
        from odplay.report.jsonout import dumps
        from odplay.report.rules_view import rules_to_jsonable

        sys.stdout.write(dumps(rules_to_jsonable(wanted)) + "\n")
        return
    if rfc:
        from odplay.report.rules_view import kept_line, rfc_table

        out = console()
        out.print(rfc_table(wanted))
        echo_line(kept_line(wanted))
        return
    for rule_id in wanted:
        rule = RULES[rule_id]
        line = explain(rule_id)
        if rule.choice:
            line += f" [setting: {rule.choice}]"
        echo_line(line)
        echo_line(f"    RFC 8653: {rule.rfc8653.label()}. {rule.rfc8653.note}")


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
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    memory_budget: MemoryBudgetOption = "1GB",
    side: SideOption = None,
) -> None:
    """Run a scenario three ways: on demand, Mobile IP for every socket, and no mobility."""
    output = chosen_format(fmt, (as_json, OutputFormat.json), (as_csv, OutputFormat.csv))
    budget = memory_budget_of(memory_budget, "compare")
    path, model = _load(scenario)
    from odplay.compare_sides import BadSide, compare_by_side
    from odplay.scenario.runner import RunError, check_size

    try:
        check_size(model, budget)
        comparison = compare_by_side(model, side, budget)
    except (RunError, BadSide) as exc:
        fail_input(exc.located(str(path)) if isinstance(exc, RunError) else str(exc))
    if output is OutputFormat.json:
        from odplay.report.compare_view import comparison_to_jsonable
        from odplay.report.jsonout import dumps

        sys.stdout.write(dumps(comparison_to_jsonable(comparison)) + "\n")
    elif output is OutputFormat.csv:
        from odplay.report.csvout import COMPARE_HEADER, compare_rows, to_csv

        sys.stdout.write(to_csv(compare_rows(comparison, str(path)), COMPARE_HEADER))
    else:
        from odplay.report.compare_view import comparison_tables

        console().print(comparison_tables(comparison))


@app.command()
def kernel(
    scenario: Annotated[
        str | None,
        typer.Argument(
            metavar="SCENARIO",
            help="A scenario file, or the name of a shipped one.",
            autocompletion=_complete_scenario,
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="plain: odplay and Linux side by side; json: one object."),
    ] = None,
    as_json: JsonOption = False,
    sweep: Annotated[
        bool,
        typer.Option("--cleanup", help="Remove what killed runs left behind, and exit."),
    ] = False,
) -> None:
    """Run a scenario on the model and on this machine's Linux stack, check by check (root,
    /dev/net/tun, pyroute2). Exit 0 when it ran, 2 when the machine cannot."""
    from odplay.kernel import command

    if sweep:
        raise typer.Exit(command.cleanup())
    if scenario is None:
        fail_input("odplay kernel: give a SCENARIO (or --cleanup)")
    output = chosen_format(fmt, (as_json, OutputFormat.json))
    if output is OutputFormat.csv:
        fail_input("odplay kernel: --format is plain or json")
    raise typer.Exit(command.run(scenario, output))


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
    budget = memory_budget_of(memory_budget, "export")
    if out is not None:
        from odplay.files import UnsafeWrite, check_target

        try:
            check_target(out, overwrite=force)
        except FileExistsError:
            fail_input(f"{out}: already exists; give --force to overwrite it")
        except UnsafeWrite as exc:
            fail_input(str(exc))
    path, model = _load(scenario)
    from odplay.report.export import FORMATS
    from odplay.scenario.runner import RunError, run_scenario

    try:
        result = run_scenario(model, budget)
    except RunError as exc:
        fail_input(exc.located(str(path)))
    text = FORMATS[fmt.value](result)
    if out is None:
        sys.stdout.write(text)
        return
    from odplay.files import UnsafeWrite, write_text

    try:
        write_text(out, text, overwrite=force)
    except FileExistsError:
        fail_input(f"{out}: appeared while the run was exported; nothing was written")
    except UnsafeWrite as exc:
        fail_input(str(exc))
    except OSError as exc:
        fail_input(f"{out}: cannot write it: {exc.strerror or exc}")
    echo_line(f"{out}: {fmt.value}, {len(result.sim.trace)} messages", err=True)


@app.command()
def errata() -> None:
    """Where the draft contradicts itself (rule A7), where RFC 8653's own text is unclear, and
    what odplay does about each."""
    from odplay.constants import ERRATA
    from odplay.rfc8653 import RFC_ERRATA

    echo_line("draft-16's own (rule A7):")
    for number, erratum in enumerate(ERRATA, start=1):
        echo_line(f"{number}. {erratum.where}: {erratum.says}.")
        echo_line(f"   The draft means: {erratum.canonical}.")
        echo_line(f"   odplay: {erratum.odplay_does}.")
    echo_line("")
    echo_line("RFC 8653's own (where the published text is unclear):")
    for number, erratum in enumerate(RFC_ERRATA, start=len(ERRATA) + 1):
        echo_line(f"{number}. {erratum.where}: {erratum.says}.")
        echo_line(f"   odplay reads it as: {erratum.canonical}.")
        echo_line(f"   odplay: {erratum.odplay_does}.")


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

    echo_line(str(config_path()))


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect; a bad file is reported with its line (exit 2)."""
    from odplay.config import load_config, to_toml

    config, problem = load_config()
    sys.stdout.write(_visible(to_toml(config)))
    if problem is not None:
        fail_input(str(problem))


def _visible(text: str) -> str:
    from odplay.text import visible

    return visible(text)


def main() -> None:
    run_asked(app, sys.argv[1:])  # the console script; Typer builds only the command asked for
