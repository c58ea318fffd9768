"""Export the current step as an SVG picture of the screen (S, or the palette): named
`<scenario>-step<N>.svg`, written where the app may write.

Where: the files folder when there is one (a served playground, or `--files`: the file is
confined to it, as saving is), else the folder odplay was started in; served to a browser, the
picture is a download instead. A file of that name is never replaced unprompted: the first press
says it exists, a second press replaces it (as Save's second press does).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from odplay.files import OutsideFolder, UnsafeWrite, confine, write_text
from odplay.session.api import Mode

if TYPE_CHECKING:
    from odplay.ui.run_actions import RunActions


def step_number(app: RunActions) -> int:
    """The scenario step shown (0 before the first); in free play, the messages shown."""
    session = app.session
    if session.mode is Mode.SCENARIO:
        step = session.current_step()
        return step.number if step is not None else 0
    return len(session.trace)


def scenario_slug(app: RunActions) -> str:
    """The scenario's file name without .yaml if known, else its title made a file name."""
    if app.scenario_name:
        name = app.scenario_name
    elif app.session.title is not None:
        name = app.session.title
    else:
        name = "free-play"
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-.").lower()
    return slug[:60] or "run"


def step_file_name(app: RunActions) -> str:
    return f"{scenario_slug(app)}-step{step_number(app)}.svg"


def export_step(app: RunActions) -> Path | None:
    """Write (or deliver) the screen as it is; returns the file written, if one was."""
    name = step_file_name(app)
    title = f"{app.title_text}, step {step_number(app)}"
    svg = app.export_screenshot(title=title)
    if app.is_web:
        app.deliver_text(io.StringIO(svg), save_filename=name, mime_type="image/svg+xml")
        return None
    folder = app.files_folder if app.files_folder is not None else Path.cwd()
    try:
        path = confine(name, folder)
        again = app.export_again == path
        write_text(path, svg, overwrite=again)
    except FileExistsError:
        app.export_again = path
        app.notify(f"{path} exists: S again replaces it.", severity="warning", markup=False)
        return None
    except (OutsideFolder, UnsafeWrite, OSError) as exc:
        app.notify(f"Step not exported: {exc}", severity="error", markup=False)
        return None
    app.export_again = None
    app.notify(f"This step is in {path}", markup=False)
    return path
