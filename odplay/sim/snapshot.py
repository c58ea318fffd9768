"""The state of a run as plain, JSON-ready data: what `odplay run --json` prints, what scenario
expectations read, and what tests compare when they check that replay restores a state exactly.
"""

from __future__ import annotations

from typing import Any

from odplay.constants import flag_names
from odplay.sim.tables import Protocol
from odplay.sim.world import World


def snapshot(w: World) -> dict[str, Any]:
    stack = w.stack
    prefixes = [
        {
            "name": p.name,
            "type": p.type.slug if p.type else "untyped",
            "prefix": p.network,
            "anchor": p.anchor,
            "state": p.state.value,
            "valid_until_ms": p.valid_until,
            "preferred_until_ms": p.preferred_until,
            "granted_at_ms": p.granted_at,
            "reason": p.reason,
        }
        for p in stack.prefixes.values()
    ]
    addresses = [
        {
            "name": a.name,
            "address": a.value,
            "type": a.type.slug if a.type else "untyped",
            "prefix": a.prefix,
            "used_by": stack.users_of(a.name),
        }
        for a in stack.addresses.values()
    ]
    sockets = []
    for s in stack.sockets.values():
        path = stack.path_of(s) if s.live else None
        sockets.append(
            {
                "fd": s.fd,
                "app": s.owner,
                "role": s.role,
                "requested_type": s.requested_type.slug if s.requested_type else None,
                "flags": flag_names(s.flags),
                "state": s.state.value,
                "setsc_status": s.setsc_status.name if s.setsc_status is not None else None,
                "setsc_address": s.setsc_address,
                "bound_address": s.bound_address,
                "source_address": s.source_address,
                "port": s.port,
                "peer": s.peer,
                "reestablishes": s.reestablishes,
                "broken_reason": s.broken_reason or None,
                "path": list(path.hops) if path else None,
                "via": path.via if path else None,
                "rtt_ms": path.rtt if path else None,
            }
        )
        if s.protocol is not Protocol.TCP:
            # Only UDP sockets say so: a row without `protocol` is TCP, as every row was before.
            sockets[-1]["protocol"] = s.protocol.value
    apps = [
        {
            "name": a.name,
            "kind": a.spec.kind,
            "running": a.running,
            "setsc_results": [r.status.name for r in a.setsc_results],
            "broken_sessions": a.broken_sessions,
            "failed_sessions": sum(1 for attempt in a.attempts if attempt.failed),
        }
        for a in w.apps.values()
    ]
    return {
        "time_ms": w.now,
        "step": w.step,
        "attachment": stack.attachment,
        "serving_gateway": stack.serving_gateway,
        "prefixes": prefixes,
        "addresses": addresses,
        "sockets": sockets,
        "applications": apps,
        "dns": dict(sorted(w.network.dns.items())),
        "pending_requests": sorted(stack.pending),
        "queue": [[time, kind, list(args)] for time, _, kind, args in sorted(w.queue)],
    }
