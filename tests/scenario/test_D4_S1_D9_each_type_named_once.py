"""A dict keyed by address type names each type once (D4 pools, S1 permissions, D9 rotation).

The language takes several spellings of a type (`fixed`, `Fixed`, `FIXED_IPV6_ADDRESS`, 1). Two
of them in one dict would leave one value dropped without a word, so the loader refuses the
second, at its line, naming the field: a value the model would ignore is an error (issue 14).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario

CASES = {
    "D4": ("network:\n  anchor: {pools: {fixed: 1, Fixed: 2}}\n", "network.anchor.pools"),
    "S1": ("host:\n  permissions: {fixed: [a], FIXED_IPV6_ADDRESS: [b]}\n", "host.permissions"),
    "D9": ("host:\n  rotation: {session-lasting: 1s, Session-lasting: 2s}\n", "host.rotation"),
    "D9 bytes": (
        "host:\n  rotation_bytes: {non-persistent: 1MB, NON_PERSISTENT: 2MB}\n",
        "host.rotation_bytes",
    ),
}


def _scenario(block: str) -> str:
    return f"title: t\n{block}steps:\n  - at: 0s\n    say: x\n"


@pytest.mark.parametrize("rule", CASES)
def test_a_type_named_twice_is_refused_at_its_line(rule: str) -> None:
    block, field = CASES[rule]
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(_scenario(block), "t.yaml")
    said = str(refused.value)
    assert said.startswith("t.yaml:3:") and field in said, said
    assert "name the same type; give it once" in said


def test_each_type_once_is_taken() -> None:
    model = parse_scenario(
        _scenario("host:\n  rotation: {session-lasting: 1s, non-persistent: 2s}\n"), "t.yaml"
    )
    assert model.host is not None and model.host.rotation == {
        "session-lasting": 1000,
        "non-persistent": 2000,
    }


def test_the_command_line_says_where_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(_scenario(CASES["S1"][0]), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "-q", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3:3: host.permissions:" in result.stderr
