"""Where the shipped scenarios are, and how a name on the command line finds one.

Light on purpose (no YAML, no pydantic): shell completion asks for the names on every Tab.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: The draft's own example comes first wherever scenarios are listed.
FIRST = "4.2-message-flow"


@cache
def scenarios_dir() -> Path:
    """The shipped scenarios, as package data (`odplay/scenarios/`, put in the wheel by the build
    step in setup.py from `scenarios/` at the top of the repository, where people edit them).

    A checkout installed editable has no built package, so there they are read where they are
    edited: the same files, never a second copy. (odplay is installed as files, never imported
    from a zip, so the package's folder is found from this file; importlib.resources would
    cost `odplay run` 5 ms of start-up.)
    """
    here = Path(__file__).resolve().parents[1]
    packaged = here / "scenarios"
    if packaged.is_dir():
        return packaged
    return here.parent / "scenarios"


def shipped_names() -> list[str]:
    """The shipped scenarios' names, without reading them (for shell completion)."""
    return sorted(path.stem for path in scenarios_dir().glob("*.yaml"))


def resolve(scenario: str) -> Path:
    """A path, or the name of a shipped scenario (with or without .yaml)."""
    path = Path(scenario)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in scenario:
        return path
    for candidate in (scenarios_dir() / scenario, scenarios_dir() / f"{scenario}.yaml"):
        if candidate.exists():
            return candidate
    return path
