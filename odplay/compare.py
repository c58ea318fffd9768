"""The cost of each choice: the same applications and moves, three ways (the draft's Section 1).

On demand, as the scenario asks; Mobile IP for every socket (every prefix a home prefix at the
central anchor, kept across moves, C3); and no mobility support at all (every prefix the serving
gateway's, lost with it). A meter watches each run step by step and counts, per application and
in total: round-trip times and path stretch (against the direct path through the serving
gateway), traffic carried through anchors (at each socket's nominal rate), tunnels held,
sessions broken, and signalling messages.

Headless: the CLI prints it, the playground shows it, and both call `compare_scenario` or
`compare_actions` here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from odplay.scenario.budget import Budget
from odplay.scenario.runner import RunError, ScenarioRun
from odplay.scenario.schema import ScenarioModel
from odplay.sim import commands as cmd
from odplay.sim.apps import Application
from odplay.sim.messages import KIND_ORDER, MESSAGE_KINDS, message_kind
from odplay.sim.network import Mobility, NetworkConfig
from odplay.sim.paths import path_for
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import Socket, SocketState
from odplay.sim.trace import TraceEntry
from odplay.sim.world import World

MODES = (Mobility.ON_DEMAND, Mobility.MOBILE_IP, Mobility.NONE)
MODE_TITLES = {
    Mobility.ON_DEMAND: "on demand",
    Mobility.MOBILE_IP: "Mobile IP for all",
    Mobility.NONE: "no mobility",
}
#: Trace kinds that may be messages between the host and the network: the ladder's arrows, by
#: the one definition in odplay.sim.messages (an entry with no receiver is the stack's own).
SIGNALLING = frozenset(MESSAGE_KINDS)
DEFAULT_RATE_KBPS = 100
#: How long a replayed free-play run goes on after its last action, to let timers play out.
SETTLE_MS = 2_000


@dataclass
class Tally:
    """What one application (or the whole host) cost in one run."""

    connected_ms: float = 0.0  # socket-milliseconds connected or listening
    rtt_ms_ms: float = 0.0  # the sum of RTT x time: over connected_ms, the mean RTT
    direct_rtt_ms_ms: float = 0.0  # the same with every path direct: the yardstick of stretch
    anchored_kbit: float = 0.0  # traffic carried through an anchor other than the serving gateway
    tunnelled_ms: float = 0.0  # socket-milliseconds spent on a tunnelled (detouring) path
    broken: int = 0
    signalling: int = 0

    @property
    def mean_rtt(self) -> float | None:
        return self.rtt_ms_ms / self.connected_ms if self.connected_ms else None

    @property
    def stretch(self) -> float | None:
        return self.rtt_ms_ms / self.direct_rtt_ms_ms if self.direct_rtt_ms_ms else None

    @property
    def anchored_mbyte(self) -> float:
        return self.anchored_kbit / 8 / 1000

    def add(self, other: Tally) -> None:
        self.connected_ms += other.connected_ms
        self.rtt_ms_ms += other.rtt_ms_ms
        self.direct_rtt_ms_ms += other.direct_rtt_ms_ms
        self.anchored_kbit += other.anchored_kbit
        self.tunnelled_ms += other.tunnelled_ms
        self.broken += other.broken
        self.signalling += other.signalling


@dataclass
class ModeResult:
    mode: Mobility
    apps: dict[str, Tally] = field(default_factory=dict)
    host: Tally = field(default_factory=Tally)  # signalling that belongs to no socket
    #: Every message with the network, by kind (odplay.sim.messages), as the ladder shows them.
    messages: dict[str, int] = field(default_factory=dict)
    peak_tunnels: int = 0
    tunnel_ms: float = 0.0  # tunnel-milliseconds: each tunnelled prefix in use, for how long
    error: str = ""
    #: A side of `odplay compare --side` (odplay.compare_sides): its label, and a tally per
    #: address type (type slug -> TypeTally). Empty for the three-way comparison.
    label: str = ""
    types: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.label or MODE_TITLES[self.mode]

    @property
    def total(self) -> Tally:
        total = Tally()
        for tally in self.apps.values():
            total.add(tally)
        total.signalling += self.host.signalling
        return total


#: A socket's flow: (owner, RTT, direct RTT, rate in kbit/s, the tunnelled prefix or None if
#: the path goes straight out of the serving gateway). A plain tuple: the meter makes one each
#: time a socket connects, listens or the host moves, and compares it with the last one.
_Flow = tuple[str, int, int, int, str | None]
_RTT: Final = 1
_DIRECT: Final = 2
_KBPS: Final = 3
_TUNNEL: Final = 4


#: What a trace entry of each kind may change, and so what the meter recomputes after it:
#: - the flow of the socket it names (`fd`): it connected or listened; or it has none any more,
#:   closed or broken (a socket's number is never used again);
#: - every socket's flow: the host's attachment point (so its serving gateway) or a network
#:   setting such as a delay changed, and with them the paths;
#: - the flows of the application it is about (its actor): its rates may be new;
#: - a session broken (which also ends a flow) and a signalling message are counted too.
_SOCKET, _GONE, _EVERY_FLOW, _OWNER, _BROKEN, _MESSAGE = 1, 2, 3, 4, 5, 6
_RECOMPUTE = {
    "connect": _SOCKET,
    "listen": _SOCKET,
    "close": _GONE,
    "socket-broken": _BROKEN,
    "source-gone": _SOCKET,  # a UDP socket's address went: it has no path, so no flow
    **dict.fromkeys(SIGNALLING, _MESSAGE),
    "attach": _EVERY_FLOW,
    "move": _EVERY_FLOW,
    "detach": _EVERY_FLOW,
    "setting": _EVERY_FLOW,
    "launch": _OWNER,
    "quit": _OWNER,
}
_FLOWING = (SocketState.CONNECTED, SocketState.LISTENING)


class Meter:
    """Integrates the state the world was in between one step and the next.

    Incremental: a socket's flow (its path's RTT, the direct path's, its rate, its tunnel) is
    recomputed only after a step whose trace entries may have changed it (see `_RECOMPUTE`).
    Each flow is kept with the time it began, and when it ends or changes, the interval is added
    to its application's sums at once; `finish` adds in the flows still open and hands the sums
    over. So a run costs the meter what changed in it, not every socket at every step, and its
    memory is what is live, not a record per socket ever closed. The sums are whole numbers
    until `finish`, which makes them independent of how time is cut into steps.
    """

    def __init__(self, result: ModeResult) -> None:
        self.result = result
        self.last = 0
        self._seen = 0  # trace entries already read
        self._open: dict[int, tuple[_Flow, int]] = {}  # fd -> its flow now, and since when
        # Per application, the flows that ended, added up as they end (so that a long run keeps
        # a few numbers per application, not a record per closed socket): the earliest
        # (from, fd) of any, and [connected ms, RTT x ms, direct RTT x ms, tunnelled ms, kbit].
        self._first: dict[str, tuple[int, int]] = {}
        self._sums: dict[str, list[int]] = {}
        self._tunnels: dict[str, int] = {}  # tunnelled prefix -> flows through it now
        self._flowing: dict[str, int] = {}  # application -> its flows now
        self._tunnel_ms = 0
        # (source address, peer) -> (RTT, direct RTT, the tunnelled prefix or None), for the
        # host where it is now: emptied when it moves or a network setting changes.
        self._paths: dict[tuple[str, str | None], tuple[int, int, str | None]] = {}
        # (application, socket role) -> rate in kbit/s: emptied when an application starts or
        # quits, which may change the spec its rates come from.
        self._rates: dict[tuple[str, str], int] = {}
        # Sessions broken and signalling messages, per application in the order the trace first
        # names it (the order the result lists those the flows did not): [broken, messages].
        self._counts: dict[str, list[int]] = {}
        self._requests: dict[int, str] = {}  # prefix request -> the application it was for
        self._host_messages = 0
        self._kinds: dict[str, int] = {}  # messages by kind, as the ladder shows them

    def observe(self, w: World) -> None:
        now = w.now
        elapsed = now - self.last
        if elapsed > 0:
            self._tunnel_ms += elapsed * len(self._tunnels)
            self.last = now
        entries = w.trace.entries
        if self._seen < len(entries):
            self._update(w, entries)
            if len(self._tunnels) > self.result.peak_tunnels:
                self.result.peak_tunnels = len(self._tunnels)

    def observe_and_forget(self, w: World) -> None:
        """Observe, then drop the trace entries read: a comparison prints no trace, so its runs
        need keep only what is live, not every message of a long run."""
        self.observe(w)
        w.trace.entries.clear()
        self._seen = 0

    def finish(self) -> None:
        """Add up every flow up to the last observation, and the counts, into the result."""
        result, last = self.result, self.last
        result.tunnel_ms += self._tunnel_ms
        self._tunnel_ms = 0
        for fd, (flow, start) in self._open.items():
            if start < last:
                self._fold(fd, flow, start, last)
        self._open = {fd: (flow, last) for fd, (flow, _) in self._open.items()}
        # An application gets its line in the result when time first passes while it has a
        # flow: ordered by that time, then by its oldest socket flowing then (the order in
        # which a meter that looked at every socket at every step met them).
        first, sums = self._first, self._sums
        self._first, self._sums = {}, {}
        for owner in sorted(first, key=first.__getitem__):
            tally = result.apps.setdefault(owner, Tally())
            connected, rtt_ms_ms, direct_ms_ms, tunnelled, kbit_x1000 = sums[owner]
            tally.connected_ms += connected
            tally.rtt_ms_ms += rtt_ms_ms
            tally.direct_rtt_ms_ms += direct_ms_ms
            tally.tunnelled_ms += tunnelled
            tally.anchored_kbit += kbit_x1000 / 1000
        for owner, (broken, messages) in self._counts.items():
            tally = result.apps.setdefault(owner, Tally())
            tally.broken += broken
            tally.signalling += messages
        result.host.signalling += self._host_messages
        for kind in KIND_ORDER:
            if kind in self._kinds:
                result.messages[kind] = result.messages.get(kind, 0) + self._kinds[kind]
        self._counts.clear()
        self._host_messages = 0
        self._kinds = {}

    def _update(self, w: World, entries: list[TraceEntry]) -> None:
        """Recompute the flows the step's new trace entries may have changed."""
        stack, now = w.stack, w.now
        everything = False
        new = entries[self._seen :]
        self._seen = len(entries)
        recompute = _RECOMPUTE.get
        for entry in new:  # a step makes a few entries: a plain loop beats itertools here
            what = recompute(entry.kind)
            if what is None:
                continue
            if entry.kind in SIGNALLING:
                kind = message_kind(entry)
                if kind is not None:
                    self._kinds[kind] = self._kinds.get(kind, 0) + 1
                    self._count_message(entry, w)
            if what == _MESSAGE:
                continue
            if what == _BROKEN and entry.target:
                self._counts.setdefault(entry.target, [0, 0])[0] += 1
            if what == _SOCKET:
                # Each socket's new flow is computed from the world after the step, so the
                # order of the entries, or a socket named twice, makes no difference.
                sock = stack.sockets.get(entry.data.get("fd", -1))
                if sock is not None:
                    self._set(now, sock.fd, self._flow(w, sock))
            elif what in (_GONE, _BROKEN):
                fd = entry.data.get("fd")
                if fd in self._open:
                    self._set(now, fd, None)
            elif what == _OWNER:
                self._rates.clear()
                if self._flowing.get(entry.actor):  # rare: an application's usually start later
                    for fd, (flow, _) in list(self._open.items()):
                        if flow[0] == entry.actor:
                            self._set(now, fd, self._flow(w, stack.sockets[fd]))
            else:
                everything = True
                self._paths.clear()
        if everything:
            fds = {sock.fd for sock in stack.live_sockets()}
            fds.update(self._open)
            for fd in fds:
                self._set(now, fd, self._flow(w, stack.sockets[fd]))

    def _count_message(self, entry: TraceEntry, w: World) -> None:
        """A signalling message: the application's whose socket it is for, else the host's."""
        sockets = w.stack.sockets
        owner: str | None = None
        request = entry.data.get("request")
        fd = entry.data.get("fd")
        if entry.kind == "prefix-request" and fd is not None and fd in sockets:
            owner = sockets[fd].owner
            if request is not None:
                self._requests[request] = owner
        elif request is not None:
            owner = self._requests.get(request)
        if owner is None:
            self._host_messages += 1
        else:
            self._counts.setdefault(owner, [0, 0])[1] += 1

    def _fold(self, fd: int, flow: _Flow, start: int, end: int) -> None:
        """Add a flow that ran from `start` to `end` (> start) to its application's sums."""
        owner, rtt, direct, kbps, tunnel = flow
        first = self._first.get(owner)
        if first is None or (start, fd) < first:
            self._first[owner] = (start, fd)
        elapsed = end - start
        total = self._sums.get(owner)
        if total is None:
            total = self._sums[owner] = [0, 0, 0, 0, 0]
        total[0] += elapsed
        total[1] += rtt * elapsed
        total[2] += direct * elapsed
        if tunnel is not None:
            total[3] += elapsed
            total[4] += kbps * elapsed

    def _set(self, now: int, fd: int, flow: _Flow | None) -> None:
        """Socket `fd` has this flow from `now` on (None: no flow)."""
        was = self._open.get(fd)
        if was is not None:
            old, start = was
            if old == flow:
                return
            del self._open[fd]
            self._flowing[old[0]] -= 1
            if start < now:
                self._fold(fd, old, start, now)
            tunnel = old[_TUNNEL]
            if tunnel is not None:
                left = self._tunnels[tunnel] - 1
                if left:
                    self._tunnels[tunnel] = left
                else:
                    del self._tunnels[tunnel]
        if flow is not None:
            self._open[fd] = (flow, now)
            self._flowing[flow[0]] = self._flowing.get(flow[0], 0) + 1
            tunnel = flow[_TUNNEL]
            if tunnel is not None:
                self._tunnels[tunnel] = self._tunnels.get(tunnel, 0) + 1

    def _flow(self, w: World, sock: Socket) -> _Flow | None:
        """A socket's flow now: None unless it is connected or listening on a path."""
        if sock.state not in _FLOWING:
            return None
        source, peer = sock.source_address, sock.peer
        stack = w.stack
        if source is None or source not in stack.addresses:
            return None
        # The same as stack.path_of(sock) and the direct path through the serving gateway,
        # remembered until the host moves: a move recomputes every socket's flow, and most
        # share their paths. An address names one prefix, whose anchor never changes.
        known = self._paths.get((source, peer))
        if known is None:
            attachment = stack.attachment
            if attachment is None:
                return None
            prefix = stack.addresses[source].prefix
            config = w.network.config
            path = path_for(config, attachment, stack.prefixes[prefix].anchor, peer)
            direct = path_for(config, attachment, config.ap(attachment).gateway, peer)
            assert path is not None and direct is not None  # attached: there is a path
            known = (path.rtt, direct.rtt, prefix if path.via else None)
            self._paths[source, peer] = known
        key = (sock.owner, sock.role)
        rate = self._rates.get(key)
        if rate is None:
            rate = self._rates[key] = _rate(w.apps.get(sock.owner), sock.role)
        return (sock.owner, known[0], known[1], rate, known[2])


