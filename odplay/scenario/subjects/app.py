"""`app: NAME`: an application of the scenario's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.scenario.fields import Count, Facts, Name, StatusName
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of
from odplay.scenario.subjects._shared import read

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


class AppFacts(Facts):
    app: Name
    setsc: list[StatusName] | None = None
    broken: Count | None = None
    failed: Count | None = None
    running: bool | None = None


def _check(expect: AppFacts, at: Checking) -> list[CheckResult]:
    row = next((a for a in at.state["applications"] if a["name"] == expect.app), None)
    return at.compare(row, expect, read)


def _references(expect: AppFacts, loc: Loc, names: Names) -> Problems:
    if expect.app not in names.applications:
        yield (*loc, "app"), one_of(expect.app, names.applications, "application") or ""


SUBJECT = Subject(
    name="app",
    fields=AppFacts,
    docs="An application: the statuses its setsc() calls returned, in order; how many of its "
    "sessions broke or failed; whether it is running.",
    example="{app: browser, setsc: [SUCCESS], broken: 0}",
    check=_check,
    references=_references,
)
