"""Mock applications from the draft's own examples (Section 3.2, rule T5) and how they behave.

An application is a list of socket plans. For each plan it runs the Section 4.1 sequence
(socket, setsockopt, setsc, bind, connect or listen; under host `api: sockopt`, RFC 8653
Appendix A's socket, setsockopt with the OnDemand field, connect or listen), handles every
failure the way the draft suggests (fall back to another type, F9; fall back to the legacy
calls, B2), re-establishes a socket that broke (F6), and, for a Graceful-replacement socket,
moves over to the new prefix inside the grace period (T4). Applications never touch the
stack's tables: they only make calls and receive notifications, like real programs.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, NamedTuple

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    ON_DEMAND_MASK,
    SESSION_LASTING,
    AddressType,
    Status,
    on_demand_bits,
)
from odplay.sim import checks
from odplay.sim import events as ev
from odplay.sim.events import Call
from odplay.sim.policy import SocketApi
from odplay.sim.records import Frozen, Record
from odplay.sim.tables import SocketState

if TYPE_CHECKING:
    from odplay.sim.world import World


class UnknownKind(checks.BadArgument, KeyError):
    """An application kind not in the catalog (a KeyError too, as spec_for raised before)."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0])


LEGACY = "legacy"  # a fallback step meaning "use the legacy calls, without setsc()" (B2)


class SocketPlan(Frozen):
    """What an application wants from one of its sockets."""

    role: str = "main"
    type: AddressType | None = None  # None: a legacy socket that never calls setsc() (B1)
    flags: int = 0
    peer: str | None = None
    peer_port: int = 443
    listen_port: int | None = None
    bind: bool = True  # False: setsc() without bind(), the R3 case
    fallback: tuple[AddressType | str, ...] = ()  # types to retry with, or LEGACY
    reestablish: bool = True
    reconnect_after: int = 200  # ms an application takes to notice a break and reopen (F6)
    move_over_after: int | None = None  # ms to switch after a deprecation (T4); None: never
    publish: str | None = None  # DNS name to publish a listening socket under (C2)
    hold: int | None = None  # ms to keep a connection before closing it (a DNS query)
    repeat_every: int | None = None  # ms between repeated short sessions
    #: Nominal traffic while connected, kbit/s: what `odplay compare` counts through anchors.
    rate_kbps: int = 100

    def __post_init__(self) -> None:
        # A plan is built once per application kind or scenario socket, never per event.
        checks.name("SocketPlan.role", self.role)
        checks.address_type("SocketPlan.type", self.type, optional=True)
        checks.integer("SocketPlan.flags", self.flags, 0, checks.MAX_FLAGS)
        checks.text("SocketPlan.peer", self.peer, optional=True)
        checks.port("SocketPlan.peer_port", self.peer_port)
        if self.listen_port is not None:
            checks.port("SocketPlan.listen_port", self.listen_port)
        checks.flag("SocketPlan.bind", self.bind)
        checks.instance("SocketPlan.fallback", self.fallback, tuple)
        for index, step in enumerate(self.fallback):
            if not (isinstance(step, str) and step == LEGACY):
                checks.address_type(f"SocketPlan.fallback[{index}] (or LEGACY)", step)
        checks.flag("SocketPlan.reestablish", self.reestablish)
        checks.time_ms("SocketPlan.reconnect_after", self.reconnect_after)
        for name in ("move_over_after", "hold", "repeat_every"):
            value = getattr(self, name)
            if value is not None:
                checks.time_ms(f"SocketPlan.{name}", value)
        checks.text("SocketPlan.publish", self.publish, optional=True)
        checks.integer("SocketPlan.rate_kbps", self.rate_kbps)


class AppSpec(Frozen):
    name: str
    kind: str
    plans: tuple[SocketPlan, ...]

    def __post_init__(self) -> None:
        checks.name("AppSpec.name", self.name)
        _check_kind(self.kind)
        checks.instance("AppSpec.plans", self.plans, tuple)
        checks.each(
            "AppSpec.plans", self.plans, lambda what, p: checks.instance(what, p, SocketPlan)
        )


class AppKind(Frozen):
    summary: str
    rules: tuple[str, ...]
    plans: tuple[SocketPlan, ...]


