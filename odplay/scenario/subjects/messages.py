"""`messages: KIND`: the messages between the host and the network, as the ladder shows them.

The kinds are the model's own: the host attaches, moves or detaches; the stack sends a prefix
request (D3) and the network grants or refuses it (D4, D5); a gateway offers prefixes on
attachment (F1, F5) or has none left (D4); on a gateway change it keeps, deprecates or withdraws
the host's prefixes (T1-T4); Mobile IP sends a binding update (C3); the release policy gives an
address back (D8). Each is counted from the trace entry that records it, reading the typed event
behind it (TraceEntry.fact) for what it carried: its type, its gateway, the socket it was for.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from odplay.scenario.fields import Name
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of
from odplay.scenario.subjects._shared import TYPE_NAMES, check_type
from odplay.scenario.subjects._timing import (
    TIMING_SELECTORS,
    Timing,
    check_on,
    due,
    fds_of,
    in_window,
    span,
    timing_results,
)
from odplay.sim import events as ev
from odplay.sim.messages import MESSAGE_KINDS, message_kind

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult
    from odplay.sim.trace import TraceEntry

#: Each kind a scenario names, and the trace kinds that record it: the model's own list of what
#: counts as a message (odplay.sim.messages), shared with the ladder and `odplay compare`.
KINDS: dict[str, tuple[str, ...]] = {}
for _trace_kind, _kind in MESSAGE_KINDS.items():
    KINDS.setdefault(_kind, ())
    KINDS[_kind] += (str(_trace_kind),)
KINDS["any"] = tuple(kind for kinds in KINDS.values() for kind in kinds)
#: What a message that says nothing of a type carries, for `types`.
NO_TYPE = "none"


class MessagesFacts(Timing):
    messages: Name
    type: Name | None = None
    gateway: Name | None = None
    types: list[Name] | None = None


class _Reading:
    """What the messages carried, read once per check: requests by id, prefixes by name."""

    def __init__(self, at: Checking) -> None:
        self.stack = at.sim.world.stack
        self.requests: dict[int, ev.PrefixRequested] = {}
        self.granted: dict[int, str] = {}
        for entry in at.sim.trace:
            if isinstance(entry.fact, ev.PrefixRequested):
                self.requests[entry.fact.request] = entry.fact
            elif isinstance(entry.fact, ev.PrefixGranted):
                self.granted[entry.fact.request] = entry.fact.prefix

    def prefix_type(self, name: str) -> str:
        prefix = self.stack.prefixes.get(name)
        return prefix.type.slug if prefix is not None and prefix.type else "untyped"

    def type_of(self, entry: TraceEntry) -> str:
        fact = entry.fact
        if isinstance(fact, ev.PrefixRequested | ev.PrefixOffered | ev.PoolDry):
            return fact.type.slug if fact.type else "untyped"
        if isinstance(fact, ev.PrefixGranted):
            return fact.type.slug if fact.type else "untyped"
        if isinstance(fact, ev.PrefixRefused):
            asked = self.requests.get(fact.request)
            return asked.type.slug if asked is not None and asked.type else "untyped"
        prefix = getattr(fact, "prefix", None)
        return self.prefix_type(prefix) if prefix else NO_TYPE

    def gateway_of(self, entry: TraceEntry) -> str | None:
        fact = entry.fact
        if isinstance(fact, ev.HostDetached):
            return None
        gateway = getattr(fact, "gateway", None)
        if gateway is not None:
            return str(gateway)
        prefix = self.stack.prefixes.get(getattr(fact, "prefix", ""))
        return str(prefix.allocated_by) if prefix is not None else None

    def fd_of(self, entry: TraceEntry) -> int | None:
        fact = entry.fact
        if isinstance(fact, ev.PrefixRequested):
            return fact.fd
        if isinstance(fact, ev.PrefixGranted | ev.PrefixRefused):
            asked = self.requests.get(fact.request)
            return asked.fd if asked is not None else None
        return None

    def names(self, entry: TraceEntry, name: str) -> bool:
        """Is the message about `name` (a prefix or address)? A request is about the prefix
        that answered it."""
        fact = entry.fact
        if isinstance(fact, ev.PrefixRequested):
            granted = self.granted.get(fact.request)
            return granted is not None and (granted == name or f"IP{granted[4:]}" == name)
        return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", entry.text) is not None


def _check(expect: MessagesFacts, at: Checking) -> list[CheckResult]:
    kinds = set(KINDS[expect.messages])
    reading = _Reading(at)
    fds = fds_of(expect.on, at) if expect.on is not None else None
    found = []
    for entry in at.sim.trace:
        if entry.kind not in kinds or entry.fact is None or not in_window(expect, entry.time):
            continue
        if message_kind(entry) is None:  # the stack's own event: nothing went to the network
            continue
        if expect.type is not None and reading.type_of(entry) != expect.type:
            continue
        if expect.gateway is not None and reading.gateway_of(entry) != expect.gateway:
            continue
        if fds is not None and reading.fd_of(entry) not in fds:
            continue
        if expect.about is not None and not reading.names(entry, expect.about):
            continue
        found.append(entry)
    results = timing_results(expect, at, [e.time for e in found])
    if "types" in at.facts:
        from odplay.scenario.expectations import show

        seen = [reading.type_of(e) for e in found]
        wanted = list(expect.types or [])
        results.append(
            at.result(
                seen == wanted,
                f"types {show(wanted)}{span(expect)}",
                f"types {show(seen)}",
                fact="types",
            )
        )
    return results


def _references(expect: MessagesFacts, loc: Loc, names: Names) -> Problems:
    if expect.messages not in KINDS:
        yield (*loc, "messages"), one_of(expect.messages, set(KINDS), "kind of message") or ""
    yield from check_type(expect.type, loc)
    yield from check_on(expect, loc, names)
    if expect.gateway is not None and (msg := one_of(expect.gateway, names.nodes, "node")):
        yield (*loc, "gateway"), msg
    for index, name in enumerate(expect.types or []):
        if name not in (*TYPE_NAMES, NO_TYPE):
            yield (
                (*loc, "types", index),
                f"a message's type is one of {', '.join(TYPE_NAMES)} or {NO_TYPE}",
            )


SUBJECT = Subject(
    name="messages",
    fields=MessagesFacts,
    docs="The messages between the host and the network, of one kind: attach, move, detach, "
    "request (a prefix request, D3), grant, refusal (D4), offer (F1, F5), pool-dry, keep, "
    "deprecation, withdrawal (T1-T4), grace-end, release (D8), binding-update (C3), or any. "
    "Picked by the `type` they carried (a refusal: the type its request asked for), the "
    "`gateway` that sent or received them, the socket or application they were `on` (a "
    "request, and its grant or refusal), a prefix or address they are `about`, and a span "
    "`between: [FROM, TO]` (TO may be `end`; without it, everything up to the check). States "
    "how many there were (`count: 0`: none was sent), the `types` they carried in order, and "
    "when the first came: `first_at`, `not_before`, `not_after`.",
    example="{messages: request, type: graceful-replacement, between: [8s, end], count: 1}",
    check=_check,
    references=_references,
    selectors=TIMING_SELECTORS | {"type", "gateway"},
    due=due,
)
