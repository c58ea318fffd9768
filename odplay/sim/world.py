"""The simulated world: clock, event queue, seeded randomness, the host stack, the network, apps.

A sans-IO core in the manner of aioquic and h11: it is *told* to take the next event or apply a
command, never reads a clock or sleeps, and reports its next deadline. Every step (one event or
one command) advances `step` by one; the trace entries it makes carry that step number, which is
what lets :class:`~odplay.sim.simulation.Simulation` restore any earlier step by replay.
"""

from __future__ import annotations

import random
from collections import deque
from heapq import heappop, heappush
from typing import Any, NamedTuple

from odplay.sim.apps import Application
from odplay.sim.events import NETWORK_MESSAGES, Event, Narrated
from odplay.sim.narration import TELLERS
from odplay.sim.network import Network, NetworkConfig
from odplay.sim.notices import Notice
from odplay.sim.policy import HostPolicy
from odplay.sim.stack import HostStack
from odplay.sim.trace import Trace, TraceEntry, TraceKind

_new_entry = tuple.__new__

#: An event in the queue: (time, seq, kind, args). A plain tuple, not a dataclass, because heapq
#: compares entries constantly and tuple comparison is several times faster; `seq` breaks ties
#: in scheduling order (FIFO) and is unique, so `kind` and `args` are never compared.
Scheduled = tuple[int, int, str, tuple[Any, ...]]


class Awaiting(NamedTuple):
    """A narration waiting for the first event it names (see `World.await_narration`)."""

    event: Narrated
    names: frozenset[str]  # rule IDs and trace kinds
    after: frozenset[str]  # rule IDs of the story told before it


class World:
    """Everything one run is made of, and the services the model uses: the clock, the queue, the
    trace (`record`) and the deferred notices to applications (`notify`)."""

    def __init__(self, config: NetworkConfig, policy: HostPolicy, seed: int, trace: Trace) -> None:
        self.now = 0
        self.step = 0
        self.seed = seed
        self.rng = random.Random(seed)
        self.trace = trace
        self.queue: list[Scheduled] = []
        self._seq = 0
        # A deque: a move can break thousands of sockets at once, and popping the front of a
        # list that long is quadratic.
        self._outbox: deque[tuple[str, Notice]] = deque()
        self.network = Network(config)
        self.stack = HostStack(self, policy)
        self.apps: dict[str, Application] = {}
        #: A scenario step's narration waiting for its event, and where the last one waiting
        #: was told (its number in the trace); both are part of the state a checkpoint keeps.
        self.awaiting: Awaiting | None = None
        self.told_at = -1

    def __getstate__(self) -> dict[str, Any]:
        # A checkpoint leaves the trace out: it is shared, append-only, and truncated on restore.
        state = self.__dict__.copy()
        state["trace"] = None
        return state

    # ------------------------------------------------------------------ services for the model

    def record(self, event: Event) -> None:
        """Put what happened in the trace, told by odplay.sim.narration."""
        # narrate(event), spelled out for speed: a busy run records millions of entries, and
        # looking the teller up here, building the entry with tuple.__new__ and appending to the
        # list directly saves three Python calls each (a third of the large benchmark's time).
        told = TELLERS[type(event)](event)
        entries = self.trace.entries
        awaiting = self.awaiting
        if awaiting is not None and (
            told[1] in awaiting.names or not awaiting.names.isdisjoint(told[3])
        ):
            self._tell_awaited_before(entries, awaiting)
        fact = event if type(event) in NETWORK_MESSAGES else None
        entries.append(_new_entry(TraceEntry, (len(entries), self.step, self.now, *told, fact)))

    def await_narration(
        self, event: Narrated, names: tuple[str, ...], after: tuple[str, ...]
    ) -> None:
        """Tell `event` with the first event from now on that carries one of `names` (a rule ID
        or a trace kind), rather than now.

        It is put at the start of the chain of events that one belongs to (one step of the run:
        a timer firing, a reply arriving, a command), so that a learner reads the explanation
        before what it explains; but never before an entry of that chain that carries one of the
        `after` rules or is itself a narration: that part of the chain is the story told before.
        """
        self.tell_awaited()  # one waits at a time: an earlier one is told now
        self.awaiting = Awaiting(event, frozenset(names), frozenset(after))

    def tell_awaited(self) -> None:
        """Tell the waiting narration now, at the end of the trace; nothing if none waits."""
        awaiting, self.awaiting = self.awaiting, None
        if awaiting is not None:
            entries = self.trace.entries
            self.told_at = len(entries)
            told = TELLERS[Narrated](awaiting.event)
            entries.append(_new_entry(TraceEntry, (len(entries), self.step, self.now, *told, None)))

    def _tell_awaited_before(self, entries: list[TraceEntry], awaiting: Awaiting) -> None:
        self.awaiting = None
        at = len(entries)
        while at > 0:
            before = entries[at - 1]
            if (
                before.step != self.step
                or before.kind == TraceKind.NARRATION
                or not awaiting.after.isdisjoint(before.rules)
            ):
                break
            at -= 1
        told = TELLERS[Narrated](awaiting.event)
        entries.insert(at, _new_entry(TraceEntry, (at, self.step, self.now, *told, None)))
        # The entries it went before move down one place; their number is their place.
        for number in range(at + 1, len(entries)):
            entries[number] = entries[number]._replace(number=number)
        self.told_at = at

    def schedule(self, delay: int, kind: str, *args: Any) -> None:
        self._seq += 1
        heappush(self.queue, (self.now + delay, self._seq, kind, args))

    def app_timer(self, delay: int, app: str, action: str, index: int, fd: int) -> None:
        # schedule() spelled out: application timers are most of a busy run's events.
        self._seq += 1
        heappush(self.queue, (self.now + delay, self._seq, "app-timer", (app, action, index, fd)))

    def notify(self, owner: str, notice: Notice) -> None:
        """Tell an application something after the current step's state changes are complete.

        Deferring keeps every application's reaction consistent: when a move breaks sockets,
        the new gateway's prefixes are already configured by the time the applications act (F6).
        """
        if owner in self.apps:
            self._outbox.append((owner, notice))

    def _deliver(self) -> None:
        while self._outbox:
            owner, notice = self._outbox.popleft()
            app = self.apps.get(owner)
            if app is not None:
                notice.deliver(app, self)

    # ------------------------------------------------------------------ driving

    @property
    def next_deadline(self) -> int | None:
        return self.queue[0][0] if self.queue else None

    def step_event(self) -> bool:
        """Take the earliest event; False when there is none."""
        if not self.queue:
            return False
        self.now, _, kind, args = heappop(self.queue)
        if kind == "app-timer":  # the commonest kind first
            app = self.apps.get(args[0])
            if app is not None:
                app.on_timer(self, args[1], args[2], args[3])
        elif kind == "net-reply":
            self.stack.network_reply(*args)
        elif kind == "grace-expiry":
            self.stack.grace_expired(*args)
        elif kind == "rotate":
            self.stack.rotation_due(*args)
        elif kind == "byte-tick":
            self.stack.byte_tick()
        if self._outbox:
            self._deliver()
        self.step += 1
        return True

    def finish_command(self) -> None:
        """Close a step made by a command (see odplay.sim.commands)."""
        self._deliver()
        self.step += 1
