"""The scenario side of a session, for its viewers: files, saved runs, comparisons, limits.

Heavier than odplay.session.api (the scenario layer brings its models and ruamel.yaml), so the
playground imports it where it is needed: opening, saving or comparing, not its first frame.
"""

from __future__ import annotations

from pathlib import Path

from odplay.compare import Comparison, Watch, compare_actions, compare_scenario
from odplay.files import UnsafeWrite
from odplay.scenario.catalogue import (
    ShippedScenario,
    resolve,
    scenarios_dir,
    shipped_scenarios,
    shipped_scenarios_read,
)
from odplay.scenario.expectations import CheckResult
from odplay.scenario.record import RecordError, check_replays, record, save_scenario, to_yaml
from odplay.scenario.runner import PredictionResult
from odplay.scenario.schema import MAX_DELAY_MS, MAX_SIM_TIME_MS
from odplay.session.jobs import Cancelled, Control
from odplay.session.session import Mode, Session

__all__ = [
    "MAX_DELAY_MS",
    "MAX_SIM_TIME_MS",
    "Cancelled",
    "CheckResult",
    "Comparison",
    "PredictionResult",
    "RecordError",
    "ShippedScenario",
    "UnsafeWrite",
    "compare_run",
    "recording",
    "resolve",
    "save_run",
    "scenarios_dir",
    "shipped_scenarios",
    "shipped_scenarios_read",
    "write_recording",
]


def save_run(session: Session, path: Path, title: str, overwrite: bool = False) -> None:
    """Write the run up to the session's clock as a scenario that replays it.

    The recording is replayed and must be the same run before anything is written (RecordError
    if not); an existing file is replaced only with `overwrite` (FileExistsError otherwise), and
    atomically (OSError if the file system says no).
    """
    write_recording(recording(session, title), path, overwrite=overwrite)


def recording(session: Session, title: str, control: Control | None = None) -> str:
    """The run up to the session's clock as a scenario's text, replayed and found to be the same
    run (RecordError if not): the long part of a save, which only reads the run. Raises
    Cancelled if `control` is cancelled."""
    text = to_yaml(record(session.sim, title, session.clock))
    watch = control.watch(session.clock) if control is not None else None
    check_replays(text, session.sim, session.clock, observer=watch)
    return text


def write_recording(text: str, path: Path, overwrite: bool = False) -> None:
    """Write a recording (see save_run for what may be refused): quick, and never cancelled
    halfway, so a viewer does it on its own thread once the recording is made."""
    save_scenario(text, path, overwrite=overwrite)


def compare_run(session: Session, control: Control | None = None) -> Comparison:
    """The run three ways (C3): a scenario still followed as written, else the learner's own
    actions at their times. It only reads the run; Cancelled if `control` is cancelled."""
    if session.scenario is not None and session.mode is Mode.SCENARIO:
        end = session.steps[-1].time if session.steps else 0
        return compare_scenario(session.scenario, watch=_watch(control, end))
    start = session.sim.initial_world()
    title = session.scenario.title if session.scenario else "Free play"
    return compare_actions(
        f"{title}: what you did, three ways",
        start.network.config,
        start.stack.policy,
        start.seed,
        session.sim.actions(),
        session.clock,
        watch=_watch(control, session.clock),
    )


def _watch(control: Control | None, end: int) -> Watch | None:
    """compare's watch for three runs heading for `end` ms: progress, and a way to cancel."""
    if control is None:
        return None
    observers = [control.watch(end, part, 3) for part in range(3)]
    return lambda part, w: observers[part](w)
