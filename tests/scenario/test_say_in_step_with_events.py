"""A scenario step's `say` is shown with the events it explains: never before, never after them.

Checked over every shipped scenario, on the headless run (its trace, and the step `odplay run
--json` gives each entry) and on the playground's session (the step its explanation shows).

A step's window is the stretch of the trace the playground shows as that step; it begins with the
step's say. What a say names: a step that acts (`do:`) names what its actions do; one that only
explains names the first event, once the step before has acted, that carries one of its rules
(or that its `say_with` names). That event must lie in the say's own window, and nothing between
the say and it may tell the step before's story (an entry carrying the step before's rules and
none of this step's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from odplay.report.jsonout import run_to_jsonable
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.runner import RunResult, run_scenario
from odplay.scenario.schema import ScenarioModel
from odplay.session.session import Session
from odplay.sim.trace import TraceEntry

ROOT = Path(__file__).parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
FLOW = ROOT / "scenarios" / "4.2-message-flow.yaml"


def _names(entry: TraceEntry, names: set[str]) -> bool:
    return entry.kind != "narration" and (entry.kind in names or bool(names & set(entry.rules)))


def _window(result: RunResult, index: int) -> range:
    starts = result.step_entries
    end = starts[index + 1] if index + 1 < len(starts) else len(result.sim.trace)
    return range(starts[index], end)


def _first_named(result: RunResult, index: int) -> int | None:
    """The trace entry step `index`'s say names first (None: a step that acts and shows
    nothing)."""
    model, trace = result.scenario, result.sim.trace.entries
    step = model.steps[index]
    first, end = result.acted[index]
    if step.say_with is None and step.do:
        made = [e.number for e in trace if first <= e.step < end and e.kind != "narration"]
        return made[0] if made else None
    names = {step.say_with} if step.say_with is not None else set(step.rules)
    if step.do:
        start = next((e.number for e in trace if e.step >= first), len(trace))
    elif index == 0:
        start = 0
    else:
        acted_end = result.acted[index - 1][1]
        after_acts = next((e.number for e in trace if e.step >= acted_end), len(trace))
        start = max(after_acts, result.step_entries[index - 1] + 1)
    return next((e.number for e in trace[start:] if _names(e, names)), None)


def _telling(model: ScenarioModel) -> list[int]:
    return [i for i, step in enumerate(model.steps) if step.say.strip() or step.rules]


def _problems(result: RunResult) -> list[str]:
    """Every say shown apart from the event it names, in words."""
    model, trace = result.scenario, result.sim.trace.entries
    problems = []
    for index in _telling(model):
        step, window = model.steps[index], _window(result, index)
        said = trace[window.start] if window else None
        if said is None or said.kind != "narration" or said.text != step.say.strip():
            problems.append(f"step {index + 1}: its window does not begin with its say")
            continue
        named = _first_named(result, index)
        if named is None:
            if not step.do or step.say_with is not None:
                problems.append(f"step {index + 1}: its say names no event that follows it")
            continue
        if named not in window:
            where = "after" if named < window.start else "before"
            entry = trace[named]
            problems.append(
                f"step {index + 1}: told at {said.time}ms, {where} the event it names "
                f"({entry.kind} at {entry.time}ms, shown in another step)"
            )
            continue
        if index > 0:
            own = set(step.rules) | ({step.say_with} if step.say_with else set())
            before = set(model.steps[index - 1].rules) - own
            told_early = [e for e in trace[window.start + 1 : named] if before & set(e.rules) - own]
            if told_early:
                problems.append(
                    f"step {index + 1}: told before {told_early[0].kind}, which step {index} "
                    "explains"
                )
    return problems


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_say_is_shown_in_the_same_step_as_the_first_event_it_names(path: Path) -> None:
    result = run_scenario(load_scenario(path))
    assert _problems(result) == []
    # `odplay run --json` numbers the say and that event as the same step.
    trace = run_to_jsonable(result, str(path))["trace"]
    for index in _telling(result.scenario):
        named = _first_named(result, index)
        said = result.step_entries[index]
        assert trace[said]["kind"] == "narration" and trace[said]["step"] == index + 1
        if named is not None:
            assert trace[named]["step"] == index + 1


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_playground_explains_each_step_exactly_while_its_window_is_shown(path: Path) -> None:
    """One message at a time (`.`): the explanation panel shows a step's say from the say's
    own row, and until the next step's say, never earlier and never later."""
    model = load_scenario(path)
    result = run_scenario(model)
    session = Session.from_scenario(model)
    owner = {}
    for index in range(len(model.steps)):
        for number in _window(result, index):
            owner[number] = index + 1
    while session.shown < len(result.sim.trace) and session.step_forward():
        step = session.current_step()
        last = session.trace[-1].number
        assert (step.number if step else None) == owner.get(last), (
            f"entry {last} shown while the explanation is of step {step and step.number}"
        )


