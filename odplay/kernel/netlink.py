"""One namespace's netlink socket (pyroute2): links up, addresses with lifetimes, tracked routes.

The socket is opened from inside the namespace (odplay.kernel.netns.inside), so it talks to that
namespace's stack from any thread, and no helper process is forked (pyroute2's own `netns=`
forks one that runs its parent's exit handlers). Every route this module installs is kept in
`installed`; a route is only ever deleted if it is there: `ip -6 route del ::/0 from P` for a
source route that does not exist deletes the plain default route instead, and a tracked delete
of what we added is the way not to meet that.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from odplay.kernel.netns import inside
from odplay.kernel.topology import Route

AF_INET6 = 10
IFA_F_NODAD = 0x02
IFA_F_DEPRECATED = 0x20
IFA_F_TENTATIVE = 0x40
IFA_F_NOPREFIXROUTE = 0x200
#: What a lifetime of "forever" is in netlink.
FOREVER = 0xFFFFFFFF
#: Every address the host gets: no duplicate address detection (it would keep a new address
#: tentative for about two seconds, which the model does not have) and no on-link /64 route
#: (the host reaches everything through its attachment point).
HOST_ADDRESS_FLAGS = IFA_F_NODAD | IFA_F_NOPREFIXROUTE


@dataclass(frozen=True, slots=True)
class AddressState:
    """An address as netlink shows it."""

    present: bool
    deprecated: bool = False
    tentative: bool = False
    valid_lft: int | None = None  # seconds left; None: forever
    preferred_lft: int | None = None

    def describe(self) -> str:
        if not self.present:
            return "absent"
        words = ["deprecated" if self.deprecated else "preferred"]
        if self.tentative:
            words.append("tentative")
        if self.valid_lft is not None:
            words.append(f"valid_lft {self.valid_lft}s")
        return ", ".join(words)


def _lifetime(value: int) -> int | None:
    return None if value == FOREVER else value


class Netlink:
    """pyroute2's IPRoute, opened inside one namespace, with the routes it added."""

    def __init__(self, namespace: str) -> None:
        from pyroute2 import IPRoute  # the optional extra; preflight checked it is there

        self.namespace = namespace
        with inside(namespace):
            self.ipr: Any = IPRoute()
        self._index: dict[str, int] = {}
        self.installed: set[Route] = set()

    def close(self) -> None:
        self.ipr.close()

    def index(self, ifname: str) -> int:
        if ifname not in self._index:
            found = self.ipr.link_lookup(ifname=ifname)
            if not found:
                raise LookupError(f"no link {ifname} in {self.namespace}")
            self._index[ifname] = found[0]
        return self._index[ifname]

    def up(self, ifname: str) -> None:
        self.ipr.link("set", index=self.index(ifname), state="up")

    # ------------------------------------------------------------------ routes

    def _route_args(self, route: Route) -> dict[str, Any]:
        """What netlink is told of `route`, to add it or to delete it (the same keys both ways)."""
        args: dict[str, Any] = {"dst": route.dst, "family": AF_INET6}
        if route.dev is None:
            args["type"] = "unreachable"
        else:
            args["oif"] = self.index(route.dev)
        if route.src is not None:
            args["src"] = route.src
        return args

    def add_route(self, route: Route) -> None:
        self.ipr.route("add", **self._route_args(route))
        self.installed.add(route)

    def del_route(self, route: Route) -> None:
        if route not in self.installed:
            return  # never delete what this run did not add (see the module's docstring)
        self.ipr.route("del", **self._route_args(route))
        self.installed.discard(route)

    def sync(self, wanted: set[Route]) -> int:
        """Make the routes this run added here exactly `wanted`; returns how many changed."""
        gone = self.installed - wanted
        new = wanted - self.installed
        # Removing first: a prefix that moves to another device is deleted, then added.
        for route in sorted(gone, key=str):
            self.del_route(route)
        for route in sorted(new, key=str):
            self.add_route(route)
        return len(gone) + len(new)

    # ------------------------------------------------------------------ addresses

    def add_address(
        self, ifname: str, value: str, preferred: int | None = None, valid: int | None = None
    ) -> None:
        """Add `value`/64 with lifetimes in whole seconds (None: forever); an address already
        there is given them instead (`replace`), so that a prefix granted again is no error."""
        self.ipr.addr(
            "replace",
            index=self.index(ifname),
            address=value,
            prefixlen=64,
            family=AF_INET6,
            flags=HOST_ADDRESS_FLAGS,
            preferred_lft=FOREVER if preferred is None else preferred,
            valid_lft=FOREVER if valid is None else valid,
        )

    def change_address(self, ifname: str, value: str, preferred: int, valid: int) -> None:
        """New lifetimes for an address, in place: `replace` of an address already there."""
        self.add_address(ifname, value, preferred, valid)

    def del_address(self, ifname: str, value: str) -> bool:
        """Delete an address; False if it was not there (its lifetime ran out first, say)."""
        if not self.address(value).present:
            return False
        self.ipr.addr("del", index=self.index(ifname), address=value, prefixlen=64)
        return True

    def address(self, value: str) -> AddressState:
        """What netlink says about one of this namespace's addresses now."""
        wanted = ipaddress.IPv6Address(value)
        for message in self.ipr.addr("dump", family=AF_INET6):
            if ipaddress.IPv6Address(message.get("address") or "::") != wanted:
                continue
            flags = message.get("IFA_FLAGS") or message["flags"]
            info = message.get("IFA_CACHEINFO") or {}
            return AddressState(
                True,
                deprecated=bool(flags & IFA_F_DEPRECATED),
                tentative=bool(flags & IFA_F_TENTATIVE),
                valid_lft=_lifetime(info.get("ifa_valid", FOREVER)),
                preferred_lft=_lifetime(info.get("ifa_preferred", FOREVER)),
            )
        return AddressState(False)

    def add_plain_address(self, ifname: str, value: str, prefixlen: int) -> None:
        """A node's own address (a correspondent's, the Internet's): no lifetimes, no DAD."""
        self.ipr.addr(
            "add",
            index=self.index(ifname),
            address=value,
            prefixlen=prefixlen,
            family=AF_INET6,
            flags=IFA_F_NODAD,
        )
