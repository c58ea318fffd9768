"""How big a run will be, worked out before it starts, and the memory budget it must stay in.

A scenario of eight lines can ask for a week of a socket reopened every 10ms: millions of events
and gigabytes of trace. Rather than find out by running it (minutes, then swap), odplay estimates
the work from what the file says (each application's socket plans, how often they repeat, the
moves, the run's end) and refuses a run that would not fit, naming the field to change.

While a run goes, its size is counted (trace entries, sockets, checkpoints' bytes) against the
same budget; the process's own peak memory (resource.getrusage) is only a backstop. Counts make
the refusal the same on every machine, which is what lets the tests check it.

The per-item sizes are measured by `python -m benchmarks budget` (tracemalloc): they are upper
estimates, so that a run the budget lets through fits in it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from odplay.scenario.schema import ScenarioModel
    from odplay.sim.simulation import Simulation

#: The memory a run may take unless told otherwise (`--memory-budget`).
DEFAULT_MEMORY_BUDGET = 1_000_000_000
#: Bytes one trace entry takes (its tuple, text, rule IDs and data; measured at about 550).
ENTRY_BYTES = 600
#: Bytes one socket's record takes in the host's tables (measured at about 330).
SOCKET_BYTES = 400
#: Bytes per trace entry that printing a run takes on top, while it is printed, by output kind.
#: (`quiet`: the verdict only; `table`: the Rich timeline and tables; `json`: --json; `export`).
OUTPUT_BYTES = {"quiet": 0, "table": 1_500, "json": 4_500, "export": 3_000}
#: Bytes `odplay compare`'s meter keeps per socket's flow (its runs keep no trace).
METER_BYTES = 300
#: What one short session of a repeating socket makes: socket, setsc, bind, connect, close...
ENTRIES_PER_SESSION = 8
EVENTS_PER_SESSION = 3
#: What a move (attach, detach) makes for the host, and for each socket it breaks and reopens.
ENTRIES_PER_MOVE = 12
EVENTS_PER_MOVE = 4
#: Every other action: a launch's first sessions, a socket call, a narration.
ENTRIES_PER_ACTION = 10
EVENTS_PER_ACTION = 4
#: Real memory a run may grow by past twice its budget before the backstop stops it.
BACKSTOP_SLACK = 200_000_000
#: A run is counted against its budget every this many events.
CHECK_EVERY = 10_000

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str) -> int:
    """`1GB`, `512MB`, `1.5GiB` or a number of bytes, as bytes. ValueError if it is none."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size such as 512MB or 2GB")
    number, unit = float(match[1]), match[2].lower()
    scale = _UNITS.get(unit[:1], 1)
    if "i" in unit:
        scale = 1 << (10 * "kmgt".index(unit[0]) + 10)
    size = int(number * scale)
    if size <= 0:
        raise ValueError(f"{text!r} is not a size above zero")
    return size


def format_duration(ms: int) -> str:
    """A span as a scenario file writes it: `8h`, `90s`, `110ms`."""
    for unit, scale in (("h", 3_600_000), ("min", 60_000), ("s", 1000)):
        if ms >= scale and ms % scale == 0:
            return f"{ms // scale}{unit}"
    return f"{ms}ms"


def _round_down(ms: int) -> int:
    """A span rounded down to its largest whole unit: 13,333,000ms is 3h."""
    for scale in (3_600_000, 60_000, 1000):
        if ms >= scale:
            return ms // scale * scale
    return ms


