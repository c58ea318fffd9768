"""Absurd sizes are refused with a message, before they can exhaust the machine."""

from __future__ import annotations

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import MAX_VALUES, parse_scenario
from odplay.scenario.schema import MAX_APPLICATIONS, MAX_STEPS

STEP = "steps:\n  - at: 0s\n    do:\n      - attach: ap1\n"


def _refused(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "absurd.yaml")
    return str(caught.value)


def test_a_million_applications_by_aliases_are_refused_before_they_are_built() -> None:
    lines = ["title: many", "a0: &a0 [{name: x, kind: web-browser}, {name: y, kind: dns-client}]"]
    for n in range(1, 20):  # 2**20 applications, in twenty lines
        lines.append(f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}]")
    lines.append("applications: *a19")
    said = _refused("\n".join(lines) + "\n" + STEP)
    assert f"more than {MAX_VALUES} values" in said


def test_more_applications_than_odplay_takes_are_refused() -> None:
    apps = "".join(f"  - {{name: a{n}, kind: dns-client}}\n" for n in range(MAX_APPLICATIONS + 1))
    said = _refused(f"title: many\napplications:\n{apps}{STEP}")
    assert "applications" in said and str(MAX_APPLICATIONS) in said


def test_more_steps_than_odplay_takes_are_refused() -> None:
    steps = "".join("  - after: 1ms\n" for _ in range(MAX_STEPS + 1))
    said = _refused(f"title: long\nsteps:\n{steps}")
    assert "steps" in said and str(MAX_STEPS) in said


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("at: 8760h", "one simulated week"),  # a year
        ("after: 1us", "expected a duration"),  # microsecond steps
        ("after: 0.001ms", "whole milliseconds"),
        ("at: 1e999", "finite"),
    ],
)
def test_a_year_or_microsecond_steps_are_refused(when: str, reason: str) -> None:
    said = _refused(f"title: slow\nsteps:\n  - {when}\n")
    assert reason in said
    assert "absurd.yaml:3:" in said  # the line of the step
