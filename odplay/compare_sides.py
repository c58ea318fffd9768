"""The same scenario under two or more host settings, side by side, with a tally per type.

`odplay compare SCENARIO --side api=setsc --side api=sockopt` runs the scenario once per side,
each with its host's starting settings changed as the side says (a scenario's own `host:` steps
still apply when they come), on the network the scenario describes. Besides the measures of the
three-way comparison (odplay.compare), each side gets a tally per address type, which is what
RFC 8653's two additions trade:

- who waits, and for how long: sockets that asked for the type, the mean time from socket() to
  connect() or listen(), and how many of them first sent from an address of another type (the
  OnDemand field under `sockopt_connect: now`);
- how long an address stays linkable (RFC 8653 Section 5): for each address of the type, from
  the first moment a socket used it to the last, averaged and at the longest;
- what renewing addresses costs: sessions broken on addresses of the type, and messages with
  the network about prefixes of the type.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from odplay.compare import Comparison, Meter, ModeResult, compare_scenario
from odplay.constants import AddressType
from odplay.scenario.budget import DEFAULT_MEMORY_BUDGET, Budget, refusal
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.runner import MAX_EVENTS, RunError, ScenarioRun
from odplay.scenario.schema import ScenarioModel
from odplay.sim import events as ev
from odplay.sim.network import Mobility
from odplay.sim.tables import SocketState
from odplay.sim.world import World

#: The type column of a prefix or socket that has none (legacy, or the network's default).
UNTYPED = "untyped"
_IN_USE = (SocketState.CONNECTED, SocketState.LISTENING)


@dataclass
class TypeTally:
    """One type's costs in one run."""

    sockets: int = 0  # sockets that asked for the type and connected or listened
    waited_ms: int = 0  # their time from socket() to connect() or listen(), summed
    other_source: int = 0  # of them, those whose first packets left from another type's address
    addresses: int = 0  # addresses of the type some socket used
    linkable_ms: int = 0  # their time in use, first use to last, summed
    longest_ms: int = 0  # the longest of those
    broken: int = 0
    messages: int = 0

    @property
    def mean_wait_ms(self) -> float | None:
        return self.waited_ms / self.sockets if self.sockets else None

    @property
    def mean_linkable_ms(self) -> float | None:
        return self.linkable_ms / self.addresses if self.addresses else None


def _slug(type_: AddressType | None) -> str:
    return type_.slug if type_ is not None else UNTYPED


@dataclass
class TypeMeter:
    """Watches a run step by step and keeps the per-type tally (see the module's docstring)."""

    types: dict[str, TypeTally] = field(default_factory=dict)
    _seen: int = 0
    _opened: dict[int, int] = field(default_factory=dict)  # fd -> when socket() made it
    _counted: set[int] = field(default_factory=set)  # fds already counted as connected
    _type_of: dict[str, str] = field(default_factory=dict)  # address -> its type's slug
    _first: dict[str, int] = field(default_factory=dict)  # address -> first time in use
    _last: dict[str, int] = field(default_factory=dict)  # address -> last time in use
    _using: set[str] = field(default_factory=set)  # addresses in use at the last look
    _requests: dict[int, str] = field(default_factory=dict)  # request id -> type slug

    def tally(self, slug: str) -> TypeTally:
        return self.types.setdefault(slug, TypeTally())

    def observe(self, w: World) -> None:
        entries = w.trace.entries
        now, stack = w.now, w.stack
        for entry in entries[self._seen :]:
            fd = entry.data.get("fd")
            if entry.kind == "socket" and fd is not None:
                self._opened[fd] = entry.time
            elif entry.kind in ("connect", "listen") and fd is not None:
                self._connected(w, fd, entry.time)
            elif entry.kind == "socket-broken" and fd is not None:
                sock = stack.sockets.get(fd)
                lost = sock.lost_address if sock is not None else None
                slug = self._type_of.get(lost or "", _slug(sock.requested_type if sock else None))
                self.tally(slug).broken += 1
            self._message(w, entry.fact)
        self._seen = len(entries)
        for was in self._using:
            self._last[was] = now  # in use until at least now
        using: set[str] = set()
        for sock in stack.live_sockets():
            source = sock.source_address
            if sock.state in _IN_USE and source is not None and source in stack.addresses:
                using.add(source)
                self._type_of.setdefault(source, _slug(stack.addresses[source].type))
                self._first.setdefault(source, now)
                self._last[source] = now
        self._using = using

    def forget(self) -> None:
        """The trace entries read were dropped (the three-way meter keeps none): start over."""
        self._seen = 0

    def _connected(self, w: World, fd: int, at: int) -> None:
        sock = w.stack.sockets.get(fd)
        if sock is None or fd in self._counted or sock.requested_type is None:
            return
        self._counted.add(fd)
        tally = self.tally(sock.requested_type.slug)
        tally.sockets += 1
        tally.waited_ms += at - self._opened.get(fd, at)
        source = w.stack.addresses.get(sock.source_address or "")
        if source is not None and source.type is not sock.requested_type:
            tally.other_source += 1

    def _message(self, w: World, fact: Any) -> None:
        if isinstance(fact, ev.PrefixRequested):
            slug = self._requests[fact.request] = _slug(fact.type)
        elif isinstance(fact, ev.PrefixGranted):
            slug = _slug(fact.type)
        elif isinstance(fact, ev.PrefixRefused):
            slug = self._requests.get(fact.request, UNTYPED)
        elif isinstance(fact, ev.AddressReleased):
            prefix = w.stack.prefixes.get(fact.prefix)  # a released prefix stays in the table
            slug = _slug(prefix.type if prefix is not None else None)
        else:
            return
        self.tally(slug).messages += 1

    def finish(self) -> dict[str, TypeTally]:
        for name, first in self._first.items():
            tally = self.tally(self._type_of[name])
            span = self._last.get(name, first) - first
            tally.addresses += 1
            tally.linkable_ms += span
            tally.longest_ms = max(tally.longest_ms, span)
        order = [t.slug for t in AddressType] + [UNTYPED]
        return {slug: self.types[slug] for slug in order if slug in self.types}


