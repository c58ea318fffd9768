"""Check a scenario step's expectations against the model's state.

Each check returns what was expected and what was seen, in words a learner can read, so that a
failed run says exactly which fact did not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from odplay.scenario.schema import ExpectModel
from odplay.sim.simulation import Simulation


@dataclass(frozen=True, slots=True)
class CheckResult:
    step: int  # index of the scenario step
    subject: str
    ok: bool
    expected: str
    seen: str
    #: The simulation step at which it was checked, so that a viewer stepping back and forth
    #: shows only the checks made by then.
    at: int = -1

    def describe(self) -> str:
        mark = "ok" if self.ok else "FAILED"
        detail = "" if self.ok else f" (saw {self.seen})"
        return f"step {self.step + 1}: {self.subject}: {self.expected} {mark}{detail}"


@dataclass
class RunContext:
    """What the runner knows beyond the model: socket labels and the last result of each call."""

    labels: dict[str, int]
    results: dict[str, str]


def _socket_row(
    state: dict[str, Any], ctx: RunContext, name: str, role: str | None, fd: int | None
) -> dict[str, Any] | None:
    rows = state["sockets"]
    if fd is not None:
        return next((r for r in rows if r["fd"] == fd), None)
    if name in ctx.labels:
        return next((r for r in rows if r["fd"] == ctx.labels[name]), None)
    mine = [r for r in rows if r["app"] == name and (role is None or r["role"] == role)]
    return mine[-1] if mine else None  # the newest: after re-establishing, the replacement


def _fact(row: dict[str, Any], fact: str) -> Any:
    return {
        "state": row.get("state"),
        "bound": row.get("bound_address"),
        "source": row.get("source_address"),
        "type": row.get("requested_type") or row.get("type"),
        "via": row.get("via") or "direct",
        "status": row.get("setsc_status"),
        "reestablished": row.get("reestablishes") is not None,
        "anchor": row.get("anchor"),
        "users": len(row.get("used_by", [])),
        "broken": row.get("broken_sessions"),
        "failed": row.get("failed_sessions"),
        "running": row.get("running"),
        "setsc": row.get("setsc_results"),
    }[fact]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "nothing" if value is None else str(value)


def check(expect: ExpectModel, step: int, sim: Simulation, ctx: RunContext) -> list[CheckResult]:
    state = sim.snapshot()
    subject = expect.subject
    title = (
        f"{subject} {getattr(expect, subject) if subject not in ('reach', 'host') else ''}".strip()
    )
    facts = sorted(expect.model_fields_set - {subject, "role", "fd"})
    row: dict[str, Any] | None = None
    if subject == "socket":
        row = _socket_row(state, ctx, expect.socket or "", expect.role, expect.fd)
    elif subject == "prefix":
        row = next((p for p in state["prefixes"] if p["name"] == expect.prefix), None)
        if row is None and expect.state == "absent":
            return [CheckResult(step, title, True, "state absent", "absent")]
    elif subject == "address":
        row = next((a for a in state["addresses"] if a["name"] == expect.address), None)
        if "exists" in facts:
            ok = (row is not None) == expect.exists
            results = [
                CheckResult(
                    step,
                    title,
                    ok,
                    f"exists {_show(expect.exists)}",
                    f"exists {_show(row is not None)}",
                )
            ]
            if row is None:
                return results
            facts.remove("exists")
            return results + _compare(step, title, row, facts, expect)
    elif subject == "app":
        row = next((a for a in state["applications"] if a["name"] == expect.app), None)
    elif subject == "reach":
        assert expect.reach is not None
        result = sim.world.stack.reachability(
            expect.reach.name, expect.reach.port, expect.reach.from_
        )
        seen = "reachable" if result.ok else f"unreachable: {result.reason}"
        return [
            CheckResult(
                step,
                f"reach {expect.reach.name}:{expect.reach.port}",
                result.ok == expect.reachable,
                f"reachable {_show(expect.reachable)}",
                seen,
            )
        ]
    elif subject == "call":
        seen = ctx.results.get(expect.call or "", "never called")
        return [
            CheckResult(step, title, seen == expect.returned, f"returned {expect.returned}", seen)
        ]
    elif subject == "host":
        seen = state["attachment"] or "detached"
        return [
            CheckResult(
                step, "host", seen == expect.attachment, f"attachment {expect.attachment}", seen
            )
        ]
    elif subject == "dns":
        value = state["dns"].get(expect.dns or "")
        name = next((a["name"] for a in state["addresses"] if a["address"] == value), value)
        return [
            CheckResult(
                step, title, name == expect.points_to, f"points_to {expect.points_to}", _show(name)
            )
        ]
    if row is None:
        return [
            CheckResult(
                step,
                title,
                False,
                ", ".join(f"{f} {_show(getattr(expect, f))}" for f in facts),
                f"no such {subject}",
            )
        ]
    return _compare(step, title, row, facts, expect)


def _compare(
    step: int, title: str, row: dict[str, Any], facts: list[str], expect: ExpectModel
) -> list[CheckResult]:
    results = []
    for fact in facts:
        wanted, seen = getattr(expect, fact), _fact(row, fact)
        results.append(
            CheckResult(
                step, title, wanted == seen, f"{fact} {_show(wanted)}", f"{fact} {_show(seen)}"
            )
        )
    return results
