"""The scenario's network as namespaces and links, and the routes that carry each prefix.

Pure data and functions (no root, no kernel): `plan(config, names)` lays the network out, one
namespace per node (the host, each attachment point and gateway, the central anchor, the
Internet, each correspondent) and one delayed link per pair of nodes the model counts a delay
between; `routes(...)` says which routes every namespace needs for the host's prefixes where the
host is now, so that a move is a diff of two route sets.

How a prefix is routed follows odplay's paths (odplay/sim/paths.py): a prefix anchored at the
serving gateway goes straight out; one anchored elsewhere (the old gateway for Session-lasting,
the central anchor for Fixed) is routed through its anchor both ways: downstream by a route for
the prefix at the anchor pointing to the serving gateway, upstream by a source-specific route
(`default from PREFIX`) at the serving gateway pointing to the anchor.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from odplay.kernel.netns import RunNames
from odplay.sim.network import DOC_PREFIX, NetworkConfig

HOST = "host"
ANCHOR = "anchor"
INTERNET = "internet"
#: The Internet's own address: a correspondent with no name (a `reach` with no `from`) is it.
INTERNET_ADDRESS = f"{DOC_PREFIX}:fffe::1"
#: A kernel run makes one namespace per node; past this it is refused (each costs a thread's
#: worth of links and a few ms to make and remove).
MAX_NAMESPACES = 48


def ap_key(name: str) -> str:
    return f"ap:{name}"


def gw_key(name: str) -> str:
    return f"gw:{name}"


def cn_key(name: str) -> str:
    return f"cn:{name}"


@dataclass(frozen=True, slots=True)
class Node:
    key: str  # host, ap:NAME, gw:NAME, anchor, internet, cn:NAME
    namespace: str  # the run's namespace name
    label: str  # what the model calls it


@dataclass(frozen=True, slots=True)
class End:
    """One side of a link: a TUN device in a node's namespace."""

    node: str
    ifname: str


@dataclass(frozen=True, slots=True)
class Link:
    a: End
    b: End
    delay_ms: int  # one way, each direction
    setting: str = ""  # the network setting this delay comes from, if it may change mid-run


@dataclass(frozen=True, slots=True)
class Route:
    """A route in one namespace: to `dst`, from `src` if source-specific, out of `dev`."""

    dst: str  # a prefix, "::/0" for default
    dev: str | None = None  # None for an unreachable route
    src: str | None = None


@dataclass(slots=True)
class Layout:
    config: NetworkConfig
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    host_end: End | None = None
    #: Each attachment point's side of the host's radio link; the wire pairs one with host_end.
    ap_ends: dict[str, End] = field(default_factory=dict)
    #: node key → its pool's /48 (the anchor's and each gateway's; odplay.sim.network.group_of).
    groups: dict[str, str] = field(default_factory=dict)
    #: Host routes (/128) of correspondents inside a pool, which every router routes itself.
    pooled: list[str] = field(default_factory=list)
    #: node key → the node key of the far side → its end of the link between them.
    _towards: dict[str, dict[str, str]] = field(default_factory=dict)

    def towards(self, node: str, other: str) -> str:
        """The device in `node`'s namespace that leads to `other`."""
        return self._towards[node][other]

    def node_of(self, name: str) -> str:
        """The node key of a model name for an anchor: the central anchor or a gateway."""
        return ANCHOR if name == self.config.anchor else gw_key(name)

    def serving(self, ap: str) -> str:
        return gw_key(self.config.ap(ap).gateway)


def _group(number: int) -> str:
    return str(ipaddress.IPv6Network(f"{DOC_PREFIX}:{number:x}::/48"))


def problems(config: NetworkConfig) -> list[str]:
    """What keeps this network from being built as namespaces; [] when it can be."""
    found: list[str] = []
    count = 4 + len(config.attachment_points) + len(config.gateways) + len(config.correspondents)
    if count > MAX_NAMESPACES:
        found.append(
            f"the network has {count} nodes; a kernel run makes one namespace each and "
            f"stops at {MAX_NAMESPACES}"
        )
    for cn in config.correspondents:
        try:
            value = ipaddress.IPv6Address(cn.address)
        except ValueError:
            found.append(f"correspondent {cn.name}: {cn.address!r} is not an IPv6 address")
            continue
        if (
            value.is_link_local
            or value.is_multicast
            or value.is_loopback
            or value.is_unspecified
            or value.is_site_local
        ):
            found.append(f"correspondent {cn.name}: {cn.address} is not a routable address")
        elif value == ipaddress.IPv6Address(INTERNET_ADDRESS):
            found.append(f"correspondent {cn.name}: {cn.address} is the Internet's own address")
    return found


