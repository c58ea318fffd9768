"""Bad scenario files get one clear message each: file, line, column, field. Never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario

GOOD = """\
title: t
steps:
  - at: 0s
    do:
      - attach: ap1
"""


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return str(caught.value)


def test_a_good_minimal_file_loads() -> None:
    assert parse_scenario(GOOD).steps[0].do[0].attach == "ap1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: t\nsteps: [\n", "s.yaml:3:1: YAML:"),
        ("title: t\ntitle: u\nsteps: []\n", "s.yaml:2:1: YAML:"),
        (GOOD + "colour: blue\n", "s.yaml:6:1: colour: unknown key 'colour'"),
        (
            GOOD.replace("attach: ap1", "move: ap9"),
            "s.yaml:5:9: steps[0].do[0].move: no attachment point 'ap9'",
        ),
        (
            GOOD.replace("at: 0s", "at: -2s"),
            "s.yaml:3:5: steps[0].at: a duration cannot be negative",
        ),
        (GOOD.replace("at: 0s", "at: soon"), "steps[0].at: expected a duration"),
        (
            GOOD + "network:\n  correspondents:\n    - {name: x, address: 2001:db8::zz}\n",
            "s.yaml:8:17: network.correspondents[0].address: '2001:db8::zz' is not a valid IPv6",
        ),
        (
            GOOD + "applications:\n  - {name: a, kind: toaster}\n",
            "applications[0].kind: no application kind 'toaster'",
        ),
        (
            GOOD.replace("attach: ap1", "launch: ghost"),
            "steps[0].do[0].launch: no application 'ghost'",
        ),
        (
            GOOD.replace("- attach: ap1", "- {attach: ap1, move: ap2}"),
            "an action has exactly one key",
        ),
        ("steps:\n  - at: 0s\n", "s.yaml:1:1: title: this required key is missing"),
        (
            GOOD + "network:\n  supports: [teleport]\n",
            "network.supports[0]: unknown address type 'teleport'",
        ),
        (GOOD.replace("at: 0s", "at: 9999h"), "longer than odplay's limit of one simulated week"),
        (GOOD + "seed: many\n", "s.yaml:6:1: seed:"),
        ("- just\n- a list\n", "a scenario is a mapping"),
        ("", "this file is empty"),
        (GOOD.replace("do:\n      - attach: ap1", "rules: [Z9]"), "unknown rule ID Z9"),
        (
            GOOD + "    expect:\n      - {prefix: PREFnp1, users: 2}\n",
            "a prefix expectation can check",
        ),
        (
            GOOD + "    expect:\n      - {socket: nobody, state: connected}\n",
            "no application or declared socket 'nobody'",
        ),
        (
            GOOD.replace("- attach: ap1", "- bind: {socket: s1}"),
            "no socket 's1' declared before this",
        ),
    ],
)
def test_each_kind_of_mistake_is_reported_with_its_place(text: str, expected: str) -> None:
    assert expected in _error(text)


def test_deep_nesting_is_refused_not_recursed() -> None:
    assert "nested" in _error("title: t\nsteps: " + "[" * 500 + "]" * 500 + "\n")


def test_file_level_problems(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(junk)
    with pytest.raises(ScenarioError, match="folder"):
        load_scenario(tmp_path)


def test_ipv6_literals_stay_strings_under_yaml_1_2() -> None:
    text = GOOD + "network:\n  correspondents:\n    - {name: x, address: 2001:db8:1:2}\n"
    assert "not a valid IPv6 address" in _error(text)  # a string, not a sexagesimal number
