"""The model's run replayed on the kernel, in real time, and what came of it.

The items of a capture (odplay.kernel.capture) are played at the model's times on a built lab
(odplay.kernel.lab): the calls by host_side, the network's doings by network_side. Items of the
same instant are played in the model's order, then the probes they asked for run together (a
connection's round trip, whether a broken one is silent), so that several sockets are timed at
once rather than one after another. While it waits for the next instant it watches the
addresses whose lifetime the kernel is to end by itself.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from odplay.kernel.capture import Capture, Item, StepChecked
from odplay.kernel.checks import Check
from odplay.kernel.host_side import HostSide
from odplay.kernel.lab import Lab
from odplay.kernel.network_side import NetworkSide, Watch
from odplay.sim import events as ev

#: How often the replay looks at a watched address while it waits (ms).
POLL_MS = 10
#: How long the replay goes on after the model's last meaningful moment.
SETTLE_MS = 300


@dataclass(slots=True)
class Outcome:
    checks: list[Check]
    seconds: float  # the replay's own length, wall clock
    model_end_ms: int
    late_ms: float  # how far behind the model's time the replay fell, at worst
    servers: list[tuple[str, int, bool]] = field(default_factory=list)


class Replay(NetworkSide, HostSide):
    """Plays a capture on a lab and keeps the checks."""

    def __init__(self, capture: Capture, lab: Lab) -> None:
        super().__init__(capture, lab)
        self.watches: list[Watch] = []
        self.asked: dict[int, int] = {}
        self.behind_ms = 0.0
        events: dict[type, Callable[[Any], None]] = {
            ev.HostAttached: self.on_attach,
            ev.HostMoved: self.on_move,
            ev.HostDetached: self.on_detach,
            ev.PrefixOffered: self.on_offered,
            ev.PrefixGranted: self.on_offered,
            ev.PrefixDeprecated: self.on_deprecated,
            ev.PrefixWithdrawn: self.on_withdrawn,
            ev.AddressReleased: self.on_released,
            ev.GrantedForClosed: self.on_granted_for_closed,
            ev.GraceExpired: self.on_grace_expired,
            ev.SocketBroken: self.on_broken,
            ev.PathReport: self.on_path,
            ev.Reached: self.on_reached,
            ev.SetscResult: self.on_setsc_result,
            ev.Connected: self.on_connected,
            ev.NetworkChanged: self.on_network_changed,
            StepChecked: self.on_step_checked,
        }
        self._events = events
        #: The handlers that change the network: probes waiting must run before them.
        self._changes = {
            events[kind]
            for kind in (
                ev.HostAttached,
                ev.HostMoved,
                ev.HostDetached,
                ev.PrefixOffered,
                ev.PrefixGranted,
                ev.PrefixDeprecated,
                ev.PrefixWithdrawn,
                ev.AddressReleased,
                ev.GrantedForClosed,
                ev.GraceExpired,
                ev.NetworkChanged,
            )
        }

    def start_servers(self) -> list[tuple[str, int, bool]]:
        """Echo servers at every correspondent and port the applications will use."""
        servers = sorted(self.capture.servers())
        for peer, port, udp in servers:
            kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
            self.lab.serve(f"cn:{peer}", port, kind)
        return servers

    def run(self) -> Outcome:
        servers = self.start_servers()
        capture = self.capture
        stop = capture.end + SETTLE_MS
        items = [item for item in capture.items if item.play_at <= stop]
        self.started = time.perf_counter()
        for moment, group in groupby(items, key=lambda item: item.play_at):
            self._wait_until(moment)
            self.behind_ms = max(self.behind_ms, self.now_ms() - moment)
            for item in group:
                self.item = item
                self._play(item)
            self.flush()
        self._wait_until(stop)
        while any(w.at is not None for w in self.watches):
            time.sleep(POLL_MS / 1000)
            self.poll_watches()
        self.poll_watches(final=True)
        seconds = time.perf_counter() - self.started
        # A watch reports when the kernel acted, later than the model's moment: in time order.
        checks = sorted(self.checks, key=lambda check: check.time_ms)
        return Outcome(checks, seconds, capture.end, self.behind_ms, servers)

    def _wait_until(self, model_ms: int) -> None:
        while (left := model_ms - self.now_ms()) > 0:
            time.sleep(min(left, POLL_MS) / 1000)
            self.poll_watches()

    def _play(self, item: Item) -> None:
        if item.call is not None:
            handler = getattr(self, f"call_{item.call}", None)
            if handler is not None:
                handler(item)
            return
        react = self._events.get(type(item.event))
        if react is None:
            return
        if react in self._changes:
            self.flush()  # what was probed is probed on the network as it was
        react(item.event)


def replay(capture: Capture, lab: Lab) -> Outcome:
    return Replay(capture, lab).run()
