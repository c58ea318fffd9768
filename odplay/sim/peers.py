"""Who a socket can connect() or send to: a correspondent of the network, or any Internet host.

The network's correspondents (`network.correspondents`) have a name, an address and a delay of
their own. Any other peer is an Internet host at the default correspondent delay:

- an IPv6 address, such as 2001:db8:1:1::99, is that host's address, so that a learner can pick
  a destination close to one of the host's prefixes and watch source selection's longest match
  (RFC 6724 rule 8; R3, B3) decide;
- any other host name resolves, in odplay's Internet, to an address odplay derives from the name
  in the correspondents' /64 (2001:db8:ffff::/64), the same on every run. A name under
  `.invalid` never resolves (RFC 6761), so connect() to it answers EHOSTUNREACH.

What is neither an IPv6 address nor a host name (`peer_problem`) is refused where it enters: the
scenario language, the model's commands and the playground's fields all ask this module.
"""

from __future__ import annotations

import ipaddress
import re

from odplay.sim.network import DOC_PREFIX, CorrespondentConfig, NetworkConfig

#: One way, ms, from the Internet's edge to a peer that is not one of the correspondents: the
#: default of a correspondent's own `delay`.
DEFAULT_PEER_DELAY = CorrespondentConfig("", "").delay
#: Where the addresses of named Internet hosts are derived: the correspondents' /64.
NAMED_HOSTS = ipaddress.IPv6Network(f"{DOC_PREFIX}:ffff::/64")

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _address(value: str) -> ipaddress.IPv6Address | None:
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def _is_host_name(value: str) -> bool:
    """RFC 1123's host names: dot-separated labels of letters, digits and inner hyphens."""
    labels = value.lower().split(".")
    return (
        len(value) <= 253
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()  # 10.0.0.1 is an IPv4 address, not a name
    )


def peer_problem(value: str) -> str:
    """Why `value` cannot be a peer, or "" when it can (an IPv6 address or a host name)."""
    if not value:
        return "a peer is needed: a correspondent's name, a host name or an IPv6 address"
    address = _address(value)
    if address is not None:
        if address.is_unspecified or address.is_loopback or address.is_multicast:
            return f"{value} is not an Internet host's address (unspecified, loopback or multicast)"
        if address.is_link_local or address.scope_id:
            return f"{value} is a link-local address; a peer here is a host on the Internet"
        if address.ipv4_mapped is not None:
            return (
                f"{value} is an IPv4-mapped address (an IPv4 host seen through an IPv6 socket); "
                "the draft's hosts and networks are IPv6 only"
            )
        return ""
    if _is_host_name(value):
        return ""
    return (
        f"{value!r} is neither an IPv6 address (such as 2001:db8:1:1::99) nor a host name "
        "(such as files.example.com)"
    )


def named_host_address(name: str) -> str:
    """The address odplay's Internet gives a host name it does not know: stable, in NAMED_HOSTS."""
    # Imported here: hashlib loads OpenSSL, 3-4 ms of every start, and most runs name no host.
    from hashlib import sha256

    digest = sha256(name.lower().encode()).digest()
    interface = int.from_bytes(digest[:8], "big") or 1
    return str(NAMED_HOSTS[interface])


def resolve(config: NetworkConfig, peer: str) -> CorrespondentConfig | None:
    """The peer a socket reaches: a correspondent, or an Internet host; None: no such host."""
    known = config.correspondent(peer)
    if known is not None or peer_problem(peer):
        return known
    address = _address(peer)
    if address is not None:
        return CorrespondentConfig(peer, str(address), DEFAULT_PEER_DELAY)
    if peer.lower().rstrip(".").endswith(".invalid") or peer.lower() == "invalid":
        return None
    return CorrespondentConfig(peer, named_host_address(peer), DEFAULT_PEER_DELAY)


def endpoint(peer: str | None, port: int | None) -> str:
    """`peer:port` as a call shows it; an IPv6 address in brackets, as in a URL (RFC 3986)."""
    host = f"[{peer}]" if peer and ":" in peer else str(peer)
    return f"{host}:{port}"
