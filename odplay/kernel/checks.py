"""What a kernel run finds: one `Check` per claim of the model, and the state the replay keeps.

A check says when (the scenario's step and the model's time), what was checked, what odplay
says, what Linux did, whether they agree and, when they do not, why (odplay.kernel.explain).
Only what the kernel decides is `counted`; what the harness had to force (setsc(), which no
kernel has; a break, which Linux never makes; the network's own doings) is listed uncounted.

`ReplayBase` holds what both halves of the replay share (odplay.kernel.network_side, the
network's doings; odplay.kernel.host_side, the applications' calls): the host's sockets on the
kernel, the prefixes the network routes to the host, the probes waiting for the end of the
instant, and the checks so far.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from odplay.constants import Status
from odplay.kernel import explain, probe
from odplay.kernel.capture import Capture, Item
from odplay.kernel.lab import Lab

#: How long a probe waits for an echo beyond twice the round trip odplay expects.
PROBE_MARGIN_S = 0.15


@dataclass(frozen=True, slots=True)
class Check:
    step: int  # the scenario's step, 1-based (0: before the first)
    time_ms: int  # the model's time
    what: str
    odplay: str
    linux: str
    agree: bool
    why: str | None = None
    counted: bool = True
    kind: str = ""  # status, source, rtt, alive, lifetime, reach, listening, harness
    #: For a round trip: (odplay's, Linux's) in ms, for the report's figures.
    numbers: tuple[float, float] | None = None


def errno_name(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "ETIMEDOUT"
    if isinstance(exc, OSError) and exc.errno is not None:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return type(exc).__name__


def status_name(status: Status | int | None) -> str:
    if status is None:
        return "blocked"
    status = Status(status)
    return "0" if status is Status.SUCCESS else status.name


def same_address(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return ipaddress.IPv6Address(a.split("%")[0]) == ipaddress.IPv6Address(b.split("%")[0])
    except ValueError:
        return a == b


@dataclass(slots=True)
class KernelSocket:
    """One of the host's sockets on the kernel, under the model's descriptor number."""

    fd: int
    owner: str
    sock: socket.socket
    udp: bool = False
    peer: str | None = None
    peer_port: int | None = None
    rtt: int | None = None  # the model's last round trip for it
    served: str | None = None  # the wire's key when it listens (its connections echo)
    connected: bool = False

    @property
    def label(self) -> str:
        return f"fd {self.fd} ({self.owner})"


@dataclass(slots=True)
class Probe:
    sock: socket.socket
    expect_ms: int | None  # None: odplay says no data can flow
    then: Callable[[float | None], None]


@dataclass(slots=True)
class ReplayBase:
    capture: Capture
    lab: Lab
    checks: list[Check] = field(default_factory=list)
    sockets: dict[int, KernelSocket] = field(default_factory=dict)
    #: prefix name → (network, anchor name): what the network routes to the host now.
    routed: dict[str, tuple[str, str]] = field(default_factory=dict)
    dns: dict[str, str] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    after_probes: list[Callable[[], None]] = field(default_factory=list)
    started: float = 0.0
    item: Item | None = None  # the one being replayed, for the checks' `at`

    # ------------------------------------------------------------------ recording

    def record(
        self,
        kind: str,
        what: str,
        odplay: str,
        linux: str,
        agree: bool,
        why: str | None = None,
        counted: bool = True,
        at: Item | None = None,
        numbers: tuple[float, float] | None = None,
    ) -> None:
        at = at or self.item
        step, time_ms = (at.step, at.time) if at is not None else (0, 0)
        verdict = None if agree else why
        self.checks.append(
            Check(step, time_ms, what, odplay, linux, agree, verdict, counted, kind, numbers)
        )

    def record_status(self, call: str, what: str, odplay: str, linux: str) -> None:
        """A call's status, odplay's beside the kernel's: they agree when they are the same."""
        self.record(
            "status", what, odplay, linux, odplay == linux, explain.status(call, odplay, linux)
        )

    def harness(self, what: str, odplay: str, linux: str) -> None:
        """Something the harness did in the kernel's place: listed, never counted."""
        self.record("harness", what, odplay, linux, True, counted=False)

    def name(self, value: str | None) -> str:
        """An address as the report shows it: its teaching name where the model has one."""
        if value is None:
            return "nothing"
        for known_name, known in self.capture.addresses.items():
            if same_address(known, value):
                return known_name
        return value

    def now_ms(self) -> float:
        """The replay's clock, in the model's milliseconds."""
        return 1000 * (time.perf_counter() - self.started)

    def rtt_check(
        self,
        label: str,
        model: int,
        linux: float,
        via: str,
        at: Item | None,
        why: str | None = None,
    ) -> None:
        """A round trip, odplay's against the kernel's; `why` when the cause is known already."""
        self.record(
            "rtt",
            f"{label}: round trip",
            f"{model} ms{via}",
            f"{linux:.1f} ms",
            explain.rtt_agrees(model, linux),
            why or explain.rtt(model, linux),
            at=at,
            numbers=(float(model), linux),
        )

    # ------------------------------------------------------------------ the network

    def follow(self) -> None:
        """Put the routes that lead each routed prefix to the host where it is now."""
        self.lab.follow_host(sorted(self.routed.values()))

    # ------------------------------------------------------------------ probes

    def probe(self, sock: socket.socket, expect_ms: int | None, then: Callable[..., None]) -> None:
        """Time an echo on `sock` at the end of this instant (with the others), then call
        `then(rtt_ms or None)`."""
        self.probes.append(Probe(sock, expect_ms, then))

    def flush(self) -> None:
        """Run the probes waiting, all at once, then what waited for them (a `ss -K`)."""
        if self.probes:
            waiting, self.probes = self.probes, []
            longest = max((2 * (p.expect_ms or 0)) / 1000 for p in waiting) + PROBE_MARGIN_S
            found = probe.round_trips([p.sock for p in waiting], longest)
            for waited, rtt in zip(waiting, found, strict=True):
                waited.then(rtt)
        actions, self.after_probes = self.after_probes, []
        for action in actions:
            action()

    def flush_for(self, fd: int) -> None:
        """Before a socket is closed, the probes on it must run."""
        kernel = self.sockets.get(fd)
        if kernel is not None and any(p.sock is kernel.sock for p in self.probes):
            self.flush()
