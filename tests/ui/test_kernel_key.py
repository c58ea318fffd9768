"""K in the playground: the scenario being followed on this machine's kernel (odplay kernel), in a
worker, its report on a screen; off when served, and a clear word when it cannot run here. These
tests need no root: where the kernel would run, the machine's checks are made to fail (the run
itself is tested in tests/kernel/test_kernel_in_the_playground.py).
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from odplay.kernel import preflight
from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from odplay.ui.palette import palette_entries
from odplay.ui.screens.kernel_screen import KernelScreen
from tests.ui.conftest import FLOW, FakeClock, drive, free_app


def _told(app: PlaygroundApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_free_play_has_no_scenario_to_play_on_the_kernel() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("K")
        assert not isinstance(app.screen, KernelScreen)
        assert any("open one first" in m for m in _told(app))

    drive(app, body)


def test_a_served_playground_never_runs_the_kernel() -> None:
    app = PlaygroundApp(
        Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock(), served=True
    )

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("K")
        assert not isinstance(app.screen, KernelScreen)
        assert any("off in a served playground" in m for m in _told(app))
        assert not any("kernel" in str(e[0]) for e in palette_entries(app))

    drive(app, body)


def test_a_machine_that_cannot_says_which_check_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "missing", lambda: [preflight.Missing("root", "run as root")])
    app = PlaygroundApp(Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        assert any("kernel" in str(e[0]) for e in palette_entries(app))
        await pilot.press("K")
        assert not isinstance(app.screen, KernelScreen)
        assert any("cannot run it: root: run as root" in m for m in _told(app))

    drive(app, body)
