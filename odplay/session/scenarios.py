"""The scenario side of a session, for its viewers: files, saved runs, comparisons, limits.

Heavier than odplay.session.api (the scenario layer brings its models and ruamel.yaml), so the
playground imports it where it is needed: opening, saving or comparing, not its first frame.
"""

from __future__ import annotations

from pathlib import Path

from odplay.compare import Comparison, compare_actions, compare_scenario
from odplay.files import UnsafeWrite
from odplay.scenario.catalogue import ShippedScenario, resolve, scenarios_dir, shipped_scenarios
from odplay.scenario.expectations import CheckResult
from odplay.scenario.record import RecordError, check_replays, record, save_scenario, to_yaml
from odplay.scenario.runner import PredictionResult
from odplay.scenario.schema import MAX_DELAY_MS, MAX_SIM_TIME_MS
from odplay.session.session import Mode, Session

__all__ = [
    "MAX_DELAY_MS",
    "MAX_SIM_TIME_MS",
    "CheckResult",
    "Comparison",
    "PredictionResult",
    "RecordError",
    "ShippedScenario",
    "UnsafeWrite",
    "compare_run",
    "resolve",
    "save_run",
    "scenarios_dir",
    "shipped_scenarios",
]


def save_run(session: Session, path: Path, title: str, overwrite: bool = False) -> None:
    """Write the run up to the session's clock as a scenario that replays it.

    The recording is replayed and must be the same run before anything is written (RecordError
    if not); an existing file is replaced only with `overwrite` (FileExistsError otherwise), and
    atomically (OSError if the file system says no).
    """
    text = to_yaml(record(session.sim, title, session.clock))
    check_replays(text, session.sim, session.clock)
    save_scenario(text, path, overwrite=overwrite)


def compare_run(session: Session) -> Comparison:
    """The run three ways (C3): a scenario still followed as written, else the learner's own
    actions at their times."""
    if session.scenario is not None and session.mode is Mode.SCENARIO:
        return compare_scenario(session.scenario)
    start = session.sim.initial_world()
    title = session.scenario.title if session.scenario else "Free play"
    return compare_actions(
        f"{title}: what you did, three ways",
        start.network.config,
        start.stack.policy,
        start.seed,
        session.sim.actions(),
        session.clock,
    )
