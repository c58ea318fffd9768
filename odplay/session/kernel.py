"""The playground's way to `odplay kernel`: the scenario being followed, on this machine's kernel.

Imported only when the learner asks (K): it brings the kernel run (odplay.kernel), which needs
root, /dev/net/tun and pyroute2. `unavailable` says why it cannot run here, in the words of the
check that failed; `run_on_kernel` plays the session's scenario as written (like the comparison
does) and returns the report, meant to be called from a worker thread: it takes as long as the
scenario's own time, and removes everything it made before it returns, whatever happens.
"""

from __future__ import annotations

import time

from rich.console import Group

from odplay.kernel import preflight
from odplay.kernel.command import CannotRun
from odplay.kernel.report import KernelReport, render
from odplay.session.session import Session

__all__ = ["CannotRun", "KernelReport", "render_report", "run_on_kernel", "unavailable"]


def unavailable(session: Session) -> str | None:
    """Why the session's run cannot go on the kernel here; None when it can."""
    if session.scenario is None:
        return "odplay kernel plays a scenario: open one first (o)"
    lacking = preflight.missing()
    if lacking:
        return f"this machine cannot run it: {lacking[0]}"
    return None


def run_on_kernel(session: Session) -> KernelReport:
    """The session's scenario on the model and on the kernel, check by check."""
    from odplay.kernel.capture import capture
    from odplay.kernel.command import play
    from odplay.scenario.build import build_network

    model = session.scenario
    if model is None:
        raise ValueError("no scenario to play on the kernel")
    started = time.perf_counter()
    network = build_network(model.network)
    return play(model.title, capture(model), network, started)


def render_report(report: KernelReport) -> Group:
    return render(report)
