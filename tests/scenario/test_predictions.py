"""Predict, then watch: questions before a step, answered by the run itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.runner import run_scenario

FLOW = Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml"

QUESTION = """
title: t
network:
  supports: [fixed, session-lasting, non-persistent]
applications:
  - name: ssh
    kind: ssh-client
steps:
  - at: 0s
    say: attach
    predict:
      - question: What address does the SSH client get?
        rules: [T5]
        choices:
          - say: IPfx1
            expect:
              socket: ssh
              bound: IPfx1
          - say: IPsl1
            expect:
              socket: {who}
              bound: {second}
    do:
      - attach: ap1
      - launch: ssh
"""


def question(second: str, who: str = "ssh") -> str:
    return QUESTION.replace("{second}", second).replace("{who}", who)


def test_the_run_decides_the_answer_F5() -> None:
    result = run_scenario(load_scenario(FLOW))
    move = next(p for p in result.predictions if "app1's socket" in p.question)
    assert move.step == 4 and move.answer == 2
    assert move.choices[move.answer].startswith("It breaks")
    refused = next(p for p in result.predictions if "Graceful-replacement" in p.question)
    assert refused.choices[refused.answer or 0].startswith("EAI_REQUIREDIPNOTSUPPORTED")


def test_choices_that_are_not_exactly_one_right_fail_the_run() -> None:
    good = run_scenario(
        parse_scenario(QUESTION.replace("{second}", "IPsl1").replace("{who}", "ssh"))
    )
    assert good.ok and good.predictions[0].answer == 0
    both = run_scenario(
        parse_scenario(QUESTION.replace("{second}", "IPfx1").replace("{who}", "ssh"))
    )
    assert not both.ok and both.predictions[0].answer is None
    assert "2 choices hold" in both.failures[0].describe()


def test_a_choice_naming_an_unknown_application_is_refused_with_its_line() -> None:
    text = question("IPsl1", who="nosuch")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "q.yaml")
    assert "steps[0].predict[0].choices[1].expect.socket" in str(caught.value)
    assert "q.yaml:" in str(caught.value)
