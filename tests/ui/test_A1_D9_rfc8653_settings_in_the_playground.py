"""RFC 8653's additions are visible and switchable in the playground like the other settings:
the API (Appendix A, A1, A5), what connect() does meanwhile (A5, D3), address rotation and the
operator's prefix blocks (Section 5, D9, D5), in the settings dialog (`e`) and the palette."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Select

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING
from odplay.session.api import DEFAULT_ROTATION, PendingConnect, PrefixTypes, SetPolicy, SocketApi
from odplay.ui.dialogs.settings_dialog import (
    SettingsDialog,
    parse_permissions,
    parse_rotation,
    parse_rotation_bytes,
)
from odplay.ui.palette import palette_entries
from tests.ui.conftest import drive, free_app
from tests.ui.settings_dialog_steps import apply_settings, open_settings


def test_A1_A5_D9_the_settings_dialog_shows_and_applies_rfc8653s_settings() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        dialog, labels = await open_settings(pilot, app)
        for shown in ("API (RFC 8653 App. A)", "Rotation (RFC 8653 §5)", "Prefix types"):
            assert shown in labels
        api, pending, types = (
            dialog.query_one(f"#{name}", Select)
            for name in ("api", "sockopt-connect", "prefix-types")
        )
        assert (api.value, pending.value, types.value) == ("setsc", "wait", "mixed")
        api.value, pending.value, types.value = "sockopt", "now", "shuffled"
        dialog.query_one("#rotation", Input).value = "non-persistent: 20s"
        dialog.query_one("#rotation-bytes", Input).value = "session-lasting: 5MB"
        dialog.query_one("#shuffle-every", Input).value = "30s"
        await apply_settings(pilot)
        config, policy = app.session.world.network.config, app.session.world.stack.policy
        assert policy.api is SocketApi.SOCKOPT
        assert policy.sockopt_connect is PendingConnect.NOW
        assert policy.rotation == {NON_PERSISTENT: 20_000}
        assert policy.rotation_bytes == {SESSION_LASTING: 5_000_000}
        assert config.prefix_types is PrefixTypes.SHUFFLED and config.shuffle_every == 30_000
        changes = [e.text for e in app.session.sim.trace if e.kind in ("setting", "policy")]
        assert "host policy api = sockopt" in changes
        assert "host policy rotation = {non-persistent: 20s}" in changes
        assert "host policy rotation_bytes = {session-lasting: 5 MB}" in changes
        assert "network prefix_types = shuffled" in changes

    drive(app, body)


def test_D9_a_rotation_the_dialog_cannot_read_is_said() -> None:
    assert parse_rotation("") == {} and parse_rotation_bytes("") == {}
    assert parse_rotation_bytes("fixed: 1.5MB; non-persistent: 250kB") == {
        FIXED: 1_500_000,
        NON_PERSISTENT: 250_000,
    }
    for bad, said in (("fixed: lots", "not a size"), ("fixed: 0", "more than 0")):
        try:
            parse_rotation_bytes(bad)
        except ValueError as exc:
            assert said in str(exc)
        else:
            raise AssertionError(f"{bad!r} was accepted")
    for text, said in (
        ("premium: 10s", "unknown address type"),
        ("fixed 10s", "a colon"),
        ("fixed: 1s; Fixed: 2s", "Fixed is named twice"),  # one value would be dropped
    ):
        try:
            parse_rotation(text)
        except ValueError as exc:
            assert said in str(exc)
        else:
            raise AssertionError(f"{text!r} was accepted")


def test_A1_D9_the_palette_switches_each_to_its_other_side() -> None:
    app = free_app()
    entries = {title: (callback, why) for title, callback, why in palette_entries(app)}
    api = "Host API: sockopt (RFC 8653 Appendix A)"
    now = "Host: under api sockopt, connect() before the prefix comes: now"
    rotate = next(t for t in entries if t.startswith("Host: rotate addresses"))
    blocks = "Network: prefix types shuffled"
    assert {api, now, blocks} <= set(entries)
    assert entries[api][1].startswith("A1, A5") and "Section 5" in entries[rotate][1]
    for title in (api, now, rotate, blocks):
        entries[title][0]()
    policy = app.session.world.stack.policy
    assert policy.api is SocketApi.SOCKOPT and policy.sockopt_connect is PendingConnect.NOW
    assert policy.rotation == DEFAULT_ROTATION
    assert app.session.world.network.config.prefix_types is PrefixTypes.SHUFFLED
    titles = [title for title, _, _ in palette_entries(app)]
    assert "Host API: setsc (RFC 8653 Appendix A)" in titles
    assert "Host: stop rotating addresses" in titles


def test_A2_the_socket_dialogs_flags_take_one_on_demand_value() -> None:
    from odplay.constants import on_demand_bits
    from odplay.ui.dialogs.fields import parse_flags

    assert parse_flags("home, on-demand=fixed") == 0x0400 | on_demand_bits(FIXED)
    for two in ("on-demand=fixed on-demand=session-lasting", "on-demand=fixed,on-demand=fixed"):
        try:
            parse_flags(two, allow_on_net=True)
        except ValueError as exc:
            assert "the OnDemand field holds one type; 2 given" in str(exc)
        else:
            raise AssertionError(f"{two!r} was accepted")
    try:
        parse_flags("on-demand=fixed", allow_on_demand=False)
    except ValueError as exc:
        assert "type has a box of its own" in str(exc)
    else:
        raise AssertionError("the launch dialog took an OnDemand flag beside its type box")


def test_D9_a_size_the_dialog_cannot_hold_is_said_not_raised() -> None:
    from odplay.ui.dialogs.settings_dialog import MAX_ROTATION_BYTES, parse_bytes

    for text, said in (
        ("inf", "not a size"),
        ("nan", "not a size"),
        ("1e400", "at most 1000GB"),
        ("2000GB", "at most 1000GB"),
    ):
        try:
            parse_bytes(text)
        except ValueError as exc:  # never OverflowError: the dialog shows the sentence
            assert said in str(exc)
        else:
            raise AssertionError(f"{text!r} was accepted")
    assert parse_bytes("1000GB") == MAX_ROTATION_BYTES
    assert parse_bytes("1.234567MB") == 1_234_567  # read exactly, not through a float


def test_D9_the_dialog_shows_a_size_exactly_so_apply_changes_nothing() -> None:
    from odplay.ui.dialogs.settings_dialog import parse_bytes, show_bytes

    for size in (1, 999, 1010, 250_000, 1_234_567, 1_500_000, 5_000_000, 1_230_000_000):
        assert parse_bytes(show_bytes(size)) == size, size
    assert show_bytes(1_234_567) == "1234567" and show_bytes(1_500_000) == "1.5MB"
    app = free_app()
    app.session.do(SetPolicy("rotation_bytes", {SESSION_LASTING: 1_234_567}))

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, SettingsDialog)
        result = dialog.read()
        assert "rotation_bytes" not in result.policy_changes
        assert dialog.query_one("#rotation-bytes", Input).value == "session-lasting: 1234567"

    drive(app, body)


def test_D9_the_palettes_rotation_switch_counts_a_lifetime_in_bytes() -> None:
    app = free_app()
    app.session.do(SetPolicy("rotation_bytes", {SESSION_LASTING: 5_000_000}))
    entries = {title: callback for title, callback, _ in palette_entries(app)}
    assert "Host: stop rotating addresses" in entries  # bytes rotate too
    entries["Host: stop rotating addresses"]()
    policy = app.session.world.stack.policy
    assert policy.rotation == {} and policy.rotation_bytes == {}
    titles = [title for title, _, _ in palette_entries(app)]
    assert any(t.startswith("Host: rotate addresses") for t in titles)


def test_S1_D9_the_dialog_takes_each_type_once_in_every_typed_field() -> None:
    for parse, text in (
        (parse_permissions, "fixed: a; FIXED_IPV6_ADDRESS: b"),
        (parse_rotation_bytes, "non-persistent: 1MB; Non-persistent: 2MB"),
    ):
        try:
            parse(text)
        except ValueError as exc:
            assert "named twice" in str(exc)
        else:
            raise AssertionError(f"{text!r} was accepted")
