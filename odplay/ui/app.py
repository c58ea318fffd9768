"""The playground app: one screen of live views over a Session, and the actions that drive it.

Everything the learner does goes through the Session (`session.do(command)`), and the app
hears of every change through the session's events: then `refresh_views()` brings each widget in
line with the new state, touching only what changed. Time runs on a Textual interval while
playing; the app measures the wall time that passed and the session turns it into simulated time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer

from odplay.config import SPEEDS, Config, ConfigProblem
from odplay.session.api import (
    LeftScript,
    Mode,
    PaceChanged,
    RunMoved,
    RunRestarted,
    ScenarioError,
    ScenarioStep,
    Session,
)
from odplay.session.views import LEGENDS, Table, topology
from odplay.ui import textual_fixes
from odplay.ui.long_work import WARM_AFTER, warm_in_background
from odplay.ui.palette import PlaygroundCommands
from odplay.ui.run_actions import RunActions
from odplay.ui.step_changes import StepChanges, tables_now
from odplay.ui.widgets.address_table import AddressTable
from odplay.ui.widgets.explain_panel import FREE_PLAY_HINT, ExplainPanel
from odplay.ui.widgets.key_bar import KeyBar
from odplay.ui.widgets.message_ladder import LadderLines, MessageLadder
from odplay.ui.widgets.network_map import NetworkMap
from odplay.ui.widgets.panel_tabs import PANELS, PanelTabs
from odplay.ui.widgets.prefix_table import PrefixTable
from odplay.ui.widgets.socket_table import SocketTable
from odplay.ui.widgets.status_bar import StatusBar

textual_fixes.apply()

# The dialogs and screens are imported where they open: the first frame should not wait for
# Markdown, the scenario loader or a dialog nobody has asked for yet (see benchmarks/).

#: Actions that change the run; refused while a dialog is open, so keys typed there stay there.
RUN_ACTIONS = frozenset(
    {
        "play_pause",
        "next_step",
        "previous_step",
        "step_forward",
        "step_back",
        "next_timer",
        "faster",
        "slower",
        "restart",
        "launch",
        "move",
        "attach_detach",
        "quit_app",
        "socket_calls",
        "settings",
        "open_scenario",
        "save_run",
        "export_step",
        "toggle_closed",
        "show_panel",
        "errata",
        "compare",
        "kernel",
        "toggle_predict",
    }
)
#: While long work runs (odplay.ui.long_work), what would change the run or read it as it is
#: being replaced waits; looking (panels, help, speed) goes on.
WAITS_FOR_WORK = (RUN_ACTIONS | {"reach"}) - {"show_panel", "toggle_closed", "errata"}


NOTHING_SCHEDULED = "Nothing is scheduled: act, or play time on."
LAST_STEP = "That was the last step. Time can still run on: space plays it."
NO_TIMER = "No grace period or application timer is pending."

_EVENT = Binding.Group("One message", compact=True)
_SPEED = Binding.Group("Speed", compact=True)
_PANELS = Binding.Group("Panel", compact=True)


#: The model's steps taken per tick at most: a burst (a thousand timers at once) is spread over
#: several frames instead of freezing one (see benchmarks/playground.py, stalls).
STEPS_PER_TICK = 500


class PlaygroundApp(RunActions):
    """odplay's playground."""

    # Absolute, so that a subclass defined elsewhere (a benchmark, a test) finds it too.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "odplay"
    # Every panel at once from 140x40; below that, one panel at a time (see app.tcss). No
    # ClassVar: Textual declares these as instance attributes, and mypy holds us to that.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012
    COMMANDS = App.COMMANDS | {PlaygroundCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        # Most used first: the key bar scrolls sideways when a terminal is too narrow for all,
        # and at 80 columns what it shows first is playing, stepping (by scenario step and by
        # message) and the help, which lists every other key (tests/ui/test_key_bar_80x24.py).
        Binding("space", "play_pause", "Play", id="odplay.play-pause"),
        Binding("n", "next_step", "Next", id="odplay.next-step"),
        Binding("b", "previous_step", "Back", id="odplay.previous-step"),
        Binding("full_stop", "step_forward", "Msg ▶", group=_EVENT, id="odplay.step-forward"),
        Binding("comma", "step_back", "◀ Msg", group=_EVENT, id="odplay.step-back"),
        Binding("question_mark,f1", "help", "Help", id="odplay.help"),
        Binding("t", "next_timer", "Timer", id="odplay.next-timer"),
        Binding("l", "launch", "Launch", id="odplay.launch"),
        Binding("m", "move", "Move", id="odplay.move"),
        Binding("k", "socket_calls", "Calls", id="odplay.socket-calls"),
        Binding("e", "settings", "Settings", id="odplay.settings"),
        Binding("plus,equals_sign", "faster", "Faster", group=_SPEED, id="odplay.faster"),
        Binding("minus", "slower", "Slower", group=_SPEED, id="odplay.slower"),
        Binding("a", "attach_detach", "Attach/Detach", id="odplay.attach-detach"),
        Binding("i", "reach", "Reach", id="odplay.reach"),
        Binding("x", "quit_app", "Stop app", id="odplay.quit-app"),
        Binding("r", "restart", "Restart", id="odplay.restart"),
        Binding("o", "open_scenario", "Open", id="odplay.open-scenario"),
        Binding("s", "save_run", "Save", id="odplay.save-run"),
        Binding("S", "export_step", "Step SVG", id="odplay.export-step", show=False),
        Binding("h", "toggle_closed", "Closed", id="odplay.toggle-closed"),
        Binding("p", "toggle_predict", "Predict", id="odplay.toggle-predict"),
        Binding("c", "compare", "Compare", id="odplay.compare"),
        Binding("E", "errata", "Errata", id="odplay.errata"),
        Binding("z", "focus_layout", "Focus", id="odplay.focus-layout"),
        # Not in the key bar (it needs root): help and the palette list it.
        Binding("K", "kernel", "Kernel", id="odplay.kernel", show=False),
        Binding("1", "show_panel(1)", "Sockets", group=_PANELS, id="odplay.panel-sockets"),
        Binding("2", "show_panel(2)", "Prefixes", group=_PANELS, id="odplay.panel-prefixes"),
        Binding("3", "show_panel(3)", "Addresses", group=_PANELS, id="odplay.panel-addresses"),
        Binding("4", "show_panel(4)", "Ladder", group=_PANELS, id="odplay.panel-ladder"),
        Binding("q", "quit", "Quit", id="odplay.quit"),
    ]

    panel: reactive[str] = reactive("sockets", init=False)
    #: The focus layout (z, or `layout = "focus"` in the settings file): one panel at a time,
    #: large, under the network and the explanation, at any size (a projector's few big cells).
    focus_layout: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        session: Session | None = None,
        load_error: ScenarioError | None = None,
        highlight_seconds: float = 1.5,
        tick_seconds: float = 0.05,
        wall_clock: Callable[[], float] = time.monotonic,
        predicting: bool = False,
        config: Config | None = None,
        config_problem: ConfigProblem | None = None,
        served: bool = False,
        files: Path | None = None,
    ) -> None:
        super().__init__()
        #: The user's settings file (odplay.config): theme, keys and speed at start.
        self.config = config or Config()
        self.config_problem = config_problem
        self._served = served
        # Served, every file the app reads or writes stays in one folder (the server's working
        # folder unless `--files` said another); not served, only if `--files` asked for it.
        self._files_folder = files if files is not None else (Path.cwd() if served else None)
        #: Predict mode: before a step with questions plays, the learner answers them.
        self.predicting = predicting
        self.session = session or Session.free()
        self.load_error = load_error
        self.highlight_seconds = highlight_seconds
        self.tick_seconds = tick_seconds
        # The only clock the playground reads; tests give it a fake one, so nothing sleeps.
        self.wall_clock = wall_clock
        self._shown_position: tuple[int, int] = (-1, -1)  # the model's step, the entries shown
        self._shown_clock = -1
        self._last_tick = 0.0
        self._ticker: Timer | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self.step_changes = StepChanges()  # what the step just taken changed in each table

    @property
    def served(self) -> bool:
        """Whether a browser drives this app (`odplay serve`): then nothing the learner does may
        touch the machine. Any action that would need root or reach past the simulation (a
        real-kernel run, say) checks this first and is refused when it is True."""
        return self._served

    @property
    def files_folder(self) -> Path | None:
        """The folder every file the learner opens or saves must be in; None: no such limit."""
        return self._files_folder

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Textual's "Screenshot" command. In a browser it is a download; with a files folder
        it is written there, under its own name only, never through a link (odplay.files)."""
        if self._files_folder is None or self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        from textual._files import generate_datetime_filename

        from odplay.files import OutsideFolder, confine, write_text

        name = Path(filename).name if filename else ""
        name = name or generate_datetime_filename(self.title, ".svg", time_format)
        try:
            target = confine(name, self._files_folder)
            write_text(target, self.export_screenshot())
        except (OutsideFolder, OSError) as exc:
            self.notify(f"Screenshot not saved: {exc}", severity="error", markup=False)
            return None
        self.notify(f"Screenshot saved: {target}", markup=False)
        return None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # Classes are right from the start: every class changed after mounting restyles the
        # widgets below it, and the first frame would wait for that.
        self._set_breakpoint_classes()
        self.set_reactive(PlaygroundApp.panel, self._first_panel())
        self.set_reactive(PlaygroundApp.focus_layout, self.config.layout == "focus")
        self.screen.set_class(self.focus_layout, "-focus")

        def panel(name: str) -> str:
            return "panel -shown" if name == self.panel else "panel"

        yield StatusBar(id="status")
        with Horizontal(id="top"):
            with VerticalScroll(id="map-box"):
                yield NetworkMap(id="map")
            yield ExplainPanel(id="explain")
        yield PanelTabs(id="tabs")
        with Container(id="main"):
            # Grid order on a large terminal: prefixes | ladder (three rows high), then
            # addresses, then sockets, in the left column.
            yield PrefixTable(self.highlight_seconds, id="prefixes", classes=panel("prefixes"))
            yield MessageLadder(id="ladder", classes=panel("ladder"))
            yield AddressTable(self.highlight_seconds, id="addresses", classes=panel("addresses"))
            yield SocketTable(self.highlight_seconds, id="sockets", classes=panel("sockets"))
        yield KeyBar()

    def on_mount(self) -> None:
        # Each panel is called what its tab and its key call it (panel_tabs.PANELS).
        titles = {"map-box": "Network", "explain": "Explanation", **dict(PANELS)}
        for name, title in titles.items():
            self.query_one(f"#{name}").border_title = title
        # Each table's legend, in `odplay run`'s words: what parentheses and dashes mean.
        for panel, legend in LEGENDS.items():
            self.query_one(f"#{panel}").border_subtitle = legend
        self.query_one(PanelTabs).show(self.panel)
        self._ticker = self.set_interval(self.tick_seconds, self._tick, pause=True)
        self.set_interval(0.25, self._fade)
        self._watch(self.session)
        self.refresh_views(force=True)
        self._focus_panel()
        self._apply_config()
        if self.load_error is not None:
            self._show_load_error(self.load_error)
        # What was made to draw the first frame (Textual, the modules, the run loaded) lives as
        # long as the app: gc.freeze() puts it out of the collector's sight, so that a full
        # collection landing in a burst of events scans only what came after (the Python docs'
        # advice for long-lived startup objects). See the longest stall in benchmarks/.
        self.call_after_refresh(gc.freeze)
        # Once the learner has the screen, what opening, saving and comparing need (the scenario
        # layer: pydantic, ruamel.yaml, the shipped scenarios) is read on a thread of its own, so
        # that the first `o`, `s` or `c` does not wait for it on the screen's thread.
        self.set_timer(WARM_AFTER, warm_in_background)

    def _apply_config(self) -> None:
        """The settings file's theme, keys and speed; what cannot apply is said, not fatal."""
        if self.config_problem is not None:
            self.notify(str(self.config_problem), severity="warning", title="Settings")
        config = self.config
        if config.theme in self.available_themes:
            self.theme = config.theme
        else:
            self.notify(
                f"No theme {config.theme!r}; using {self.theme}.", severity="warning", markup=False
            )
        if config.keys:
            self.set_keymap(config.keys)
        if config.speed in SPEEDS:
            self.session.speed_index = SPEEDS.index(config.speed)

    def on_unmount(self) -> None:
        # Hand what was frozen back to the collector: a process that runs many apps (the tests,
        # a notebook) would otherwise keep each one's garbage.
        gc.unfreeze()
        self._watch(None)

    # ------------------------------------------------------------------ the session's events

    def _watch(self, session: Session | None) -> None:
        """Listen to `session` (None: to nothing), and no longer to the one listened to before."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        if session is not None:
            self._unsubscribe = [
                session.subscribe(RunMoved, self._run_moved),
                session.subscribe(PaceChanged, self._pace_changed),
                session.subscribe(RunRestarted, self._run_restarted),
                session.subscribe(LeftScript, self._left_script),
            ]

    def _run_moved(self, _event: RunMoved) -> None:
        self.refresh_views()

    def _pace_changed(self, _event: PaceChanged) -> None:
        self.refresh_views()

    def _run_restarted(self, _event: RunRestarted) -> None:
        self._reset_views()

    def _left_script(self, event: LeftScript) -> None:
        self.notify(
            f"You left the script at step {event.step}; r plays the scenario again.",
            title="Free play",
            markup=False,
        )

    # ------------------------------------------------------------------ keeping views in step

    @property
    def title_text(self) -> str:
        title = self.session.title
        return title if title is not None else "the built-in 4.2 network"

    def refresh_views(self, force: bool = False) -> None:
        """Bring every widget in line with the session, touching only what changed."""
        if not self._running or self._closing:
            # Queued (after a refresh) by work that ended as the app was closing: its widgets
            # are going, and there is nothing left to bring in line.
            return
        session, world = self.session, self.session.world
        now = self.wall_clock()
        self.query_one(StatusBar).show(session, self.title_text, self.predicting)
        position = (session.position, session.shown)
        moved = force or position != self._shown_position
        changes, tables = self.step_changes, {}  # tables: made once here when a step needs them
        if session.playing:
            changes.forget()
        elif position != self._shown_position or changes.now is None:
            # A step forward is marked; a step back shows the run as it was, unmarked.
            tables = self._tables()
            changes.step(tables, position != self._shown_position, position > self._shown_position)
        # A panel hidden on a small terminal is brought up to date when it is shown.
        prefixes = self.query_one(PrefixTable)
        if prefixes.display and (moved or session.clock != self._shown_clock):
            prefixes.set_marks(changes.marks("prefixes"))
            rows = tables.get("prefixes") or prefixes.view(world, session.clock)
            prefixes.show(changes.with_gone("prefixes", rows), now)
            self._shown_clock = session.clock
        if moved:
            self._shown_position = position
            for table in (self.query_one(AddressTable), self.query_one(SocketTable)):
                if table.display:
                    name = str(table.id)
                    table.set_marks(changes.marks(name))
                    rows = tables.get(name) or self._tables(name)[name]
                    table.show(changes.with_gone(name, rows), now)
            self.query_one(NetworkMap).show(topology(world))
            self.query_one(MessageLadder).sync(session.trace, world)
        self._explain()

    def _tables(self, only: str | None = None) -> dict[str, Table]:
        """The host's tables now (or only one), as the panels show them."""
        session, sockets = self.session, self.query_one(SocketTable)
        return tables_now(session.world, session.clock, sockets.view, only)

    def _explain(self) -> None:
        session = self.session
        note = FREE_PLAY_HINT
        if session.mode is Mode.SCENARIO and session.current_step() is None:
            # Step 0 of a scenario: its own introduction, and how to start it.
            intro = session.summary or session.title or ""
            note = f"{intro}\n\nn plays step 1 of {len(session.steps)} · ? help".strip()
        if session.left_script_at is not None:
            note = (
                f"You left the script at step {session.left_script_at}: this is free play now. "
                "r plays the scenario again from the start."
            )
        step = session.current_step()
        revealed = []
        if self.predicting and step is not None and step.end <= session.shown:
            for index, prediction in enumerate(session.predictions_for(step)):
                revealed.append((prediction, session.answers.get((step.number - 1, index))))
        ladder = self.query_one(MessageLadder)
        self.query_one(ExplainPanel).show(
            step,
            len(session.steps),
            session.visible_checks() if session.mode is Mode.SCENARIO else session.checks,
            ladder.selected(),
            note,
            revealed,
            ladder.lines.pin_note(),
            self.step_changes.summary(),
        )

    def _fade(self) -> None:
        now = self.wall_clock()
        for table in self.query(".panel").results():
            fade = getattr(table, "fade", None)
            if fade is not None:
                fade(now)

    def _tick(self) -> None:
        now = self.wall_clock()
        elapsed_ms = (now - self._last_tick) * 1000
        self._last_tick = now
        self.session.tick(elapsed_ms, max_steps=STEPS_PER_TICK)  # RunMoved redraws

    @on(LadderLines.Selected, "#ladder-lines")
    def _message_selected(self) -> None:
        self._explain()

    @on(PanelTabs.Chosen)
    def _panel_clicked(self, event: PanelTabs.Chosen) -> None:
        self.panel = event.panel

    # ------------------------------------------------------------------ panels

    def _first_panel(self) -> str:
        """A scenario is a message flow: show its ladder; free play starts from the sockets."""
        return "ladder" if self.session.mode is Mode.SCENARIO else "sockets"

    def watch_panel(self) -> None:
        self._show_panel_classes()
        # After the stylesheet has shown the panel: only then does it count as displayed.
        self.call_after_refresh(self.refresh_views, True)

    def _set_breakpoint_classes(self) -> None:
        """Give the screen its size classes now, before its first layout.

        Textual adds them on the screen's first resize, after a layout that would lay out and
        draw every panel at once, only to hide three of them on a small terminal.
        """
        width, height = self.size
        classes = {}
        for dimension, breakpoints in (
            (width, self.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS),
        ):
            fitting = max((b for b in breakpoints if b[0] <= dimension), default=None)
            for threshold, name in breakpoints:
                classes[name] = (threshold, name) == fitting
        self.screen.update_classes(classes, animate=False)

    def pop_screen(self) -> AwaitComplete:
        # Keys typed ahead can close a screen twice (Enter runs a palette command, Escape
        # closes the palette, both queued at once); the second close must not take the main
        # screen with it and end the app. odplay's own screens close once (dismiss_once.py);
        # Textual's command palette is guarded here. Found by tests/ui/test_monkey.py.
        if len(self.screen_stack) <= 1:
            done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return done
        return super().pop_screen()

    def on_resize(self) -> None:
        # Crossing a breakpoint shows panels that were hidden, and perhaps out of date.
        self.call_after_refresh(self.refresh_views, True)

    def _show_panel_classes(self) -> None:
        for name, _label in PANELS:
            self.query_one(f"#{name}").set_class(name == self.panel, "-shown")
        self.query_one(PanelTabs).show(self.panel)

    def _focus_panel(self) -> None:
        panel = self.query_one(f"#{self.panel}")
        target = panel.query_one(LadderLines) if isinstance(panel, MessageLadder) else panel
        target.focus()

    def action_focus_layout(self) -> None:
        self.focus_layout = not self.focus_layout

    def watch_focus_layout(self, focus: bool) -> None:
        self.screen.set_class(focus, "-focus")
        self.call_after_refresh(self.refresh_views, True)  # a panel shown again is brought in line
        self.notify(
            "Focus layout: one panel at a time; z for every panel."
            if focus
            else "Every panel the terminal has room for; z for the focus layout."
        )

    def action_show_panel(self, number: int) -> None:
        self.panel = PANELS[number - 1][0]
        self._focus_panel()

    # ------------------------------------------------------------------ time

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_work":
            return super().check_action(action, parameters)
        if action in WAITS_FOR_WORK and self.working is not None:
            return None  # shown, dimmed: the key bar keeps its keys (and its width) meanwhile
        # Keys typed in a dialog stay there: the run does not step behind it.
        return not (action in RUN_ACTIONS and isinstance(self.screen, ModalScreen))

    def _set_playing(self, playing: bool) -> None:
        # The ticker first: the session's PaceChanged redraws.
        if playing:
            self._last_tick = self.wall_clock()
            if self._ticker is not None:
                self._ticker.resume()
            self.session.play()
        else:
            if self._ticker is not None:
                self._ticker.pause()
            if self.session.playing:  # paused already: nothing to redraw (`,`, c, s answer sooner)
                self.session.pause()

    def action_play_pause(self) -> None:
        self._set_playing(not self.session.playing)

    def action_faster(self) -> None:
        self.session.faster()

    def action_slower(self) -> None:
        self.session.slower()

    def _step(self, moved: bool, otherwise: str) -> None:
        """After a step of any kind (the session's RunMoved has redrawn): say why nothing moved,
        if nothing did."""
        if not moved:
            self.notify(otherwise)

    def action_next_step(self) -> None:
        """Scenario: the next step of the script (asking first, in predict mode). Free play:
        the next event."""
        self._set_playing(False)
        if self.session.mode is not Mode.SCENARIO:
            self._step(self.session.step_forward(), NOTHING_SCHEDULED)
            return
        upcoming = self.session.upcoming_step()
        questions = self.session.predictions_for(upcoming) if upcoming else []
        if self.predicting and upcoming is not None and questions:
            self._ask(upcoming, 0)
            return
        self._step(self.session.next_scenario_step() is not None, LAST_STEP)

    def _ask(self, step: ScenarioStep, index: int) -> None:
        """Put a step's questions one by one, then play it; its checks reveal the answers."""
        from odplay.ui.dialogs.predict_dialog import PredictDialog

        questions = self.session.predictions_for(step)
        if index >= len(questions):
            self._step(self.session.next_scenario_step() is not None, LAST_STEP)
            return

        def answered(choice: int | None) -> None:
            if choice is not None:
                self.session.answer(step, index, choice)
            self._ask(step, index + 1)

        self.push_screen(
            PredictDialog(questions[index], step.number, index + 1, len(questions)), answered
        )

    def action_toggle_predict(self) -> None:
        self.predicting = not self.predicting
        if self.predicting and not self.session.predictions:
            self.notify("Predict mode is on; this run has no questions: open a scenario (o).")
        else:
            self.notify(
                "Predict mode on: n asks first." if self.predicting else "Predict mode off."
            )
        self.refresh_views()

    def action_step_forward(self) -> None:
        self._set_playing(False)
        self._step(self.session.step_forward(), NOTHING_SCHEDULED)

    def action_next_timer(self) -> None:
        self._set_playing(False)
        self._step(self.session.next_timer(), NO_TIMER)

    def _reset_views(self) -> None:
        for table in (PrefixTable, AddressTable, SocketTable):
            self.query_one(table).reset()
        self.query_one(MessageLadder).reset()
        self.step_changes.forget()
        self.refresh_views(force=True)
