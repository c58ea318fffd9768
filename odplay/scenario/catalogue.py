"""The shipped scenarios in `scenarios/`, and how a name on the command line finds one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario


def scenarios_dir() -> Path:
    """The shipped scenarios: beside the package in a checkout (odplay is installed editable)."""
    return Path(__file__).resolve().parents[2] / "scenarios"


def resolve(scenario: str) -> Path:
    """A path, or the name of a shipped scenario (with or without .yaml)."""
    path = Path(scenario)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in scenario:
        return path
    for candidate in (scenarios_dir() / scenario, scenarios_dir() / f"{scenario}.yaml"):
        if candidate.exists():
            return candidate
    return path


@dataclass(frozen=True, slots=True)
class ShippedScenario:
    name: str
    path: Path
    title: str
    summary: str
    problem: str = ""  # why it cannot be loaded, if it cannot


def shipped_scenarios() -> list[ShippedScenario]:
    """Every scenario in `scenarios/`, the Section 4.2 message flow first."""
    found = []
    for path in sorted(scenarios_dir().glob("*.yaml")):
        try:
            model = load_scenario(path)
        except ScenarioError as exc:
            found.append(ShippedScenario(path.stem, path, path.stem, "", str(exc.problems[0])))
            continue
        found.append(ShippedScenario(path.stem, path, model.title, model.summary))
    return found