CATALOG: dict[str, AppKind] = {
    "web-server": AppKind(
        "serves at a published name: needs a Fixed address (reachability)",
        ("T5", "T1", "C2"),
        (
            SocketPlan(
                type=FIXED,
                listen_port=443,
                publish="www.mh.example",
                reestablish=True,
                rate_kbps=400,
            ),
        ),
    ),
    "ssh-client": AppKind(
        "a long SSH session: Fixed",
        ("T5", "T1"),
        (SocketPlan(type=FIXED, peer="ssh.example.net", peer_port=22, rate_kbps=16),),
    ),
    "vpn-client": AppKind(
        "an enterprise VPN tunnel: Fixed",
        ("T5", "T1"),
        (SocketPlan(type=FIXED, peer="vpn.example.com", peer_port=443, rate_kbps=1000),),
    ),
    "web-browser": AppKind(
        "short sessions that must survive a move: Session-lasting",
        ("T5", "T2"),
        (
            SocketPlan(
                type=SESSION_LASTING,
                peer="www.example.org",
                fallback=(NON_PERSISTENT,),
                rate_kbps=500,
            ),
        ),
    ),
    "dns-client": AppKind(
        "very short queries, lowest latency: Non-persistent",
        ("T5", "T3"),
        (
            SocketPlan(
                type=NON_PERSISTENT,
                peer="dns.example.net",
                peer_port=53,
                hold=100,
                reestablish=False,
                rate_kbps=2,
            ),
        ),
    ),
    "instant-messenger": AppKind(
        "brief exchanges, reconnects when the address changes: Non-persistent",
        ("T5", "T3"),
        (SocketPlan(type=NON_PERSISTENT, peer="im.example.com", peer_port=5222, rate_kbps=8),),
    ),
    "streaming-client": AppKind(
        "buffers, so a grace period is enough: Graceful-replacement",
        ("T5", "T4"),
        (
            SocketPlan(
                type=GRACEFUL_REPLACEMENT,
                peer="video.example.com",
                peer_port=1935,
                move_over_after=2000,
                fallback=(SESSION_LASTING,),
                rate_kbps=2500,
            ),
        ),
    ),
    "legacy-app": AppKind(
        "knows nothing of setsc(): plain socket and connect",
        ("B1", "B3"),
        (SocketPlan(type=None, peer="www.example.org", rate_kbps=300),),
    ),
    "control-data-app": AppKind(
        "a Fixed control socket and a Session-lasting data socket",
        ("G1",),
        (
            SocketPlan(
                role="control",
                type=FIXED,
                listen_port=7000,
                publish="ctl.mh.example",
                rate_kbps=8,
            ),
            SocketPlan(role="data", type=SESSION_LASTING, peer="peer.example.net", rate_kbps=1000),
        ),
    ),
}


def spec_for(name: str, kind: str, plans: tuple[SocketPlan, ...] | None = None) -> AppSpec:
    """An application of a catalog kind, with its plans replaced where the caller gives them."""
    checks.name("name", name)
    _check_kind(kind)
    return AppSpec(name, kind, plans if plans is not None else CATALOG[kind].plans)


def _check_kind(kind: object) -> None:
    checks.text("kind", kind)
    if kind not in CATALOG:
        raise UnknownKind(
            f"unknown application kind {kind!r}; expected one of: {', '.join(CATALOG)}"
        )


class PlanAttempt(Record):
    """One plan's current attempt: which socket, which type it is trying, what comes next."""

    plan: SocketPlan
    fd: int | None = None
    fallback_index: int = 0  # 0: the plan's type; n: fallback n
    replaces: int | None = None  # a broken or deprecated socket this attempt takes over from
    moving_over: bool = False
    failed: bool = False
    #: When the pending move-over is due (T4); None: none is. A revived address cancels it.
    move_over_at: int | None = None

    @property
    def current_type(self) -> AddressType | None:
        if self.fallback_index == 0:
            return self.plan.type
        step = self.plan.fallback[self.fallback_index - 1]
        return None if step == LEGACY else step  # type: ignore[return-value]


class SetscOutcome(NamedTuple):
    """What one of an application's setsc() calls returned."""

    fd: int
    status: Status
    address: str | None  # the address's name, on success


def _re_established_rules(w: World, old: int, source: str | None, moving_over: bool) -> ev.Rules:
    """F6 only where the 4.2 flow's step happens: the old socket broke when its Non-persistent
    prefix went in a move that was F5, and the new one is on a Non-persistent address again.
    Elsewhere the rules of what broke the old socket (T3, T4, D8...) explain the new one."""
    if moving_over:
        return ("T4",)
    lost = w.stack.sockets[old].loss_rules
    address = w.stack.addresses.get(source) if source is not None else None
    if "F5" in lost and address is not None and address.type is NON_PERSISTENT:
        return ("F6",)
    return tuple(rule for rule in lost if rule != "F5") or ("C1",)


