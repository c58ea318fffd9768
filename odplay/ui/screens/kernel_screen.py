"""The scenario being followed, on this machine's Linux stack (K): odplay kernel's report.

The run takes as long as the scenario's own time, so it goes in a worker thread while the screen
says so; the report then replaces the notice. It needs root, /dev/net/tun and pyroute2 (the
action says which is missing before this opens) and is off in a served playground.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from odplay.session.kernel import CannotRun, KernelReport, render_report, run_on_kernel
from odplay.session.session import Session
from odplay.text import plain
from odplay.ui.screens.reading_screen import ReadingScreen


class KernelScreen(ReadingScreen):
    HEADING = "This scenario on the model and on Linux (odplay kernel)"
    WIDTH = 140

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        #: The report, once the run is over (None before, or when the machine could not).
        self.report: KernelReport | None = None

    def content(self) -> ComposeResult:
        yield Static(
            "Building the scenario's network as namespaces and playing it in real time on this "
            "machine's kernel; it takes as long as the scenario, plus a few seconds.",
            id="kernel-report",
        )

    def on_mount(self) -> None:
        self._play()

    @work(thread=True, exclusive=True)
    def _play(self) -> None:
        try:
            report = run_on_kernel(self.session)
        except CannotRun as exc:
            self.app.call_from_thread(self._cannot, str(exc))
            return
        self.app.call_from_thread(self._show, report)

    def _show(self, report: KernelReport) -> None:
        self.report = report
        if self.is_attached:
            self.query_one("#kernel-report", Static).update(render_report(report))

    def _cannot(self, why: str) -> None:
        if self.is_attached:
            shown = plain(f"This machine cannot run it: {why}")
            self.query_one("#kernel-report", Static).update(shown)
