"""`move: AP`: the host moves to another attachment point (a handover)."""

from __future__ import annotations

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Verb, one_of


def _references(value: str, loc: Loc, names: Names) -> Problems:
    if msg := one_of(value, names.attachment_points, "attachment point"):
        yield loc, msg


VERB = Verb(
    name="move",
    value=Name,
    docs="The host moves to another attachment point. Behind a new gateway it gets new "
    "prefixes; what becomes of the old ones depends on their type (Section 3.1).",
    example="move: ap3",
    run=lambda ap, run: run.sim.move(ap),
    records=("Move",),
    record=lambda command, recording: command.ap,
    references=_references,
)
