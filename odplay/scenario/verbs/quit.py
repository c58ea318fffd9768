"""`quit: APP`: an application ends, closing its sockets."""

from __future__ import annotations

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of


def _references(value: str, loc: Loc, names: Names) -> Problems:
    if msg := one_of(value, names.applications, "application"):
        yield loc, msg


VERB = Verb(
    name="quit",
    value=Name,
    docs="An application ends: its sockets close, and an address no socket uses any more is "
    "kept or released as the host's `on_last_close` says.",
    example="quit: browser",
    run=lambda app, run: run.sim.quit(app),
    records=("Quit",),
    record=lambda command, recording: command.app,
    references=_references,
)
