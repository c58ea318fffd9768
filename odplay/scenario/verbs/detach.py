"""`detach: true`: the host leaves its attachment point and has none."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from odplay.scenario.registry import Verb


def _only_true(value: bool) -> bool:
    # `detach: false` used to detach all the same: a value that reads as "stay" and does the
    # opposite is refused, not obeyed.
    if value is not True:
        raise ValueError(
            "detach takes only `true` (the host leaves its attachment point); to stay attached, "
            "leave the action out; to attach, use `attach: AP`"
        )
    return value


VERB = Verb(
    name="detach",
    value=Annotated[bool, AfterValidator(_only_true)],
    docs="The host leaves its attachment point: no network until the next `attach`. Its value "
    "is `true`; `detach: false` is refused.",
    example="detach: true",
    run=lambda _value, run: run.sim.detach(),
    records=("Detach",),
    record=lambda command, recording: True,
)
