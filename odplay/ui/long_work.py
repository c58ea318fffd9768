"""Long work off the screen's thread: stepping back far, starting a scenario over, opening one,
comparing. A mixin of `PlaygroundApp`.

`start_work` runs the work in a Textual thread worker, on a copy or a still run (odplay.session.
jobs), and hands its result to `done` on the screen's thread, where it is swapped in. While it
runs the screen keeps drawing, the keys that would change the run wait (they are refused), the
status line shows the work and its progress, and Escape cancels it: the run stays as it was. Work
that is quick (under `quick_cost`, odplay.session.jobs' estimate) is done at once instead.

Either way a key is answered at once (`answering`): the status line says what the key is doing
and that one line is drawn before the work begins, so a key never waits on the work it starts
to see its first frame (benchmarks/long_work.py measures key to frame against a minimal app).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from odplay.session.api import jobs
from odplay.ui.draw_now import draw_now
from odplay.ui.widgets.status_bar import StatusBar

T = TypeVar("T")

#: Seconds after the first frame at which the scenario layer is read in the background.
WARM_AFTER = 1.0


def warm_in_background() -> None:
    """Read the scenario layer and the shipped scenarios on a thread of its own, so that the
    first `o`, `s` or `c` does not wait for them on the screen's thread."""

    def warm() -> None:
        from odplay.session.scenarios import shipped_scenarios

        shipped_scenarios()

    threading.Thread(target=warm, name="odplay-warm", daemon=True).start()


#: Threads of long work still running (cancelled ones included): the collector stays off
#: until there are none. Counted here, not per app: the save dialog's worker counts too.
_collector_holds = 0
_collector_lock = threading.Lock()  # a save's worker releases from its own thread


def hold_collector() -> None:
    """The collector off while a worker makes its objects: a full collection over them holds
    the interpreter's lock for tens to hundreds of milliseconds, on whichever thread it falls
    (measured: 150-270 ms in a comparison of 100 applications; 40-105 ms each, several times,
    in a save's replay after 1,000 simulated seconds). Call on the screen's thread when a
    worker starts; `release_collector` when its thread has ended (on either thread)."""
    global _collector_holds
    with _collector_lock:
        _collector_holds += 1
        gc.disable()


def release_collector() -> None:
    """A worker's thread has ended: with none left, the collector is on again. What the work
    made and was kept lives on (the run, the comparison on screen): as at the first frame
    (app.py), it is put out of the collector's sight first, or turning the collector on would
    have it scan all of it at once."""
    global _collector_holds
    with _collector_lock:
        _collector_holds = max(0, _collector_holds - 1)
        if _collector_holds == 0:
            gc.freeze()
            gc.enable()


@dataclass(frozen=True, slots=True)
class Failed:
    """What long work raised, carried back to the screen's thread as its result."""

    error: Exception


@dataclass
class Work:
    """One piece of long work under way."""

    label: str
    control: jobs.Control
    done: Callable[[Any], object]
    failed: Callable[[BaseException], None] | None
    worker: Worker[Any] | None = None
    timers: list[Timer] = field(default_factory=list)


