"""The namespaces and routes of a kernel run, as pure data (no root needed): a prefix anchored at
the serving gateway goes straight out (T3); one anchored elsewhere is routed through its anchor
both ways, by a prefix route at the anchor and a source-specific route at the serving gateway
(T1 for the central anchor, T2 for the old gateway); a detached host is reached by nothing.
"""

from __future__ import annotations

from odplay.kernel.netns import RunNames
from odplay.kernel.topology import (
    ANCHOR,
    HOST,
    INTERNET,
    Route,
    ap_key,
    gw_key,
    plan,
    problems,
    routes,
    static_routes,
)
from odplay.sim.network import CorrespondentConfig, default_network

NAMES = RunNames(0x4D2, "beef")
SL1 = "2001:db8:1:1::/64"  # from gw1
FX1 = "2001:db8:0:1::/64"  # from the central anchor


def test_every_namespace_and_link_carries_the_runs_names() -> None:
    layout = plan(default_network(), NAMES)
    assert len(layout.nodes) == 4 + 3 + 2 + 7 - 1  # host, internet, anchor; aps; gws; cns
    assert all(NAMES.owns(node.namespace) for node in layout.nodes.values())
    ends = [end for link in layout.links for end in (link.a, link.b)]
    names = [end.ifname for end in ends] + [e.ifname for e in layout.ap_ends.values()]
    assert layout.host_end is not None
    names.append(layout.host_end.ifname)
    assert all(n.startswith("odkbeef") and len(n) <= 15 for n in names)
    assert len(set(names)) == len(names)


def test_links_carry_the_models_one_way_delays() -> None:
    config = default_network()
    layout = plan(config, NAMES)
    delay = {frozenset((link.a.node, link.b.node)): link.delay_ms for link in layout.links}
    assert delay[frozenset((gw_key("gw2"), INTERNET))] == 6
    assert delay[frozenset((gw_key("gw2"), ANCHOR))] == 18
    assert delay[frozenset((gw_key("gw1"), gw_key("gw2")))] == config.inter_gateway_delay
    assert delay[frozenset((ANCHOR, INTERNET))] == config.anchor_internet_delay
    assert delay[frozenset((INTERNET, "cn:video.example.com"))] == 8
    assert delay[frozenset((ap_key("ap2"), gw_key("gw1")))] == 0


def test_a_prefix_of_the_serving_gateway_goes_straight_out() -> None:
    layout = plan(default_network(), NAMES)
    table = routes(layout, "ap1", [(SL1, "gw1")])
    assert Route(SL1, layout.ap_ends["ap1"].ifname) in table[ap_key("ap1")]
    assert table[gw_key("gw1")] == {Route(SL1, layout.towards(gw_key("gw1"), ap_key("ap1")))}
    assert not any(r.src for rs in table.values() for r in rs)


def test_after_a_gateway_change_a_session_lasting_prefix_goes_through_its_old_gateway() -> None:
    layout = plan(default_network(), NAMES)
    table = routes(layout, "ap3", [(SL1, "gw1")])
    gw1, gw2 = gw_key("gw1"), gw_key("gw2")
    assert Route(SL1, layout.towards(gw1, gw2)) in table[gw1]  # downstream, via the anchor
    assert Route("::/0", layout.towards(gw2, gw1), src=SL1) in table[gw2]  # upstream
    assert Route(SL1, layout.towards(gw2, ap_key("ap3"))) in table[gw2]


def test_a_fixed_prefix_is_routed_through_the_central_anchor() -> None:
    layout = plan(default_network(), NAMES)
    table = routes(layout, "ap3", [(FX1, "anchor")])
    gw2 = gw_key("gw2")
    assert table[ANCHOR] == {Route(FX1, layout.towards(ANCHOR, gw2))}
    assert Route("::/0", layout.towards(gw2, ANCHOR), src=FX1) in table[gw2]


def test_a_detached_host_has_no_routes_at_all() -> None:
    layout = plan(default_network(), NAMES)
    table = routes(layout, None, [(FX1, "anchor"), (SL1, "gw1")])
    assert all(not found for found in table.values())
    attached = routes(layout, "ap1", [])
    assert attached[HOST] == {Route("::/0", layout.host_end.ifname if layout.host_end else "")}


def test_each_pool_is_unreachable_past_what_is_routed_and_the_internet_knows_the_pools() -> None:
    layout = plan(default_network(), NAMES)
    table = static_routes(layout)
    assert Route("2001:db8:1::/48") in table[gw_key("gw1")]  # unreachable: no loop for a gone one
    assert Route("2001:db8::/48") in table[ANCHOR]
    assert Route("2001:db8:2::/48", layout.towards(INTERNET, gw_key("gw2"))) in table[INTERNET]


def test_a_correspondent_that_is_no_address_to_route_is_refused_before_anything_is_built() -> None:
    config = default_network()
    assert problems(config) == []
    config.correspondents.append(CorrespondentConfig("local", "fe80::1"))
    config.correspondents.append(CorrespondentConfig("same", "2001:db8:fffe::1"))
    found = problems(config)
    assert any("local" in p and "routable" in p for p in found)
    assert any("same" in p and "Internet's own" in p for p in found)


def test_a_correspondent_inside_a_pool_gets_its_own_route_everywhere() -> None:
    """R3's near correspondent shares PREFsl1's /64 (Rule 8): a host route at every router
    keeps its packets from being taken for the host's."""
    config = default_network()
    config.correspondents.append(CorrespondentConfig("near", "2001:db8:1:1::99"))
    layout = plan(config, NAMES)
    table = static_routes(layout)
    near = "2001:db8:1:1::99/128"
    assert Route(near, layout.towards(gw_key("gw2"), INTERNET)) in table[gw_key("gw2")]
    assert Route(near, layout.towards(ap_key("ap3"), gw_key("gw2"))) in table[ap_key("ap3")]
    assert not any(r.dst == "2001:db8:ffff::80/128" for r in table[gw_key("gw1")])
    moved = routes(layout, "ap3", [(SL1, "gw1")])
    to_gw1 = layout.towards(gw_key("gw2"), gw_key("gw1"))
    assert Route(near, to_gw1, src=SL1) in moved[gw_key("gw2")]  # still through its anchor
