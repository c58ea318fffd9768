"""Save the run on screen as a scenario file that replays it (odplay.session.scenarios).

The file is written only once the recording has been replayed and found to be the same run,
never over an existing file unless the learner says so a second time, and atomically; when the
playground is served, only inside the files folder (odplay.files.confine).

A long run's replay takes seconds: it runs on a worker, the dialog says how far it has got, and
Escape cancels it (nothing is written; a second Escape closes the dialog).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from odplay.files import OutsideFolder, confine
from odplay.session.api import Session, jobs
from odplay.session.scenarios import RecordError, UnsafeWrite, recording, write_recording
from odplay.ui.dialogs.base import Dialog
from odplay.ui.long_work import hold_collector, release_collector


def target_path(text: str, folder: Path | None) -> Path:
    """The file a typed path names; inside `folder` if there is one (OutsideFolder if not)."""
    return Path(text).expanduser() if folder is None else confine(text, folder)


def target_problem(text: str, folder: Path | None = None) -> str:
    """What is wrong with a path to save to, or an empty string."""
    if not text:
        return "Type a file name, such as my-run.yaml."
    try:
        path = target_path(text, folder)
    except OutsideFolder as exc:
        return str(exc)
    if path.is_dir():
        return f"{path}: this is a folder; add a file name"
    if path.suffix not in (".yaml", ".yml"):
        return "A scenario file ends in .yaml (or .yml)."
    if not path.parent.exists():
        return f"{path.parent}: no such folder"
    return ""


class SaveDialog(Dialog[Path | None]):
    """Returns the path written, or None."""

    DEFAULT_CLASSES = "-covers-the-run"  # about files: nothing behind it to read (see Dialog)
    DEFAULT_CSS = """
    SaveDialog Input { width: 1fr; }
    """

    def __init__(
        self,
        session: Session,
        title: str,
        suggestion: str = "my-run.yaml",
        folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        #: Where files must stay (a served playground); None: anywhere the user may write.
        self.folder = folder
        self.run_title = title
        self.suggestion = suggestion
        #: The path the learner has been warned exists; saving it again overwrites it.
        self._confirmed: Path | None = None
        #: The recording being made on a worker: its control, worker, target and progress timer.
        self._saving: tuple[jobs.Control, Worker[str | Exception], Path, Timer] | None = None
        self._overwrite = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Save this run as a scenario"
            dialog.border_subtitle = "Enter saves · Esc cancels"
            yield Static(
                "What you did, and when, becomes a scenario that replays this run exactly: "
                "odplay run FILE, or o to open it here.",
                classes="hint",
            )
            with Horizontal(classes="field-row"):
                yield Input(self.suggestion, id="path", compact=True)
                yield Button("Save", variant="primary", id="save", compact=True)
            yield Static("", classes="problem")

    def on_mount(self) -> None:
        self.say_problem("")
        self.query_one("#path", Input).focus()

    @on(Input.Changed, "#path")
    def _typed(self, event: Input.Changed) -> None:
        self._confirmed = None
        text = event.value.strip()
        self.say_problem(target_problem(text, self.folder) if text else "")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        problem = target_problem(text, self.folder)
        if problem:
            self.say_problem(problem)
            return
        path = target_path(text, self.folder)
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self.say_problem(f"{path} exists. Save again to replace it; Esc keeps it.")
            return
        overwrite = self._confirmed == path
        # Always on a worker: the recording is loaded and replayed whole before it is written.
        if self._saving is not None:
            return  # already under way
        new_control = getattr(self.app, "new_control", jobs.Control)
        control: jobs.Control = new_control()
        session, title = self.session, self.run_title

        def record() -> str | Exception:
            try:
                return recording(session, title, control)
            except (RecordError, jobs.Cancelled) as exc:
                return exc  # a value, not a failed worker: said on the screen's thread
            finally:
                # Here, not in on_worker_state_changed: a dialog closed meanwhile hears nothing.
                release_collector()

        # What it is doing first, drawn before the thread starts: it would hold the
        # interpreter's lock through that frame.
        self.say_problem("")
        self._saving_says(0.0, draw=True)
        hold_collector()  # released by record(), as its thread ends
        worker = self.run_worker(
            record,
            name="odplay-save",
            thread=True,
            exit_on_error=False,
        )
        timer = self.set_interval(0.1, self._progress)
        self._saving = (control, worker, path, timer)
        self._overwrite = overwrite

    def _progress(self) -> None:
        if self._saving is not None:
            self._saving_says(self._saving[0].fraction)

    def _saving_says(self, done: float, draw: bool = False) -> None:
        self.say_doing(f"Replaying the recording to check it: {done:.0%} · Esc cancels", draw)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        saving = self._saving
        if saving is None or event.worker is not saving[1]:
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self._stop_saving()
        control, worker, path, _timer = saving
        if control.cancelled or event.state is WorkerState.CANCELLED:
            return
        result = worker.result if event.state is WorkerState.SUCCESS else worker.error
        if isinstance(result, BaseException) or result is None:
            self.say_problem(f"Not saved: {result}.")
            return
        self._write(result, path, self._overwrite)

    def _stop_saving(self) -> None:
        if self._saving is not None:
            self._saving[3].stop()
            self._saving = None
            self.say_doing(None)

    def action_cancel(self) -> None:
        """Escape: stop a save under way (nothing is written), else close the dialog."""
        if self._saving is None:
            super().action_cancel()
            return
        self._saving[0].cancel()
        self._stop_saving()
        self.say_problem("Save cancelled: nothing was written. Enter saves, Esc closes.")

    def on_unmount(self) -> None:
        if self._saving is not None:
            self._saving[0].cancel()
            self._stop_saving()

    def _write(self, text: str, path: Path, overwrite: bool) -> None:
        """Write a recording made and checked; say what stops it, or close with its path."""
        try:
            write_recording(text, path, overwrite=overwrite)
        except UnsafeWrite as exc:
            self.say_problem(f"Not saved: {exc}.")
            return
        except FileExistsError:
            self._confirmed = None
            self.say_problem(f"{path} appeared meanwhile; save again to replace it.")
            return
        except OSError as exc:
            self.say_problem(f"Not saved: {path}: {exc.strerror or exc}.")
            return
        self.dismiss(path)
