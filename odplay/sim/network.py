"""The network the host moves through: attachment points, gateways, the central anchor, pools.

`NetworkConfig` is what a scenario (or the built-in default) describes; `Network` adds what
changes during a run: prefixes allocated from each pool, and DNS records the host published.
Which node anchors a prefix is decided here, so that the cost of each type shows in its path:
Fixed at the central anchor, Session-lasting at the gateway that allocated it, Non-persistent and
Graceful-replacement at the serving gateway (see `anchor_for`).

Each gateway may say for itself what it supports and whether it is legacy (`GatewayConfig`'s
`supports` and `legacy`; None: the network's), and every node may cap how many prefixes of each
type it hands out at once (`pools`), beside its pool's size: see docs/choices.md (F1, B7, D4).
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    SESSION_LASTING,
    AddressType,
)
from odplay.sim.records import Record
from odplay.sim.type_mapping import PrefixTypes, blocks, epoch, serial_in_block


class Mobility(StrEnum):
    """How the network provides mobility: the draft's way, or one of the two it argues against.

    `odplay compare` runs the same scenario all three ways (Section 1, C3): on demand, per
    socket; Mobile IP for every socket, every prefix anchored centrally and kept across moves;
    and no mobility support, every prefix local to the serving gateway and lost with it.
    """

    ON_DEMAND = "on-demand"
    MOBILE_IP = "mobile-ip"
    NONE = "none"


class SameGatewayMove(StrEnum):
    """T3: what a move between two attachment points of the same gateway does to the prefixes
    a gateway change would withdraw at once (Non-persistent; a legacy network's untyped ones).

    KEEP: nothing; the serving gateway is the same, so they stay (what Linux shows when a host
    re-pairs with another access point of the same router). REPLACE: the gateway withdraws them
    and offers new ones, as the draft allows: a Non-persistent address has no promise after any
    move (Section 3.2).
    """

    KEEP = "keep"
    REPLACE = "replace"


class GracefulReturn(StrEnum):
    """T4: the host comes back to the gateway whose Graceful-replacement prefix is in its grace.

    REPLACE: the old prefix stays deprecated until its grace period ends, and the gateway
    gives a new one beside it, as on any gateway change. REVIVE: the gateway still holds the
    old prefix for the host, so it makes it valid and preferred again and gives no new one; the
    sockets on it need not move over.
    """

    REPLACE = "replace"
    REVIVE = "revive"


DOC_PREFIX = "2001:db8"  # RFC 3849 documentation prefix: every address odplay shows is fake.
MAX_POOL = 0xFFFF


class GatewayConfig(Record):
    name: str
    internet_delay: int = 5  # one way, ms, gateway to the correspondents' side
    anchor_delay: int = 15  # one way, ms, gateway to the central anchor
    pool: int = 64  # how many /64 prefixes it can hand out at once
    #: The types this gateway serves on demand; None: the network's `supports` (F1, F8).
    supports: set[AddressType] | None = None
    #: A gateway that knows nothing of on-demand mobility; None: the network's `legacy` (B7).
    legacy: bool | None = None
    #: At most this many prefixes of a type out at once, within `pool`; a type not listed is
    #: limited by `pool` alone (D4).
    pools: dict[AddressType, int] = field(default_factory=dict)


class AttachmentPointConfig(Record):
    name: str
    gateway: str
    access_delay: int = 2  # one way, ms, host to gateway over this attachment point


class CorrespondentConfig(Record):
    name: str
    address: str
    delay: int = 5  # one way, ms, from the Internet's edge to this correspondent


class NetworkConfig(Record):
    """The network a run starts with: its nodes and delays, and the network's side of the
    choices the draft leaves open: supports, on_attach (F1), default_type (B5), grace_period
    (T4), legacy (B7), same_gateway_move (T3) and graceful_return (T4). docs/choices.md has
    each default, why, and the scenario that shows both sides."""

    gateways: list[GatewayConfig]
    attachment_points: list[AttachmentPointConfig]
    correspondents: list[CorrespondentConfig]
    anchor: str = "anchor"
    anchor_internet_delay: int = 20
    anchor_pool: int = 64
    #: The anchor's per-type caps, as a gateway's `pools`.
    anchor_pools: dict[AddressType, int] = field(default_factory=dict)
    inter_gateway_delay: int = 10
    supports: set[AddressType] = field(default_factory=lambda: {SESSION_LASTING, NON_PERSISTENT})
    #: The type of prefix the network gives when the host asks for none (B5).
    default_type: AddressType = NON_PERSISTENT
    #: Prefixes offered on attachment, unless the host already holds a usable one (F1, F5).
    on_attach: list[AddressType] = field(default_factory=lambda: [SESSION_LASTING, NON_PERSISTENT])
    grace_period: int = 30_000
    signalling_delay: int = 50  # ms from the stack's request to the network's answer
    #: A legacy network knows nothing of on-demand mobility (B2, B7).
    legacy: bool = False
    #: On demand (the draft), or Mobile IP for everything, or no mobility at all (compare).
    mobility: Mobility = Mobility.ON_DEMAND
    #: T3: a move behind the same gateway keeps Non-persistent prefixes, or replaces them.
    same_gateway_move: SameGatewayMove = SameGatewayMove.KEEP
    #: T4: back at the gateway of a prefix in its grace period: a new prefix, or the old revived.
    graceful_return: GracefulReturn = GracefulReturn.REPLACE
    #: RFC 8653 Section 5: how prefixes map to types, and how often `shuffled` deals afresh.
    prefix_types: PrefixTypes = PrefixTypes.MIXED
    shuffle_every: int = 60_000

    def ap(self, name: str) -> AttachmentPointConfig:
        for ap in self.attachment_points:
            if ap.name == name:
                return ap
        raise KeyError(name)

    def gateway(self, name: str) -> GatewayConfig:
        for gw in self.gateways:
            if gw.name == name:
                return gw
        raise KeyError(name)

    def correspondent(self, name: str) -> CorrespondentConfig | None:
        """The correspondent of that name; host names are case-insensitive (RFC 4343), so
        `WWW.Example.ORG` is www.example.org (its exact spelling first)."""
        for cn in self.correspondents:
            if cn.name == name:
                return cn
        folded = name.casefold()
        for cn in self.correspondents:
            if cn.name.casefold() == folded:
                return cn
        return None


def default_network() -> NetworkConfig:
    """The network of the draft's Section 4.2: two gateways, Session-lasting and Non-persistent."""
    return NetworkConfig(
        gateways=[GatewayConfig("gw1"), GatewayConfig("gw2", internet_delay=6, anchor_delay=18)],
        attachment_points=[
            AttachmentPointConfig("ap1", "gw1"),
            AttachmentPointConfig("ap2", "gw1", access_delay=3),
            AttachmentPointConfig("ap3", "gw2"),
        ],
        correspondents=[
            CorrespondentConfig("www.example.org", f"{DOC_PREFIX}:ffff::80"),
            CorrespondentConfig("dns.example.net", f"{DOC_PREFIX}:ffff::53", delay=2),
            CorrespondentConfig("im.example.com", f"{DOC_PREFIX}:ffff::5222"),
            CorrespondentConfig("video.example.com", f"{DOC_PREFIX}:ffff::1935", delay=8),
            CorrespondentConfig("ssh.example.net", f"{DOC_PREFIX}:ffff::22", delay=10),
            CorrespondentConfig("vpn.example.com", f"{DOC_PREFIX}:ffff::443", delay=12),
            CorrespondentConfig("peer.example.net", f"{DOC_PREFIX}:ffff::7"),
        ],
    )


class Allocation(Record):
    network: str
    node: str


class Network:
    """The network's side of a run: pools per gateway and anchor, and the DNS it serves."""

    def __init__(self, config: NetworkConfig) -> None:
        self.config = config
        self.in_use: dict[str, set[int]] = {}
        #: node -> serial -> the type of the prefix out under it, for the per-type caps.
        self.types_out: dict[str, dict[int, AddressType | None]] = {}
        self.next_serial: dict[str, int] = {}
        self.dns: dict[str, str] = {}
        #: The dealing of type blocks last told on the ladder (RFC 8653 Section 5).
        self.told_dealing: int | None = None

    def group_of(self, node: str) -> int:
        """The third 16-bit group of every prefix from `node`: 0 for the anchor, then 1, 2..."""
        if node == self.config.anchor:
            return 0
        names = [gw.name for gw in self.config.gateways]
        return names.index(node) + 1

    def pool_size(self, node: str) -> int:
        if node == self.config.anchor:
            return self.config.anchor_pool
        return self.config.gateway(node).pool

    def type_caps(self, node: str) -> dict[AddressType, int]:
        """The per-type caps of `node` (its `pools`): a type not listed has none of its own."""
        if node == self.config.anchor:
            return self.config.anchor_pools
        return self.config.gateway(node).pools

    def allocate(
        self, node: str, type_: AddressType | None = None, now: int = 0
    ) -> Allocation | None:
        """A fresh /64 of `type_` from `node`'s pool, or None if the pool (or the type's own
        cap in it) has run dry (A3, D4). Under `prefix_types` blocks or shuffled, from the
        type's block as dealt at `now` (odplay.sim.type_mapping)."""
        used = self.in_use.setdefault(node, set())
        if len(used) >= min(self.pool_size(node), MAX_POOL):
            return None
        out = self.types_out.setdefault(node, {})
        cap = self.type_caps(node).get(type_) if type_ is not None else None
        if cap is not None and sum(1 for t in out.values() if t is type_) >= cap:
            return None
        dealing = epoch(self.config.prefix_types, self.config.shuffle_every, now)
        if dealing is not None:
            found = serial_in_block(blocks(dealing)[type_], used)
            if found is None:
                return None
            serial = found
        else:
            serial = self.next_serial.get(node, 1)
            while serial in used:
                serial = serial % MAX_POOL + 1
            self.next_serial[node] = serial % MAX_POOL + 1
        used.add(serial)
        out[serial] = type_
        group = self.group_of(node)
        return Allocation(f"{DOC_PREFIX}:{group:x}:{serial:x}::/64", node)

    def release(self, node: str, network: str) -> None:
        serial = int(network.split(":")[3], 16)
        self.in_use.get(node, set()).discard(serial)
        self.types_out.get(node, {}).pop(serial, None)

    def could_allocate(
        self,
        wanted: list[tuple[str, AddressType | None]],
        freed: list[tuple[str, AddressType | None]],
    ) -> bool:
        """Would allocate() give each (node, type) of `wanted` in turn, once the prefixes
        `freed` (node, type) are released? A look ahead that changes nothing (F1, F5); it
        counts only the nodes and types asked about."""
        extra: dict[tuple[str, AddressType | None], int] = {}  # + wanted so far, - freed
        for node, type_ in freed:
            for key in ((node, None), (node, type_)) if type_ is not None else ((node, None),):
                extra[key] = extra.get(key, 0) - 1
        for node, type_ in wanted:
            used = len(self.in_use.get(node, ())) + extra.get((node, None), 0)
            if used >= min(self.pool_size(node), MAX_POOL):
                return False
            cap = self.type_caps(node).get(type_) if type_ is not None else None
            if cap is not None:
                out = self.types_out.get(node, {}).values()
                if sum(1 for t in out if t is type_) + extra.get((node, type_), 0) >= cap:
                    return False
            extra[node, None] = extra.get((node, None), 0) + 1
            if type_ is not None:
                extra[node, type_] = extra.get((node, type_), 0) + 1
        return True

    def pool_free(self, node: str) -> int:
        return min(self.pool_size(node), MAX_POOL) - len(self.in_use.get(node, set()))

    def allocating_node(self, type_: AddressType | None, serving_gateway: str) -> str:
        """Whose pool a prefix comes from; the prefix stays anchored there for its whole life.

        Fixed prefixes come from the central anchor and Session-lasting ones from the gateway
        serving at the time, which is what lets them survive a move (T1, T2): after it, their
        traffic is routed back through that node. Non-persistent and Graceful-replacement
        prefixes come from the serving gateway and do not survive its change (T3, T4). Under
        Mobile IP every prefix is a home prefix at the anchor; with no mobility, every prefix
        is the serving gateway's.
        """
        mobility = self.config.mobility
        if mobility is Mobility.MOBILE_IP:
            return self.config.anchor
        if mobility is Mobility.NONE:
            return serving_gateway
        return self.config.anchor if type_ is FIXED else serving_gateway

    def is_legacy(self, gateway: str | None = None) -> bool:
        """Does `gateway` (or, with None, the network as a whole) know nothing of on-demand
        mobility (B2, B7)? A gateway's own `legacy`, when given, wins over the network's."""
        if gateway is not None and gateway != self.config.anchor:
            own = self.config.gateway(gateway).legacy
            if own is not None:
                return own
        return self.config.legacy

    def supported_types(self, gateway: str | None = None) -> set[AddressType]:
        """The types `gateway` serves on demand: its own `supports`, or the network's (F1)."""
        if gateway is not None and gateway != self.config.anchor:
            own = self.config.gateway(gateway).supports
            if own is not None:
                return own
        return self.config.supports

    def supports(self, type_: AddressType, gateway: str | None = None) -> bool:
        """Does `gateway` (None: the network as a whole) grant a prefix of `type_`?"""
        if self.is_legacy(gateway):
            return False
        # Mobile IP and plain IP serve every socket the same way, whatever it asks for.
        return self.config.mobility is not Mobility.ON_DEMAND or type_ in self.supported_types(
            gateway
        )

    def survives_gateway_change(self, type_: AddressType | None) -> bool:
        """Does a prefix of this type stay valid when the serving gateway changes (T1-T4)?"""
        mobility = self.config.mobility
        if mobility is Mobility.MOBILE_IP:
            return True
        if mobility is Mobility.NONE:
            return False
        return type_ in SURVIVES_GATEWAY_CHANGE

    def replaced_on_same_gateway_move(self, type_: AddressType | None) -> bool:
        """Does a move behind the same gateway replace a prefix of this type (T3)?

        Only under `same_gateway_move: replace`, and only the prefixes a gateway change would
        withdraw at once: Fixed, Session-lasting and Graceful-replacement ones are promised
        more than the serving gateway's say, and Mobile IP keeps everything.
        """
        if self.config.same_gateway_move is not SameGatewayMove.REPLACE:
            return False
        return not self.survives_gateway_change(type_) and not self.has_grace(type_)

    def has_grace(self, type_: AddressType | None) -> bool:
        """Does a prefix of this type get a grace period when the gateway changes (T4)?"""
        return self.config.mobility is Mobility.ON_DEMAND and type_ is GRACEFUL_REPLACEMENT


#: The types whose prefixes stay valid when the serving gateway changes (T1, T2, F7).
SURVIVES_GATEWAY_CHANGE = frozenset({FIXED, SESSION_LASTING})