#: Line and paragraph separators (U+2028, U+2029: categories Zl, Zp; not C*, but line breaks).
_BREAKS = frozenset("\u2028\u2029")
#: `--side` values at most: each is a whole run, and each a column of the table.
MAX_SIDES = 8


class BadSide(ValueError):
    """A `--side` that is not host settings: the message names the side and the setting."""


@dataclass
class Side:
    """One column: its label as typed, and the host settings it changes."""

    label: str
    host: dict[str, Any]


def parse_side(text: str, number: int) -> Side:
    """`api=sockopt` or `api=sockopt;sockopt_connect=now`: host settings, as a scenario's `host:`
    spells them. Raises ScenarioError naming the side and the setting."""
    lines = ["title: side", "host:"]
    for part in text.split(";"):
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            lines.append(f"  {part.strip() or '?'}: ")  # refused below, at its place
            continue
        lines.append(f"  {key.strip()}: {value.strip()}")
    lines += ["steps:", "  - at: 0s"]
    host = parse_scenario("\n".join(lines) + "\n", f"--side {number}").host
    return Side(text, {name: getattr(host, name) for name in host.model_fields_set})


def compare_by_side(
    model: ScenarioModel, texts: list[str] | None, budget: Budget | None = None
) -> Comparison:
    """`odplay compare [--side ...]`: without sides, the three ways (odplay.compare); with them,
    the sides as typed. A bad side is BadSide, naming it."""
    if not texts:
        return compare_scenario(model, budget)
    if len(texts) < 2:
        raise BadSide("--side: give two sides or more, to put them side by side")
    if len(texts) > MAX_SIDES:
        raise BadSide(
            f"--side: at most {MAX_SIDES} sides ({len(texts)} given): each is a whole run of "
            "the scenario, and a table wider than that cannot be read side by side"
        )
    for number, text in enumerate(texts, start=1):
        if any(unicodedata.category(c)[0] == "C" or c in _BREAKS for c in text):
            # a line break (U+2028 too) would write more than `host:` keys; a control,
            # format or unassigned character could not be shown in the table
            raise BadSide(f"--side {number}: one line of KEY=VALUE settings, separated by ';'")
    try:
        sides = [parse_side(text, number) for number, text in enumerate(texts, start=1)]
    except ScenarioError as exc:
        raise BadSide(str(exc)) from None
    # Each side may change what the run costs (a rotation every 1ms renews all the time):
    # estimate every one before running any, as `odplay run` does its one.
    limit = budget.limit if budget is not None else DEFAULT_MEMORY_BUDGET
    for number, side in enumerate(sides, start=1):
        refused = refusal(_variant(model, side), MAX_EVENTS, limit, "compare")
        if refused is not None:
            raise BadSide(f"--side {number} ({side.label}): {refused.message}")
    return compare_sides(model, sides, budget)


def _variant(model: ScenarioModel, side: Side) -> ScenarioModel:
    """The scenario with a side's host settings over its own."""
    return model.model_copy(update={"host": model.host.model_copy(update=side.host)})


def compare_sides(
    model: ScenarioModel, sides: list[Side], budget: Budget | None = None
) -> Comparison:
    """Run the scenario once per side; its expectations are not checked."""
    mode = Mobility(model.network.mobility or Mobility.ON_DEMAND.value)
    results = []
    for side in sides:
        variant = _variant(model, side)
        result = ModeResult(mode, label=side.label)
        run = ScenarioRun(variant, checkpoint_every=None, budget=budget)
        meter, types = Meter(result), TypeMeter()

        def observe(w: World, meter: Meter = meter, types: TypeMeter = types) -> None:
            types.observe(w)
            meter.observe_and_forget(w)
            types.forget()

        run.sim.observer = observe
        try:
            run.finish()
        except RunError as exc:
            result.error = str(exc)
        types.observe(run.sim.world)
        meter.observe(run.sim.world)
        meter.finish()
        result.types = types.finish()
        results.append(result)
    return Comparison(model.title, results)
