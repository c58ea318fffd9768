"""At 80x24 the key bar keeps the keys that matter most in sight: play, the step keys (by
scenario step and by message) and `?` help, which lists every other key (one key away)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from odplay.ui.app import PlaygroundApp
from odplay.ui.widgets.key_bar import KeyBar, KeyStrip
from tests.ui.conftest import drive, flow_app, free_app


@pytest.mark.parametrize("make", [free_app, flow_app], ids=["free play", "scenario"])
def test_play_step_and_help_are_in_sight_at_80_columns(make: Callable[[], PlaygroundApp]) -> None:
    app = make()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        strip = app.query_one(KeyStrip)
        seen = str(strip.render())[: bar.size.width]
        for shown in ("space Play", "n Next", "b Back", "One message", "? Help"):
            assert shown in seen, seen
        # And the help is that key: pressed, it opens.
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"

    drive(app, body, size=(80, 24))
