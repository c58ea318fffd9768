"""Every rule of the draft is in the catalogue, explained, and tested under its ID."""

from __future__ import annotations

import re
from pathlib import Path

from odplay.rules import RULES

TESTS = Path(__file__).parent
#: The draft's rules as the project numbered them (C1-C4, T1-T5, G1, D1-D11, A1-A7, F1-F9, B1-B7,
#: R1-R3, S1): pinned here so that a rule added, dropped or renumbered in odplay/rules.py is seen.
THE_DRAFTS_RULES = (
    [f"C{i}" for i in range(1, 5)]
    + [f"T{i}" for i in range(1, 6)]
    + ["G1"]
    + [f"D{i}" for i in range(1, 12)]
    + [f"A{i}" for i in range(1, 8)]
    + [f"F{i}" for i in range(1, 10)]
    + [f"B{i}" for i in range(1, 8)]
    + [f"R{i}" for i in range(1, 4)]
    + ["S1"]
)


def _test_names() -> str:
    return "\n".join(
        re.findall(r"def (test_\w+)", "\n".join(p.read_text() for p in TESTS.rglob("test_*.py")))
    )


def test_every_rule_id_has_a_test_named_for_it() -> None:
    names = _test_names()
    missing = [r for r in RULES if not re.search(rf"test_(\w+_)?{r}_", names)]
    assert not missing, f"rules with no test named for them: {missing}"


def test_the_catalogue_holds_the_drafts_48_rules_in_order() -> None:
    assert list(RULES) == THE_DRAFTS_RULES
    assert len(RULES) == 48
