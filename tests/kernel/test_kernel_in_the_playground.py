"""K in the playground runs the scenario on the kernel in a worker and shows the report, and the
network is gone when it is shown (skipped, with the reason, where the machine cannot)."""

from __future__ import annotations

import os
import time

from textual.pilot import Pilot
from textual.widgets import Static

from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from odplay.ui.screens.kernel_screen import KernelScreen
from tests.kernel.machine import ROOT, namespaces_of, require_kernel
from tests.ui.conftest import FakeClock, drive

#: The scenario's 6 s of model time, the build and the teardown, on a loaded machine.
DEADLINE_S = 90.0


def test_k_shows_the_kernel_report_beside_the_model() -> None:
    require_kernel()
    session = Session.load(ROOT / "scenarios" / "fixed-server-reachability.yaml")
    app = PlaygroundApp(session, highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("K")
        screen = app.screen
        assert isinstance(screen, KernelScreen)
        deadline = time.monotonic() + DEADLINE_S
        while screen.report is None:
            assert time.monotonic() < deadline, f"no report after {DEADLINE_S:.0f} s"
            await pilot.pause(0.5)  # the worker runs in real time; this waits for it
        report = screen.report
        assert len(report.counted) >= 10 and (report.agreement or 0) >= 0.9
        await pilot.pause()
        shown = screen.query_one("#kernel-report", Static)
        text = " ".join(str(line.text) for line in shown.render_lines(shown.region.reset_offset))
        assert "agree" in text
        assert namespaces_of(os.getpid()) == []

    drive(app, body, size=(160, 60))
