"""Every checkable sentence the playground says about the model is true of the model.

The help screen's table (odplay/ui/screens/help.md) claims, per address type, whether a session
lasts, whether the address is reachable at a published name, and where it is anchored; its text
claims what setsc() returns and what ON_NET does; the move dialog claims what each move does to
the prefixes. Each claim is read from where the playground says it and checked against a run of
the model. A cell this test does not know fails it: a new claim needs a check.

It used to say a Fixed address is reachable "even while detached": the host is not reachable at
all while detached (C2, T1).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources

import pytest

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    ON_NET,
    SESSION_LASTING,
    AddressType,
    Status,
)
from odplay.session.views import move_choices
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec, SocketPlan
from odplay.sim.network import GatewayConfig, SameGatewayMove
from odplay.sim.policy import HostPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import PrefixState, SocketState
from tests.conftest import ALL_TYPES, network

HELP = resources.files("odplay.ui.screens").joinpath("help.md").read_text(encoding="utf-8")
TYPES = {
    "Fixed": FIXED,
    "Session-lasting": SESSION_LASTING,
    "Non-persistent": NON_PERSISTENT,
    "Graceful-replacement": GRACEFUL_REPLACEMENT,
}
GRACE = 3000
NAME = "srv.mh.example"


def _plain(cell: str) -> str:
    """A cell's words, without the bold and the rule IDs in brackets."""
    return re.sub(r"\s*\(\*\*[A-Z]\d+\*\*\)", "", cell).replace("**", "").strip()


