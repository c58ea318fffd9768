"""`event: KIND`: anything the trace records, by its kind: when it happened, how often, never.

The kinds are the trace's own (`socket-broken`, `setsc-result`, `re-established`,
`prefix-withdrawn`, ... as `odplay run --json` prints them). This is how a scenario says
"socket s never breaks" (`{event: socket-broken, on: s, between: [0s, end], count: 0}`) or "the
re-establishment happens at 5.2s" (`first_at: 5.2s`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of
from odplay.scenario.subjects._timing import (
    TIMING_SELECTORS,
    Timing,
    check_on,
    due,
    fds_of,
    in_window,
    timing_results,
)

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult
    from odplay.sim.trace import TraceEntry


class EventFacts(Timing):
    event: Name


def _on(entry: TraceEntry, name: str, fds: set[int]) -> bool:
    """Is the entry about that socket (its fd) or that application (it acts or is told)?"""
    fd = entry.data.get("fd")
    if fd is not None:
        return fd in fds
    return name in (entry.actor, entry.target)


def _about(entry: TraceEntry, name: str) -> bool:
    """Does the entry name that prefix or address, in its data or its text?"""
    if name in entry.data.values():
        return True
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", entry.text) is not None


def _check(expect: EventFacts, at: Checking) -> list[CheckResult]:
    on = expect.on
    fds = fds_of(on, at) if on is not None else set()
    times = [
        entry.time
        for entry in at.sim.trace
        if entry.kind == expect.event
        and in_window(expect, entry.time)
        and (on is None or _on(entry, on, fds))
        and (expect.about is None or _about(entry, expect.about))
    ]
    return timing_results(expect, at, times)


def _references(expect: EventFacts, loc: Loc, names: Names) -> Problems:
    from odplay.sim.trace import TraceKind

    kinds = {k.value for k in TraceKind}
    if expect.event not in kinds:
        yield (*loc, "event"), one_of(expect.event, kinds, "kind of event") or ""
    yield from check_on(expect, loc, names)


SUBJECT = Subject(
    name="event",
    fields=EventFacts,
    docs="Anything the trace records, by its kind as `--json` prints it (socket-broken, "
    "setsc-result, re-established, prefix-withdrawn, ...). Picked by the socket or "
    "application it is `on`, a prefix or address it is `about`, and a span `between: [FROM, "
    "TO]` (TO may be `end`; without it, everything up to the check). States how many there "
    "were (`count: 0`: never) and when the first was: `first_at`, `not_before`, `not_after` "
    "(each needs one to have happened).",
    example="{event: socket-broken, on: s1, between: [0s, end], count: 0}",
    check=_check,
    references=_references,
    selectors=TIMING_SELECTORS,
    due=due,
)
