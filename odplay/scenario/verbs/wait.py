"""`wait: DURATION`: let simulated time pass before the step's next action."""

from __future__ import annotations

from odplay.scenario.fields import Duration
from odplay.scenario.registry import Verb

VERB = Verb(
    name="wait",
    value=Duration,
    docs="Let simulated time pass (such as `1500ms` or `2s`) before the step's next action; "
    "later steps' `after` counts from the end of the wait.",
    example="wait: 2s",
    run=lambda ms, run: run.advance(run.sim.now + ms),
    takes=lambda ms: int(ms),
)
