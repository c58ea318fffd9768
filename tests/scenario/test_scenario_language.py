"""The scenario language's reference page is written from the registry and says what is true:
the page in the repository is the generated one, and every example on it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.scenario.docs import scenario_language
from odplay.scenario.loader import parse_scenario
from odplay.scenario.registry import Subject, Verb, subjects, verbs

PAGE = Path(__file__).resolve().parents[2] / "docs" / "scenario-language.md"


def test_the_checked_in_page_is_the_generated_one() -> None:
    assert PAGE.read_text(encoding="utf-8") == scenario_language(), (
        "docs/scenario-language.md is stale: python -m odplay.scenario.docs > "
        "docs/scenario-language.md"
    )


def test_the_page_documents_every_verb_and_subject() -> None:
    page = scenario_language()
    entries: list[Verb | Subject] = [*verbs().values(), *subjects().values()]
    for entry in entries:
        assert f"### `{entry.name}`\n\n{entry.docs}" in page


def _scenario(do: list[str], expect: list[str]) -> str:
    lines = [
        "title: example",
        "applications: [{name: browser, kind: web-browser}]",
        "steps:",
        "  - at: 0s",
        "    do:",
        *(f"      - {action}" for action in do),
    ]
    if expect:
        lines += ["    expect:", *(f"      - {item}" for item in expect)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(verbs()))
def test_each_verbs_example_loads(name: str) -> None:
    declare = [] if name == "socket" else ["socket: {name: s1}"]
    parse_scenario(_scenario([*declare, verbs()[name].example], []))


@pytest.mark.parametrize("name", sorted(subjects()))
def test_each_subjects_example_loads(name: str) -> None:
    parse_scenario(_scenario(["socket: {name: s1}"], [subjects()[name].example]))
