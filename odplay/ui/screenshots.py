"""`odplay screenshot`: the README's pictures, made by driving the real app headless.

Each shot starts a fresh app at a fixed terminal size, presses the keys a learner would, and
saves an SVG. Highlights of rows that just changed are switched off, so that running the command
twice writes the same files.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from odplay.config import Config
from odplay.session.api import Session
from odplay.session.scenarios import scenarios_dir
from odplay.ui.app import PlaygroundApp

FLOW = "4.2-message-flow.yaml"
LARGE = (150, 44)
SMALL = (80, 24)


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    size: tuple[int, int]
    keys: tuple[str, ...]
    scenario: str | None = FLOW
    layout: str = "panels"  # the settings file's layout (odplay.config)


SHOTS = (
    Shot("4.2-start", "Section 4.2, step 1: the host attaches (F1)", LARGE, ("n",)),
    Shot("4.2-after-move", "Section 4.2, step 5: just after the move (F5)", LARGE, ("n",) * 5),
    Shot("4.2-end", "Section 4.2, the end: F8 refused, F9 falls back", LARGE, ("n",) * 8),
    Shot("4.2-small-terminal", "The move on an 80x24 terminal", SMALL, ("n",) * 5 + ("2",)),
    Shot(
        "4.2-focus",
        "The focus layout (z): one panel, large, for a projector",
        (120, 36),
        ("n",) * 5 + ("4",),
        layout="focus",
    ),
    Shot("free-play", "Free play on the built-in network", SMALL, (), None),
    Shot("help", "Help: the four address types", LARGE, ("question_mark",), None),
)


async def _take(shot: Shot, out: Path) -> Path:
    session = Session.load(scenarios_dir() / shot.scenario) if shot.scenario else None
    app = PlaygroundApp(session, highlight_seconds=0, config=Config(layout=shot.layout))
    async with app.run_test(size=shot.size) as pilot:
        await pilot.pause()
        for key in shot.keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        name = f"{shot.name}.svg"
        app.save_screenshot(name, str(out))
        # The SVG's title is the window title; make it say what the picture shows.
        path = out / name
        path.write_text(path.read_text().replace(">odplay</text>", f">{shot.title}</text>", 1))
    return path


def make_screenshots(out: Path) -> list[Path]:
    """Write every shot into `out` (made if missing); returns the files written."""
    out.mkdir(parents=True, exist_ok=True)

    async def take_all() -> list[Path]:
        return [await _take(shot, out) for shot in SHOTS]

    return asyncio.run(take_all())