class LongWork(App[None]):
    """The app's side of long work: one at a time, shown, cancellable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_work", "Cancel", show=False, priority=True),
    ]

    #: Seconds long work runs before the status line shows it. 0: at once, since work goes to a
    #: worker only when it is estimated longer than a moment (quick_cost), and the line is the
    #: frame that answers the key.
    work_moment = 0.0
    #: From this estimated cost (odplay.session.jobs: steps replayed) work goes to a worker.
    quick_cost = jobs.QUICK
    _work: Work | None = None
    _threads = 0  # workers' threads still running, cancelled ones included

    def new_control(self) -> jobs.Control:
        """The control each piece of long work gets (a test gives one it can hold back)."""
        return jobs.Control()

    @property
    def working(self) -> Work | None:
        """The long work under way, if any."""
        return self._work

    def start_work(
        self,
        label: str,
        work: Callable[[jobs.Control], T],
        done: Callable[[T], object],
        failed: Callable[[BaseException], None] | None = None,
    ) -> Work:
        """Run `work(control)` on a thread; then `done(result)` here, or `failed(error)`."""
        if self._work is not None:
            self._cancel(self._work)
        item = Work(label, self.new_control(), done, failed)
        self._work = item
        self.refresh_bindings()  # the keys that wait for it are shown dimmed meanwhile
        if self.work_moment <= 0:
            self._show_work(item)
            draw_now(self, self._bar())
        else:
            item.timers.append(self.set_timer(self.work_moment, lambda: self._show_work(item)))
        item.timers.append(self.set_interval(0.1, lambda: self._progress(item)))
        # Its line is drawn already: a thread started before that frame would hold the
        # interpreter's lock for half of the frame's time, and more.
        self._launch(item, work)
        return item

    def _launch(self, item: Work, work: Callable[[jobs.Control], object]) -> None:
        """Start `item`'s thread."""
        # The collector off while the work makes its objects (hold_collector); on again once
        # every worker's thread has ended (see _thread_ended).
        self._threads += 1
        hold_collector()
        control = item.control

        def run() -> object:
            # What goes wrong comes back as a value: a worker that raised would be reported
            # (and re-raised by whoever waits for it) as a failure of the worker itself.
            try:
                return work(control)
            except Exception as error:  # handed to `failed`, on the screen's thread
                return Failed(error)

        item.worker = self.run_worker(
            run,
            name="odplay-long-work",
            description=item.label,
            thread=True,
            exit_on_error=False,
        )

    def _bar(self) -> StatusBar | None:
        """The status line of the main screen (whatever screen is on top of it), if it is there."""
        if not self.screen_stack:
            return None
        return next(iter(self.screen_stack[0].query(StatusBar).results()), None)

    def _show_work(self, item: Work) -> None:
        bar = self._bar()
        if item is self._work and bar is not None:
            bar.begin(item.label)

    @contextmanager
    def answering(self, label: str) -> Iterator[None]:
        """Say `label` in the status line and draw it, then do the work of the block: a key
        whose work takes a full frame (or more) of the screen is answered in a frame of one
        line first. The line says the run's state again when the block is done."""
        bar = self._bar()
        if bar is None or self._work is not None or bar.doing is not None:
            yield  # no line to answer in, or it already says what is under way
            return
        bar.begin(label, cancellable=False)
        draw_now(self, bar)
        try:
            yield
        finally:
            if self._work is None:  # long work the block started keeps the line
                bar.end()

    def _progress(self, item: Work) -> None:
        bar = self._bar()
        if item is self._work and bar is not None:
            bar.progress(item.control.fraction)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if event.worker.name == "odplay-long-work" and finished:
            try:
                self._finished(event)
            finally:
                self._thread_ended()

    def _thread_ended(self) -> None:
        """A worker's thread has ended (its work done, failed or cancelled and dropped)."""
        self._threads -= 1
        release_collector()

    def _finished(self, event: Worker.StateChanged) -> None:
        item = self._work
        if item is None or event.worker is not item.worker:
            return  # work cancelled earlier, finishing in its thread: its result is dropped
        if self._closing or self._closed or not self._running:
            return  # the app is closing: its widgets are going, nothing is to be shown
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._end(item)
        if event.state is not WorkerState.SUCCESS:
            return
        result = event.worker.result
        if not isinstance(result, Failed):
            # The line says the work is done in a frame of its own, and the result is taken in
            # after it: a result redraws every panel, or pushes the comparison over them, and
            # the two in one callback once kept the screen from drawing for over 100 ms with
            # 100 applications (benchmarks/long_work). The work stays under way until then, so
            # keys that wait for it still wait.
            self._stop(item)
            self.call_after_refresh(self._deliver, item, result)
            return
        self._end(item)
        if isinstance(result.error, jobs.Cancelled) or item.control.cancelled:
            return
        elif item.failed is not None:
            item.failed(result.error)
        else:
            self.notify(f"{item.label} failed: {result.error}", severity="error", markup=False)

    def _deliver(self, item: Work, result: object) -> None:
        """Take in the result of work whose line has gone (unless it was cancelled meanwhile)."""
        if item is not self._work or self._closing or self._closed or not self._running:
            return
        self._end(item)
        item.done(result)

    def _stop(self, item: Work) -> None:
        """The work's timers stopped; the status line back to the run (if it is the work)."""
        for timer in item.timers:
            timer.stop()
        if item is self._work:
            bar = self._bar()
            if bar is not None:
                bar.end()

    def _end(self, item: Work) -> None:
        self._stop(item)
        if item is self._work:
            self._work = None
            self.refresh_bindings()

    def _cancel(self, item: Work) -> None:
        item.control.cancel()  # the thread stops at its next step; its result is never used
        self._end(item)

    def action_cancel_work(self) -> None:
        item = self._work
        if item is not None:
            self._cancel(item)
            self.notify(f"{item.label}: cancelled. The run is as it was.", markup=False)

    @property
    def work_under_way(self) -> bool:
        """Long work is running, or its result is waiting for the next frame to be taken in."""
        return self._work is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_work":
            return self.work_under_way  # otherwise Escape goes where it went before
        return True

    def on_unmount(self) -> None:
        if self._work is not None:
            self._cancel(self._work)
