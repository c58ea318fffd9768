"""The shipped scenarios are read once per process, however often they are listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.scenario import catalogue
from odplay.scenario.loader import load_scenario
from odplay.scenario.schema import ScenarioModel


def test_the_shipped_scenarios_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []

    def counting(path: str | Path) -> ScenarioModel:
        read.append(Path(path))
        return load_scenario(path)

    monkeypatch.setattr(catalogue, "load_scenario", counting)
    catalogue._catalogue.cache_clear()
    try:
        first = catalogue.shipped_scenarios()
        again = catalogue.shipped_scenarios()
        catalogue.rule_table()
    finally:
        catalogue._catalogue.cache_clear()
    assert first == again
    assert first[0].name == catalogue.FIRST
    assert sorted(read) == sorted(item.path for item in first)
