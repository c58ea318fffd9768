"""`odplay kernel SCENARIO`: refuse, or run on the model, build, replay, take down, report.

Exit codes: 0 the run happened (agreement is a result, not an error); 2 bad input or a machine
that cannot do it (the message says which check failed and how to get it); 128 + the signal's
number when a signal stopped it (130 for Ctrl-C), everything it made removed first.

Whatever ends the run (its end, an exception, Ctrl-C, SIGTERM or SIGHUP, which are turned into
an exception here), `Lab.close` removes every namespace and link it made before the command
returns. A run killed outright (SIGKILL) leaves named namespaces, which `--cleanup` removes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from odplay.cli_support import OutputFormat, console, echo_line, fail_input

if TYPE_CHECKING:
    from odplay.kernel.capture import Capture
    from odplay.kernel.report import KernelReport
    from odplay.scenario.schema import ScenarioModel
    from odplay.sim.network import NetworkConfig


#: A kernel run plays the model's time in real time: past this, it is refused.
MAX_MODEL_MS = 300_000


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: stop, and let every `finally` take the network down."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


@contextmanager
def _signals_stop() -> Iterator[None]:
    def stop(number: int, frame: FrameType | None) -> None:
        raise Stopped(number)

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a worker's caller handles signals
        return
    old = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    """While the network is taken down, a second Ctrl-C or a SIGTERM must not cut it short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    old = {number: signal.signal(number, signal.SIG_IGN) for number in numbers}
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)


def cleanup() -> int:
    from odplay.kernel import preflight
    from odplay.kernel.netns import sweep

    if os.geteuid() != 0:
        fail_input(f"odplay kernel --cleanup: cannot run here: {preflight.missing()[0]}")
    swept = sweep()
    for name in swept.removed:
        echo_line(f"removed {name}")
    for name in swept.left:
        echo_line(f"left {name}: its run is still going", err=True)
    echo_line(f"odplay kernel --cleanup: {len(swept.removed)} namespaces removed", err=True)
    return 0


def run(scenario: str, output: OutputFormat) -> int:
    from odplay.cli_support import scenario_paths

    started = time.perf_counter()
    paths, batch = scenario_paths([scenario])
    if batch:
        fail_input("odplay kernel runs one scenario at a time: give one file")
    path = paths[0]
    model = _load(path)
    _refuse_if_cannot()
    from odplay.kernel import topology
    from odplay.kernel.capture import capture
    from odplay.scenario.build import build_network
    from odplay.scenario.runner import RunError

    network = build_network(model.network)
    problems = topology.problems(network)
    if problems:
        fail_input(f"{path}: cannot be built as namespaces: " + "; ".join(problems))
    try:
        captured = capture(model)
    except RunError as exc:
        fail_input(exc.located(str(path)))
    if captured.end > MAX_MODEL_MS:
        fail_input(
            f"{path}: its run lasts {captured.end / 1000:g} s of model time; a kernel run plays "
            f"it in real time and takes at most {MAX_MODEL_MS // 1000} s (give it an earlier "
            "`end:`, or fewer steps)"
        )
    try:
        report = play(str(path), captured, build_network(model.network), started)
    except CannotRun as exc:
        fail_input(f"odplay kernel: this machine cannot run it: {exc}")
    except Interrupted as exc:
        echo_line(f"odplay kernel: stopped ({exc}); everything it made is removed", err=True)
        raise SystemExit(128 + exc.number) from None
    if output is OutputFormat.json:
        from odplay.kernel.report import to_jsonable
        from odplay.report.jsonout import dumps

        sys.stdout.write(dumps(to_jsonable(report)) + "\n")
    else:
        from odplay.kernel.report import render

        console().print(render(report))
    share = report.agreement
    echo_line(
        f"{path}: {report.agreed} of {len(report.counted)} checks agree"
        + (f" ({100 * share:.0f}%)" if share is not None else "")
        + f", in {report.total_s:.1f} s",
        err=True,
    )
    return 0


def _load(path: Path) -> ScenarioModel:
    from odplay.scenario.errors import ScenarioError
    from odplay.scenario.loader import load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        fail_input(str(exc))


def _refuse_if_cannot() -> None:
    from odplay.kernel import preflight

    lacking = preflight.missing()
    if lacking:
        lines = [f"odplay kernel: this machine cannot run it: {lacking[0]}"]
        lines += [f"  also: {more}" for more in lacking[1:]]
        fail_input("\n".join(lines))


class CannotRun(RuntimeError):
    """The machine cannot build or carry the run (a kernel feature is missing, most likely)."""


class Interrupted(Exception):
    """A signal stopped the run; everything it made is removed already."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


def play(source: str, captured: Capture, network: NetworkConfig, started: float) -> KernelReport:
    """Build the network, replay the capture on it, take it all down, and report. Raises
    CannotRun, or Interrupted (Ctrl-C, SIGTERM, SIGHUP) after removing everything."""
    from odplay.kernel.lab import Lab, LabError
    from odplay.kernel.netns import NamespaceError
    from odplay.kernel.replay import replay
    from odplay.kernel.report import KernelReport
    from odplay.kernel.wire import WireError

    lab = Lab(network)
    problem: str | None = None
    stopped: int | None = None
    outcome = None
    try:
        with _signals_stop():
            lab.build()
            outcome = replay(captured, lab)
    except (LabError, NamespaceError, WireError) as exc:
        problem = str(exc)
    except KeyboardInterrupt:
        stopped = signal.SIGINT
    except Stopped as exc:
        stopped = exc.number
    finally:
        with _signals_ignored():
            lab.close()
    if stopped is not None:
        raise Interrupted(stopped)
    if problem is not None or outcome is None:
        raise CannotRun(problem or "the replay did not finish")
    model = captured.model
    return KernelReport(
        source=source,
        title=model.title,
        seed=model.seed,
        kernel=os.uname().release,
        checks=outcome.checks,
        lateness=lab.wire.lateness,
        model_ms=outcome.model_end_ms,
        build_ms=lab.timings.build_ms,
        replay_s=outcome.seconds,
        teardown_ms=lab.timings.teardown_ms,
        total_s=time.perf_counter() - started,
        behind_ms=outcome.late_ms,
        leftovers=lab.leftovers(),
    )
