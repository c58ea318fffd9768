"""What several subjects share: reading a fact off a row of the model's tables, and the check
that a `type` fact names an address type."""

from __future__ import annotations

from typing import Any

from odplay.scenario.registry import Loc, Problems

TYPE_NAMES = ("fixed", "session-lasting", "non-persistent", "graceful-replacement", "untyped")


def read(row: dict[str, Any], fact: str) -> Any:
    """A fact as the model's snapshot row has it (socket, prefix, address or application)."""
    return {
        "state": row.get("state"),
        "bound": row.get("bound_address"),
        "source": row.get("source_address"),
        "type": row.get("requested_type") or row.get("type"),
        "via": row.get("via") or "direct",
        "status": row.get("setsc_status"),
        "reestablished": row.get("reestablishes") is not None,
        "anchor": row.get("anchor"),
        "users": len(row.get("used_by", [])),
        "broken": row.get("broken_sessions"),
        "failed": row.get("failed_sessions"),
        "running": row.get("running"),
        "setsc": row.get("setsc_results"),
        "port": row.get("port"),
        "peer": row.get("peer"),
        "peer_port": row.get("peer_port"),
    }[fact]


def check_type(value: str | None, loc: Loc) -> Problems:
    if value is not None and value not in TYPE_NAMES:
        yield (
            (*loc, "type"),
            "a type is fixed, session-lasting, non-persistent, graceful-replacement or untyped",
        )
