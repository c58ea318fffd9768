"""Every rule that names a setting names it as a scenario file spells it (`host.*`,
`network.*`), so that a learner can copy it from `odplay rules` into a file."""

from __future__ import annotations

import re

from odplay.rules import RULES
from odplay.scenario.world_schema import HostModel, NetworkModel

SECTIONS = {"host": HostModel.model_fields, "network": NetworkModel.model_fields}


def test_every_setting_a_rule_names_exists_in_the_scenario_language() -> None:
    named = 0
    for rule_id, rule in RULES.items():
        for section, field in re.findall(r"\b(\w+)\.(\w+)", rule.choice or ""):
            assert section in SECTIONS, f"{rule_id}: {section}.{field} is not a scenario section"
            assert field in SECTIONS[section], f"{rule_id}: {section}.{field} is not a setting"
            named += 1
    assert named >= 8  # the rules that leave a choice to policy do name their settings
