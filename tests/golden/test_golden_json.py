"""Every shipped scenario's `run --json` and `compare --json` output matches its pinned file.

A failure here means a change altered what a run does or says. If that was the intent,
`python3 dev.py golden` rewrites the pins and the review shows the difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.pins import COMMANDS, current, pinned_path, shipped


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("scenario", shipped(), ids=lambda p: p.stem)
def test_output_matches_its_pin(command: str, scenario: Path) -> None:
    pinned = pinned_path(command, scenario)
    assert pinned.exists(), f"no pin for {scenario.name}: run `python3 dev.py golden`"
    assert current(command, scenario) == pinned.read_text(encoding="utf-8"), (
        f"odplay {command} --json {scenario.name} differs from {pinned.name}; "
        "if intended, run `python3 dev.py golden` and review the diff"
    )


def test_every_pin_has_a_shipped_scenario() -> None:
    names = {s.stem for s in shipped()}
    for command in COMMANDS:
        stale = {p.stem for p in pinned_path(command, shipped()[0]).parent.glob("*.json")}
        assert stale <= names, f"pins without a scenario: {sorted(stale - names)}"