def _fallback_rules(w: World, fd: int, call: Call, next_type: AddressType | None) -> ev.Rules:
    """F9 only after F8, trying Session-lasting as the 4.2 flow does; another type after another
    failure is the application's own handling (A4); no type left: the legacy calls (B2)."""
    if next_type is None:
        return ("B2",)
    failed_f8 = call is Call.SETSC and "F8" in w.stack.sockets[fd].setsc_rules
    return ("F9",) if failed_f8 and next_type is SESSION_LASTING else ("A4",)


class Application(Record):
    """A running application: its plans' attempts, and what happened to them so far."""

    spec: AppSpec
    attempts: list[PlanAttempt] = field(default_factory=list)
    running: bool = True
    setsc_results: list[SetscOutcome] = field(default_factory=list)
    broken_sessions: int = 0

    @property
    def name(self) -> str:
        return self.spec.name

    # The world calls these; `w` is passed in rather than stored so that apps stay plain data.

    def start(self, w: World) -> None:
        self.attempts = [PlanAttempt(plan) for plan in self.spec.plans]
        for index in range(len(self.attempts)):
            self._open(w, index)

    def quit(self, w: World) -> None:
        self.running = False
        for attempt in self.attempts:
            if attempt.fd is not None and w.stack.socket(attempt.fd):
                w.stack.close(attempt.fd)

    def _attempt_of(self, fd: int) -> int | None:
        for index, attempt in enumerate(self.attempts):
            if attempt.fd == fd:
                return index
        return None

    def _open(self, w: World, index: int) -> None:
        attempt = self.attempts[index]
        plan = attempt.plan
        fd = w.stack.socket_call(self.name, plan.role)
        w.stack.sockets[fd].reestablishes = attempt.replaces
        attempt.fd = fd
        type_ = attempt.current_type
        if type_ is not None and w.stack.policy.api is SocketApi.SOCKOPT:
            # RFC 8653 Appendix A's other API: the type goes in the OnDemand field, beside the
            # plan's flags, and setsockopt() returns at once; connect() or listen() follows.
            # The plan's type is the field's one value: an OnDemand value among its flags is
            # replaced, not OR'ed into a third type (the language and the dialog refuse both).
            flags = (plan.flags & ~ON_DEMAND_MASK) | on_demand_bits(type_)
            status = w.stack.setsockopt(fd, flags)
            if status:
                self._give_up_attempt(w, index, fd, Call.SETSOCKOPT, status)
            else:
                self._use(w, index, fd, address=None)
            return
        if plan.flags and w.stack.setsockopt(fd, plan.flags):
            # A legacy stack refuses ON_NET: carry on without the flags (B2).
            w.stack.setsockopt(fd, plan.flags & ~0x1000)
        if type_ is None:
            self._use(w, index, fd, address=None)
            return
        result = w.stack.setsc(fd, int(type_))
        if result is not None:
            self._after_setsc(w, index, fd, result[0])

    def on_setsc_done(self, w: World, fd: int) -> None:
        index = self._attempt_of(fd)
        sock = w.stack.sockets[fd]
        if index is None or sock.setsc_status is None or not self.running:
            return
        self._after_setsc(w, index, fd, sock.setsc_status)

    def _after_setsc(self, w: World, index: int, fd: int, status: Status) -> None:
        address = w.stack.sockets[fd].setsc_address
        self.setsc_results.append(SetscOutcome(fd, status, address))
        if status is not Status.SUCCESS:
            self._give_up_attempt(w, index, fd, Call.SETSC, status)
            return
        self._use(w, index, fd, address if self.attempts[index].plan.bind else None)

    def _use(self, w: World, index: int, fd: int, address: str | None) -> None:
        """bind() then listen() or connect(), as in the draft's Section 4.1 (A4)."""
        plan = self.attempts[index].plan
        if address is not None:
            status = w.stack.bind(fd, address, plan.listen_port or 0)
            if status:
                self._give_up_attempt(w, index, fd, Call.BIND, status)
                return
        if plan.listen_port is not None:
            status = w.stack.listen(fd, plan.listen_port)
            if status:
                self._give_up_attempt(w, index, fd, Call.LISTEN, status)
                return
            self._established(w, index, fd)
            return
        if plan.peer is None:
            return
        result = w.stack.connect(fd, plan.peer, plan.peer_port)
        if result is None:
            return  # the stack asks the network first (B5); on_connect_done follows
        if result:
            self._give_up_attempt(w, index, fd, Call.CONNECT, result)
            return
        self._established(w, index, fd)

    def on_connect_done(self, w: World, fd: int) -> None:
        index = self._attempt_of(fd)
        if index is None or not self.running:
            return
        if w.stack.sockets[fd].state is SocketState.CONNECTED:
            self._established(w, index, fd)
        else:
            self._give_up_attempt(w, index, fd, Call.CONNECT, None)

    def _established(self, w: World, index: int, fd: int) -> None:
        attempt = self.attempts[index]
        plan = attempt.plan
        sock = w.stack.sockets[fd]
        if attempt.replaces is not None:
            old = attempt.replaces
            attempt.replaces = None
            rules = _re_established_rules(w, old, sock.source_address, attempt.moving_over)
            w.record(
                ev.ReEstablished(
                    self.name, fd, old, sock.source_address, attempt.moving_over, rules
                )
            )
            if attempt.moving_over and w.stack.socket(old):
                w.stack.close(old)
            attempt.moving_over = False
        if plan.publish and sock.bound_address:
            value = w.stack.addresses[sock.bound_address].value
            w.network.dns[plan.publish] = value
            w.record(ev.Published(self.name, plan.publish, value))
        if plan.hold is not None:
            w.app_timer(plan.hold, self.name, "close", index, fd)

    def _give_up_attempt(
        self, w: World, index: int, fd: int, call: Call, status: Status | None
    ) -> None:
        """An attempt failed: close the socket, then try the next fallback (F9, B2) or stop."""
        attempt = self.attempts[index]
        if w.stack.socket(fd):
            w.stack.close(fd)
        if attempt.fallback_index < len(attempt.plan.fallback):
            attempt.fallback_index += 1
            next_type = attempt.current_type
            rules = _fallback_rules(w, fd, call, next_type)
            w.record(ev.FellBack(self.name, call, status, next_type, rules))
            self._open(w, index)
            return
        attempt.failed = True
        attempt.fd = None
        w.record(ev.GaveUp(self.name, call, status))

    def on_socket_broken(self, w: World, fd: int) -> None:
        index = self._attempt_of(fd)
        if index is None or not self.running:
            return
        self.broken_sessions += 1
        attempt = self.attempts[index]
        if attempt.moving_over:
            attempt.moving_over = False  # too late: the grace period ran out first (T4)
        attempt.move_over_at = None
        if attempt.plan.reestablish:
            w.app_timer(attempt.plan.reconnect_after, self.name, "reopen", index, fd)

    def on_address_deprecated(self, w: World, fd: int) -> None:
        index = self._attempt_of(fd)
        if index is None or not self.running:
            return
        delay = self.attempts[index].plan.move_over_after
        if delay is not None:
            self.attempts[index].move_over_at = w.now + delay
            w.record(ev.DeprecationSeen(self.name, fd, delay))
            w.app_timer(delay, self.name, "move-over", index, fd)

    def on_address_revived(self, w: World, fd: int) -> None:
        """The address is preferred again (T4, graceful_return: revive): stay on it."""
        index = self._attempt_of(fd)
        if index is None or not self.running:
            return
        attempt = self.attempts[index]
        if attempt.move_over_at is not None:
            attempt.move_over_at = None
            w.record(ev.MoveOverCancelled(self.name, fd))

    def on_timer(self, w: World, action: str, index: int, fd: int) -> None:
        if not self.running or index >= len(self.attempts):
            return
        attempt = self.attempts[index]
        if attempt.fd != fd:
            return  # this timer belongs to a socket the application has already replaced
        if action == "close":
            if w.stack.socket(fd):
                w.stack.close(fd)
            if attempt.plan.repeat_every is not None:
                w.app_timer(attempt.plan.repeat_every, self.name, "again", index, fd)
        elif action == "again":
            attempt.fallback_index = 0
            self._open(w, index)
        elif action == "reopen":
            if w.stack.socket(fd):
                w.stack.close(fd)
            attempt.fallback_index = 0
            attempt.replaces = fd
            self._open(w, index)
        elif action == "move-over":
            if attempt.move_over_at != w.now:
                return  # cancelled by a revival, or superseded by a later deprecation
            attempt.move_over_at = None
            sock = w.stack.socket(fd)
            if sock is None or sock.state is SocketState.BROKEN:
                return
            attempt.replaces = fd
            attempt.moving_over = True
            attempt.fallback_index = 0
            self._open(w, index)