def test_the_4_2_flow_re_establishment_and_fallback_are_told_with_their_events() -> None:
    """The issue's own case: F6 was told at 5.5s, after app1 and app2 had re-established at
    5.2s; the F9 fallback was shown a step early, with F8."""
    result = run_scenario(load_scenario(FLOW))
    trace = result.sim.trace.entries
    told = {e.rules[0]: e for e in trace if e.kind == "narration"}
    assert told["F6"].time == 5200
    first_close = next(e for e in trace if e.kind == "close")
    assert told["F6"].number + 1 == first_close.number  # before app1 closes its broken socket
    fallback = next(e for e in trace if e.kind == "fallback")
    f8, f9 = (
        result.step_entries[i]
        for i, s in enumerate(result.scenario.steps)
        if s.rules[0] in ("F8", "F9")
    )
    assert f8 < told["F9"].number < fallback.number
    assert fallback.number in range(f9, len(trace))


_SAY_WITH = """\
title: say_with
network: {{supports: [session-lasting, non-persistent]}}
applications:
  - {{name: im, kind: instant-messenger}}
steps:
  - at: 0s
    say: The host attaches; the messenger starts on IPnp1.
    do:
      - attach: ap1
      - launch: im
  - at: 1s
    say: The host moves behind gw2.
    do:
      - move: ap3
  - at: 3s
    {field}
    say: The messenger notices, and opens a new socket.
"""


@pytest.mark.parametrize(
    ("field", "kind"),
    [("rules: [F6]", "re-established"), ("say_with: close", "close")],
)
def test_a_step_that_explains_is_told_with_the_event_it_names(field: str, kind: str) -> None:
    result = run_scenario(parse_scenario(_SAY_WITH.format(field=field), "say_with.yaml"))
    trace = result.sim.trace.entries
    said = trace[result.step_entries[2]]
    named = next(e for e in trace if e.kind == kind)
    # Before the messenger's reaction at 1.2s (the start of that chain), not at 3s.
    assert said.kind == "narration" and said.time == named.time == 1200
    assert trace[said.number + 1].kind == "close"
    assert _problems(result) == []


def test_a_say_whose_event_never_comes_is_told_at_its_time_and_the_check_says_so() -> None:
    text = _SAY_WITH.format(field="say_with: fallback")
    result = run_scenario(parse_scenario(text, "say_with.yaml"))
    said = result.sim.trace.entries[result.step_entries[2]]
    assert said.time == 3000
    assert _problems(result) == ["step 3: its say names no event that follows it"]


def test_say_with_names_a_rule_or_a_kind_of_event_and_nothing_else() -> None:
    from odplay.scenario.errors import ScenarioError

    text = _SAY_WITH.format(field="say_with: soon")
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "say_with.yaml")
    assert "say_with.yaml:16:5:" in str(error.value) and "steps[2].say_with" in str(error.value)
    assert "re-established" in str(error.value)
