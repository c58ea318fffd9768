"""The model's run of a scenario, as a script the kernel can replay: what was called, what
happened, when, and what the model said about it.

The scenario is played on the model exactly as `odplay run` plays it. Two taps are put on that
run's world from outside (the model is not changed): one on the host stack's socket calls (the
outermost call of each, with its arguments and the model's answer), one on the events the model
records (a prefix granted or withdrawn, a move, a socket broken, a path's new round trip).
Events recorded while a call runs belong to it (a `Connected` is its `connect`'s result);
the others are the network's doing or the applications' timers, and stand alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from odplay.scenario.budget import Budget
from odplay.scenario.runner import SETTLE_MS, RunResult, ScenarioRun, check_size
from odplay.scenario.schema import ScenarioModel
from odplay.sim import events as ev
from odplay.sim.network import NetworkConfig

#: The host stack's calls an application (or a scenario) makes, as the stack names them.
CALLS = (
    "socket_call",
    "setsockopt",
    "read_sockopt",
    "setsc",
    "bind",
    "listen",
    "connect",
    "send",
    "close",
)


@dataclass(slots=True)
class Item:
    """One thing to replay: a call (with its result and the events it caused) or an event."""

    time: int  # model ms
    tick: int  # the model's step counter when it happened
    call: str | None = None  # a name from CALLS, or None for an event
    args: tuple[Any, ...] = ()
    result: Any = None
    event: Any = None  # the event (a NamedTuple from odplay.sim.events) when call is None
    events: list[Any] = field(default_factory=list)  # what a call caused
    #: For a connect() from a socket that is not bound: the steps of odplay's source selection
    #: that decided its source (R3, B3), to explain a difference with the kernel's choice.
    picks: tuple[Any, ...] | None = None
    step: int = 0  # the scenario's step (1-based; 0 before the first), set after the run
    #: When the replay plays it (model ms): its time, except for checks the model makes after
    #: nothing changes any more (a last step checked after the run's settling time), which are
    #: played as soon as nothing changes, not seconds later.
    play_at: int = 0

    @property
    def name(self) -> str:
        return self.call if self.call is not None else type(self.event).__name__

    def caused(self, kind: type) -> Any:
        """The first event of `kind` this call caused, or None."""
        return next((e for e in self.events if isinstance(e, kind)), None)


@dataclass(frozen=True, slots=True)
class ReachClaim:
    """What the model says of a correspondent trying to reach the host: the `reach` verb's
    result, or a `reach` expectation checked at the end of a step."""

    name: str
    port: int
    peer: str | None  # the correspondent; None: anyone on the Internet
    ok: bool
    reason: str
    address: str | None  # the address's name the name led to
    rtt: int | None
    via: str | None


class StepChecked(NamedTuple):
    """The runner checked a step's expectations here; the kernel checks those it can decide."""

    step: int  # 1-based
    reaches: tuple[ReachClaim, ...]


@dataclass(slots=True)
class PrefixFacts:
    network: str
    anchor: str
    address: str  # its address's name (IPsl1)
    value: str  # its address's IPv6 value


@dataclass(slots=True)
class Capture:
    model: ScenarioModel
    result: RunResult
    network: NetworkConfig
    items: list[Item]
    prefixes: dict[str, PrefixFacts]  # by prefix name (PREFsl1)
    addresses: dict[str, str]  # address name (IPsl1) → value
    step_times: list[int]
    end: int  # model ms at which the replay may stop

    def value_of(self, text: str) -> str | None:
        """An address's value from its name or its value; None when the model never had it."""
        if text in self.addresses:
            return self.addresses[text]
        return text if text in self.addresses.values() else None

    def servers(self) -> set[tuple[str, int, bool]]:
        """(correspondent, port, udp) for every connect or sendto the applications made."""
        found: set[tuple[str, int, bool]] = set()
        udp: set[int] = set()
        for item in self.items:
            if item.call == "socket_call" and str(item.args[2]) == "udp":
                udp.add(int(item.result))
            elif item.call in ("connect", "send") and len(item.args) >= 3:
                fd, peer, port = item.args[0], item.args[1], item.args[2]
                if peer is not None and self.network.correspondent(peer) is not None:
                    found.add((peer, port, fd in udp))
        return found


