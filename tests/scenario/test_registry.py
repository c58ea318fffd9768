"""A new scenario word is one module: a verb or a subject defined here, in a test, and added to
the registry is validated, run, recorded and documented with no other change anywhere.

`shout` is a throwaway verb with its own model command; `clock` a throwaway subject that checks
the simulated time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from odplay.scenario import registry, schema
from odplay.scenario.docs import scenario_language
from odplay.scenario.errors import ScenarioError
from odplay.scenario.fields import Count, Facts, Name, Strict
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.registry import Loc, Names, Problems, Subject, Verb
from odplay.scenario.runner import RunError, ScenarioRun, run_scenario
from odplay.sim import commands as cmd
from odplay.sim.narration import TELLERS
from odplay.sim.simulation import Simulation
from odplay.sim.world import World

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult
    from odplay.scenario.record import Recording


class Shouted(NamedTuple):
    """The model event of the throwaway verb, told by a teller registered here."""

    text: str


TELLERS[Shouted] = lambda event: ("host", "shout", event.text, (), None, {})


class Shout(cmd.Command):
    """The host shouts a word into the trace; an empty word cannot be shouted."""

    text: str

    def apply(self, w: World) -> None:
        if not self.text.strip():
            raise cmd.CommandError("there is nothing to shout")
        w.record(Shouted(self.text))


class ShoutFields(Strict):
    text: str
    loud: bool = False


def _run_shout(value: ShoutFields, run: ScenarioRun) -> None:
    run.sim.apply(Shout(value.text.upper() if value.loud else value.text))


def _record_shout(command: Any, recording: Recording) -> dict[str, Any]:
    return {"text": command.text}


def _shout_references(value: ShoutFields, loc: Loc, names: Names) -> Problems:
    if value.text in names.applications:
        yield (*loc, "text"), f"{value.text!r} is an application's name; shout something else"


SHOUT = Verb(
    name="shout",
    value=ShoutFields,
    docs="The host shouts a word into the trace (a verb that exists only in this test).",
    example="shout: {text: hello}",
    run=_run_shout,
    records=("Shout",),
    record=_record_shout,
    references=_shout_references,
)


class ClockFacts(Facts):
    clock: Name
    at_least: Count | None = None


def _check_clock(expect: ClockFacts, at: Checking) -> list[CheckResult]:
    now = at.sim.now
    return [at.result(now >= (expect.at_least or 0), f"at_least {expect.at_least}", f"{now}ms")]


CLOCK = Subject(
    name="clock",
    fields=ClockFacts,
    docs="The simulated time (a subject that exists only in this test).",
    example="{clock: now, at_least: 100}",
    check=_check_clock,
)


@pytest.fixture
def words() -> Iterator[None]:
    registry.add(SHOUT)
    registry.add(CLOCK)
    schema.rebuild()
    try:
        yield
    finally:
        registry.remove(SHOUT)
        registry.remove(CLOCK)
        schema.rebuild()


SCENARIO = """\
title: shouting
applications: [{name: browser, kind: web-browser}]
steps:
  - at: 0s
    do:
      - attach: ap1
      - shout: {text: hello}
  - at: 2s
    do:
      - shout: {text: again, loud: true}
    expect:
      - {clock: now, at_least: 2000}
"""


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return str(caught.value)


def test_without_them_the_words_are_unknown() -> None:
    message = _error(SCENARIO)
    assert "s.yaml:7:9: steps[0].do[1].shout: unknown key 'shout'" in message
    assert "steps[1].expect[0].clock: unknown key 'clock'" in message


@pytest.mark.usefixtures("words")
def test_a_new_verb_and_subject_are_validated_at_their_lines() -> None:
    model = parse_scenario(SCENARIO)
    assert model.steps[0].do[1].verb == "shout"
    assert model.steps[1].expect[0].subject == "clock"
    typo = _error(SCENARIO.replace("text: hello", "txt: hello"))
    assert "s.yaml:7:17: steps[0].do[1].shout.txt: unknown key 'txt'" in typo
    assert "s.yaml:7:9: steps[0].do[1].shout.text: this required key is missing" in typo
    reference = _error(SCENARIO.replace("text: hello", "text: browser"))
    assert reference == (
        "s.yaml:7:17: steps[0].do[1].shout.text: 'browser' is an application's name; "
        "shout something else"
    )
    fact = _error(SCENARIO.replace("at_least: 2000", "state: on"))
    assert "steps[1].expect[0]: a clock expectation can check at_least; not state" in fact


@pytest.mark.usefixtures("words")
def test_a_new_verb_runs_and_a_new_subject_is_checked() -> None:
    result = run_scenario(parse_scenario(SCENARIO))
    shouts = [(e.time, e.text) for e in result.sim.trace if e.kind == "shout"]
    assert shouts == [(0, "hello"), (2000, "AGAIN")]
    clock = [c for c in result.checks if c.subject == "clock now"]
    assert [(c.ok, c.expected) for c in clock] == [(True, "at_least 2000")]
    late = run_scenario(parse_scenario(SCENARIO.replace("at_least: 2000", "at_least: 99999")))
    assert not late.ok and late.failures[0].seen.endswith("ms")


@pytest.mark.usefixtures("words")
def test_a_new_verb_that_cannot_apply_is_reported_at_its_line() -> None:
    with pytest.raises(RunError) as caught:
        run_scenario(parse_scenario(SCENARIO.replace("text: hello", "text: ' '")))
    assert caught.value.located("s.yaml") == (
        "s.yaml:7: steps[0].do[1].shout: there is nothing to shout"
    )


@pytest.mark.usefixtures("words")
def test_a_new_verb_is_recorded_and_the_recording_replays() -> None:
    run = ScenarioRun(parse_scenario(SCENARIO))
    run.play_next()
    sim: Simulation = run.sim
    sim.run_for(500)
    sim.apply(Shout("by hand"))
    recorded = to_yaml(record(sim, "by hand", sim.now))
    assert "- shout:\n      text: hello\n" in recorded
    assert "- shout:\n      text: by hand\n" in recorded
    check_replays(recorded, sim, sim.now)


@pytest.mark.usefixtures("words")
def test_a_new_verb_and_subject_are_documented() -> None:
    page = scenario_language()
    assert "### `shout`\n\n" + SHOUT.docs in page
    assert "| `loud` | true or false | `false` |" in page
    assert "### `clock`\n\n" + CLOCK.docs in page
    assert "| `at_least` | number |" in page
