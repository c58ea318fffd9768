"""The three choices of T3, T4 and A6/D9 are visible and switchable in the playground: in the
settings dialog (`e`), beside the other policies, and as palette switches, each with its rule."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select

from odplay.session.api import FreshFailurePolicy, GracefulReturn, SameGatewayMove
from odplay.ui.palette import palette_entries
from tests.ui.conftest import drive, free_app
from tests.ui.settings_dialog_steps import apply_settings, open_settings


def test_T3_T4_A6_D9_the_settings_dialog_shows_and_applies_each_choice() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        dialog, labels = await open_settings(pilot, app)
        for shown in ("Same-gateway move (T3)", "Back inside grace (T4)", "(A6, D9)"):
            assert shown in labels
        same, back, fresh = (
            dialog.query_one(f"#{name}", Select)
            for name in ("same-gateway", "graceful-return", "fresh-fails")
        )
        assert (same.value, back.value, fresh.value) == ("keep", "replace", "fail")
        same.value, back.value, fresh.value = "replace", "revive", "reuse"
        await apply_settings(pilot)
        config, policy = app.session.world.network.config, app.session.world.stack.policy
        assert config.same_gateway_move is SameGatewayMove.REPLACE
        assert config.graceful_return is GracefulReturn.REVIVE
        assert policy.when_fresh_fails is FreshFailurePolicy.REUSE
        changes = [e.text for e in app.session.sim.trace if e.kind in ("setting", "policy")]
        assert "network same_gateway_move = replace" in changes
        assert "network graceful_return = revive" in changes
        assert "host policy when_fresh_fails = reuse" in changes

    drive(app, body)


def test_T3_T4_A6_D9_the_palette_offers_the_other_side_of_each_choice() -> None:
    app = free_app()
    entries = {title: (callback, why) for title, callback, why in palette_entries(app)}
    titles = list(entries)
    move = "Network: a move behind the same gateway replaces Non-persistent prefixes"
    back = "Network: back at a gateway inside the grace period, revive the prefix"
    fresh = "Host policy: when no fresh prefix comes, reuse"
    assert {move, back, fresh} <= set(titles)
    assert entries[move][1].startswith("T3") and entries[back][1].startswith("T4")
    assert entries[fresh][1].startswith("A6, D9")
    for title in (move, back, fresh):
        entries[title][0]()
    assert app.session.world.network.config.same_gateway_move is SameGatewayMove.REPLACE
    assert app.session.world.network.config.graceful_return is GracefulReturn.REVIVE
    assert app.session.world.stack.policy.when_fresh_fails is FreshFailurePolicy.REUSE
    titles = [title for title, _, _ in palette_entries(app)]
    assert "Network: a move behind the same gateway keeps Non-persistent prefixes" in titles
    assert "Network: back at a gateway inside the grace period, replace the prefix" in titles
    assert "Host policy: when no fresh prefix comes, fail" in titles
