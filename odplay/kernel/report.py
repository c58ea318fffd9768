"""A kernel run as the learner reads it (Rich tables, odplay and Linux side by side) or as JSON.

The table lists every counted check: the step and time, what was checked, what odplay says,
what Linux did, and, for a disagreement, why. Below it, what the harness forced, uncounted; then
the figures: agreement, the run's times, and what the user-space links cost. Every string from a
scenario (names, titles) is shown as a `Text`, never as markup, and the layout does not depend on
the terminal when piped (odplay.cli_support.console).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from odplay.kernel import explain
from odplay.kernel.checks import Check
from odplay.kernel.wire import Lateness
from odplay.text import one_line, plain

SETSC_NOTE = (
    "setsc() is not in any kernel: here it is a library in user space over the kernel. It asks "
    "odplay's network side for an address of the type, which that side adds to the host through "
    "netlink with its lifetimes; the application binds to it. Its answers are listed below, "
    "not counted."
)


@dataclass(slots=True)
class KernelReport:
    source: str
    title: str
    seed: int
    kernel: str  # the kernel's release (uname -r)
    checks: list[Check]
    lateness: Lateness
    model_ms: int = 0  # the model's time the replay covered
    build_ms: float = 0.0
    replay_s: float = 0.0
    teardown_ms: float = 0.0
    total_s: float = 0.0
    behind_ms: float = 0.0  # how far the replay fell behind the model's time, at worst
    leftovers: list[str] = field(default_factory=list)

    @property
    def counted(self) -> list[Check]:
        return [c for c in self.checks if c.counted]

    @property
    def harness(self) -> list[Check]:
        return [c for c in self.checks if not c.counted]

    @property
    def agreed(self) -> int:
        return sum(c.agree for c in self.counted)

    @property
    def agreement(self) -> float | None:
        counted = self.counted
        return self.agreed / len(counted) if counted else None

    @property
    def offsets(self) -> list[float]:
        """Linux's round trip minus odplay's, for every round trip measured (ms)."""
        return [c.numbers[1] - c.numbers[0] for c in self.counted if c.numbers is not None]


def _at(check: Check) -> str:
    return f"{check.step}" if check.step else "-"


def _time(check: Check) -> str:
    return f"{check.time_ms / 1000:g}s"


def _table(title: str, checks: list[Check], verdict: bool) -> Table:
    """The checks; with `verdict`, whether each agrees and, when any does not, why."""
    why = verdict and not all(check.agree for check in checks)
    table = Table(title=title, title_justify="left", expand=True, title_style="bold")
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("what", ratio=3)
    table.add_column("odplay", ratio=2)
    table.add_column("Linux", ratio=3)
    if verdict:
        table.add_column("", no_wrap=True)
    if why:
        table.add_column("why", ratio=3)
    for check in checks:
        cells: list[Any] = [_at(check), _time(check)]
        cells += [plain(check.what), plain(check.odplay), plain(check.linux)]
        if verdict:
            agree = Text("agree", style="green")
            cells.append(agree if check.agree else Text("differ", style="bold red"))
        if why:
            cells.append(plain(check.why or ""))
        table.add_row(*cells)
    return table


def summary_lines(report: KernelReport) -> list[str]:
    counted = report.counted
    share = report.agreement
    lines = [
        f"{len(counted)} checks the kernel decided, {report.agreed} agree"
        + (f" ({100 * share:.0f}%)" if share is not None else "")
        + f"; {len(report.harness)} facts the harness forced, not counted.",
    ]
    offsets = report.offsets
    if offsets:
        lines.append(
            f"Round trips: Linux - odplay {statistics.mean(offsets):+.2f} ms on average "
            f"(from {min(offsets):+.2f} to {max(offsets):+.2f}) over {len(offsets)}; they agree "
            f"within {explain.RTT_SLACK_MS:g} ms + {100 * explain.RTT_SLACK_SHARE:g}% of "
            "odplay's."
        )
    late = report.lateness
    lines.append(
        f"Links: TUN pairs and a forwarder in user space ({late.scheduling or 'not started'}): "
        f"{late.packets} delayed packets, {late.mean_ms:.3f} ms late on average, "
        f"{late.worst_ms:.3f} ms at worst."
    )
    lines.append(
        f"Time: the model's {report.model_ms / 1000:g} s replayed in {report.replay_s:.1f} s "
        f"(at most {report.behind_ms:.0f} ms behind); network built in "
        f"{report.build_ms / 1000:.2f} s, removed in {report.teardown_ms / 1000:.2f} s; "
        f"{report.total_s:.1f} s in all."
    )
    lines.append(
        "Left behind: nothing."
        if not report.leftovers
        else f"Left behind: {', '.join(report.leftovers)} (odplay kernel --cleanup removes them)."
    )
    return lines


def render(report: KernelReport) -> Group:
    header = Text()
    header.append_text(plain(report.title, style="bold underline"))
    header.append("\n")
    header.append_text(plain(f"{report.source} on Linux {report.kernel}, beside odplay's model"))
    parts: list[Any] = [header, Text(SETSC_NOTE, style="italic")]
    parts.append(_table("What the kernel decided", report.counted, verdict=True))
    parts.append(_table("What the harness forced (not counted)", report.harness, verdict=False))
    parts.extend(Text(line) for line in summary_lines(report))
    return Group(*parts)


def _check(check: Check, verdict: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "at": {"step": check.step, "time_ms": check.time_ms},
        "what": one_line(check.what),
        "kind": check.kind,
        "odplay": one_line(check.odplay),
        "linux": one_line(check.linux),
    }
    if verdict:
        row["agree"] = check.agree
        row["why"] = check.why
    if check.numbers is not None:
        row["odplay_ms"], row["linux_ms"] = check.numbers[0], round(check.numbers[1], 3)
    return row


def to_jsonable(report: KernelReport) -> dict[str, Any]:
    from odplay.report.jsonout import envelope

    late = report.lateness
    offsets = report.offsets
    return envelope(
        "odplay.kernel",
        {
            "scenario": {"file": report.source, "title": report.title, "seed": report.seed},
            "kernel": report.kernel,
            "setsc": SETSC_NOTE,
            "checks": [_check(c, True) for c in report.counted],
            "harness": [_check(c, False) for c in report.harness],
            "summary": {
                "checks": len(report.counted),
                "agree": report.agreed,
                "agreement": report.agreement,
                "harness": len(report.harness),
            },
            "round_trips": {
                "tolerance_ms": explain.RTT_SLACK_MS,
                "tolerance_share": explain.RTT_SLACK_SHARE,
                "measured": len(offsets),
                "mean_offset_ms": round(statistics.mean(offsets), 3) if offsets else None,
            },
            "links": {
                "scheduling": late.scheduling,
                "delayed_packets": late.packets,
                "mean_late_ms": round(late.mean_ms, 4),
                "worst_late_ms": round(late.worst_ms, 4),
                "dropped": late.dropped,
            },
            "time": {
                "model_ms": report.model_ms,
                "build_ms": round(report.build_ms, 1),
                "replay_s": round(report.replay_s, 3),
                "teardown_ms": round(report.teardown_ms, 1),
                "total_s": round(report.total_s, 3),
                "behind_ms": round(report.behind_ms, 1),
            },
            "left_behind": report.leftovers,
        },
    )
