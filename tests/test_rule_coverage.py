"""Every rule in RULES.md is modelled, explained, and tested under its ID."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from odplay.rules import RULES

TESTS = Path(__file__).parent
RULES_MD = Path(__file__).parents[2] / "shared" / "spec" / "RULES.md"


def _test_names() -> str:
    return "\n".join(
        re.findall(r"def (test_\w+)", "\n".join(p.read_text() for p in TESTS.rglob("test_*.py")))
    )


def test_every_rule_id_has_a_test_named_for_it() -> None:
    names = _test_names()
    missing = [r for r in RULES if not re.search(rf"test_(\w+_)?{r}_", names)]
    assert not missing, f"rules with no test named for them: {missing}"


def test_the_catalogue_matches_the_shared_rules_file_when_it_is_present() -> None:
    if not RULES_MD.exists():
        pytest.skip("shared/spec/RULES.md is not beside this checkout")
    ids = re.findall(r"^- ([A-Z]\d+) ", RULES_MD.read_text(), re.M)
    assert ids == list(RULES)
