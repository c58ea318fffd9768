"""`detach: true`: the host leaves its attachment point and has none."""

from __future__ import annotations

from odplay.scenario.registry import Verb

VERB = Verb(
    name="detach",
    value=bool,
    docs="The host leaves its attachment point: no network until the next `attach`.",
    example="detach: true",
    run=lambda _value, run: run.sim.detach(),
    records=("Detach",),
    record=lambda command, recording: True,
)