def plan(config: NetworkConfig, names: RunNames) -> Layout:
    """Namespaces and links for `config`; link names carry the run's tag."""
    layout = Layout(config)
    counter = iter(range(10_000))

    def node(key: str, short: str, label: str) -> None:
        layout.nodes[key] = Node(key, names.namespace(short), label)
        layout._towards[key] = {}

    def link(a: str, b: str, delay: int, setting: str = "") -> None:
        end_a = End(a, names.link("t", next(counter)))
        end_b = End(b, names.link("t", next(counter)))
        layout.links.append(Link(end_a, end_b, delay, setting))
        layout._towards[a][b] = end_a.ifname
        layout._towards[b][a] = end_b.ifname

    node(HOST, "h", "host")
    node(INTERNET, "i", "internet")
    node(ANCHOR, "x", config.anchor)
    layout.groups[ANCHOR] = _group(0)
    for number, gw in enumerate(config.gateways):
        node(gw_key(gw.name), f"g{number}", gw.name)
        layout.groups[gw_key(gw.name)] = _group(number + 1)
    for number, ap in enumerate(config.attachment_points):
        node(ap_key(ap.name), f"a{number}", ap.name)
        layout.ap_ends[ap.name] = End(ap_key(ap.name), names.link("d", number))
    for number, cn in enumerate(config.correspondents):
        node(cn_key(cn.name), f"c{number}", cn.name)
    layout.host_end = End(HOST, names.link("h", 0))
    pools = [ipaddress.IPv6Network(group) for group in layout.groups.values()]
    for cn in config.correspondents:
        if any(ipaddress.IPv6Address(cn.address) in pool for pool in pools):
            layout.pooled.append(str(ipaddress.IPv6Network(f"{cn.address}/128")))

    for ap in config.attachment_points:
        link(ap_key(ap.name), gw_key(ap.gateway), 0)
    for gw in config.gateways:
        link(gw_key(gw.name), INTERNET, gw.internet_delay)
        link(gw_key(gw.name), ANCHOR, gw.anchor_delay)
    for first, gw in enumerate(config.gateways):
        for other in config.gateways[first + 1 :]:
            link(gw_key(gw.name), gw_key(other.name), config.inter_gateway_delay, "gateways")
    link(ANCHOR, INTERNET, config.anchor_internet_delay)
    for cn in config.correspondents:
        link(INTERNET, cn_key(cn.name), cn.delay)
    return layout


def static_routes(layout: Layout) -> dict[str, set[Route]]:
    """The routes that never change: each router's way out, each pool's unreachable /48 (so a
    packet for a prefix the host no longer holds dies at its pool, not in a loop), and the
    Internet's routes to the pools and the correspondents."""
    config = layout.config
    table: dict[str, set[Route]] = {key: set() for key in layout.nodes}
    for ap in config.attachment_points:
        key = ap_key(ap.name)
        table[key].add(Route("::/0", layout.towards(key, gw_key(ap.gateway))))
    for owner, group in layout.groups.items():
        table[owner].add(Route("::/0", layout.towards(owner, INTERNET)))
        table[owner].add(Route(group))
        table[INTERNET].add(Route(group, layout.towards(INTERNET, owner)))
    for cn in config.correspondents:
        key = cn_key(cn.name)
        host_route = str(ipaddress.IPv6Network(f"{cn.address}/128"))
        table[INTERNET].add(Route(host_route, layout.towards(INTERNET, key)))
        table[key].add(Route("::/0", layout.towards(key, INTERNET)))
    for host_route in layout.pooled:
        # A correspondent inside a pool (one that shares a prefix with the host, to show RFC
        # 6724 Rule 8) has its own route everywhere, so that it is not taken for the host.
        for ap in config.attachment_points:
            up = layout.towards(ap_key(ap.name), gw_key(ap.gateway))
            table[ap_key(ap.name)].add(Route(host_route, up))
        for owner in layout.groups:
            table[owner].add(Route(host_route, layout.towards(owner, INTERNET)))
    return table


def routes(
    layout: Layout, ap: str | None, prefixes: list[tuple[str, str]]
) -> dict[str, set[Route]]:
    """The routes that follow the host: for each (prefix, anchor name) it holds, with the host
    at attachment point `ap` (None: detached, and then nothing leads to it)."""
    table: dict[str, set[Route]] = {key: set() for key in layout.nodes}
    if ap is None or layout.host_end is None:
        return table
    table[HOST].add(Route("::/0", layout.host_end.ifname))
    at = ap_key(ap)
    serving = layout.serving(ap)
    for network, anchor_name in prefixes:
        anchor = layout.node_of(anchor_name)
        table[at].add(Route(network, layout.ap_ends[ap].ifname))
        table[serving].add(Route(network, layout.towards(serving, at)))
        if anchor != serving and anchor in layout.nodes:
            table[anchor].add(Route(network, layout.towards(anchor, serving)))
            to_anchor = layout.towards(serving, anchor)
            table[serving].add(Route("::/0", to_anchor, src=network))
            # A longer route to a pooled correspondent would win over `default from`: it gets
            # its own source-specific copy, so that it too goes through the anchor.
            for host_route in layout.pooled:
                table[serving].add(Route(host_route, to_anchor, src=network))
    return table
