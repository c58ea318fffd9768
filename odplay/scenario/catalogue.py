"""The shipped scenarios in `scenarios/`, and how a name on the command line finds one.

The shipped scenarios are read once per process: they ship with odplay and do not change while
it runs, and the playground's open dialog lists them every time it opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario
from odplay.scenario.shipped import FIRST, resolve, scenarios_dir, shipped_names

if TYPE_CHECKING:
    from odplay.scenario.schema import ScenarioModel

__all__ = [
    "FIRST",
    "ShippedScenario",
    "resolve",
    "scenarios_dir",
    "shipped_names",
    "shipped_scenarios",
]


@dataclass(frozen=True, slots=True)
class ShippedScenario:
    name: str
    path: Path
    title: str
    summary: str
    problem: str = ""  # why it cannot be loaded, if it cannot


def shipped_scenarios() -> list[ShippedScenario]:
    """Every scenario in `scenarios/`, the Section 4.2 message flow first."""
    return [item for item, _model in _catalogue()]


def shipped_scenarios_read() -> bool:
    """Whether this process has read the shipped scenarios already (then listing them is
    instant; the first time reads and checks every file)."""
    return _catalogue.cache_info().currsize > 0


@cache
def _catalogue() -> tuple[tuple[ShippedScenario, ScenarioModel | None], ...]:
    found: list[tuple[ShippedScenario, ScenarioModel | None]] = []
    paths = sorted(scenarios_dir().glob("*.yaml"), key=lambda p: (p.stem != FIRST, p.stem))
    for path in paths:
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            item = ShippedScenario(path.stem, path, path.stem, "", str(exc.problems[0]))
            found.append((item, None))
            continue
        found.append((ShippedScenario(path.stem, path, model.title, model.summary), model))
    return tuple(found)


def rule_table() -> str:
    """Markdown: every rule, its section, and the shipped scenario steps that show it."""
    from odplay.rules import RULES

    where: dict[str, dict[ShippedScenario, list[int]]] = {rule: {} for rule in RULES}
    for item, model in _catalogue():
        if model is None:
            continue
        for number, step in enumerate(model.steps, start=1):
            for shown_rule in dict.fromkeys(step.rules):
                where[shown_rule].setdefault(item, []).append(number)
    lines = ["| rule | section | what | shown in |", "|---|---|---|---|"]
    for rule_id, rule in RULES.items():
        shown = "; ".join(
            f"[{item.name}](../scenarios/{item.path.name}) "
            + ("step " if len(steps) == 1 else "steps ")
            + ", ".join(map(str, steps))
            for item, steps in where[rule_id].items()
        )
        lines.append(f"| {rule_id} | {rule.section} | {rule.title} | {shown or '**nowhere**'} |")
    return "\n".join(lines) + "\n"
