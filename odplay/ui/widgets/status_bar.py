"""The top line: what is loaded, the simulated clock, playing or paused and how fast, the mode
(free play, or scenario step k of n), and where the host is attached.

While a key's work is under way the line says what it is doing instead: at once, in the frame
after the key, before the work begins (LongWork.answering); and for long work on a worker, how
far it has got and that Esc cancels it. It is one line high whatever it says, so none of this
lays the screen out again: the frame that answers a key redraws this line and nothing else.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from odplay.session.api import Mode, Session, format_time
from odplay.text import one_line

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_BAR = 24
_BADGE = " odplay "


def _speed(speed: float) -> str:
    return f"{speed:g}"


def render_status(session: Session, title: str, predicting: bool = False) -> Text:
    text = Text()
    text.append(_BADGE, style="bold reverse")
    text.append(f" {title} ", style="bold")
    text.append(" ▶ " if session.playing else " ■ ", style="bold green" if session.playing else "")
    text.append(format_time(session.clock), style="bold")
    text.append(f" ×{_speed(session.speed)}", style="dim")
    if session.mode is Mode.SCENARIO:
        step = session.current_step()
        text.append(f"  step {step.number if step else 0}/{len(session.steps)}", style="cyan")
    elif session.left_script_at is not None:
        text.append(f"  free play (left script at step {session.left_script_at})", style="yellow")
    else:
        text.append("  free play", style="cyan")
    if predicting:
        right, total = session.score()
        text.append(f"  predict {right}/{total}", style="magenta")
    attachment = session.attachment
    where = f"{attachment} ({session.serving_gateway})" if attachment else "detached"
    text.append(f"  host: {where}", style="green" if attachment else "yellow")
    return text


def render_work(label: str, fraction: float, turn: int, cancellable: bool) -> Text:
    """What a key is doing: a spinner, its label, how far it has got (once it is known), and
    that Esc cancels it (long work only)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(_BADGE, style="bold reverse")
    text.append(f" {_SPINNER[turn % len(_SPINNER)]} ", style="bold")
    text.append(one_line(label), style="bold")
    if fraction > 0:
        filled = round(fraction * _BAR)
        text.append("  ")
        text.append("█" * filled, style="bold")
        text.append("░" * (_BAR - filled), style="dim")
        text.append(f" {fraction:4.0%}")
    if cancellable:
        text.append("  Esc cancels", style="dim")
    return text


class StatusBar(Static):
    """One line of state, or of the work a key has set going; cheap to redraw on every tick."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._status = Text()
        #: What a key is doing, while it does it (None: the line shows the run's state).
        self.doing: str | None = None
        self.cancellable = False
        self.fraction = 0.0
        self._turn = 0

    def show(self, session: Session, title: str, predicting: bool = False) -> None:
        self._status = render_status(session, title, predicting)
        if self.doing is None:
            self._draw(self._status)

    def begin(self, label: str, cancellable: bool = True) -> None:
        """Say what a key is doing, until `end`."""
        self.doing, self.cancellable, self.fraction, self._turn = label, cancellable, 0.0, 0
        self._draw_work()

    def progress(self, fraction: float) -> None:
        """Show `fraction` done (0 to 1), and turn the spinner: the work is alive."""
        self.fraction = max(0.0, min(1.0, fraction))
        self._turn += 1
        self._draw_work()

    def end(self) -> None:
        """Back to the run's state (as last shown)."""
        if self.doing is not None:
            self.doing = None
            self._draw(self._status)

    def _draw_work(self) -> None:
        if self.doing is not None:
            self._draw(render_work(self.doing, self.fraction, self._turn, self.cancellable))

    def _draw(self, text: Text) -> None:
        # One line high whatever it says: no layout pass, which would lay every widget of the
        # screen out again at each tick and each key.
        self.update(text, layout=False)
