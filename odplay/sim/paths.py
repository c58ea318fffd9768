"""Where a socket's traffic goes and what that costs: hops and round-trip time.

The path of a packet from the host is: the attachment point, the serving gateway, then, if the
source prefix is anchored somewhere else, a tunnel to that anchor (the central anchor for Fixed,
the old gateway for a Session-lasting prefix after a move), and out to the correspondent. That
detour is the cost the draft's Section 1 (C3) and D11 talk about, made visible.
"""

from __future__ import annotations

from odplay.sim.network import NetworkConfig
from odplay.sim.peers import resolve
from odplay.sim.records import Frozen


class Path(Frozen):
    """The hops a socket's traffic takes and the round trip it costs."""

    hops: tuple[str, ...]
    rtt: int  # ms
    via: str | None  # the anchor the traffic is tunnelled through, if not the serving gateway


def path_for(
    config: NetworkConfig, attachment: str | None, anchor: str, peer: str | None
) -> Path | None:
    """The path from the host at `attachment` through `anchor` to `peer`; None when detached."""
    if attachment is None:
        return None
    ap = config.ap(attachment)
    serving = config.gateway(ap.gateway)
    one_way = ap.access_delay
    hops: list[str] = ["host", ap.name, serving.name]
    via: str | None = None
    if anchor == serving.name:
        one_way += serving.internet_delay
    elif anchor == config.anchor:
        via = anchor
        hops.append(anchor)
        one_way += serving.anchor_delay + config.anchor_internet_delay
    else:
        via = anchor
        hops.append(anchor)
        one_way += config.inter_gateway_delay + config.gateway(anchor).internet_delay
    correspondent = resolve(config, peer) if peer else None
    if correspondent is not None:
        one_way += correspondent.delay
        hops.append(correspondent.name)
    else:
        hops.append("internet")
    return Path(tuple(hops), 2 * one_way, via)
