"""The scenario library: every shipped scenario passes, and together they show every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.rules import RULES
from odplay.scenario.catalogue import FIRST, rule_table, shipped_scenarios
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import run_scenario

DOCS = Path(__file__).parents[2] / "docs" / "rules-in-scenarios.md"
SHIPPED = shipped_scenarios()


@pytest.mark.parametrize("item", SHIPPED, ids=[item.name for item in SHIPPED])
def test_each_shipped_scenario_loads_and_every_expectation_holds(item: object) -> None:
    path = item.path  # type: ignore[attr-defined]
    result = run_scenario(load_scenario(path))
    assert result.checks, f"{path.name} checks nothing"
    assert result.ok, [c.describe() for c in result.failures]
    steps = load_scenario(path).steps
    assert all(step.say.strip() for step in steps), "every step is narrated"


def test_the_4_2_flow_comes_first() -> None:
    assert SHIPPED[0].name == FIRST


def test_the_scenarios_together_show_every_rule() -> None:
    shown = {
        rule for item in SHIPPED for step in load_scenario(item.path).steps for rule in step.rules
    }
    assert set(RULES) - shown == set()


def test_the_rule_table_in_the_docs_is_the_one_the_scenarios_give() -> None:
    text = DOCS.read_text(encoding="utf-8")
    table = rule_table()
    assert table in text, (
        "docs/rules-in-scenarios.md is stale: regenerate it (odplay rules --where)"
    )
    assert "**nowhere**" not in table
