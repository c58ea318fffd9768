"""The append-only record of everything that happened in a run.

Each entry says when (simulated ms), which step of the run produced it, who acted (a lane: an
application, `stack` or `network`), to whom a message went, what happened, and the rule IDs it
illustrates. The same inputs give the same trace byte for byte (see `to_jsonable`).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any, NamedTuple

STACK = "stack"
NETWORK = "network"
HOST = "host"


class TraceKind(StrEnum):
    """What a trace entry records. A StrEnum: the trace's JSON and every `entry.kind == "..."`
    comparison read it as the plain string it has always been."""

    # the host moving (T1-T4, F5-F7)
    ATTACH = "attach"
    MOVE = "move"
    DETACH = "detach"
    SAME_GATEWAY = "same-gateway"
    BINDING_UPDATE = "binding-update"
    PATH = "path"
    # prefixes between the network and the stack (D3-D5, T1-T4)
    PREFIX_REQUEST = "prefix-request"
    PREFIX_GRANTED = "prefix-granted"
    PREFIX_REFUSED = "prefix-refused"
    PREFIX_OFFERED = "prefix-offered"
    PREFIX_KEPT = "prefix-kept"
    PREFIX_DEPRECATED = "prefix-deprecated"
    PREFIX_WITHDRAWN = "prefix-withdrawn"
    GRACE_EXPIRED = "grace-expired"
    PREFIX_REVIVED = "prefix-revived"
    POOL_DRY = "pool-dry"
    ADDRESS_KEPT = "address-kept"
    ADDRESS_RELEASED = "address-released"
    GRANTED_FOR_CLOSED = "granted-for-closed"
    # the socket calls (A1-A6, B1-B6, R1-R3)
    SOCKET = "socket"
    SETSOCKOPT = "setsockopt"
    GETSOCKOPT = "getsockopt"
    SETSC = "setsc"
    #: A call whose answer is not in the same entry: a failure, or a connect() that waits (B5).
    CALL = "call"
    SETSC_RESULT = "setsc-result"
    SETSC_UNUSED = "setsc-unused"
    BIND = "bind"
    LISTEN = "listen"
    CONNECT = "connect"
    SEND = "send"
    CLOSE = "close"
    RFC5014_IGNORED = "rfc5014-ignored"
    SOCKET_BROKEN = "socket-broken"
    SOURCE_GONE = "source-gone"
    SETSOCKOPT_ERROR = "setsockopt-error"
    SETSC_ERROR = "setsc-error"
    BIND_ERROR = "bind-error"
    LISTEN_ERROR = "listen-error"
    CONNECT_ERROR = "connect-error"
    SEND_ERROR = "send-error"
    GETSOCKOPT_ERROR = "getsockopt-error"
    CLOSE_ERROR = "close-error"
    # the applications (F6, F9, T4, C2)
    LAUNCH = "launch"
    QUIT = "quit"
    RE_ESTABLISHED = "re-established"
    PUBLISH = "publish"
    FALLBACK = "fallback"
    GAVE_UP = "gave-up"
    DEPRECATION_SEEN = "deprecation-seen"
    MOVE_OVER_CANCELLED = "move-over-cancelled"
    # from outside the run: the learner, the scenario, a correspondent
    NARRATION = "narration"
    REACH = "reach"
    POLICY = "policy"
    SETTING = "setting"
    # what RFC 8653 adds: the OnDemand socket option, address rotation, the operator's mapping
    ON_DEMAND = "on-demand"
    ROTATION = "rotation"
    TYPE_MAPPING = "type-mapping"


class TraceEntry(NamedTuple):
    """One thing that happened. A tuple, not a dataclass, on purpose: a long run makes hundreds of
    thousands of entries, and the garbage collector stops scanning a tuple whose items are all
    plain values, where it would rescan every dataclass instance at each full collection (that
    scanning made the large benchmark run grow faster than linearly)."""

    number: int  # its position in the trace (`index` would shadow tuple.index)
    step: int
    time: int
    actor: str
    kind: TraceKind
    text: str
    rules: tuple[str, ...] = ()
    target: str | None = None
    data: dict[str, Any] = {}  # noqa: RUF012 - never mutated; narration gives each entry its own
    #: The typed event behind a message between the host and the network (an attachment, a
    #: prefix request, grant, offer...; odplay.sim.events.NETWORK_MESSAGES), None for the rest:
    #: what scenario expectations ask of a message (the type it carried, the gateway) without
    #: reading its text. Not part of the JSON: the text and data say it to a reader.
    fact: Any = None

    def to_jsonable(self) -> dict[str, Any]:
        return {
            "index": self.number,
            "step": self.step,
            "time_ms": self.time,
            "actor": self.actor,
            "target": self.target,
            "kind": self.kind,
            "text": self.text,
            "rules": list(self.rules),
            "data": self.data,
        }


class Trace:
    """The run's entries. Left out of checkpoints: restoring truncates it instead, which keeps a
    checkpoint the size of the state rather than of the history."""

    def __init__(self) -> None:
        self.entries: list[TraceEntry] = []

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TraceEntry]:
        return iter(self.entries)

    def append(self, entry: TraceEntry) -> None:
        self.entries.append(entry)

    def truncate_to_step(self, step: int) -> None:
        """Drop every entry made at or after `step`."""
        while self.entries and self.entries[-1].step >= step:
            self.entries.pop()

    def of_kind(self, kind: str) -> list[TraceEntry]:
        return [e for e in self.entries if e.kind == kind]