def format_size(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


class Estimate(NamedTuple):
    """What a scenario's run will take: events, trace entries and sockets, at most about."""

    events: int
    entries: int
    sockets: int
    horizon: int  # ms: the run's end
    repeating: int  # of the entries, those made by repeating sockets (they grow with `end`)
    biggest: str  # the field most of it comes from (`applications[0].sockets[0].repeat_every`)
    why: str  # that field in words: "q reopens a socket every 110ms"
    cycle: int = 0  # ms: hold + repeat_every of that socket, when it is a repeating one
    hold: int = 0

    def bytes(self, output: str = "quiet") -> int:
        if output == "compare":  # its runs keep no trace (odplay.compare), only each flow's sums
            return self.sockets * (SOCKET_BYTES + METER_BYTES)
        per_entry = ENTRY_BYTES + OUTPUT_BYTES.get(output, 0)
        return self.entries * per_entry + self.sockets * SOCKET_BYTES


def estimate(model: ScenarioModel) -> Estimate:
    """Work out the size of a scenario's whole run from what its file says, without running it."""
    from odplay.scenario.build import build_app
    from odplay.scenario.runner import SETTLE_MS, step_times

    times = step_times(model)
    last = times[-1] if times else 0
    horizon = max(model.end if model.end is not None else last + SETTLE_MS, last)
    launched_at: dict[str, int] = {}
    launches: Counter[str] = Counter()
    moves = actions = 0
    for index, step in enumerate(model.steps):
        for action in step.do:
            actions += 1
            if action.verb in ("move", "attach", "detach"):
                moves += 1
            elif action.verb == "launch" and isinstance(action.value, str):
                launches[action.value] += 1
                launched_at.setdefault(action.value, times[index])
    events = actions * EVENTS_PER_ACTION + moves * EVENTS_PER_MOVE
    entries = actions * ENTRIES_PER_ACTION + moves * ENTRIES_PER_MOVE
    sockets = actions
    repeating, biggest, why, most = 0, "end" if model.end is not None else "steps", "", 0
    biggest_cycle = biggest_hold = 0
    for i, app in enumerate(model.applications):
        if not launches[app.name]:
            continue
        spec = build_app(app)
        # Each launch opens every plan; each move breaks and reopens each socket at most once.
        sessions = launches[app.name] * len(spec.plans) * (1 + moves)
        for j, plan in enumerate(spec.plans):
            if plan.repeat_every is None or plan.hold is None:
                continue
            cycle = plan.hold + plan.repeat_every
            cycles = (horizon - launched_at[app.name]) // cycle + 1
            sessions += launches[app.name] * cycles
            made = launches[app.name] * cycles * ENTRIES_PER_SESSION
            repeating += made
            if made > most:
                most = made
                field = f"applications[{i}].sockets[{j}].repeat_every"
                biggest = field if model.field_line(field) else f"applications[{i}]"
                why = f"{app.name} reopens a socket every {format_duration(cycle)}"
                biggest_cycle, biggest_hold = cycle, plan.hold
        events += sessions * EVENTS_PER_SESSION
        entries += sessions * ENTRIES_PER_SESSION
        sockets += sessions
    renewals = _renewals(model, horizon)
    if renewals:  # each renewal is like a move for every application's sockets (RFC 8653 §5)
        running = max(1, sum(launches.values()))
        events += renewals * running * EVENTS_PER_MOVE
        entries += renewals * running * ENTRIES_PER_MOVE
        sockets += renewals * running
    if repeating * 2 < entries:  # mostly moves and applications, not time: point at the run
        biggest = "end" if model.end is not None else "steps"
        why = f"{len(launches)} applications live through {moves} moves"
        biggest_cycle = biggest_hold = 0
    return Estimate(
        events, entries, sockets, horizon, repeating, biggest, why, biggest_cycle, biggest_hold
    )


def _renewals(model: ScenarioModel, horizon: int) -> int:
    """How many address renewals `host.rotation` may make in the run, at most: each lifetime
    given (at the top or in a `host` step) as if it held from the start, for each type."""
    hosts = [model.host, *(a.value for s in model.steps for a in s.do if a.verb == "host")]
    lifetimes: list[int] = [
        ms for h in hosts for ms in (getattr(h, "rotation", None) or {}).values()
    ]
    # Counted in bytes, a renewal comes at a meter's tick at most: one per second per type,
    # and the meter's own tick each second.
    by_bytes: int = sum(len(getattr(h, "rotation_bytes", None) or {}) for h in hosts)
    ticks = horizon // 1000 + 1
    return sum(horizon // ms + 1 for ms in lifetimes if ms > 0) + by_bytes * ticks * 2


class Refusal(NamedTuple):
    """Why a run will not be started, and where in the file the cause stands."""

    line: int
    field: str
    message: str


def _advice(est: Estimate, fits: float, budget_hint: str) -> str:
    """What to change so that the run fits: `fits` is the share of the estimate that does."""
    fixed = est.entries - est.repeating
    share = (est.entries * fits - fixed) / est.repeating if est.repeating else 0.0
    advice = []
    if share > 0:
        end = _round_down(int(est.horizon * share))
        if end > 0:
            advice.append(f"make `end` at most {format_duration(end)}")
        if est.cycle:
            longer = _round_up(int(est.cycle / share) - est.hold)
            advice.append(f"make `repeat_every` at least {format_duration(longer)}")
    advice.append("use fewer applications or moves")
    if budget_hint:
        advice.append(budget_hint)
    return ", ".join(advice[:-1]) + (", or " if len(advice) > 1 else "") + advice[-1]


def refusal(
    model: ScenarioModel, max_events: int, memory_budget: int, output: str = "quiet"
) -> Refusal | None:
    """A reason not to start the run, if its estimate exceeds the events or memory allowed."""
    est = estimate(model)
    need = est.bytes(output)
    if est.events <= max_events and need <= memory_budget:
        return None
    line = model.field_line(est.biggest)
    if line == 0 and model.end is not None:
        line, field = model.field_line("end"), "end"
    else:
        field = est.biggest
    fits = min(max_events / est.events, memory_budget / need)
    grows = f", as {est.why} until {format_duration(est.horizon)}" if est.why else ""
    if est.events > max_events:
        what = f"take about {est.events:,} events{grows}, more than odplay's limit of "
        what += f"{max_events:,}"
        hint = ""
    else:
        what = (
            f"need about {format_size(need)} of memory for {est.entries:,} trace entries and "
            f"{est.sockets:,} sockets{grows}, more than its budget of {format_size(memory_budget)}"
        )
        hint = f"give --memory-budget {format_size(_round_up_size(need)).replace(' ', '')}"
    return Refusal(line, field, f"this run would {what}: {_advice(est, fits, hint)}")


def _round_up(ms: int) -> int:
    """A span rounded up to a whole unit: 11,840ms is 12s."""
    for scale in (3_600_000, 60_000, 1000, 10):
        if ms >= scale:
            return -(-ms // scale) * scale
    return max(ms, 10)


def _round_up_size(size: int) -> int:
    scale = 10**9 if size >= 10**9 else 10**8
    return -(-size // scale) * scale


class Budget:
    """A run's memory budget, counted as it goes: trace entries, sockets, checkpoints' bytes."""

    def __init__(self, limit: int = DEFAULT_MEMORY_BUDGET, output: str = "quiet") -> None:
        self.limit = limit
        self.output = output
        self._peak_at_start = _peak_rss()

    def used(self, sim: Simulation) -> int:
        """The run's size by its counts: the same on every machine."""
        per_entry = ENTRY_BYTES + OUTPUT_BYTES.get(self.output, 0)
        checkpoints = sum(len(c) for c in sim.checkpoints.values())
        return (
            len(sim.trace) * per_entry + len(sim.world.stack.sockets) * SOCKET_BYTES + checkpoints
        )

    def over(self, sim: Simulation) -> str | None:
        """Why the run must stop now, or None while it fits."""
        used = self.used(sim)
        if used > self.limit:
            return (
                f"the run has grown to about {format_size(used)} ({len(sim.trace):,} trace "
                f"entries, {len(sim.world.stack.sockets):,} sockets by "
                f"{format_duration(sim.now)}), past its memory budget of "
                f"{format_size(self.limit)}: shorten `end`, or give a larger --memory-budget"
            )
        # The backstop: what the counts miss, the process's own peak shows. Given room (twice the
        # budget, and BACKSTOP_SLACK for the interpreter's own), as real memory is not counts.
        grown = _peak_rss() - self._peak_at_start
        if grown > 2 * self.limit + BACKSTOP_SLACK:
            return (
                f"odplay's memory grew by {format_size(grown)} in this run, past its budget of "
                f"{format_size(self.limit)}: shorten `end`, or give a larger --memory-budget"
            )
        return None


def _peak_rss() -> int:
    """The process's peak resident memory in bytes (0 where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)
