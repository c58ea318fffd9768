"""Open a scenario: one of the shipped ones, or any file by its path (inside the files folder,
when the playground is served: see odplay.files.confine).

The shipped scenarios are read and checked once per process (odplay.scenario.catalogue); the
first time, on a worker, so that the dialog is on screen at once and fills in when they are read.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from odplay.files import OutsideFolder, confine
from odplay.session.scenarios import ShippedScenario, shipped_scenarios, shipped_scenarios_read
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog


def typed_path(text: str, folder: Path | None) -> Path:
    """The file a typed path names; inside `folder` if there is one (OutsideFolder if not)."""
    return Path(text).expanduser() if folder is None else confine(text, folder)


def path_problem(text: str, folder: Path | None = None) -> str:
    if not text:
        return ""
    try:
        path = typed_path(text, folder)
    except OutsideFolder as exc:
        return str(exc)
    if not path.exists():
        return f"{path}: no such file"
    if path.is_dir():
        return f"{path}: this is a folder, not a scenario file"
    return ""


def _options(items: list[ShippedScenario]) -> list[Option]:
    return [Option(plain(f"{item.name}: {item.title}"), id=str(item.path)) for item in items]


class OpenDialog(Dialog[Path | None]):
    """Returns the path of the scenario to open, or None.

    With a `folder`, a typed path must lead inside it; the shipped scenarios stay on offer.
    """

    DEFAULT_CLASSES = "-covers-the-run"  # about files: nothing behind it to read (see Dialog)
    DEFAULT_CSS = """
    OpenDialog #shipped { height: auto; max-height: 12; overflow-y: scroll; }
    OpenDialog Input { width: 1fr; }
    """

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Open a scenario"
            dialog.border_subtitle = "Enter opens · Esc cancels"
            read = shipped_scenarios_read()
            yield OptionList(
                *(_options(shipped_scenarios()) if read else []),
                id="shipped",
                compact=True,
            )
            if not read:
                yield Static("Reading the shipped scenarios…", id="reading", classes="hint")
            with Horizontal(classes="field-row"):
                yield Input(placeholder="or a file: path/to/scenario.yaml", id="path", compact=True)
                yield Button("Open", variant="primary", id="open", compact=True)
            yield Static("", classes="problem")

    def on_mount(self) -> None:
        self.say_problem("")
        self.query_one("#shipped").focus()
        if not shipped_scenarios_read():
            self.run_worker(shipped_scenarios, name="odplay-catalogue", thread=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "odplay-catalogue" or event.state is not WorkerState.SUCCESS:
            return
        shipped = self.query_one("#shipped", OptionList)
        shipped.add_options(_options(event.worker.result or []))
        shipped.highlighted = 0
        self.query_one("#reading").remove()

    @on(OptionList.OptionSelected, "#shipped")
    def _shipped(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._chosen(Path(event.option.id))

    @on(Input.Changed, "#path")
    def _typed(self, event: Input.Changed) -> None:
        self.say_problem(path_problem(event.value.strip(), self.folder))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        problem = path_problem(text, self.folder)
        problem = problem or ("" if text else "Type a path, or choose a scenario.")
        self.say_problem(problem)
        if not problem:
            self._chosen(typed_path(text, self.folder))

    def _chosen(self, path: Path) -> None:
        """Say which file is being opened, drawn at once, then close: closing draws the whole
        playground again, and the key that chose is answered first."""
        self.say_doing(f"Opening {path.name}…", draw=True)
        self.dismiss(path)
