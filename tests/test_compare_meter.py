"""The incremental meter against a reference that recomputes every socket's path at every step.

`odplay compare`'s meter only recomputes a socket's flow after the trace entries that can change
it; the reference here is the plain definition (what the meter replaced). Random learner
histories (launches, quits, moves, detaches, bare socket calls, a network setting changed) are
compared three ways with both, field by field: exactly, but for the traffic through anchors,
which the meter sums in whole kbit/s x ms and divides once (the reference adds a rounded share
each step), so the two agree to the last few bits only.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from odplay import compare
from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING
from odplay.sim import commands as cmd
from odplay.sim.apps import CATALOG, spec_for
from odplay.sim.network import default_network
from odplay.sim.paths import path_for
from odplay.sim.policy import HostPolicy
from odplay.sim.tables import SocketState
from odplay.sim.world import World


class ReferenceMeter:
    """Every step: integrate the flows seen at the last step, then look at every socket again."""

    def __init__(self, result: compare.ModeResult) -> None:
        self.result = result
        self.last = 0
        self.flows: list[tuple[str, int, int, int, str | None]] = []

    def observe(self, w: World) -> None:
        elapsed = w.now - self.last
        if elapsed > 0:
            tunnels = {f[4] for f in self.flows if f[4] is not None}
            self.result.tunnel_ms += elapsed * len(tunnels)
            for owner, rtt, direct, kbps, tunnel in self.flows:
                tally = self.result.apps.setdefault(owner, compare.Tally())
                tally.connected_ms += elapsed
                tally.rtt_ms_ms += rtt * elapsed
                tally.direct_rtt_ms_ms += direct * elapsed
                if tunnel is not None:
                    tally.anchored_kbit += kbps * elapsed / 1000
                    tally.tunnelled_ms += elapsed
        self.last = w.now
        self.flows = list(_flows(w))
        tunnels_now = {f[4] for f in self.flows if f[4] is not None}
        self.result.peak_tunnels = max(self.result.peak_tunnels, len(tunnels_now))

    def finish(self) -> None:
        """Sessions broken and signalling, counted over the whole trace afterwards."""


def _flows(w: World) -> Any:
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
        rate = compare._rate(w.apps.get(sock.owner), sock.role)
        yield (
            sock.owner,
            path.rtt,
            direct.rtt if direct else path.rtt,
            rate,
            prefix if path.via else None,
        )


def _history(seed: int) -> tuple[list[tuple[int, cmd.Command]], int]:
    rng = random.Random(seed)
    names = [f"a{i}" for i in range(5)]
    actions: list[tuple[int, cmd.Command]] = [
        (0, cmd.Attach("ap1")),
        (0, cmd.Launch(spec_for("a0", "web-browser"))),
    ]
    t = 0
    for _ in range(rng.randint(10, 30)):
        t += rng.choice([0, 0, 1, 5, 50, 300, 1000, 2500])
        r = rng.random()
        c: cmd.Command
        if r < 0.15:
            c = cmd.Move(rng.choice(["ap1", "ap2", "ap3"]))
        elif r < 0.2:
            c = cmd.Detach() if rng.random() < 0.5 else cmd.Attach("ap3")
        elif r < 0.45:
            c = cmd.Launch(spec_for(rng.choice(names), rng.choice(list(CATALOG))))
        elif r < 0.55:
            c = cmd.Quit(rng.choice(names))
        elif r < 0.6:
            c = cmd.SetNetwork("inter_gateway_delay", rng.randint(1, 40))
        elif r < 0.7:
            c = cmd.SocketCall(rng.choice([*names, "demo"]))
        elif r < 0.8:
            c = cmd.Connect(rng.randint(3, 30), rng.choice(["www.example.org", "im.example.com"]))
        elif r < 0.9:
            c = cmd.Listen(rng.randint(3, 30), rng.randint(0, 9000))
        else:
            c = cmd.Close(rng.randint(3, 30))
        actions.append((t, c))
    return actions, t


def _compare(seed: int, meter: type[Any]) -> compare.Comparison:
    network = default_network()
    network.supports = {FIXED, SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}
    actions, until = _history(seed)
    original = compare.Meter
    compare.Meter = meter  # type: ignore[misc]
    try:
        return compare.compare_actions("fuzz", network, HostPolicy(), seed, actions, until)
    finally:
        compare.Meter = original  # type: ignore[misc]


@pytest.mark.parametrize("seed", range(25))
def test_the_incremental_meter_measures_what_the_step_by_step_one_does(seed: int) -> None:
    ours = _compare(seed, compare.Meter)
    reference = _compare(seed, ReferenceMeter)
    flowed = 0
    for mine, theirs in zip(ours.results, reference.results, strict=True):
        assert (mine.peak_tunnels, mine.tunnel_ms) == (theirs.peak_tunnels, theirs.tunnel_ms)
        # The reference counts no sessions or messages: compare only what both measure, in the
        # order the result lists the applications.
        metered = [name for name, tally in mine.apps.items() if tally.connected_ms]
        assert metered == list(theirs.apps)
        for name in metered:
            a, b = dataclasses.asdict(mine.apps[name]), dataclasses.asdict(theirs.apps[name])
            assert a.pop("anchored_kbit") == pytest.approx(b.pop("anchored_kbit"), rel=1e-12)
            del a["broken"], a["signalling"], b["broken"], b["signalling"]
            assert a == b
            flowed += 1
    assert flowed, "a history with nothing to measure tests nothing"
