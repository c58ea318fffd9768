"""Every rule knows where it stands in RFC 8653, and says so on the command line.

The table below is written independently of odplay/rfc8653.py, from a section-by-section
reading of draft-16 and RFC 8653: a rule's status and the RFC section that carries it, with the
reason. Sections: draft 3.1-3.4 = RFC 3.1-3.4, draft 3.5 = RFC Appendix A, draft 5.x = RFC 4.x,
draft 7 = RFC 5; draft 4 and 6 have no counterpart (None: the rule is draft-only).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from odplay import version
from odplay.cli import app
from odplay.rfc8653 import RFC_ERRATA, STANDINGS, RfcStatus
from odplay.rules import RULES

#: rule -> (status, RFC 8653 section, why: the RFC section that decides it)
EXPECTED: dict[str, tuple[str, str | None, str]] = {
    "C1": ("kept", "1", "RFC 1 defines session continuity"),
    "C2": ("kept", "1", "RFC 1 defines IP address reachability"),
    "C3": ("kept", "1", "RFC 1: Mobile IP's cost, only when needed"),
    "C4": ("kept", "1", "RFC 1: mobility above IP"),
    "T1": ("kept", "3.2", "RFC 3.2 Fixed"),
    "T2": ("kept", "3.2", "RFC 3.2 Session-Lasting"),
    "T3": ("kept", "3.2", "RFC 3.2 Nonpersistent"),
    "T4": ("kept", "3.2", "RFC 3.2 Graceful-Replacement"),
    "T5": ("kept", "3.2", "RFC 3.2 the example applications"),
    "G1": ("kept", "3.3", "RFC 3.3 granularity per socket"),
    "D1": ("kept", "3.1", "RFC 3.1 the application indicates the service"),
    "D2": ("kept", "3.1", "RFC 3.1 a held prefix is used"),
    "D3": ("kept", "3.1, 3.4", "RFC 3.4 SHALL request; the draft 3.5 MUST is gone"),
    "D4": ("kept", "3.4", "RFC 3.4 SHALL fail the request with an error"),
    "D5": ("kept", "3.1, 3.4", "RFC 3.1, 3.4 the address is configured"),
    "D6": ("kept", "3.4", "RFC 3.4 zero or more addresses of each type"),
    "D7": ("kept", "3.4", "RFC 3.4 a later socket may get the same address"),
    "D8": ("kept", "3.4", "RFC 3.4 release or keep"),
    "D9": ("kept", "3.4", "RFC 3.4 fresh or reuse"),
    "D10": ("changed", "3.4", "RFC 3.4 the default-type item is reworded"),
    "D11": ("draft-only", None, "draft 3.5's trade-off went with ON_NET"),
    "A1": ("changed", "Appendix A", "RFC Appendix A: setsc() only as a suggestion"),
    "A2": ("changed", "Appendix A", "RFC Appendix A: *_IP_ADDRESS names, no values"),
    "A3": ("draft-only", None, "RFC 3.4 says only 'an error'; no EAI_* codes"),
    "A4": ("changed", "Appendix A", "RFC Appendix A: the application can call bind()"),
    "A5": ("changed", "Appendix A", "RFC Appendix A: setsc() may wait; setsockopt() does not"),
    "A6": ("draft-only", None, "ON_NET removed"),
    "A7": ("draft-only", None, "the 4.1 pseudo-code removed"),
    "F1": ("draft-only", None, "the 4.2 flow removed"),
    "F2": ("draft-only", None, "the 4.2 flow removed"),
    "F3": ("draft-only", None, "the 4.2 flow removed (reuse survives in RFC 3.4)"),
    "F4": ("draft-only", None, "the 4.2 flow removed"),
    "F5": ("draft-only", None, "the 4.2 flow removed"),
    "F6": ("draft-only", None, "the 4.2 flow removed"),
    "F7": ("draft-only", None, "the 4.2 flow removed"),
    "F8": ("draft-only", None, "the 4.2 flow removed (failure survives in RFC 3.4)"),
    "F9": ("draft-only", None, "the 4.2 flow removed"),
    "B1": ("kept", "4.1", "RFC 4.1 legacy applications"),
    "B2": ("weakened", "4.1", "RFC 4.1: lowercase should where the draft had MUST"),
    "B3": ("kept", "4.2", "RFC 4.2 legacy operations supported"),
    "B4": ("kept", "4.2", "RFC 4.2 forward the type"),
    "B5": ("kept", "4.2", "RFC 4.2 no type, none asked"),
    "B6": ("kept", "4.2", "RFC 4.2 use the allocated prefix"),
    "B7": ("kept", "4.3", "RFC 4.3 out of scope"),
    "R1": ("changed", "4.4", "RFC 4.4: any application wanting continuity, any mechanism"),
    "R2": ("clarified", "4.4", "RFC 4.4: the type request wins, whatever the mechanism"),
    "R3": ("draft-only", None, "draft 5.4's third paragraph removed"),
    "S1": ("changed", "5", "RFC 5 rewritten around cost and authorisation"),
}

#: The RFC's sections that can carry a rule.
RFC_SECTIONS = {"1", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "4.4", "5", "Appendix A"}
#: draft-16 section -> RFC 8653 section (None: no counterpart).
RENUMBERED = {
    "1": "1",
    "3.1": "3.1",
    "3.2": "3.2",
    "3.3": "3.3",
    "3.4": "3.4",
    "3.5": "Appendix A",
    "5.1": "4.1",
    "5.2": "4.2",
    "5.3": "4.3",
    "5.4": "4.4",
    "7": "5",
}


def _sections(text: str) -> list[str]:
    return [part.strip() for part in text.split(",")]


def test_the_table_covers_every_rule_and_no_other() -> None:
    assert set(EXPECTED) == set(RULES) == set(STANDINGS)


@pytest.mark.parametrize("rule_id", list(EXPECTED))
def test_each_rule_has_its_rfc8653_status_and_section(rule_id: str) -> None:
    status, section, _why = EXPECTED[rule_id]
    standing = RULES[rule_id].rfc8653
    assert standing.status is RfcStatus(status)
    assert (standing.section or None) == section
    assert standing.draft_only == (status == "draft-only")


@pytest.mark.parametrize("rule_id", list(EXPECTED))
def test_each_note_is_one_sentence_in_odplays_words(rule_id: str) -> None:
    note = RULES[rule_id].rfc8653.note
    assert note.endswith(".") and ". " not in note, note
    assert note[0].isupper() or note[0] in "s", note  # "setsc() survives..." starts lower


@pytest.mark.parametrize("rule_id", [r for r, row in EXPECTED.items() if row[1]])
def test_an_rfc_section_follows_the_renumbering(rule_id: str) -> None:
    """A rule the RFC keeps sits where its draft section went (Appendix A holds what draft 3.5
    and 6 defined, so an API rule may move there)."""
    rfc_sections = _sections(RULES[rule_id].rfc8653.section)
    assert set(rfc_sections) <= RFC_SECTIONS
    if rfc_sections != ["Appendix A"]:
        renumbered = {RENUMBERED.get(s) for s in _sections(RULES[rule_id].section)}
        assert set(rfc_sections) <= renumbered, (rule_id, rfc_sections, renumbered)


def _invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _schema() -> dict[str, Any]:
    text = resources.files("odplay").joinpath("schemas", "rules.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_rules_json_gives_every_rule_with_its_rfc8653_standing() -> None:
    data = json.loads(_invoke("rules", "--json").stdout)
    jsonschema.validate(data, _schema())
    assert list(data)[:2] == ["format", "odplay"]
    assert data["format"] == {"name": "odplay.rules", "version": 1}
    assert data["odplay"]["version"] == version()
    assert [r["id"] for r in data["rules"]] == list(EXPECTED)
    for row in data["rules"]:
        status, section, _why = EXPECTED[row["id"]]
        assert row["rfc8653"]["status"] == status
        assert row["rfc8653"]["section"] == section
        assert row["section"] == RULES[row["id"]].section and row["title"]


def test_rules_json_takes_rule_ids() -> None:
    data = json.loads(_invoke("rules", "--json", "f8", "B2").stdout)
    jsonschema.validate(data, _schema())
    assert [(r["id"], r["rfc8653"]["status"]) for r in data["rules"]] == [
        ("F8", "draft-only"),
        ("B2", "weakened"),
    ]


def test_the_schema_refuses_a_draft_only_rule_with_a_section() -> None:
    data = json.loads(_invoke("rules", "--json", "R3").stdout)
    data["rules"][0]["rfc8653"]["section"] = "4.4"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())


def test_rules_rfc_tables_the_differences_and_lists_what_is_kept() -> None:
    out = _invoke("rules", "--rfc").stdout
    assert "\x1b" not in out  # piped: no terminal codes
    assert max(len(line) for line in out.splitlines()) <= 200
    rows = {line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")}
    differ = {r for r, (status, _s, _w) in EXPECTED.items() if status != "kept"}
    assert differ <= rows
    kept = [r for r, (status, _s, _w) in EXPECTED.items() if status == "kept"]
    assert not set(kept) & rows
    assert f"Kept as they are ({len(kept)}): {' '.join(kept)}." in out
    for status in ("draft-only", "changed", "weakened", "clarified"):
        assert status in out
    assert out.index("│ D11 ") < out.index("│ D10 ")  # draft-only first, then changed


def test_rules_shows_the_standing_under_each_rule() -> None:
    out = _invoke("rules", "F8", "B2").stdout.splitlines()
    assert out[0].startswith("F8 (section 4.2)")
    assert out[1].startswith("    RFC 8653: draft-only. The RFC has no worked example")
    assert out[3] == f"    RFC 8653: weakened, RFC 8653 section 4.1. {RULES['B2'].rfc8653.note}"


def test_rules_takes_one_output_mode() -> None:
    result = CliRunner().invoke(app, ["rules", "--json", "--rfc"])
    assert result.exit_code == 2 and "--json, --rfc" in result.stderr


def test_rules_json_and_rfc_load_neither_the_model_nor_textual() -> None:
    code = (
        "import sys\n"
        "from odplay.cli import app\n"
        "for argv in (['rules', '--json'], ['rules', '--rfc']):\n"
        "    try:\n"
        "        app(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('textual', 'odplay.sim', "
        "'odplay.scenario'))]\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "LOADED []" in done.stderr, done.stderr


def test_errata_lists_rfc8653s_own_after_the_drafts() -> None:
    out = _invoke("errata").stdout
    assert "draft-16's own" in out and "RFC 8653's own" in out
    assert out.index("draft-16's own") < out.index("RFC 8653's own")
    for erratum in RFC_ERRATA:
        assert erratum.where.startswith("RFC 8653")
        assert erratum.says in out and erratum.odplay_does in out
    tail = out[out.index("RFC 8653's own") :]
    assert "On-Demand flag" in tail and "IPV6_ADDR_REFERENCE" in tail and "D10" in tail
    assert re.search(r"^13\. RFC 8653", out, re.M)
