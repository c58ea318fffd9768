"""Draw a frame now, not at the screen's next update.

Textual draws what has changed on a timer, once the screen's thread is free. A key whose work
keeps that thread (or, on a worker, the interpreter's lock) for a frame or more is answered
first: what it changed so far (the status line that says what it is doing, a dialog's progress
line) is drawn here, before the work begins (LongWork.answering, the save dialog). Textual has
no public call for this; this is the one Pilot's pause makes (the Textual pin is exact).
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget


def draw_now(app: Any, *widgets: Widget | None) -> None:
    """Draw `widgets` (None: none), and whatever else has changed, on the current screen, now."""
    screen = app.screen
    if not screen.is_current or app._batch_count:
        return
    for widget in widgets:
        # A widget's refresh reaches its screen as a message, after this callback: the screen
        # is told of it here, so that this frame has it.
        if widget is not None and widget.is_attached and widget.screen is screen and widget.display:
            screen._dirty_widgets.add(widget)
    screen._on_timer_update()
