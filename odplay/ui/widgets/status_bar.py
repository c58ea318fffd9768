"""The top line: what is loaded, the simulated clock, playing or paused and how fast, the mode
(free play, or scenario step k of n), and where the host is attached."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from odplay.session.api import Mode, Session, format_time


def _speed(speed: float) -> str:
    return f"{speed:g}"


def render_status(session: Session, title: str, predicting: bool = False) -> Text:
    text = Text()
    text.append(" odplay ", style="bold reverse")
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


class StatusBar(Static):
    """One line of state; cheap to redraw on every tick."""

    def show(self, session: Session, title: str, predicting: bool = False) -> None:
        # One line high whatever it says: no layout pass, which would lay every widget of the
        # screen out again at each tick and each key.
        self.update(render_status(session, title, predicting), layout=False)
