"""Text is data in the playground: a stranger's scenario and a learner's typing cannot run an
action, crash a dialog with bad markup, or drive the terminal.

Every dialog's every field is given strings from an alphabet of what markup and terminals are
made of (`[`, `]`, `/`, `@`, `=`, ESC, BEL, CR); the app must keep running, and what it shows
must hold no raw control character.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.predict_dialog import PredictDialog
from tests.ui.conftest import FakeClock, drive, free_app

HOSTILE = Path(__file__).parents[1] / "untrusted" / "hostile.yaml"
ALPHABET = "[]/@=\x1b\x07\rab1:.' "
FIXED = ["[/]", "[@click=app.quit]x[/]", "[bold", "\x1b]0;t\x07\x1b[2J", "=@/]["]
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The dialogs that have fields, by the key that opens them.
DIALOG_KEYS = ("l", "k", "e", "o", "s", "m")


def _hostile_strings(seed: int, count: int = 6) -> list[str]:
    rng = random.Random(seed)
    made = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(count)]
    return FIXED + made


def _shown(app: PlaygroundApp) -> str:
    """Everything the current screen's static texts and option lists show."""
    parts = [str(static.render()) for static in app.screen.query(Static)]
    for options in app.screen.query(OptionList):
        parts += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join(parts)


@pytest.mark.parametrize("key", DIALOG_KEYS)
def test_every_field_of_every_dialog_takes_hostile_text(key: str) -> None:
    app = free_app(FakeClock())
    strings = _hostile_strings(seed=DIALOG_KEYS.index(key))

    async def body(pilot: Pilot[None]) -> None:
        for text in strings:
            await pilot.press(key)
            await pilot.pause()
            dialog = app.screen
            for field in dialog.query(Input):
                field.value = text
            for button in dialog.query(Button):
                if not button.disabled and button.id not in {"cancel", "restart"}:
                    button.press()
                    await pilot.pause()
                    assert app.is_running and app._exception is None, (key, text, button.id)
            assert not RAW_CONTROL.search(_shown(app)), (key, text)
            if app.screen is dialog:
                await pilot.press("escape")
            await pilot.pause()

    drive(app, body)
    assert app._exception is None


def test_a_strangers_scenario_plays_and_its_choices_run_nothing(tmp_path: Path) -> None:
    target = tmp_path / "written-by-a-click.svg"
    text = HOSTILE.read_text(encoding="utf-8").replace("/etc/passwd", str(target))
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    app = PlaygroundApp(
        Session.load(scenario), highlight_seconds=0, wall_clock=FakeClock(), predicting=True
    )

    async def body(pilot: Pilot[None]) -> None:
        assert not RAW_CONTROL.search(_shown(app))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PredictDialog)
        shown = _shown(app)
        assert "[@click=app.screenshot(" in shown  # the choice is shown as written
        assert not RAW_CONTROL.search(shown)
        options = app.screen.query_one(OptionList)
        for row in range(options.option_count):
            await pilot.click(OptionList, offset=(4, row))
            await pilot.pause()
            if not isinstance(app.screen, PredictDialog):
                break
        assert app.is_running
        assert not RAW_CONTROL.search(_shown(app))

    drive(app, body)
    assert app._exception is None
    assert not target.exists()


def test_the_palette_lists_a_scenarios_names_as_text(tmp_path: Path) -> None:
    """Attachment points named with markup appear in the palette's move commands: listing and
    searching them must neither crash (MarkupError) nor style anything."""
    scenario = tmp_path / "names.yaml"
    scenario.write_text(
        "title: t\nnetwork:\n  attachment_points:\n"
        '    - {name: "ap[/]1", gateway: gw1}\n    - {name: "ap[bold]2", gateway: gw2}\n'
        'steps:\n  - at: 0s\n    do:\n      - attach: "ap[/]1"\n',
        encoding="utf-8",
    )
    app = PlaygroundApp(Session.load(scenario), highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await app.workers.wait_for_complete()  # every command, before anything is typed
        await pilot.pause()
        assert app._exception is None
        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any("ap[bold]2" in prompt for prompt in prompts), prompts

    drive(app, body)
    assert app._exception is None