def _rate(app: Application | None, role: str) -> int:
    if app is None:
        return DEFAULT_RATE_KBPS
    for plan in app.spec.plans:
        if plan.role == role:
            return plan.rate_kbps
    return DEFAULT_RATE_KBPS


@dataclass
class Comparison:
    title: str
    results: list[ModeResult]


def _variant(model: ScenarioModel, mode: Mobility) -> ScenarioModel:
    network = model.network.model_copy(update={"mobility": mode.value})
    return model.model_copy(update={"network": network})


#: Called after each step of each of the three runs with the run's number (0-2) and its world:
#: a viewer's progress, or its way to stop the comparison (by raising).
Watch = Callable[[int, World], None]


def _observer(
    meter: Callable[[World], None], watch: Watch | None, part: int
) -> Callable[[World], None]:
    if watch is None:
        return meter

    def both(w: World) -> None:
        meter(w)
        watch(part, w)

    return both


def compare_scenario(
    model: ScenarioModel, budget: Budget | None = None, watch: Watch | None = None
) -> Comparison:
    """Run a scenario's applications and moves three ways; its expectations are not checked.

    Each run is held to `budget` (odplay.scenario.budget) as it goes, one after the other.
    """
    results = []
    for part, mode in enumerate(MODES):
        result = ModeResult(mode)
        run = ScenarioRun(_variant(model, mode), checkpoint_every=None, budget=budget)
        meter = Meter(result)
        run.sim.observer = _observer(meter.observe_and_forget, watch, part)
        try:
            run.finish()
        except RunError as exc:
            result.error = str(exc)
        meter.observe(run.sim.world)
        meter.finish()
        results.append(result)
    return Comparison(model.title, results)


def compare_actions(
    title: str,
    network: NetworkConfig,
    policy: HostPolicy,
    seed: int,
    actions: list[tuple[int, cmd.Command]],
    until: int,
    watch: Watch | None = None,
) -> Comparison:
    """Replay what a learner did (actions at their times) three ways, up to `until` ms."""
    results = []
    for part, mode in enumerate(MODES):
        config = copy.deepcopy(network)
        config.mobility = mode
        sim = Simulation(config, copy.deepcopy(policy), seed, checkpoint_every=None)
        result = ModeResult(mode)
        meter = Meter(result)
        sim.observer = _observer(meter.observe, watch, part)
        for time, command in actions:
            sim.run_until(time)
            try:
                sim.apply(command)
            except cmd.CommandError as exc:
                result.error = result.error or f"at {time}ms: {exc}"
        sim.run_until(max(until, sim.now) + SETTLE_MS)
        meter.observe(sim.world)
        meter.finish()
        results.append(result)
    return Comparison(title, results)
