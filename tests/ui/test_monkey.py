"""A monkey in front of the playground: random keys and clicks, every screen and dialog.

A seeded random stream of key presses (the app's own keys, the dialogs' keys, arrows, tab,
enter, escape, letters and digits for the fields) and clicks anywhere on the screen, with the
fake wall clock moved now and then so that play runs. Nothing may raise, the app must still be
running at the end, and the model's invariants (tests/invariants.py) must hold after every
hundred events and at the end.

Two things are kept from the monkey, and only these: quitting (it would end the run early; the
app's quit is counted instead) and delivering a screenshot (it would write into the user's
folders). CI runs `ODPLAY_MONKEY_EVENTS` events per start (default 1,000, two starts);
`python3 dev.py soak` runs more.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.errors import NoWidget

from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from tests.invariants import check_world
from tests.ui.conftest import FLOW, FakeClock, settle

EVENTS = int(os.environ.get("ODPLAY_MONKEY_EVENTS", "1000"))

#: The app's keys (all but quit), then what dialogs and fields answer to, then typing.
APP_KEYS = [
    *"nbtlmkeacrohpsxE1234",
    "space",
    "full_stop",
    "comma",
    "plus",
    "minus",
    "question_mark",
    "ctrl+p",
]
#: The screens the monkey is walked to, one every TOUR_EVERY events, in turn.
TOUR = ["l", "m", "k", "e", "o", "s", "question_mark", "ctrl+p", "c", "E"]
TOUR_EVERY = 45
DIALOG_KEYS = [
    "tab",
    "shift+tab",
    "enter",
    "escape",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "backspace",
    "delete",
    "space",
]
#: Typing includes what markup is made of (`[`, `]`, `/`, `@`, `=`): a field's text is data.
TYPING = [
    *"abcdefghijklmnopqrstuvwxyz0123456789",
    "minus",
    "full_stop",
    "colon",
    "slash",
    "left_square_bracket",
    "right_square_bracket",
    "at",
    "equals_sign",
]
#: The character a named key types, as a terminal would send it.
CHARACTERS = {
    "space": " ",
    "full_stop": ".",
    "comma": ",",
    "plus": "+",
    "minus": "-",
    "question_mark": "?",
    "colon": ":",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "at": "@",
    "equals_sign": "=",
    "tab": "\t",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
}
#: Every this many events the monkey waits for the app to settle (Pilot's pause); in between
#: it types ahead, as a fast typist does, and keys land wherever focus is when they arrive.
SETTLE_EVERY = 16


class MonkeyProofApp(PlaygroundApp):
    """The playground, with quitting and screenshot delivery counted instead of done."""

    quits = 0
    screenshots = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Every screen and dialog the monkey opened, by class name.
        self.opened: Counter[str] = Counter()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self.opened[type(screen).__name__] += 1
        return super().push_screen(screen, *args, **kwargs)

    async def action_quit(self) -> None:
        self.quits += 1

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:
        self.screenshots += 1


def _event(rng: random.Random) -> tuple[str, object]:
    roll = rng.random()
    if roll < 0.30:
        return "key", rng.choice(APP_KEYS)
    if roll < 0.36:
        return "key", "escape"  # leaves a dialog often enough to reach the others
    if roll < 0.60:
        return "key", rng.choice(DIALOG_KEYS)
    if roll < 0.82:
        return "key", rng.choice(TYPING)
    if roll < 0.95:
        return "click", None
    return "time", rng.choice([0.05, 0.2, 1.0, 5.0])


async def _monkey(
    app: MonkeyProofApp, clock: FakeClock, seed: int, size: tuple[int, int], first: str = ""
) -> Counter[str]:
    """Press `first`, then play `EVENTS` random events on `app`; returns the screens the monkey
    opened, by name."""
    rng = random.Random(seed)
    log: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if first:
            await pilot.press(first)
        for number in range(EVENTS):
            kind, what = _event(rng)
            if number % TOUR_EVERY == TOUR_EVERY - 1:
                # Every so often the monkey is walked to the next screen on the tour, so that
                # each dialog gets random events whatever the typed-ahead timing made of the rest.
                tour = TOUR[(number // TOUR_EVERY) % len(TOUR)]
                for key in ("escape", "escape", tour):
                    app.post_message(
                        events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None))
                    )
                    await pilot.pause()
                await settle(pilot)  # comparing runs on a worker: let its screen come up
                log.append(f"tour: {tour}")
                continue
            if kind == "key":
                key = str(what)
                log.append(key)
                character = CHARACTERS.get(key, key if len(key) == 1 else None)
                app.post_message(events.Key(key, character))
                await asyncio.sleep(0)
            elif kind == "click":
                x, y = rng.randrange(size[0]), rng.randrange(size[1])
                log.append(f"click {x},{y}")
                try:
                    await pilot.click(offset=(x, y))
                except NoWidget:
                    # A screen pushed by a key typed ahead is not composed yet: the click lands
                    # on nothing, as a person's would in that frame. Only seen on a loaded machine.
                    log.append("(click on a screen not yet drawn)")
            else:
                assert isinstance(what, float)
                log.append(f"time +{what}s")
                clock.advance(what)
                app._tick()
                await pilot.pause()
            if number % SETTLE_EVERY == 0:
                await pilot.pause()
            assert app.is_running and app._exception is None, f"event {number}: {log[-20:]}"
            if number % 100 == 99:
                check_world(app.session.world)
        await pilot.pause()
        check_world(app.session.world)
    assert app._exception is None
    return app.opened


def _run(
    app: MonkeyProofApp, clock: FakeClock, seed: int, size: tuple[int, int], first: str = ""
) -> Counter[str]:
    return asyncio.run(_monkey(app, clock, seed, size, first))


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the monkey manages to save lands here, not in the checkout.
    monkeypatch.chdir(tmp_path)


def test_monkey_in_free_play_breaks_nothing() -> None:
    clock = FakeClock()
    app = MonkeyProofApp(Session.free(), highlight_seconds=0, wall_clock=clock)
    seen = _run(app, clock, seed=1, size=(100, 30))
    # The monkey did get everywhere: the main screen, the dialogs and the reading screens.
    everywhere = {"LaunchDialog", "MoveDialog", "SocketDialog", "SettingsDialog", "OpenDialog"}
    everywhere.add("SaveDialog")
    assert everywhere | {"HelpScreen", "CommandPalette", "CompareScreen"} <= set(seen), seen


def test_monkey_on_the_4_2_flow_in_predict_mode_breaks_nothing() -> None:
    clock = FakeClock()
    session = Session.load(FLOW)
    # Start just before the first step that asks a question, and open it: the monkey starts
    # inside the prediction dialog.
    while (step := session.upcoming_step()) is not None and not session.predictions_for(step):
        session.next_scenario_step()
    app = MonkeyProofApp(session, highlight_seconds=0, wall_clock=clock, predicting=True)
    seen = _run(app, clock, seed=2, size=(80, 24), first="n")
    assert {"CompareScreen", "ErrataScreen", "PredictDialog", "LaunchDialog"} <= set(seen), seen
