"""The network drawn as a map (C3, D11): where the host is, and each socket's path through the
gateways and anchors, in odplay.report.network_drawing; the tree where the map does not fit."""

from __future__ import annotations

from rich.text import Text

from odplay.constants import FIXED, SESSION_LASTING
from odplay.report.network_drawing import (
    ANCHOR_STYLE,
    DIRECT_STYLE,
    MAP_ROWS,
    TUNNEL_STYLE,
    draw_map,
    draw_network,
    draw_tree,
    map_width,
)
from odplay.session.session import Session
from odplay.session.views import topology
from odplay.sim.apps import AppSpec, SocketPlan
from odplay.sim.network import AttachmentPointConfig, GatewayConfig, default_network

WIDTH = 60


def _session(type_: int = SESSION_LASTING, peer: str = "www.example.org") -> Session:
    network = default_network()
    network.supports.add(FIXED)
    session = Session.free(network)
    session.launch(AppSpec("app1", "web-browser", (SocketPlan(type=type_, peer=peer),)))  # type: ignore[arg-type]
    session.sim.run_for(2000)
    return session


def _drawn(session: Session, width: int = WIDTH) -> Text:
    text = draw_map(topology(session.world), width)
    assert text is not None
    return text


def _rows(text: Text) -> list[str]:
    return text.plain.split("\n")


def _column(row: str, name: str) -> int:
    """The column of the middle of `name` in `row`."""
    start = row.index(name)
    return start + len(name) // 2


def _styled(text: Text, style: str) -> str:
    """Every character drawn in `style`, in order."""
    return "".join(text.plain[s.start : s.end] for s in text.spans if s.style == style)


def test_the_default_network_at_attach_draws_every_node_and_the_host_under_ap1() -> None:
    text = _drawn(_session())
    rows = _rows(text)
    assert rows[0].startswith("Internet: www.example.org")
    assert all(name in rows[2] for name in ("anchor", "gw1", "gw2"))
    assert all(name in rows[5] for name in ("ap1", "ap2", "ap3"))
    assert rows[6].index("▲ host") == _column(rows[5], "ap1")
    # gw1 is joined to both its attachment points, gw2 to its one; the tunnels are dashed.
    assert rows[4][_column(rows[5], "ap1")] == "┌" and rows[4][_column(rows[5], "ap2")] == "┐"
    assert rows[4][_column(rows[2], "gw1")] == "┴"
    assert "┄" in rows[3] and rows[3][_column(rows[2], "anchor")] == "└"
    # The Session-lasting socket goes straight out of gw1 (D11): drawn and listed as direct.
    assert "24ms direct" in text.plain and "ap1 ▸ gw1 ▸ www.example.org  app1/3" in text.plain
    assert "gw1" in _styled(text, DIRECT_STYLE) and "anchor" not in _styled(text, DIRECT_STYLE)


def test_after_a_move_the_host_is_under_ap3_and_the_path_goes_back_through_gw1_T4() -> None:
    session = _session()
    session.move("ap3")
    session.sim.run_for(2000)
    text = _drawn(session)
    rows = _rows(text)
    assert rows[6].index("▲ host") == _column(rows[5], "ap3")
    assert "via gw1" in text.plain and "ap3 ▸ gw2 ▸ gw1 ▸ www.example.org" in text.plain
    tunnel = _styled(text, TUNNEL_STYLE)
    assert "gw1" in tunnel and "┄" in tunnel  # the tunnel from gw2 back to gw1 is coloured


def test_detached_the_host_is_on_no_attachment_point_T1() -> None:
    session = _session()
    session.detach()
    text = _drawn(session)
    rows = _rows(text)
    assert "host detached" in rows[6] and "▲" not in text.plain
    assert "━━" not in text.plain  # no path while detached


def test_a_fixed_socket_is_drawn_through_the_central_anchor_C3() -> None:
    text = _drawn(_session(FIXED, "vpn.example.com"))
    assert "via anchor" in text.plain
    assert "ap1 ▸ gw1 ▸ anchor ▸ vpn.example.com  app1/3" in text.plain
    through = _styled(text, ANCHOR_STYLE)
    assert "anchor" in through and "┄" in through  # the tunnel from gw1 to the anchor
    assert not _styled(text, DIRECT_STYLE)


def test_the_map_spreads_out_with_the_width_it_is_given() -> None:
    session = _session()
    narrow, wide = _rows(_drawn(session, 40)), _rows(_drawn(session, 120))
    span = _column(narrow[5], "ap3") - _column(narrow[5], "ap1")
    assert _column(wide[5], "ap3") - _column(wide[5], "ap1") > 2 * span


def test_the_tree_where_the_map_does_not_fit() -> None:
    view = topology(_session().world)
    narrowest = map_width(view)
    assert draw_map(view, narrowest - 1) is None
    assert draw_network(view, narrowest - 1).plain == draw_tree(view).plain
    assert draw_network(view, 100, height=MAP_ROWS).plain == draw_tree(view).plain  # too short
    assert draw_network(view, 100, height=MAP_ROWS + 1).plain.startswith("Internet")
    assert "anchor (Fixed prefixes)" in draw_tree(view).plain


def test_hostile_names_are_shown_as_text_in_the_map_and_the_tree() -> None:
    network = default_network()
    hostile_gw = "[b]gw\x1b[2J"
    network.gateways.append(GatewayConfig(hostile_gw))
    network.attachment_points.append(AttachmentPointConfig("[link=x]ap\x07", hostile_gw))
    network.correspondents[0].name = "[blink]www\x9b"
    view = topology(Session.free(network).world)
    for text in (draw_map(view, 120), draw_tree(view)):
        assert text is not None
        plain = text.plain
        assert "[b]gw\\e[2J" in plain and "[link=x]ap\\a" in plain
        assert not any(c in plain for c in "\x1b\x07\x9b")
    assert "[blink]www\\x9b" in (draw_map(view, 120) or Text()).plain