def _type_table() -> dict[str, tuple[str, str, str]]:
    """The help's type table: type -> (keeps the session?, reachable?, anchored at)."""
    rows = {}
    for line in HELP.splitlines():
        if line.startswith("| **"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            name = re.match(r"\*\*(.+?)\*\*", cells[0])
            assert name is not None
            rows[name.group(1)] = (_plain(cells[1]), _plain(cells[2]), _plain(cells[3]))
    return rows


# ---------------------------------------------------------------------- runs of the model


def _sim(policy: HostPolicy | None = None) -> Simulation:
    sim = Simulation(network(supports=set(ALL_TYPES), grace_period=GRACE), policy, seed=3)
    sim.attach("ap1")
    return sim


def _client(sim: Simulation, type_: AddressType) -> int:
    """A socket of `type_`, bound to what setsc() gave and connected."""
    fd = sim.socket("client")
    status, _ = sim.setsc(fd, type_)
    assert status is Status.SUCCESS
    address = sim.world.stack.sockets[fd].setsc_address
    assert address is not None
    assert sim.bind(fd, address) is Status.SUCCESS
    assert sim.connect(fd, "www.example.org", 443) is Status.SUCCESS
    return fd


def _server(sim: Simulation, type_: AddressType) -> None:
    """A server listening on an address of `type_`, published in DNS as NAME; when its socket
    breaks it does not come back, so that the published address is what is reached."""
    plan = SocketPlan(type=type_, listen_port=443, publish=NAME, reestablish=False)
    sim.apply(cmd.Launch(AppSpec("srv", "web-server", (plan,))))
    sim.run_for(100)  # a setsc() that asks the network is answered
    assert sim.reach(NAME, 443)


def _state(sim: Simulation, fd: int) -> SocketState:
    return sim.world.stack.sockets[fd].state


def _prefix_of(sim: Simulation, fd: int) -> str:
    address = sim.world.stack.sockets[fd].setsc_address
    assert address is not None
    return address.replace("IP", "PREF", 1)


# Keeps the session?


def _lasts_through_moves_and_detach(type_: AddressType) -> None:
    sim = _sim()
    fd = _client(sim, type_)
    for ap in ("ap3", None, "ap1"):
        sim.detach() if ap is None else (
            sim.attach(ap) if sim.world.stack.attachment is None else sim.move(ap)
        )
        sim.run_for(GRACE + 1000)
        assert _state(sim, fd) is SocketState.CONNECTED


def _lasts_through_a_gateway_change(type_: AddressType) -> None:
    sim = _sim()
    fd = _client(sim, type_)
    sim.move("ap3")
    sim.run_for(GRACE + 1000)
    assert _state(sim, fd) is SocketState.CONNECTED


def _breaks_at_a_gateway_change(type_: AddressType) -> None:
    sim = _sim()
    fd = _client(sim, type_)
    prefix = _prefix_of(sim, fd)
    sim.move("ap3")
    assert sim.world.stack.prefixes[prefix].state is PrefixState.WITHDRAWN
    assert _state(sim, fd) is SocketState.BROKEN


def _lasts_for_the_grace_period(type_: AddressType) -> None:
    sim = _sim()
    fd = _client(sim, type_)
    sim.move("ap3")
    sim.run_for(GRACE - 1)
    assert _state(sim, fd) is SocketState.CONNECTED
    sim.run_for(1)
    assert _state(sim, fd) is SocketState.BROKEN


# Reachable at a published address?


def _reachable_after_moves_not_while_detached(type_: AddressType) -> None:
    sim = _sim()
    _server(sim, type_)
    sim.move("ap3")
    assert sim.reach(NAME, 443)
    sim.detach()
    assert not sim.reach(NAME, 443)
    sim.attach("ap2")
    assert sim.reach(NAME, 443)
    sim.run_for(GRACE + 1000)
    assert sim.reach(NAME, 443)
    assert len(sim.trace.of_kind("publish")) == 1  # nothing published again


def _gone_with_its_last_socket_under_release(type_: AddressType) -> None:
    sim = _sim(HostPolicy(on_last_close=LastClosePolicy.RELEASE))
    _server(sim, type_)
    sim.move("ap3")
    assert sim.reach(NAME, 443)  # while its socket lasts, even after a move...
    sim.quit("srv")
    sim.apply(cmd.Launch(AppSpec("any", "web-server", (SocketPlan(listen_port=443),))))
    assert not sim.reach(NAME, 443)  # ...but not once it is released: it was not promised
    assert "released" in sim.trace.of_kind("address-released")[-1].text


def _unreachable_after_a_gateway_change(type_: AddressType) -> None:
    sim = _sim()
    _server(sim, type_)
    sim.move("ap3")
    assert not sim.reach(NAME, 443)


def _unreachable_after_the_grace_period(type_: AddressType) -> None:
    sim = _sim()
    _server(sim, type_)
    sim.move("ap3")
    assert sim.reach(NAME, 443)
    sim.run_for(GRACE)
    assert not sim.reach(NAME, 443)


# Anchored at


def _anchor(type_: AddressType) -> tuple[Simulation, str]:
    sim = _sim()
    fd = _client(sim, type_)
    return sim, sim.world.stack.prefixes[_prefix_of(sim, fd)].anchor


def _at_the_central_anchor(type_: AddressType) -> None:
    sim, anchor = _anchor(type_)
    assert anchor == sim.world.network.config.anchor


def _at_the_gateway_that_gave_it(type_: AddressType) -> None:
    sim, anchor = _anchor(type_)
    assert anchor == "gw1"
    sim.move("ap3")  # served by gw2 now; the prefix stays where it came from
    assert [p.anchor for p in sim.world.stack.prefixes.values() if p.type is type_] == ["gw1"]


def _at_the_serving_gateway(type_: AddressType) -> None:
    sim, anchor = _anchor(type_)
    assert anchor == sim.world.stack.serving_gateway == "gw1"


def _at_the_serving_gateway_on_the_shortest_path(type_: AddressType) -> None:
    _at_the_serving_gateway(type_)
    sim = _sim()
    fd = _client(sim, type_)
    path = sim.world.stack.path_of(sim.world.stack.sockets[fd])
    assert path is not None and path.via is None


Check = Callable[[AddressType], None]
CONTINUITY: dict[str, Check] = {
    "yes": _lasts_through_moves_and_detach,
    "yes, for the socket's life": _lasts_through_a_gateway_change,
    "no: a gateway change withdraws it": _breaks_at_a_gateway_change,
    "for a grace period after a move": _lasts_for_the_grace_period,
}
REACHABILITY: dict[str, Check] = {
    "yes, after every move, with nothing published again; not while detached": (
        _reachable_after_moves_not_while_detached
    ),
    "not promised: once its last socket closes it may be released": (
        _gone_with_its_last_socket_under_release
    ),
    "no: a gateway change withdraws it": _unreachable_after_a_gateway_change,
    "no: it goes when its grace period ends": _unreachable_after_the_grace_period,
}
ANCHORED: dict[str, Check] = {
    "the central anchor": _at_the_central_anchor,
    "the gateway that gave it": _at_the_gateway_that_gave_it,
    "the serving gateway: the shortest path": _at_the_serving_gateway_on_the_shortest_path,
    "the serving gateway": _at_the_serving_gateway,
}


def test_the_help_table_has_a_row_for_every_type() -> None:
    assert sorted(_type_table()) == sorted(TYPES)


@pytest.mark.parametrize("name", sorted(TYPES))
@pytest.mark.parametrize(
    ("column", "checks"),
    [(0, CONTINUITY), (1, REACHABILITY), (2, ANCHORED)],
    ids=["keeps-the-session", "reachable", "anchored-at"],
)
def test_each_claim_of_the_help_table_holds_in_a_run(
    name: str, column: int, checks: dict[str, Check]
) -> None:
    claim = _type_table()[name][column]
    assert claim in checks, f"the help claims {claim!r} of {name}: add a check for it here"
    checks[claim](TYPES[name])


def test_a_fixed_address_is_not_reachable_while_detached_C2_T1() -> None:
    """The claim that was false: detached, nothing reaches the host, Fixed address or not."""
    assert "even while detached" not in HELP
    sim = _sim()
    _server(sim, FIXED)
    sim.detach()
    assert "IPfx1" in sim.world.stack.addresses  # still configured (T1)...
    assert not sim.reach(NAME, 443)  # ...but out of reach
    assert "detached" in sim.trace.of_kind("reach")[-1].text


# ---------------------------------------------------------------------- the help's text


def test_setsc_returns_what_the_help_says_A2_A3_A5() -> None:
    assert "Values 0 and 5-7 are reserved (**A2**)" in HELP
    sim = _sim()
    for reserved in (0, 5, 6, 7):
        assert sim.setsc(sim.socket("app"), reserved)[0] is not Status.SUCCESS
    assert sim.setsc(sim.socket("app"), NON_PERSISTENT)[0] is Status.SUCCESS
    # It may block while the stack asks the network: no Fixed prefix is held yet.
    assert sim.apply(cmd.Setsc(sim.socket("app"), int(FIXED))) is None
    unsupported = Simulation(network(supports={SESSION_LASTING}), seed=3)
    unsupported.attach("ap1")
    status = unsupported.setsc(unsupported.socket("app"), GRACEFUL_REPLACEMENT)[0]
    assert status is Status.EAI_REQUIREDIPNOTSUPPORTED
    dry = Simulation(
        network(
            supports=set(ALL_TYPES), gateways=[GatewayConfig("gw1", pool=2), GatewayConfig("gw2")]
        ),
        seed=3,
    )
    dry.attach("ap1")  # the two on-attach prefixes empty gw1's pool
    status = dry.setsc(dry.socket("app"), GRACEFUL_REPLACEMENT)[0]
    assert status is Status.EAI_REQUIREDIPFAILED


def test_on_net_asks_the_current_network_for_a_fresh_prefix_A6() -> None:
    assert "`IPV6_REQUIRE_SRC_ON_NET` makes the stack ask the *current* network" in HELP
    sim = _sim()
    held = sim.world.stack.prefixes["PREFnp1"]
    sim.move("ap2")  # the same gateway: PREFnp1 is held and on the current network's gateway
    fd = sim.socket("app")
    sim.setsockopt(fd, int(ON_NET))
    requests = len(sim.trace.of_kind("prefix-request"))
    status, _ = sim.setsc(fd, NON_PERSISTENT)
    assert status is Status.SUCCESS
    assert len(sim.trace.of_kind("prefix-request")) == requests + 1
    fresh = sim.world.stack.sockets[fd].setsc_address
    assert fresh is not None and fresh != held.address
    assert sim.world.stack.prefixes[fresh.replace("IP", "PREF", 1)].anchor == "gw1"


def test_one_application_has_a_fixed_and_a_session_lasting_socket_G1() -> None:
    assert "a Fixed control socket and a Session-lasting\ndata socket (**G1**)" in HELP
    sim = _sim()
    plans = (
        SocketPlan(role="control", type=FIXED, peer="vpn.example.com"),
        SocketPlan(role="data", type=SESSION_LASTING, peer="www.example.org"),
    )
    sim.apply(cmd.Launch(AppSpec("both", "vpn-client", plans)))
    sim.run_for(1000)
    types = {s.role: s.requested_type for s in sim.world.stack.sockets.values()}
    assert types == {"control": FIXED, "data": SESSION_LASTING}
    assert all(s.state is SocketState.CONNECTED for s in sim.world.stack.sockets.values())


# ---------------------------------------------------------------------- the move dialog


def test_each_move_does_what_the_move_dialog_says_D6_T1_T3_T4() -> None:
    sim = _sim()
    _client(sim, FIXED)
    labels = dict(move_choices(sim.world.network.config, "ap1"))
    assert labels["ap2"].endswith("same gateway, every prefix stays (T3)")
    before = {n for n, p in sim.world.stack.prefixes.items() if p.usable}
    sim.move("ap2")
    assert {n for n, p in sim.world.stack.prefixes.items() if p.usable} == before

    labels = dict(move_choices(sim.world.network.config, "ap2"))
    assert labels["ap3"].endswith("gateway change, Non-persistent prefixes go (T3, T4)")
    sim.move("ap3")
    gone = {n for n, p in sim.world.stack.prefixes.items() if not p.usable}
    assert gone == {n for n in before if sim.world.stack.prefixes[n].type is NON_PERSISTENT}

    labels = dict(move_choices(sim.world.network.config, "ap3"))
    assert labels["detach"] == "Detach: no network; Fixed addresses stay configured (T1)"
    sim.detach()
    assert "IPfx1" in sim.world.stack.addresses

    labels = dict(move_choices(sim.world.network.config, None))
    assert labels["ap1"] == "Attach to ap1 (gw1): the network offers its prefixes (D6)"
    offered = len(sim.trace.of_kind("prefix-offered"))
    sim.attach("ap1")
    assert len(sim.trace.of_kind("prefix-offered")) > offered


def test_a_same_gateway_move_under_replace_says_it_replaces_T3() -> None:
    sim = Simulation(network(same_gateway_move=SameGatewayMove.REPLACE), seed=3)
    sim.attach("ap1")
    labels = dict(move_choices(sim.world.network.config, "ap1"))
    assert labels["ap2"].endswith("same gateway, Non-persistent prefixes are replaced (T3)")
    sim.move("ap2")
    assert sim.world.stack.prefixes["PREFnp1"].state is PrefixState.WITHDRAWN
