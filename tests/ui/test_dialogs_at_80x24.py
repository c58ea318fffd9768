"""Every dialog at 80x24: it fits the screen (its fields scroll where there are many), its
buttons are at most three Tabs away from where it opens, and Enter does what it is for (the
settings dialog took about 14 Tabs to its buttons, and cut the fourth address type off)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox

from odplay.ui.dialogs.base import Dialog
from odplay.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.conftest import drive, free_app

SMALL = (80, 24)
#: The keys that open a dialog in free play.
DIALOG_KEYS = ["l", "m", "k", "e", "o", "s", "i"]


def _inside(region: object, width: int, height: int) -> bool:
    x, y, w, h = region  # type: ignore[misc]
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


@pytest.mark.parametrize("key", DIALOG_KEYS)
def test_each_dialog_fits_80x24_and_its_buttons_are_three_tabs_away(key: str) -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(key)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Dialog), type(dialog).__name__
        frame = dialog.query_one("#dialog")
        assert _inside(frame.region, *SMALL), frame.region
        for button in dialog.query(Button):
            assert _inside(button.region, *SMALL) and button.region.area, button.id
        if not dialog.query(Button):
            return  # a list to choose from: Enter chooses
        for _tab in range(4):
            if isinstance(app.focused, Button):
                break
            await pilot.press("tab")
            await pilot.pause()
        assert isinstance(app.focused, Button), f"{key}: {app.focused!r} after three Tabs"

    drive(app, body, size=SMALL)


def test_the_settings_dialog_shows_every_address_type_and_enter_applies() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SettingsDialog)
        for box in dialog.query(Checkbox).results():
            if box.id and box.id.startswith("supports-"):
                assert _inside(box.region, *SMALL) and box.region.width >= len(str(box.label))
        grace = dialog.query_one("#grace")
        grace.focus()
        grace.value = "12s"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsDialog)
        assert app.session.world.network.config.grace_period == 12_000

    drive(app, body, size=SMALL)


def test_enter_as_the_launch_dialog_opens_launches_the_application_shown() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "web-browser-1" in app.session.world.apps

    drive(app, body, size=SMALL)
