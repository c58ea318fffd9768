"""The scenario's network built on this kernel, and taken down again whatever happens.

`Lab` makes the namespaces and TUN links of a `topology.Layout`, sets each namespace up (IPv6
forwarding in the routers, no duplicate address detection, no router advertisements), installs
the routes that never change, and starts the wire (odplay.kernel.wire). It then offers what the
replay needs: pair the host with an attachment point, put the routes that follow the host in
place, open a socket inside a node's namespace, abort a socket with SOCK_DESTROY (`ss -K`).

`close()` removes everything the run made: it is called on a normal end, on an exception, on
Ctrl-C and on SIGTERM (odplay.kernel.command turns the signal into an exception). It deletes
every namespace carrying this run's names, including one a failed build had only half made, and
never looks at anything else. Nothing is made in the namespace the machine runs in.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field

from odplay.kernel import netns, topology
from odplay.kernel.netlink import Netlink
from odplay.kernel.netns import RunNames, inside
from odplay.kernel.topology import ANCHOR, HOST, INTERNET, INTERNET_ADDRESS, Layout, Route
from odplay.kernel.wire import Wire, open_tun
from odplay.sim.network import NetworkConfig

#: Per-namespace settings, as (sysctl under net/ipv6/conf/{all,default}/, value).
_QUIET = (("accept_dad", "0"), ("accept_ra", "0"), ("autoconf", "0"), ("dad_transmits", "0"))


class LabError(RuntimeError):
    """The network could not be built (a kernel feature is missing, most likely)."""


@dataclass(slots=True)
class Timings:
    build_ms: float = 0.0
    teardown_ms: float = 0.0
    route_changes: int = 0


@dataclass(slots=True)
class Lab:
    config: NetworkConfig
    names: RunNames = field(default_factory=RunNames.fresh)
    layout: Layout = field(init=False)
    wire: Wire = field(default_factory=Wire)
    netlinks: dict[str, Netlink] = field(default_factory=dict)
    tuns: dict[str, int] = field(default_factory=dict)  # ifname → descriptor
    sockets: list[socket.socket] = field(default_factory=list)
    attached: str | None = None
    _static: dict[str, set[Route]] = field(default_factory=dict)
    timings: Timings = field(default_factory=Timings)
    _closed: bool = False

    def __post_init__(self) -> None:
        self.layout = topology.plan(self.config, self.names)

    # ------------------------------------------------------------------ building

    def build(self) -> None:
        started = time.perf_counter()
        layout = self.layout
        for node in layout.nodes.values():
            netns.create(node.namespace)
            routing = node.key not in (HOST,) and not node.key.startswith("cn:")
            self._settings(node.namespace, forwarding=routing)
            self.netlinks[node.key] = Netlink(node.namespace)
            self.netlinks[node.key].up("lo")
        assert layout.host_end is not None
        ends = [end for link in layout.links for end in (link.a, link.b)]
        for end in (*ends, layout.host_end, *layout.ap_ends.values()):
            self._tun(end.node, end.ifname)
        for cn in self.config.correspondents:
            key = topology.cn_key(cn.name)
            self.netlinks[key].add_plain_address(layout.towards(key, INTERNET), cn.address, 128)
        self.netlinks[INTERNET].add_plain_address("lo", INTERNET_ADDRESS, 128)
        self._static = topology.static_routes(layout)
        try:
            for key, wanted in self._static.items():
                self.netlinks[key].sync(wanted)
        except Exception as exc:  # pyroute2's NetlinkError, most likely
            raise LabError(f"a route could not be added: {exc}") from exc
        self._check_source_routes()
        # The forwarder inherits every device: it starts once they are all made.
        self.wire.start()
        for link in layout.links:
            self.wire.pair(self.tuns[link.a.ifname], self.tuns[link.b.ifname], link.delay_ms)
        self.timings.build_ms = 1000 * (time.perf_counter() - started)

    def _settings(self, namespace: str, forwarding: bool) -> None:
        with inside(namespace):
            for scope in ("all", "default"):
                base = f"/proc/sys/net/ipv6/conf/{scope}/"
                for name, value in (*_QUIET, ("forwarding", "1" if forwarding else "0")):
                    with open(base + name, "w") as sysctl:
                        sysctl.write(value)

    def _tun(self, node: str, ifname: str) -> int:
        with inside(self.layout.nodes[node].namespace):
            fd = open_tun(ifname)
        self.tuns[ifname] = fd
        self.wire.add_tun(fd)
        self.netlinks[node].up(ifname)
        return fd

    def serve(self, node: str, port: int, kind: int = socket.SOCK_STREAM) -> None:
        """An echo server on `port` in `node`'s namespace (a correspondent, or the Internet)."""
        with inside(self.layout.nodes[node].namespace):
            sock = socket.socket(socket.AF_INET6, kind)
        with sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("::", port))
            if kind == socket.SOCK_STREAM:
                sock.listen(64)
            self.wire.serve(sock, f"{node}:{kind}:{port}")

    def _check_source_routes(self) -> None:
        """A source-specific route, tried once in the anchor's namespace: without
        CONFIG_IPV6_SUBTREES the kernel refuses it, and an anchored prefix cannot be routed."""
        probe = Route("::/0", self.layout.towards(ANCHOR, INTERNET), src="2001:db8:ffff:ffff::/64")
        netlink = self.netlinks[ANCHOR]
        try:
            netlink.add_route(probe)
        except Exception as exc:
            raise LabError(
                "source-specific routes are refused by this kernel "
                f"({exc}); build it with CONFIG_IPV6_SUBTREES=y"
            ) from None
        netlink.del_route(probe)

    # ------------------------------------------------------------------ while it runs

    def pair_host(self, ap: str | None) -> None:
        """Put the host on attachment point `ap` (None: nowhere), as its radio would."""
        host_end = self.layout.host_end
        assert host_end is not None
        host_fd = self.tuns[host_end.ifname]
        self.wire.unpair(host_fd)
        if ap is not None:
            ap_fd = self.tuns[self.layout.ap_ends[ap].ifname]
            self.wire.pair(host_fd, ap_fd, self.config.ap(ap).access_delay)
        self.attached = ap

    def follow_host(self, prefixes: list[tuple[str, str]]) -> None:
        """The routes that lead each (prefix, anchor) to the host where it is now."""
        table = topology.routes(self.layout, self.attached, prefixes)
        for key, wanted in table.items():
            # The routes that never change stay: the sync is of the whole set this run added.
            wanted |= self._static.get(key, set())
            self.timings.route_changes += self.netlinks[key].sync(wanted)

    def set_delay(self, setting: str, delay_ms: int) -> None:
        """A delay the scenario changes mid-run (`network: {inter_gateway_delay: ...}`)."""
        for link in self.layout.links:
            if link.setting == setting:
                self.wire.pair(self.tuns[link.a.ifname], self.tuns[link.b.ifname], delay_ms)

    @property
    def host(self) -> Netlink:
        return self.netlinks[HOST]

    @property
    def host_ifname(self) -> str:
        assert self.layout.host_end is not None
        return self.layout.host_end.ifname

    def socket(self, node: str, kind: int = socket.SOCK_STREAM) -> socket.socket:
        """A new IPv6 socket inside `node`'s namespace (closed with the lab)."""
        with inside(self.layout.nodes[node].namespace):
            sock = socket.socket(socket.AF_INET6, kind)
        self.sockets.append(sock)
        return sock

    def destroy(self, local: str, port: int, peer: str, peer_port: int) -> str:
        """Abort one of the host's TCP connections with SOCK_DESTROY (`ss -K`); what ss said."""
        command = [
            "ip", "netns", "exec", self.layout.nodes[HOST].namespace,
            "ss", "-K", "-t", "-n", "-H",
            "src", f"[{local}]:{port}", "dst", f"[{peer}]:{peer_port}",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return (done.stdout + done.stderr).strip()

    # ------------------------------------------------------------------ taking it down

    def close(self) -> None:
        """Remove everything this run made; safe to call more than once, and on a half build."""
        if self._closed:
            return
        self._closed = True
        started = time.perf_counter()
        self.wire.stop()
        for sock in self.sockets:
            sock.close()
        for fd in self.tuns.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        for netlink in self.netlinks.values():
            # A broken netlink socket must not keep the namespaces from going.
            with contextlib.suppress(Exception):
                netlink.close()
        for name in netns.existing():
            if self.names.owns(name):
                netns.delete(name)
        self.timings.teardown_ms = 1000 * (time.perf_counter() - started)

    def leftovers(self) -> list[str]:
        """This run's namespaces still on the machine (none, after close)."""
        return [name for name in netns.existing() if self.names.owns(name)]
