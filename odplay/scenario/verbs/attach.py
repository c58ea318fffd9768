"""`attach: AP`: the host attaches to an attachment point (it was detached)."""

from __future__ import annotations

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of


def _references(value: str, loc: Loc, names: Names) -> Problems:
    if msg := one_of(value, names.attachment_points, "attachment point"):
        yield loc, msg
    if names.attached is None:
        names.attached = loc  # the host boots here (D10): see verbs/host.py


VERB = Verb(
    name="attach",
    value=Name,
    docs="The host, detached, attaches to an attachment point and is configured by the "
    "gateway behind it (its prefixes, by the network's `on_attach` types).",
    example="attach: ap1",
    run=lambda ap, run: run.sim.attach(ap),
    records=("Attach",),
    record=lambda command, recording: command.ap,
    references=_references,
)
