"""The playground's actions on the run: launching, moving, socket calls, settings, opening,
saving and comparing, and the dialogs and screens they open.

A mixin of `PlaygroundApp`, kept apart so that neither module grows past what reads in one
sitting. Every action goes through the session (`act` wraps `session.do`), never the model; the
few things it needs from the app's own layout are declared here and provided by the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import Notify, SeverityLevel

from odplay.session.api import (
    AppSpec,
    Attach,
    Command,
    Detach,
    Launch,
    Mode,
    Move,
    Outcome,
    Quit,
    Reach,
    ScenarioError,
    Session,
    SetNetwork,
    SetPolicy,
    SocketState,
    jobs,
)
from odplay.session.views import DETACH, reach_targets
from odplay.text import visible
from odplay.ui.long_work import LongWork
from odplay.ui.widgets.socket_table import SocketTable

if TYPE_CHECKING:
    from rich.segment import Segment

    from odplay.session.scenarios import Comparison
    from odplay.ui.dialogs.settings_dialog import SettingsResult


SCENARIO_START = "This is the start of the scenario."
RUN_START = "This is the start of the run."


class RunActions(LongWork):
    """What the learner does to the run, and the dialogs that ask how."""

    session: Session
    panel: str
    #: The scenario's file name without .yaml, for exported steps (None: from its title).
    scenario_name: str | None = None
    #: The exported step's file that exists: exporting it again replaces it.
    export_again: Path | None = None

    # Provided by PlaygroundApp: its views, its clock and its panels.
    @property
    def title_text(self) -> str:
        raise NotImplementedError

    @property
    def files_folder(self) -> Path | None:
        raise NotImplementedError

    @property
    def served(self) -> bool:
        raise NotImplementedError

    def refresh_views(self, force: bool = False) -> None:
        raise NotImplementedError

    def _set_playing(self, playing: bool) -> None:
        raise NotImplementedError

    def _watch(self, session: Session | None) -> None:
        raise NotImplementedError

    def _first_panel(self) -> str:
        raise NotImplementedError

    def _reset_views(self) -> None:
        raise NotImplementedError

    def _step(self, moved: bool, otherwise: str) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ back in time

    # The keys whose work can be long (stepping back, starting over, opening, saving) are
    # answered first (LongWork.answering): the status line says what they do in a frame of its
    # own, before the work, which takes a full frame of the screen even when it is quick.

    def action_previous_step(self) -> None:
        """Scenario: back to the end of the previous step. Free play: back one event."""
        self._set_playing(False)
        session = self.session
        if session.mode is not Mode.SCENARIO:
            self.action_step_back()
            return
        with self.answering("Going back one step"):
            place = jobs.previous_step_target(session)
            if place is None or jobs.rewind_cost(session, place[0]) < self.quick_cost:
                self._step(session.previous_scenario_step() is not None, SCENARIO_START)
                return
            self._rewind(place[0], "Going back one step", hidden=place[1])

    def action_step_back(self) -> None:
        self._set_playing(False)
        session = self.session
        with self.answering("Stepping back one message"):
            target = jobs.step_back_target(session)
            if target is None or jobs.rewind_cost(session, target) < self.quick_cost:
                self._step(session.step_back(), RUN_START)
                return
            self._rewind(target, "Stepping back one message")

    def _rewind(self, target: int, label: str, hidden: int = 0) -> None:
        """Put the run back to `target` steps (`hidden` of their entries unshown), computed on
        a worker and swapped in (RunMoved redraws); Escape leaves the run where it was."""
        session = self.session
        self.start_work(
            label,
            lambda control: jobs.rewind(session, target, control, hidden),
            lambda rewound: jobs.adopt(session, rewound),
        )

    def action_restart(self) -> None:
        self._set_playing(False)
        with self.answering("Starting over"):
            self._restart()

    def _restart(self) -> None:
        session = self.session
        if not jobs.restart_replays(session):
            session.restart()  # RunRestarted resets the views
            return
        # A scenario the learner has left is played through again: on a worker.
        self.start_work(
            "Playing the scenario again from the start",
            lambda control: jobs.started_over(session, control=control),
            lambda fresh: jobs.take_over(session, fresh),  # RunRestarted resets the views
        )

    def act(self, command: Command, success: str = "", wait: bool = False) -> Outcome:
        """Apply a command at the session's clock; a refusal is shown, never raised.

        With `wait`, a socket call that blocks lets simulated time pass until it returns (A5).
        """
        outcome = self.session.call(command) if wait else self.session.do(command)
        if not outcome.ok:
            self.notify(outcome.error or "", severity="error", title="Refused")
        elif success:
            self.notify(success)
        return outcome

    def _show_load_error(self, error: ScenarioError) -> None:
        from odplay.ui.screens.load_error_screen import LoadErrorScreen

        self.push_screen(LoadErrorScreen(error))

    def action_launch(self, kind: str | None = None) -> None:
        from odplay.ui.dialogs.launch_dialog import LaunchDialog

        running = set(self.session.running_apps())

        def launched(spec: AppSpec | None) -> None:
            if spec is not None:
                self.act(Launch(spec))

        self.push_screen(LaunchDialog(running, kind), launched)

    def action_move(self) -> None:
        from odplay.ui.dialogs.move_dialog import MoveDialog

        def chosen(ap: str | None) -> None:
            if ap == DETACH:
                self.act(Detach())
            elif ap is not None:
                self.do_move(ap)

        self.push_screen(MoveDialog(self.session.network, self.session.attachment), chosen)

    def action_reach(self) -> None:
        """A correspondent tries to reach the host (C2): by name or address, at a port."""
        from odplay.ui.dialogs.reach_dialog import ReachDialog, ReachRequest

        def chosen(request: ReachRequest | None) -> None:
            if request is None:
                return
            outcome = self.act(Reach(request.name, request.port, request.peer))
            reached = self.session.trace[-1] if self.session.trace else None
            if outcome.ok and reached is not None and reached.kind == "reach":
                severity: SeverityLevel = "information" if outcome.value else "warning"
                self.notify(visible(reached.text), title="Reach (C2)", severity=severity)

        correspondents = [c.name for c in self.session.network.correspondents]
        self.push_screen(ReachDialog(reach_targets(self.session.world), correspondents), chosen)

    def do_move(self, ap: str) -> None:
        """Attach the host to `ap`, or move it there if it is attached elsewhere."""
        self.act(Attach(ap) if self.session.attachment is None else Move(ap))

    def action_attach_detach(self) -> None:
        if self.session.attachment is not None:
            self.act(Detach())
        else:
            self.action_move()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text: a message may quote a file name, a scenario's words or a
        refusal naming an application, so markup is never parsed and controls are escaped."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    def _on_notify(self, event: Notify) -> None:
        """One toast per message: a message already on screen is replaced by the new one (its
        time starts again) with a count in its title, instead of copies stacking over the ladder
        (pressing `.` past the end once showed seven "Nothing is scheduled" toasts)."""
        new = event.notification
        # A toast shown with a count keeps its own title here: identity -> (title, count).
        counts: dict[str, tuple[str, int]] = getattr(self, "_toast_counts", {})
        repeats = 1
        for shown in list(self._notifications):
            title, count = counts.pop(shown.identity, (shown.title, 1))
            if (shown.message, shown.severity, title) == (new.message, new.severity, new.title):
                repeats += count
                self._unnotify(shown, refresh=False)
            else:
                counts[shown.identity] = (title, count)
        if repeats > 1:
            counts[new.identity] = (new.title, repeats)
            new.title = f"{new.title} (×{repeats})" if new.title else f"×{repeats}"
        self._toast_counts = {i: c for i, c in counts.items() if c[1] > 1}
        super()._on_notify(event)

    def action_quit_app(self) -> None:
        """Stop the application that owns the socket under the cursor."""
        fd = self.query_one(SocketTable).selected_fd()
        sock = self.session.socket(fd) if fd is not None else None
        if sock is None or sock.owner not in self.session.running_apps():
            self.notify("Select a socket of a running application first (panel 1).")
            return
        self.act(Quit(sock.owner), success=f"{sock.owner} stopped")

    def action_socket_calls(self, fd: int | None = None) -> None:
        from odplay.ui.dialogs.socket_dialog import SocketDialog

        if fd is None:
            selected = self.query_one(SocketTable).selected_fd()
            sock = self.session.socket(selected) if selected is not None else None
            fd = sock.fd if sock is not None and sock.state is not SocketState.BROKEN else None
        self.push_screen(SocketDialog(fd))

    def action_settings(self) -> None:
        from odplay.ui.dialogs.settings_dialog import SettingsDialog

        def chosen(result: SettingsResult | None) -> None:
            if result is None:
                return
            if result.restart:
                self.session.restart_with(result.network, result.policy)  # RunRestarted
                self.notify("Restarted in free play with the new settings.")
                return
            for name, value in result.network_changes.items():
                self.act(SetNetwork(name, value))
            for name, value in result.policy_changes.items():
                self.act(SetPolicy(name, value))

        self.push_screen(SettingsDialog(self.session.network, self.session.policy), chosen)

    def action_open_scenario(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.open_in_background(path)

        with self.answering("Open: choose a scenario"):
            from odplay.ui.dialogs.open_dialog import OpenDialog

            self.push_screen(OpenDialog(self.files_folder), chosen)

    def open_in_background(self, path: Path) -> None:
        """Load and play a scenario on a worker, then show it; a bad file is shown, and the old
        run stays (as it does when the loading is cancelled)."""
        self._set_playing(False)

        def failed(error: BaseException) -> None:
            if isinstance(error, ScenarioError):
                self._show_load_error(error)
            else:
                self.notify(f"Not opened: {path}: {error}", severity="error", markup=False)

        self.start_work(
            f"Opening {path.name}",
            lambda control: jobs.load(path, control),
            lambda session: self._opened(session, path),
            failed,
        )

    def action_export_step(self) -> None:
        """The screen as it is, as an SVG named after the scenario and the step (S)."""
        from odplay.ui.step_export import export_step

        export_step(self)

    def action_save_run(self) -> None:
        def saved(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Saved {path}: odplay run {path} replays this run.", markup=False)

        title = f"Recorded: {self.title_text}"
        with self.answering("Save: choose where"):
            from odplay.ui.dialogs.save_dialog import SaveDialog

            self.push_screen(SaveDialog(self.session, title, folder=self.files_folder), saved)

    def open_scenario(self, path: Path) -> bool:
        """Load a scenario into the playground; a bad file is shown, and the old run stays."""
        try:
            session = Session.load(path)
        except ScenarioError as exc:
            self._show_load_error(exc)
            return False
        self._opened(session, path)
        return True

    def _opened(self, session: Session, path: Path) -> None:
        self._set_playing(False)
        self.session = session
        self.scenario_name = path.stem
        self._watch(session)
        self.panel = self._first_panel()
        self._reset_views()
        title = session.title if session.title is not None else path
        self.notify(f"{title}: n plays step 1.", markup=False)

    def action_toggle_closed(self) -> None:
        sockets = self.query_one(SocketTable)
        sockets.include_closed = not sockets.showing_closed
        self.refresh_views(force=True)

    def action_compare(self) -> None:
        """What this run costs on demand, with Mobile IP for everything, and with no mobility."""
        self._set_playing(False)
        session = self.session

        def compare(control: jobs.Control) -> tuple[Comparison, list[list[Segment]]]:
            # Imported here, on the worker: the scenario layer and the comparison's screen are
            # slow to import the first time, and the key is answered before.
            from odplay.report.compare_view import comparison_lines
            from odplay.session.scenarios import compare_run
            from odplay.ui.screens.compare_screen import LINE_WIDTH

            # Laid out here too: with many applications the tables take longer than the runs.
            comparison = compare_run(session, control)
            return comparison, comparison_lines(comparison, LINE_WIDTH)

        # Always on a worker: even a short run is compared three times over, then laid out.
        self.start_work(
            "Comparing the run three ways (C3)",
            compare,
            self._show_comparison,
        )

    def _show_comparison(self, done: tuple[Comparison, list[list[Segment]]]) -> None:
        from odplay.ui.screens.compare_screen import CompareScreen

        self.push_screen(CompareScreen(*done))

    def action_kernel(self) -> None:
        """The scenario being followed, on this machine's Linux stack, beside the model."""
        if self.served:
            self.notify("odplay kernel is off in a served playground: it needs root here.")
            return
        from odplay.session.kernel import unavailable

        reason = unavailable(self.session)
        if reason is not None:
            self.notify(reason, severity="warning")
            return
        from odplay.ui.screens.kernel_screen import KernelScreen

        self._set_playing(False)
        self.push_screen(KernelScreen(self.session))

    def action_errata(self) -> None:
        from odplay.ui.screens.errata_screen import ErrataScreen

        self.push_screen(ErrataScreen())

    def action_help(self) -> None:
        from odplay.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
