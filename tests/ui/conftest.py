"""Helpers for driving the playground in tests: a fake wall clock, apps on the 4.2 flow."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp

ROOT = Path(__file__).parents[2]
FLOW = ROOT / "scenarios" / "4.2-message-flow.yaml"
SIZE = (150, 44)  # every panel visible, so every table is kept up to date


class FakeClock:
    """Wall time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def free_app(clock: FakeClock | None = None, session: Session | None = None) -> PlaygroundApp:
    return PlaygroundApp(
        session or Session.free(), highlight_seconds=0, wall_clock=clock or FakeClock()
    )


def flow_app(clock: FakeClock | None = None) -> PlaygroundApp:
    return PlaygroundApp(Session.load(FLOW), highlight_seconds=0, wall_clock=clock or FakeClock())


async def settle(pilot: Pilot[None]) -> None:
    """Let work on Textual workers (opening, saving, comparing, stepping back far) finish, and
    its result be shown: Pilot's own pauses do not wait for workers, and a worker's result is
    taken in after the frame that hides its bar (long_work: `work_under_way` until then)."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        idle = not any(worker.is_running for worker in pilot.app.workers)
        if idle and not getattr(pilot.app, "work_under_way", False):
            return


def drive(
    app: PlaygroundApp,
    body: Callable[[Pilot[None]], Awaitable[None]],
    size: tuple[int, int] = SIZE,
) -> None:
    """Run the app headless at `size` and let `body` press keys and look."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(pilot)

    asyncio.run(main())
