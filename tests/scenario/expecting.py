"""Helpers for the expectation tests: run a scenario written in the test, and read where each
failed check stands in its text (file:line:column: field), the way `odplay run` reports it."""

from __future__ import annotations

from textwrap import dedent

from odplay.scenario.loader import parse_scenario
from odplay.scenario.runner import RunResult, run_scenario

FILE = "t.yaml"


def run(text: str) -> RunResult:
    return run_scenario(parse_scenario(dedent(text), FILE))


def where(text: str, needle: str, nth: int = 1) -> str:
    """`t.yaml:LINE:COLUMN` of the `nth` occurrence of `needle` (a key, such as `gave:`)."""
    lines = dedent(text).splitlines()
    seen = 0
    for number, line in enumerate(lines, start=1):
        column = line.find(needle)
        if column >= 0:
            seen += 1
            if seen == nth:
                return f"{FILE}:{number}:{column + 1}"
    raise AssertionError(f"{needle!r} is not in the text {nth} times")


def failures(result: RunResult) -> list[str]:
    """Each failed check as `odplay run` reports it on stderr."""
    return [c.located(FILE) for c in result.failures]


def holds(text: str) -> None:
    """The scenario runs and every expectation in it holds."""
    result = run(text)
    assert result.checks and result.ok, failures(result)


def fails_among(text: str, needle: str, field: str, saw: str, nth: int = 1) -> None:
    """The scenario runs and, among the checks that fail, the one at `needle` saw `saw`."""
    found = failures(run(text))
    said = [f for f in found if f.startswith(f"{where(text, needle, nth)}: {field}: ")]
    assert said and f"(saw {saw})" in said[0], found


def fails_at(text: str, needle: str, field: str, saw: str, nth: int = 1) -> None:
    """The scenario runs and exactly one check fails: the one at `needle`, saying what it saw."""
    result = run(text)
    found = failures(result)
    assert len(found) == 1, found
    assert found[0].startswith(f"{where(text, needle, nth)}: {field}: "), found[0]
    assert f"(saw {saw})" in found[0], found[0]


def refused_at_last_line(text: str, field: str, message: str = "") -> None:
    """Loading `text` is refused at its last line (where the test appended the expectation),
    naming `field` and saying `message`."""
    import pytest

    from odplay.scenario.errors import ScenarioError

    with pytest.raises(ScenarioError) as refused:
        parse_scenario(text, FILE)
    said = str(refused.value)
    assert f"{FILE}:{len(text.splitlines())}:" in said, said
    assert field in said and message in said, said
