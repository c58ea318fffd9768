"""What the subjects over the run's history share (`messages`, `event`): a span of simulated time
to look in, and the facts about what happened in it: how many, when the first, never before or
after a time.

A span is `between: [FROM, TO]`, both ends included; TO may be `end`, the end of the run.
Without one, an expectation looks at everything from the start of the run to the moment it is
checked. An expectation whose span ends later than its step's check waits until the span is over
(the subject's `due`), so that "never" means never in the whole span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from odplay.scenario.fields import Count, Duration, Facts, Name
from odplay.scenario.registry import RUN_END, Loc, Names, Problems
from odplay.sim.timeunits import format_duration, parse_duration

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


def _window(value: Any) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError("a span is two times, [FROM, TO], such as [5s, 6s] or [0s, end]")
    start, stop = value
    begin = parse_duration(start)
    end = RUN_END if isinstance(stop, str) and stop.strip() == "end" else parse_duration(stop)
    if end < begin:
        raise ValueError(f"the span ends ({stop}) before it begins ({start})")
    return begin, end


#: `between: [5s, 6s]` or `[0s, end]`: both ends included.
Window = Annotated[tuple[int, int], BeforeValidator(_window)]
#: The facts every subject over the history states, and the keys that pick what it looks at.
TIMING_FACTS = ("count", "first_at", "not_before", "not_after")
TIMING_SELECTORS = frozenset({"on", "about", "between"})


class Timing(Facts):
    """The Facts of a subject over the history: what picks the things it counts (`on`, `about`,
    `between`; the subject adds its own) and the facts about them."""

    on: Name | None = None
    about: Name | None = None
    between: Window | None = None
    count: Count | None = None
    first_at: Duration | None = None
    not_before: Duration | None = None
    not_after: Duration | None = None


def due(facts: Any) -> int | None:
    """The end of the span, when it has one: the expectation is judged once it is over."""
    return None if facts.between is None else int(facts.between[1])


def in_window(facts: Any, time: int) -> bool:
    return facts.between is None or facts.between[0] <= time <= facts.between[1]


def fds_of(name: str, at: Checking) -> set[int]:
    """The sockets `on: NAME` means: a declared socket's, or every socket of an application."""
    if name in at.ctx.labels:
        return {at.ctx.labels[name]}
    return {fd for fd, sock in at.sim.world.stack.sockets.items() if sock.owner == name}


def _times(times: list[int]) -> str:
    shown = ", ".join(format_duration(t) for t in times[:5])
    more = f" and {len(times) - 5} more" if len(times) > 5 else ""
    return f"at {shown}{more}" if times else "none"


def span(facts: Any) -> str:
    """How the results name the span looked at: ` between 5s and end`, or nothing."""
    if facts.between is None:
        return ""
    begin, end = facts.between
    last = "end" if end == RUN_END else format_duration(end)
    return f" between {format_duration(begin)} and {last}"


def timing_results(facts: Any, at: Checking, times: list[int]) -> list[CheckResult]:
    """One result per timing fact stated, given when each matching thing happened (ms)."""
    results = []
    first = times[0] if times else None
    seen = f"{len(times)} ({_times(times)})"
    for fact in TIMING_FACTS:
        if fact not in at.facts:
            continue
        wanted = getattr(facts, fact)
        if fact == "count":
            ok, expected = len(times) == wanted, f"count {wanted}"
        else:
            expected = f"{fact} {format_duration(wanted)}"
            ok = first is not None and (
                first == wanted
                if fact == "first_at"
                else first >= wanted
                if fact == "not_before"
                else first <= wanted
            )
        results.append(at.result(ok, expected + span(facts), seen, fact=fact))
    return results


def check_on(facts: Any, loc: Loc, names: Names) -> Problems:
    if facts.on is not None and facts.on not in names.sockets | names.applications:
        yield (*loc, "on"), f"no declared socket or application {facts.on!r}"
