"""B2's choice for ON_NET on a legacy stack (`host.legacy_on_net`) is visible and switchable in
the playground: a row in the settings dialog (`e`) beside the legacy-stack box, and a palette
switch, each naming the rule and both sides."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select

from odplay.session.api import LegacyOnNetPolicy
from odplay.ui.palette import palette_entries
from tests.ui.conftest import drive, free_app
from tests.ui.settings_dialog_steps import apply_settings, open_settings


def test_B2_the_settings_dialog_shows_and_applies_legacy_on_net() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        dialog, labels = await open_settings(pilot, app)
        assert "Legacy stack, ON_NET (B2)" in labels
        choice = dialog.query_one("#legacy-on-net", Select)
        assert choice.value == "einval"
        choice.value = "ignore"
        await apply_settings(pilot)
        assert app.session.world.stack.policy.legacy_on_net is LegacyOnNetPolicy.IGNORE
        changes = [e.text for e in app.session.sim.trace if e.kind in ("setting", "policy")]
        assert "host policy legacy_on_net = ignore" in changes

    drive(app, body)


def test_B2_the_palette_switches_legacy_on_net_both_ways() -> None:
    app = free_app()
    entries = {title: (callback, why) for title, callback, why in palette_entries(app)}
    ignore = "Host policy: a legacy stack accepts and ignores ON_NET (legacy_on_net ignore)"
    assert ignore in entries and entries[ignore][1].startswith("B2")
    entries[ignore][0]()
    assert app.session.world.stack.policy.legacy_on_net is LegacyOnNetPolicy.IGNORE
    titles = [title for title, _, _ in palette_entries(app)]
    assert "Host policy: a legacy stack refuses ON_NET (legacy_on_net einval)" in titles
