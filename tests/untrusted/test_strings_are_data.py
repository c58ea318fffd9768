"""A stranger's scenario (tests/untrusted/hostile.yaml) cannot style, link, click, or drive the
terminal: every headless command shows its words as plain text with control bytes escaped.

The file puts Rich markup, a Textual `@click` action, OSC/CSI sequences, BEL, C1 controls,
carriage returns and line breaks into every free-text field: title, summary, `say`, application,
correspondent and socket names, roles, predict questions and choices, and a zone ID.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.text import one_line, visible

HOSTILE = str(Path(__file__).with_name("hostile.yaml"))
#: What may never reach a terminal raw: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _invoke(*args: str, columns: int = 80) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("run", HOSTILE),
        ("run", HOSTILE, "--json"),
        ("validate", HOSTILE),
        ("compare", HOSTILE),
        ("compare", HOSTILE, "--json"),
        ("export", HOSTILE, "-f", "mermaid"),
        ("export", HOSTILE, "-f", "markdown"),
        ("export", HOSTILE, "-f", "svg"),
    ],
    ids=" ".join,
)
def test_no_control_byte_reaches_the_terminal(args: tuple[str, ...]) -> None:
    code, out, err = _invoke(*args)
    assert code in (0, 1), err
    assert not RAW_CONTROL.search(out), RAW_CONTROL.findall(out)
    assert not RAW_CONTROL.search(err), RAW_CONTROL.findall(err)


def test_run_shows_markup_as_written_and_applies_none_of_it() -> None:
    _, out, _ = _invoke("run", HOSTILE, columns=400)
    folded = " ".join(out.split())
    assert "[bold red]markup[/]" in folded
    assert "[link=https://evil.example]link[/link]" in folded
    assert "[@click=app.screenshot('/tmp/x')]click[/]" in folded
    assert "\\e]0;pwned\\a\\e[2J" in folded  # shown, visibly escaped
    assert "role[bold]" in folded and "peer[/]" in folded


def test_validate_names_the_title_escaped() -> None:
    _, out, _ = _invoke("validate", HOSTILE)
    assert "\\e]0;pwned\\a\\e[2J\\r" in out


def test_mermaid_gets_no_statement_from_a_title_or_a_say() -> None:
    _, out, _ = _invoke("export", HOSTILE, "-f", "mermaid")
    lines = out.splitlines()
    assert lines[0] == "sequenceDiagram"
    statements = ("title ", "participant ", "Note over ", "app_", "Stack->>", "Network->>")
    for line in lines[1:]:
        assert line.startswith("    ") and line.strip().startswith(statements), line
    assert not any(line.strip().startswith("Note over Stack: injected") for line in lines)
    assert "%%" not in out


def test_svg_is_well_formed_xml_whatever_the_strings_hold() -> None:
    _, out, _ = _invoke("export", HOSTILE, "-f", "svg")
    root = ET.fromstring(out)
    assert root.tag.endswith("svg")
    assert "[bold red]markup[/]" in "".join(root.itertext())


def test_markdown_escapes_raw_html() -> None:
    _, out, _ = _invoke("export", HOSTILE, "-f", "markdown")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;t\x07", "\\e]0;t\\a"),
        ("a\rb", "a\\rb"),
        ("\x9b2J", "\\x9b2J"),
        ("\x7f", "\\x7f"),
        ("\ud800", "\\ud800"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("[b]x[/b]", "[b]x[/b]"),
    ],
)
def test_visible_escapes_controls_and_keeps_the_rest(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_one_line_folds_breaks() -> None:
    assert one_line("a\nb\tc\r") == "a b c\\r"
