"""Which trace entries are messages between the host and the network, and of which kind.

One definition for everything that counts them: the ladder draws them as arrows between the
host's lanes and the network's, `odplay compare` counts them by kind, and the scenario language's
`messages` subject checks them. A trace entry is a message when its kind is one of these and it
has a receiver: the same kinds recorded as the stack's own events (what a detached host keeps or
loses, a lifetime running out) have none, because nothing was sent.
"""

from __future__ import annotations

from odplay.sim.trace import TraceEntry, TraceKind

#: Each kind of message, by the trace kind that records it, in the order tables list them.
MESSAGE_KINDS: dict[str, str] = {
    TraceKind.ATTACH: "attach",
    TraceKind.MOVE: "move",
    TraceKind.DETACH: "detach",
    TraceKind.SAME_GATEWAY: "same-gateway",
    TraceKind.PREFIX_OFFERED: "offer",
    TraceKind.POOL_DRY: "pool-dry",
    TraceKind.PREFIX_REQUEST: "request",
    TraceKind.PREFIX_GRANTED: "grant",
    TraceKind.PREFIX_REFUSED: "refusal",
    TraceKind.PREFIX_KEPT: "keep",
    TraceKind.PREFIX_DEPRECATED: "deprecation",
    TraceKind.PREFIX_WITHDRAWN: "withdrawal",
    TraceKind.GRACE_EXPIRED: "grace-end",
    TraceKind.ADDRESS_RELEASED: "release",
    TraceKind.BINDING_UPDATE: "binding-update",
}
#: The kinds in table order.
KIND_ORDER: tuple[str, ...] = tuple(dict.fromkeys(MESSAGE_KINDS.values()))


def message_kind(entry: TraceEntry) -> str | None:
    """The kind of message `entry` records, or None when it is not a message with the network."""
    kind = MESSAGE_KINDS.get(entry.kind)
    return kind if kind is not None and entry.target is not None else None


def count_by_kind(entries: list[TraceEntry]) -> dict[str, int]:
    """How many messages of each kind, in table order, leaving out kinds never sent."""
    counts = dict.fromkeys(KIND_ORDER, 0)
    for entry in entries:
        kind = message_kind(entry)
        if kind is not None:
            counts[kind] += 1
    return {kind: n for kind, n in counts.items() if n}
