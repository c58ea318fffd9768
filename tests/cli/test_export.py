"""`odplay export`: the ladder as Mermaid and SVG, the run as Markdown, for slides and handouts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from odplay.cli import app

FLOW = str(Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml")


def test_mermaid_is_a_sequence_diagram_with_the_F8_refusal() -> None:
    result = CliRunner().invoke(app, ["export", FLOW, "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "sequenceDiagram"
    assert "    participant Stack as Host IP stack" in lines
    assert any(line.startswith("    Network->>Stack:") and "[D4 F8]" in line for line in lines)
    assert any(line.startswith("    Note over") and "[F1]" in line for line in lines)
    assert not any(";" in line or "#" in line for line in lines)  # Mermaid would choke


def test_markdown_reports_steps_checks_messages_and_final_tables() -> None:
    result = CliRunner().invoke(app, ["export", FLOW, "--format", "markdown"])
    text = result.stdout
    assert text.startswith("# Section 4.2: the message flow")
    assert "Expectations: 36 of 36 held." in text
    assert "| PREFnp1 | Non-persistent |" in text and "withdrawn" in text
    assert "- ✓ socket app4: bound IPsl1" in text


def test_svg_is_well_formed_with_one_row_per_message(tmp_path: Path) -> None:
    out = tmp_path / "ladder.svg"
    result = CliRunner().invoke(app, ["export", FLOW, "-f", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("EAI_REQUIREDIPNOTSUPPORTED" in t for t in texts)
    assert "63 messages" in result.stderr


def test_export_never_overwrites_a_file_unless_told(tmp_path: Path) -> None:
    mine = tmp_path / "notes.md"
    mine.write_text("my notes")
    result = CliRunner().invoke(app, ["export", FLOW, "-o", str(mine)])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert mine.read_text() == "my notes"
    assert CliRunner().invoke(app, ["export", FLOW, "-o", str(mine), "--force"]).exit_code == 0
    assert mine.read_text().startswith("# Section 4.2")


def test_export_of_a_bad_scenario_or_format_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\n")
    result = CliRunner().invoke(app, ["export", str(bad)])
    assert result.exit_code == 2 and "steps" in result.stderr
    assert CliRunner().invoke(app, ["export", FLOW, "-f", "pdf"]).exit_code == 2
