"""A key whose work can be long is answered in a frame of one line before its work begins.

Stepping back (`,`, `b`), starting over (`r`), opening (`o`) and saving (`s`) take a full frame
of the screen or more, even when the work is quick; the first frame after the key is the status
line saying what the key is doing, drawn while the run is still as it was (LongWork.answering).
Long work on a worker keeps that line, with its progress and Esc; the key bar keeps every key
meanwhile, the ones that wait dimmed, so it is not laid out again.

Each frame the app draws is recorded with what the status line said and where the run was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input

from odplay.session.session import Session
from odplay.sim.apps import spec_for
from odplay.ui.app import PlaygroundApp
from odplay.ui.widgets.key_bar import KeyStrip
from odplay.ui.widgets.status_bar import StatusBar
from tests.ui.conftest import FLOW, FakeClock, drive, free_app, settle
from tests.ui.test_long_work import HeldApp, _busy_step_back


@dataclass(frozen=True)
class Frame:
    doing: str | None  # what the status line said a key was doing
    position: int  # the run's position when the frame went out
    shown: int
    dialog_says: str | None = None  # the bottom edge of the dialog on top, if any
    drawn: str = ""  # the text the frame put on the terminal


def _answer(frames: list[Frame], label: str) -> Frame:
    """The frame that answered the key: the first that says `label`. Frames before it (still
    going out when the key came) and it must show the run as it was."""
    index = next(i for i, frame in enumerate(frames) if frame.doing == label)
    assert len({(f.position, f.shown) for f in frames[: index + 1]}) == 1, frames
    return frames[index]


def _text(update: Any) -> str:
    """The characters a frame's update writes (its cursor moves and styles dropped)."""
    console = Console(file=io.StringIO(), width=400, record=True, color_system=None)
    console.print(update)
    return console.export_text()


def _record(app: PlaygroundApp) -> list[Frame]:
    """Every frame the app draws from now on."""
    frames: list[Frame] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None:
            status = app.query_one(StatusBar)
            dialog = next(iter(screen.query("#dialog")), None)
            markup = None if dialog is None else dialog.border_subtitle
            says = None if markup is None else Content.from_markup(markup).plain
            frames.append(
                Frame(
                    status.doing, app.session.position, app.session.shown, says, _text(renderable)
                )
            )

    app._display = display  # type: ignore[method-assign]
    return frames


def _played() -> Session:
    session = Session.free()
    session.launch(spec_for("web-browser", "web-browser"))
    session.sim.run_for(3000)
    return session


def test_stepping_back_is_answered_in_the_status_line_before_the_run_moves() -> None:
    session = _played()
    app = free_app(session=session)

    async def body(pilot: Pilot[None]) -> None:
        before = (session.position, session.shown)
        frames = _record(app)
        await pilot.press("comma")
        await settle(pilot)
        first = _answer(frames, "Stepping back one message")
        assert (first.position, first.shown) == before  # drawn before the work
        assert "Stepping back one message" in first.drawn
        assert (session.position, session.shown) != before  # and then the work was done
        assert frames[-1].doing is None  # the line says the run's state again
        assert "Stepping back" not in str(app.query_one(StatusBar).render())

    drive(app, body)


def test_starting_over_is_answered_first_then_the_run_is_at_its_start() -> None:
    app = PlaygroundApp(Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n")
        await settle(pilot)
        moved = app.session.position
        frames = _record(app)
        await pilot.press("r")
        await settle(pilot)
        assert moved > 0 and _answer(frames, "Starting over").position == moved
        assert app.session.position == 0 and frames[-1].doing is None

    drive(app, body)


def test_a_dialog_key_is_answered_before_its_dialog_is_drawn() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        frames = _record(app)
        await pilot.press("s")
        await settle(pilot)
        _answer(frames, "Save: choose where")
        assert type(app.screen).__name__ == "SaveDialog"
        assert app.query_one(StatusBar).doing is None  # (on the main screen, under the dialog)

    drive(app, body)


def test_long_work_keeps_the_line_and_the_key_bar_keeps_its_keys_dimmed() -> None:
    app = HeldApp(_busy_step_back(), highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        strip = app.query_one(KeyStrip)
        keys_before = strip.shown.plain
        frames = _record(app)
        await pilot.press("comma")
        await pilot.pause()
        assert app.reached.wait(timeout=30)
        await pilot.pause()
        line = str(app.query_one(StatusBar).render())
        assert "Stepping back one message" in line and "Esc cancels" in line
        _answer(frames, "Stepping back one message")
        # Every key still there, in the same place; the ones that wait for the work are dim.
        assert strip.shown.plain == keys_before
        dimmed = {
            strip.shown.plain[span.start : span.end].strip()
            for span in strip.shown.spans
            if str(span.style) == "dim"
        }
        assert "Next" in dimmed and "Help" not in dimmed
        waiting_keys = {key for _start, _end, key in strip.regions}
        assert "n" not in waiting_keys and "question_mark" in waiting_keys
        app.gate.set()
        await settle(pilot)
        assert app.working is None and app.query_one(StatusBar).doing is None
        assert "dim" not in {str(span.style) for span in strip.shown.spans}

    drive(app, body)


def test_opening_a_file_is_answered_in_the_dialog_with_its_name_as_text(tmp_path: Path) -> None:
    hostile = tmp_path / "[b]x[i] \x1b[31m.yaml"
    hostile.write_text(FLOW.read_text(encoding="utf-8"), encoding="utf-8")
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)
        typed = app.screen.query_one("#path", Input)
        typed.value = str(hostile)
        typed.focus()
        await pilot.pause()
        frames = _record(app)
        await pilot.press("enter")
        await settle(pilot)
        said = [f for f in frames if f.dialog_says and "Opening" in f.dialog_says]
        # The name as it is (markup shown, not applied), the control byte made visible; and the
        # frame drew it (its bottom edge alone).
        assert said and "[b]x[i]" in str(said[0].dialog_says) and "\x1b" not in said[0].drawn
        assert "Opening [b]x[i]" in said[0].drawn
        assert app.session.title is not None and "4.2" in app.session.title

    drive(app, body)
