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
from collections.abc import Iterable
from dataclasses import dataclass, field

from odplay.scenario.runner import RunError, ScenarioRun
from odplay.scenario.schema import ScenarioModel
from odplay.sim import commands as cmd
from odplay.sim.apps import Application
from odplay.sim.network import Mobility, NetworkConfig
from odplay.sim.paths import path_for
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from odplay.sim.world import World

MODES = (Mobility.ON_DEMAND, Mobility.MOBILE_IP, Mobility.NONE)
MODE_TITLES = {
    Mobility.ON_DEMAND: "on demand",
    Mobility.MOBILE_IP: "Mobile IP for all",
    Mobility.NONE: "no mobility",
}
#: Trace kinds that are messages between the host and the network.
SIGNALLING = frozenset(
    {"prefix-request", "prefix-granted", "prefix-refused", "prefix-offered", "binding-update"}
)
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
    peak_tunnels: int = 0
    tunnel_ms: float = 0.0  # tunnel-milliseconds: each tunnelled prefix in use, for how long
    error: str = ""

    @property
    def total(self) -> Tally:
        total = Tally()
        for tally in self.apps.values():
            total.add(tally)
        total.signalling += self.host.signalling
        return total


@dataclass(frozen=True, slots=True)
class _Flow:
    owner: str
    rtt: int
    direct: int
    kbps: int
    tunnel: str | None  # the tunnelled prefix, if the path detours through an anchor


class Meter:
    """Integrates the state the world was in between one step and the next."""

    def __init__(self, result: ModeResult) -> None:
        self.result = result
        self.last = 0
        self.flows: list[_Flow] = []

    def observe(self, w: World) -> None:
        elapsed = w.now - self.last
        if elapsed > 0:
            tunnels = {f.tunnel for f in self.flows if f.tunnel is not None}
            self.result.tunnel_ms += elapsed * len(tunnels)
            for flow in self.flows:
                tally = self.result.apps.setdefault(flow.owner, Tally())
                tally.connected_ms += elapsed
                tally.rtt_ms_ms += flow.rtt * elapsed
                tally.direct_rtt_ms_ms += flow.direct * elapsed
                if flow.tunnel is not None:
                    tally.anchored_kbit += flow.kbps * elapsed / 1000
                    tally.tunnelled_ms += elapsed
        self.last = w.now
        self.flows = list(_flows(w))
        tunnels_now = {f.tunnel for f in self.flows if f.tunnel is not None}
        self.result.peak_tunnels = max(self.result.peak_tunnels, len(tunnels_now))


def _flows(w: World) -> Iterable[_Flow]:
    stack, config = w.stack, w.network.config
    serving = stack.serving_gateway
    for sock in stack.live_sockets():
        if sock.state not in (SocketState.CONNECTED, SocketState.LISTENING):
            continue
        path = stack.path_of(sock)
        if path is None or serving is None or sock.source_address is None:
            continue
        direct = path_for(config, stack.attachment, serving, sock.peer)
        prefix = stack.addresses[sock.source_address].prefix
        yield _Flow(
            sock.owner,
            path.rtt,
            direct.rtt if direct else path.rtt,
            _rate(w.apps.get(sock.owner), sock.role),
            prefix if path.via else None,
        )


def _rate(app: Application | None, role: str) -> int:
    if app is None:
        return DEFAULT_RATE_KBPS
    for plan in app.spec.plans:
        if plan.role == role:
            return plan.rate_kbps
    return DEFAULT_RATE_KBPS


def _count_events(sim: Simulation, result: ModeResult) -> None:
    """Sessions broken and signalling messages, from the run's trace, per application."""
    owners: dict[int, str] = {}
    stack = sim.world.stack
    for entry in sim.trace:
        if entry.kind == "socket-broken" and entry.target:
            result.apps.setdefault(entry.target, Tally()).broken += 1
        if entry.kind not in SIGNALLING:
            continue
        owner: str | None = None
        request = entry.data.get("request")
        fd = entry.data.get("fd")
        if entry.kind == "prefix-request" and fd is not None and fd in stack.sockets:
            owner = stack.sockets[fd].owner
            if request is not None:
                owners[request] = owner
        elif request is not None:
            owner = owners.get(request)
        if owner is None:
            result.host.signalling += 1
        else:
            result.apps.setdefault(owner, Tally()).signalling += 1


@dataclass
class Comparison:
    title: str
    results: list[ModeResult]


def _variant(model: ScenarioModel, mode: Mobility) -> ScenarioModel:
    network = model.network.model_copy(update={"mobility": mode.value})
    return model.model_copy(update={"network": network})


def compare_scenario(model: ScenarioModel) -> Comparison:
    """Run a scenario's applications and moves three ways; its expectations are not checked."""
    results = []
    for mode in MODES:
        result = ModeResult(mode)
        run = ScenarioRun(_variant(model, mode), checkpoint_every=None)
        meter = Meter(result)
        run.sim.observer = meter.observe
        try:
            run.finish()
        except RunError as exc:
            result.error = str(exc)
        meter.observe(run.sim.world)
        _count_events(run.sim, result)
        results.append(result)
    return Comparison(model.title, results)


def compare_actions(
    title: str,
    network: NetworkConfig,
    policy: HostPolicy,
    seed: int,
    actions: list[tuple[int, cmd.Command]],
    until: int,
) -> Comparison:
    """Replay what a learner did (actions at their times) three ways, up to `until` ms."""
    results = []
    for mode in MODES:
        config = copy.deepcopy(network)
        config.mobility = mode
        sim = Simulation(config, copy.deepcopy(policy), seed, checkpoint_every=None)
        result = ModeResult(mode)
        meter = Meter(result)
        sim.observer = meter.observe
        for time, command in actions:
            sim.run_until(time)
            try:
                sim.apply(command)
            except cmd.CommandError as exc:
                result.error = result.error or f"at {time}ms: {exc}"
        sim.run_until(max(until, sim.now) + SETTLE_MS)
        meter.observe(sim.world)
        _count_events(sim, result)
        results.append(result)
    return Comparison(title, results)
