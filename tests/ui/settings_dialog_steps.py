"""Steps the settings-dialog tests share: open the dialog (`e`) and read its row labels, and
apply it. Each test then checks its own rows, so a change in how the dialog opens or applies
is made here once."""

from __future__ import annotations

from textual.pilot import Pilot

from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.settings_dialog import SettingsDialog


async def open_settings(pilot: Pilot[None], app: PlaygroundApp) -> tuple[SettingsDialog, str]:
    """Press `e`; the dialog, and its row labels as one text."""
    await pilot.press("e")
    dialog = app.screen
    assert isinstance(dialog, SettingsDialog)
    labels = " ".join(str(label.render()) for label in dialog.query(".field-label"))
    return dialog, labels


async def apply_settings(pilot: Pilot[None]) -> None:
    """Let the values set take, then press Apply."""
    await pilot.pause()
    await pilot.click("#apply")
    await pilot.pause()