class _Tap:
    """Records the outermost stack calls and every event, in order."""

    def __init__(self, run: ScenarioRun) -> None:
        self.run = run
        self.items: list[Item] = []
        self._depth = 0
        self._current: Item | None = None
        world = run.sim.world
        record = world.record

        def tapped_record(event: Any) -> None:
            record(event)
            if self._current is not None:
                self._current.events.append(event)
            else:
                self.items.append(Item(world.now, world.step, event=event))

        world.record = tapped_record  # type: ignore[method-assign]
        check = run._check

        def tapped_check(index: int, at: int, final: bool = False) -> None:
            check(index, at, final)
            claims = tuple(_reach_claims(run, index))
            self.items.append(Item(world.now, world.step, event=StepChecked(index + 1, claims)))

        run._check = tapped_check  # type: ignore[method-assign]
        stack = world.stack
        for name in CALLS:
            setattr(stack, name, self._wrap(name, getattr(stack, name)))

    def _wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        world = self.run.sim.world

        def tapped(*args: Any) -> Any:
            if self._depth:  # a call the stack makes inside another (listen's bind): not replayed
                return method(*args)
            item = Item(world.now, world.step, call=name, args=_complete(name, args))
            if name == "connect":
                item.picks = _picks(world, args[0], args[1])
            self.items.append(item)
            self._current = item
            self._depth += 1
            try:
                item.result = method(*args)
            finally:
                self._depth -= 1
                self._current = None
            return item.result

        return tapped


def _picks(world: Any, fd: int, peer: str) -> tuple[Any, ...] | None:
    """How the model would choose this socket's source now, if it is to choose (read-only)."""
    from odplay.sim.stack.source_selection import select_source

    sock = world.stack.socket(fd)
    correspondent = world.network.config.correspondent(peer)
    if sock is None or sock.bound_address is not None or correspondent is None:
        return None
    return tuple(select_source(world.stack, sock, correspondent.address).picks)


def _reach_claims(run: ScenarioRun, index: int) -> list[ReachClaim]:
    """The model's answer, now, to each `reach` expectation of step `index`."""
    claims = []
    for expect in run.model.steps[index].expect:
        if getattr(expect, "subject", None) != "reach":
            continue
        target = expect.facts().reach
        found = run.sim.world.stack.reachability(target.name, target.port, target.from_)
        claims.append(reach_claim(target.name, target.port, target.from_, found))
    return claims


def reach_claim(name: str, port: int, peer: str | None, found: Any) -> ReachClaim:
    path = found.path
    return ReachClaim(
        name,
        port,
        peer,
        found.ok,
        found.reason,
        found.address,
        path.rtt if path else None,
        path.via if path else None,
    )


#: Defaults of the stack's calls, so that every captured call carries all its arguments.
_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "socket_call": ("app", "main", "tcp"),
    "bind": (None, None, 0),
    "listen": (None, 0),
    "send": (None, None, 443),
}


def _complete(name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    defaults = _DEFAULTS.get(name, ())
    return args + defaults[len(args) :]


def capture(model: ScenarioModel, budget: Budget | None = None) -> Capture:
    """Play `model` on the model, headless, and keep what the kernel will replay. A run too big
    for `budget` (the default memory budget) is refused first, as `odplay run` refuses it."""
    budget = budget if budget is not None else Budget()
    check_size(model, budget)
    run = ScenarioRun(model, checkpoint_every=None, budget=budget)
    tap = _Tap(run)
    result = run.finish()
    world = run.sim.world
    stack = world.stack
    prefixes: dict[str, PrefixFacts] = {}
    for prefix in stack.prefixes.values():
        value = prefix.network.split("::/")[0] + ":" + stack.interface_id
        prefixes[prefix.name] = PrefixFacts(prefix.network, prefix.anchor, prefix.address, value)
    addresses = {facts.address: facts.value for facts in prefixes.values()}
    last_step = result.step_times[-1] if result.step_times else 0
    end = model.end if model.end is not None else last_step + SETTLE_MS
    changes = [i.time for i in tap.items if not _idle(i) and not isinstance(i.event, StepChecked)]
    stop = min(end, max(changes, default=0))
    for item in tap.items:
        if isinstance(item.event, StepChecked):
            item.step = item.event.step  # checked at the next step's time, for this one
        else:
            item.step = bisect_right(result.step_starts, item.tick)
        item.play_at = min(item.time, stop)
    return Capture(
        model,
        result,
        world.network.config,
        tap.items,
        prefixes,
        addresses,
        result.step_times,
        stop,
    )


def _idle(item: Item) -> bool:
    """Events that change nothing on the kernel (narration, a launch): the replay need not
    wait for them."""
    if isinstance(item.event, StepChecked):
        return not item.event.reaches
    return isinstance(item.event, ev.Narrated | ev.Launched | ev.Quitted | ev.DeprecationSeen)
