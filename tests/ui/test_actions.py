"""Every action of the playground, driven from the keyboard (and the palette) with Pilot.

Time is a fake wall clock: nothing sleeps, and the simulated clock moves only when a test moves
the wall clock and lets the app tick.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, OptionList, RichLog, Select, Static

from odplay.constants import GRACEFUL_REPLACEMENT, ON_NET, AddrPreference
from odplay.scenario.errors import ScenarioError
from odplay.session.session import Mode, Session
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from odplay.sim.timeunits import format_time
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.launch_dialog import LaunchDialog
from odplay.ui.dialogs.move_dialog import MoveDialog
from odplay.ui.dialogs.settings_dialog import SettingsDialog
from odplay.ui.dialogs.socket_dialog import CALL_KINDS, SocketDialog
from odplay.ui.palette import palette_entries
from odplay.ui.screens.help_screen import HelpScreen
from odplay.ui.screens.load_error_screen import LoadErrorScreen
from odplay.ui.widgets.prefix_table import PrefixTable
from odplay.ui.widgets.socket_table import SocketTable
from odplay.ui.widgets.status_bar import StatusBar
from tests.conftest import ALL_TYPES, network
from tests.ui.conftest import FakeClock, drive, flow_app, free_app, settle


def _status(app: PlaygroundApp) -> str:
    return str(app.query_one(StatusBar).render())


def _rows(app: PlaygroundApp, table: type[PrefixTable] | type[SocketTable]) -> list[str]:
    return list(app.query_one(table).shown)


# ---------------------------------------------------------------------- time


def test_space_plays_and_pauses_simulated_time_on_the_wall_clock() -> None:
    clock = FakeClock()
    app = free_app(clock)

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("space")
        assert app.session.playing and "▶" in _status(app)
        clock.advance(2.0)
        app._tick()
        assert app.session.clock == 2000
        assert "2.000s" in _status(app)
        await pilot.press("space")
        clock.advance(5.0)
        app._tick()
        assert not app.session.playing and app.session.clock == 2000

    drive(app, body)


def test_plus_and_minus_change_the_speed() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("plus")
        assert app.session.speed == 2.0 and "×2" in _status(app)
        await pilot.press("minus", "minus")
        assert app.session.speed == 0.5

    drive(app, body)


def test_n_and_b_step_through_the_4_2_scenario_F1() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        assert _rows(app, PrefixTable) == []
        await pilot.press("n")
        assert "step 1/8" in _status(app)
        assert _rows(app, PrefixTable) == ["PREFsl1", "PREFnp1"]
        await pilot.press("n", "n")
        assert "step 3/8" in _status(app)
        await pilot.press("b")
        assert "step 2/8" in _status(app)
        await pilot.press("b", "b")
        assert _rows(app, PrefixTable) == [] and app.session.position == 0

    drive(app, body)


def test_full_stop_and_comma_move_one_message_at_a_time() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("full_stop")
        first = len(app.session.sim.trace)
        await pilot.press("full_stop")
        assert len(app.session.sim.trace) > first
        await pilot.press("comma")
        assert len(app.session.sim.trace) == first

    drive(app, body)


def test_t_runs_to_the_end_of_a_T4_grace_period() -> None:
    session = Session.free(network(supports=set(ALL_TYPES), grace_period=3000))
    session.launch(spec_for("video", "streaming-client"))
    session.run_while(lambda: not session.world.stack.addresses.get("IPgr1"))
    session.move("ap3")
    app = free_app(session=session)

    async def body(pilot: Pilot[None]) -> None:
        start = app.session.clock
        await pilot.press("t")  # the streaming client's move-over timer (T4)
        await pilot.press("t")  # the end of the grace period
        assert app.session.clock == start + 3000
        assert app.query_one(PrefixTable).shown["PREFgr1"].cells[-1] == (
            f"withdrawn at {format_time(start + 3000)}"
        )

    drive(app, body)


def test_r_restarts_the_scenario() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "n", "r")
        assert app.session.position == 0 and "step 0/8" in _status(app)
        assert _rows(app, SocketTable) == []

    drive(app, body)


# ---------------------------------------------------------------------- acting


def test_the_app_hears_the_session_leave_the_script_redraws_and_tells_the_learner() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n")
        app.session.move("ap3")  # straight on the session, not through the app
        await pilot.pause()
        assert "left script at step 2" in _status(app)
        told = [n.message for n in app._notifications]
        assert "You left the script at step 2; r plays the scenario again." in told
        assert "host: ap3" in _status(app)

    drive(app, body)


def test_l_launches_an_application_with_the_chosen_types_and_flags_R2() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, LaunchDialog)
        dialog.query_one("#kind", Select).value = "streaming-client"
        await pilot.pause()
        dialog.query_one("#type-0", Select).value = "session-lasting"
        dialog.query_one("#onnet-0", Checkbox).value = True
        dialog.query_one("#flags-0", Input).value = "home"
        await pilot.pause()
        await pilot.click("#launch")
        await pilot.pause()
        sock = next(iter(app.session.world.stack.sockets.values()))
        assert sock.owner == "streaming-client-1"
        assert sock.requested_type is not None and sock.requested_type.slug == "session-lasting"
        assert sock.flags == ON_NET | AddrPreference.IPV6_PREFER_SRC_HOME
        assert sock.state.value == "blocked in setsc"  # ON_NET: a fresh prefix is asked (A6)
        await pilot.press("full_stop", "full_stop")
        assert sock.bound_address == "IPsl2"

    drive(app, body)
    ignored = [e for e in app.session.sim.trace if e.kind == "rfc5014-ignored"]
    assert ignored and ignored[0].rules == ("R1", "R2")


def test_the_launch_dialog_checks_its_fields_as_they_are_typed() -> None:
    app = free_app()
    app.session.launch(spec_for("web", "web-browser"))

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        dialog = app.screen
        name = dialog.query_one("#name", Input)
        name.value = "web"
        await pilot.pause()
        problem = str(dialog.query_one(".problem", Static).render())
        assert "already running" in problem
        assert dialog.query_one("#launch", Button).disabled
        name.value = "web2"
        dialog.query_one("#flags-0", Input).value = "homme"
        await pilot.pause()
        assert "unknown flag 'homme'" in str(dialog.query_one(".problem", Static).render())
        dialog.query_one("#flags-0", Input).value = ""
        await pilot.pause()
        assert not dialog.query_one("#launch", Button).disabled
        await pilot.press("escape")
        assert not isinstance(app.screen, LaunchDialog)

    drive(app, body)
    assert set(app.session.world.apps) == {"web"}


def test_keys_typed_in_a_dialog_stay_in_the_dialog() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        position = app.session.position
        await pilot.press("l")
        await pilot.click("#name")
        await pilot.press("end", "n", "b", "space", "t")
        assert app.session.position == position and not app.session.playing
        assert app.screen.query_one("#name", Input).value == "web-browser-1nb t"

    drive(app, body)


def test_m_moves_the_host_across_a_gateway_change_F5() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MoveDialog)
        options = dialog.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["ap2", "ap3", "detach"]  # never the attachment point it is on
        options.highlighted = ids.index("ap3")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.world.stack.attachment == "ap3"
        assert app.query_one(PrefixTable).shown["PREFnp1"].cells[-1] == "withdrawn at 0.000s"

    drive(app, body)


def test_a_detaches_and_attaches_the_host_T1() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        assert app.session.world.stack.attachment is None
        assert "detached" in _status(app)
        await pilot.press("a")  # detached: a opens the attach choices
        assert isinstance(app.screen, MoveDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.world.stack.attachment == "ap1"

    drive(app, body)


def test_x_stops_the_application_of_the_selected_socket() -> None:
    app = free_app()
    app.session.launch(spec_for("im", "instant-messenger"))

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("1", "x")
        assert not app.session.world.apps["im"].running
        assert app.query_one(SocketTable).shown["3"].cells[6] == "closed"

    drive(app, body)


def test_k_makes_socket_calls_one_by_one_and_shows_what_each_returned_A1_A2_A3() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        dialog.query_one("#do-socket", Button).press()
        await pilot.pause()
        type_select = dialog.query_one("#type", Select)
        for value in (0, int(GRACEFUL_REPLACEMENT), 2):
            type_select.value = value
            await pilot.pause()
            dialog.query_one("#do-setsc", Button).press()
            await pilot.pause()
        dialog.query_one("#do-bind", Button).press()
        await pilot.pause()
        dialog.query_one("#do-getsockopt", Button).press()
        await pilot.pause()
        dialog.query_one("#do-connect", Button).press()
        await pilot.pause()
        dialog.query_one("#do-close", Button).press()
        await pilot.pause()
        lines = [str(line.text) for line in dialog.query_one("#results", RichLog).lines]
        log = "\n".join(lines)
        # The log says what the ladder says, in the same words (one meaning per word).
        ladder = [
            e.text for e in app.session.trace if e.data.get("fd") == 3 and e.kind in CALL_KINDS
        ]
        assert lines[1:] == [
            *ladder[:5],
            "(blocked 50ms while the stack asked the network: A5)",
            *ladder[5:],
        ]
        assert "socket(AF_INET6) → 3" in log
        # the call, then its answer: a reply never stands without its request (A2, issue 15)
        assert "setsc(3, 0)\nsetsc(3) → EINVAL: address type 0 is reserved" in log
        assert "setsc(3, GRACEFUL_REPLACEMENT_IPV6_ADDRESS)" in log
        assert "setsc(3) → EAI_REQUIREDIPNOTSUPPORTED" in log
        assert "setsc(3) → 0, IPsl1" in log
        assert "bind(3, [IPsl1]:49152) → 0" in log
        assert "connect(3, www.example.org:443) from IPsl1 → 0, RTT 24ms" in log
        assert "close(3) → 0" in log
        assert "getsockopt(3, IPV6_ADDR_PREFERENCES)" in log  # a call on the ladder too

    drive(app, body, size=(100, 36))


def test_e_changes_a_network_setting_mid_run_and_refuses_bad_input() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, SettingsDialog)
        grace = dialog.query_one("#grace", Input)
        grace.value = "-3s"
        await pilot.pause()
        assert "cannot be negative" in str(dialog.query_one(".problem", Static).render())
        assert dialog.query_one("#apply", Button).disabled
        grace.value = "12s"
        dialog.query_one("#supports-graceful-replacement", Checkbox).value = True
        await pilot.pause()
        await pilot.click("#apply")
        await pilot.pause()
        config = app.session.world.network.config
        assert config.grace_period == 12_000 and GRACEFUL_REPLACEMENT in config.supports
        settings = [e.text for e in app.session.sim.trace if e.kind == "setting"]
        assert "network grace_period = 12000" in settings

    drive(app, body)


def test_settings_restart_with_boot_types_asks_for_them_at_attachment_D10() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        dialog = app.screen
        dialog.query_one("#supports-fixed", Checkbox).value = True
        dialog.query_one("#boot-fixed", Checkbox).value = True
        await pilot.pause()
        await pilot.click("#restart")
        await pilot.pause()
        await pilot.press("full_stop")
        assert "PREFfx1" in app.query_one(PrefixTable).shown

    drive(app, body)


def test_o_opens_a_shipped_scenario() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("o")
        await settle(pilot)  # the shipped scenarios are read on a worker, the first time
        await pilot.press("enter")  # the first shipped scenario: the 4.2 flow
        await settle(pilot)  # and it is loaded on one
        assert app.session.mode is Mode.SCENARIO
        assert "Section 4.2" in _status(app) and "step 0/8" in _status(app)

    drive(app, body)


def test_a_scenario_that_cannot_be_opened_shows_its_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nsteps:\n  - at: 0s\n    do:\n      - move: mars\n")
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        before = app.session
        assert not app.open_scenario(bad)
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        text = str(app.screen.query_one("#problem-text", Static).render())
        assert f"{bad}:5:9" in text and "steps[0].do[0].move" in text and "mars" in text
        await pilot.press("escape")
        assert app.session is before  # nothing the learner had was lost

    drive(app, body)


def test_a_load_error_given_at_start_is_shown_in_the_app() -> None:
    from odplay.scenario.errors import Problem

    error = ScenarioError([Problem("x.yaml", 3, 7, "steps[0].at", "a duration cannot be negative")])
    app = PlaygroundApp(load_error=error, highlight_seconds=0, wall_clock=FakeClock())

    async def body(pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, LoadErrorScreen)
        text = str(app.screen.query_one("#problem-text", Static).render())
        assert "x.yaml:3:7" in text and "steps[0].at" in text

    drive(app, body)


# ---------------------------------------------------------------------- looking


def test_digit_keys_switch_panels_on_a_small_terminal() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        assert app.query_one("#sockets").display and not app.query_one("#prefixes").display
        await pilot.press("2")
        assert app.query_one("#prefixes").display and not app.query_one("#sockets").display
        await pilot.press("4")
        assert app.query_one("#ladder").display

    drive(app, body, size=(80, 24))


def test_a_large_terminal_shows_every_panel_at_once() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        for panel in ("#sockets", "#prefixes", "#addresses", "#ladder"):
            assert app.query_one(panel).display
        assert not app.query_one("#tabs").display

    drive(app, body, size=(150, 44))


def test_h_hides_and_shows_closed_sockets() -> None:
    app = free_app()
    app.session.launch(spec_for("im", "instant-messenger"))
    app.session.quit("im")

    async def body(pilot: Pilot[None]) -> None:
        assert "3" in app.query_one(SocketTable).shown
        await pilot.press("h")
        assert "3" not in app.query_one(SocketTable).shown
        await pilot.press("h")
        assert "3" in app.query_one(SocketTable).shown

    drive(app, body)


def test_question_mark_opens_the_help_on_the_address_types_T5() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(app, body)


def test_selecting_a_message_explains_its_rules() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("n", "n", "n", "n", "n", "4")
        entries = app.session.sim.trace.entries
        withdrawn = next(i for i, e in enumerate(entries) if "PREFnp1 is no longer" in e.text)
        await pilot.press(*["up"] * (len(entries) - 1 - withdrawn))
        await pilot.pause()
        text = str(app.query_one("#explanation", Static).render())
        assert "PREFnp1 is no longer valid" in text
        assert "F5 §4.2" in text and "T3 §3.2" in text

    drive(app, body)


# ---------------------------------------------------------------------- palette and keys


def test_the_palette_offers_only_what_fits_the_state() -> None:
    app = free_app()
    app.session.launch(spec_for("im", "instant-messenger"))
    titles = [title for title, _, _ in palette_entries(app)]
    assert "Move the host to ap3" in titles and "Move the host to ap2" in titles
    assert "Move the host to ap1" not in titles  # it is there already
    assert "Close socket 3 (im)" in titles and "Close socket 4 (im)" not in titles
    assert "Stop im" in titles
    app.session.do(cmd.Detach())
    titles = [title for title, _, _ in palette_entries(app)]
    assert "Attach the host to ap1" in titles and "Detach the host" not in titles


def test_the_palette_moves_the_host() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.press(*"Move the host to ap3")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.world.stack.attachment == "ap3"

    drive(app, body)


def test_every_binding_has_an_id_and_can_be_remapped() -> None:
    ids = [b.id for b in PlaygroundApp.BINDINGS if hasattr(b, "id")]
    assert all(ids) and len(ids) == len(set(ids)) == len(PlaygroundApp.BINDINGS)
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        app.set_keymap({"odplay.next-step": "j"})
        await pilot.press("j")
        assert "step 1/8" in _status(app)

    drive(app, body)


def test_q_quits() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    drive(app, body)


def test_the_key_bar_lists_every_binding_and_a_click_runs_it() -> None:
    from odplay.ui.widgets.key_bar import KeyStrip

    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        strip = app.query_one(KeyStrip)
        text = str(strip.render())
        for label in ("Play", "Next", "Back", "Timer", "Launch", "Move", "Settings", "Quit"):
            assert label in text
        start, _end, _key = next(r for r in strip.regions if r[2] == "n")
        await pilot.click(KeyStrip, offset=(start, 0))
        assert "step 1/8" in _status(app)
        app.set_keymap({"odplay.next-step": "j"})
        await pilot.pause()
        assert any(r[2] == "j" for r in strip.regions)

    drive(app, body)


def test_shift_e_shows_the_drafts_errata_A7() -> None:
    from odplay.constants import ERRATA
    from odplay.ui.screens.errata_screen import ErrataScreen

    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("E")
        assert isinstance(app.screen, ErrataScreen)
        shown = app.screen.query_one("#errata", Static)
        await pilot.pause()
        text = " ".join(str(line.text) for line in shown.render_lines(shown.region.reset_offset))
        assert ERRATA[0].where in text and "sin6_address" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ErrataScreen)

    drive(app, body)


def test_c_shows_the_comparison_of_this_run_C3() -> None:
    from odplay.compare import compare_scenario
    from odplay.sim.network import Mobility
    from odplay.ui.screens.compare_screen import CompareScreen

    app = flow_app()
    assert app.session.scenario is not None
    headless = compare_scenario(app.session.scenario)

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*"nnnnn")
        await pilot.press("c")
        await settle(pilot)  # compared on a worker
        assert isinstance(app.screen, CompareScreen)
        shown = {r.mode: r for r in app.screen.comparison.results}
        assert list(shown) == [Mobility.ON_DEMAND, Mobility.MOBILE_IP, Mobility.NONE]
        broken = {mode: {a: t.broken for a, t in r.apps.items()} for mode, r in shown.items()}
        # On demand, app1 and app2 lose IPnp1 (F5); Mobile IP keeps every session; without
        # mobility app3's browser session goes too (C3).
        assert broken[Mobility.ON_DEMAND] == {"app1": 1, "app2": 1, "app3": 0, "app4": 0}
        assert broken[Mobility.MOBILE_IP] == {"app1": 0, "app2": 0, "app3": 0, "app4": 0}
        assert broken[Mobility.NONE] == {"app1": 1, "app2": 1, "app3": 1, "app4": 0}
        assert [r.total for r in shown.values()] == [r.total for r in headless.results]
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)

    drive(app, body)


def test_predict_mode_asks_before_the_move_and_scores_the_answers_F5() -> None:
    from odplay.ui.dialogs.predict_dialog import PredictDialog

    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("p", *"nnnn")
        position = app.session.position
        await pilot.press("n")
        assert isinstance(app.screen, PredictDialog)
        assert app.session.position == position  # nothing plays before the answer
        await pilot.press("enter")  # A: "It carries on with IPnp1, unchanged": wrong
        assert isinstance(app.screen, PredictDialog)
        await pilot.press("escape")  # the second question is skipped
        await pilot.pause()
        assert not isinstance(app.screen, PredictDialog)
        assert "step 5/8" in _status(app)
        assert app.session.score() == (0, 1) and "predict 0/1" in _status(app)
        text = str(app.query_one("#explanation", Static).render())
        assert "You said A" in text and "not this time" in text and "The run shows C" in text

    drive(app, body)
