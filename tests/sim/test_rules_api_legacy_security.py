"""The API (A), backwards compatibility (B), RFC 5014 (R) and security (S) rules, by rule ID."""

from __future__ import annotations

import pytest

from odplay.constants import (
    ERRATA,
    FIXED,
    GRACEFUL_REPLACEMENT,
    IPV6_REQUIRE_SRC_ON_NET,
    NON_PERSISTENT,
    SESSION_LASTING,
    AddressType,
    AddrPreference,
    Status,
    parse_address_type,
)
from odplay.sim.apps import LEGACY, SocketPlan, spec_for
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from tests.conftest import ALL_TYPES, attached


def _row(sim: Simulation, fd: int) -> dict[str, object]:
    return next(s for s in sim.snapshot()["sockets"] if s["fd"] == fd)


def test_A1_setsc_returns_a_status_and_the_address(sim: Simulation) -> None:
    fd = sim.socket("app")
    status, address = sim.setsc(fd, SESSION_LASTING)
    assert status == 0 and address == sim.world.stack.addresses["IPsl1"].value


@pytest.mark.parametrize("value", [0, 5, 6, 7, 8, -1])
def test_A2_reserved_or_out_of_range_types_are_refused(sim: Simulation, value: int) -> None:
    fd = sim.socket("app")
    assert sim.setsc(fd, value) == (Status.EINVAL, None)
    assert "A2" in sim.trace.entries[-1].rules


def test_A2_type_values_are_those_of_section_6_1() -> None:
    assert [(t.name, int(t)) for t in AddressType] == [
        ("FIXED_IPV6_ADDRESS", 1),
        ("SESSION_LASTING_IPV6_ADDRESS", 2),
        ("NON_PERSISTENT_IPV6_ADDRESS", 3),
        ("GRACEFUL_REPLACEMENT_IPV6_ADDRESS", 4),
    ]


def test_A3_success_not_supported_and_failed_when_the_pool_is_dry() -> None:
    sim = attached(supports=set(ALL_TYPES))
    sim.world.network.config.anchor_pool = 1
    a, b, c = sim.socket("a"), sim.socket("b"), sim.socket("c")
    sim.setsockopt(b, IPV6_REQUIRE_SRC_ON_NET)
    assert sim.setsc(a, FIXED)[0] is Status.SUCCESS
    assert sim.setsc(b, FIXED)[0] is Status.EAI_REQUIREDIPFAILED  # the anchor's pool is empty
    sim.world.network.config.supports = {SESSION_LASTING}
    assert sim.setsc(c, NON_PERSISTENT)[0] is Status.SUCCESS  # held: no need to ask
    sim.setsockopt(c, IPV6_REQUIRE_SRC_ON_NET)
    assert sim.setsc(c, NON_PERSISTENT)[0] is Status.EAI_REQUIREDIPNOTSUPPORTED


def test_A4_bind_connect_and_their_failures(sim: Simulation) -> None:
    fd = sim.socket("app")
    assert sim.bind(fd, "IPfx9") is Status.EADDRNOTAVAIL
    _, address = sim.setsc(fd, SESSION_LASTING)
    assert sim.bind(fd, address or "", 0) is Status.SUCCESS
    assert sim.world.stack.sockets[fd].port == 49152  # port 0: the stack chose
    assert sim.setsc(fd, SESSION_LASTING)[0] is Status.EINVAL  # setsc() comes before bind()
    assert sim.connect(fd, "nowhere.invalid") is Status.EHOSTUNREACH  # RFC 6761
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert sim.connect(fd, "www.example.org") is Status.EISCONN
    other = sim.socket("app")
    assert sim.bind(other, "IPsl1", 49152) is Status.EADDRINUSE
    assert sim.close(999) is Status.EBADF


def test_A5_setsc_blocks_only_when_it_must_ask_the_network(full: Simulation) -> None:
    start = full.now
    held = full.socket("app")
    full.setsc(held, SESSION_LASTING)
    assert full.now == start
    asked = full.socket("app")
    full.setsc(asked, FIXED)
    assert full.now == start + full.world.network.config.signalling_delay


def test_A6_on_net_asks_the_serving_network_for_a_new_prefix(sim: Simulation) -> None:
    assert int(IPV6_REQUIRE_SRC_ON_NET) == 0x1000
    fd = sim.socket("app")
    assert sim.setsockopt(fd, IPV6_REQUIRE_SRC_ON_NET) is Status.SUCCESS
    # Read back as Linux composes it (PUBTMP_DEFAULT|HOME), with odplay's own ON_NET bit beside.
    assert sim.getsockopt(fd) == 0x1500
    status, address = sim.setsc(fd, NON_PERSISTENT)
    assert status is Status.SUCCESS
    assert address == sim.world.stack.addresses["IPnp2"].value  # not the held IPnp1
    assert "A6" in sim.trace.of_kind("prefix-request")[-1].rules


def test_A7_the_drafts_inconsistent_names_resolve_to_section_6() -> None:
    assert parse_address_type("IPV6_REQUIRE_SESSION_LASTING_IP") is SESSION_LASTING
    assert parse_address_type("SESSION_LASTING_IPV6_ADDRESS") is SESSION_LASTING
    assert parse_address_type("session-lasting") is SESSION_LASTING
    assert len(ERRATA) == 10 and any("s != 0" in e.says for e in ERRATA)
    assert all(e.where and e.says and e.canonical and e.odplay_does for e in ERRATA)
    sim = Simulation()
    assert sim.socket() == 3  # a valid descriptor is not 0, whatever 4.1's test says


def test_B1_a_legacy_application_gets_no_on_demand_service(sim: Simulation) -> None:
    sim.launch("old", "legacy-app")
    rows = [s for s in sim.snapshot()["sockets"] if s["app"] == "old"]
    assert rows[0]["requested_type"] is None and rows[0]["state"] == "connected"
    assert not [e for e in sim.trace if e.kind == "setsc" and e.actor == "old"]


def test_B2_a_legacy_stack_answers_setsc_with_an_error_and_apps_fall_back() -> None:
    sim = attached(HostPolicy(legacy_stack=True))
    fd = sim.socket("app")
    assert sim.setsc(fd, SESSION_LASTING) == (Status.ENOSYS, None)
    assert sim.setsockopt(fd, IPV6_REQUIRE_SRC_ON_NET) is Status.EINVAL
    plan = SocketPlan(type=SESSION_LASTING, peer="www.example.org", fallback=(LEGACY,))
    sim.launch("careful", "web-browser", spec_for("careful", "web-browser", (plan,)))
    rows = [s for s in sim.snapshot()["sockets"] if s["app"] == "careful"]
    assert rows[-1]["state"] == "connected" and rows[-1]["requested_type"] is None
    assert any(e.kind == "fallback" and "B2" in e.rules for e in sim.trace)


def test_B2_a_legacy_network_refuses_every_typed_request() -> None:
    sim = attached(legacy=True)
    fd = sim.socket("app")
    assert sim.setsc(fd, SESSION_LASTING)[0] is Status.EAI_REQUIREDIPNOTSUPPORTED


def test_B3_the_legacy_calls_still_work_on_the_new_stack(sim: Simulation) -> None:
    server = sim.socket("old-server")
    assert sim.bind(server, "::", 8080) is Status.SUCCESS
    assert sim.listen(server) is Status.SUCCESS
    client = sim.socket("old-client")
    assert sim.connect(client, "www.example.org") is Status.SUCCESS
    assert sim.world.stack.sockets[client].requested_type is None


def test_B4_the_stack_forwards_the_applications_type_to_the_network(full: Simulation) -> None:
    full.setsc(full.socket("app"), GRACEFUL_REPLACEMENT)
    request = full.trace.of_kind("prefix-request")[-1]
    assert "Graceful-replacement" in request.text and "B4" in request.rules


def test_B5_no_type_asked_means_the_network_default_decides() -> None:
    sim = attached(on_attach=[], default_type=SESSION_LASTING)
    assert not sim.world.stack.addresses
    fd = sim.socket("old")
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    request = sim.trace.of_kind("prefix-request")[-1]
    assert "no type" in request.text and "B5" in request.rules
    assert _row(sim, fd)["source_address"] == "IPsl1"  # the network chose Session-lasting


def test_B6_a_prefix_already_given_is_used_without_a_request(sim: Simulation) -> None:
    fd = sim.socket("old")
    sim.connect(fd, "www.example.org")
    assert not sim.trace.of_kind("prefix-request")
    assert _row(sim, fd)["source_address"] == "IPnp1"


def test_B7_a_legacy_network_gives_untyped_prefixes_that_go_with_the_gateway() -> None:
    sim = attached(legacy=True)
    assert [(p["name"], p["type"]) for p in sim.snapshot()["prefixes"]] == [("PREFlg1", "untyped")]
    sim.move("ap3")
    states = {p["name"]: p["state"] for p in sim.snapshot()["prefixes"]}
    assert states == {"PREFlg1": "withdrawn", "PREFlg2": "valid"}


def test_R1_R2_setsc_and_bind_win_over_rfc5014_flags(full: Simulation) -> None:
    fd = full.socket("app")
    full.setsockopt(fd, AddrPreference.IPV6_PREFER_SRC_HOME)
    _, address = full.setsc(fd, NON_PERSISTENT)
    full.bind(fd, address or "")
    full.connect(fd, "www.example.org")
    assert _row(full, fd)["source_address"] == "IPnp1"  # not a home (Fixed) address
    ignored = full.trace.of_kind("rfc5014-ignored")
    assert ignored and {"R1", "R2"} <= set(ignored[0].rules)


def test_R3_setsc_without_bind_leaves_the_source_to_the_flags(full: Simulation) -> None:
    home = full.socket("app")
    full.setsc(home, FIXED)  # so that a Fixed (home) address exists
    fd = full.socket("app")
    full.setsockopt(fd, AddrPreference.IPV6_PREFER_SRC_HOME)
    full.setsc(fd, NON_PERSISTENT)
    assert full.connect(fd, "www.example.org") is Status.SUCCESS
    row = _row(full, fd)
    assert row["setsc_address"] == "IPnp1" and row["source_address"] == "IPfx1"
    assert full.trace.of_kind("setsc-unused")[0].rules == ("R3",)


def test_S1_a_permission_policy_refuses_fixed_to_unprivileged_applications() -> None:
    policy = HostPolicy(permissions={FIXED: frozenset({"web-server"})})
    sim = attached(policy, supports=set(ALL_TYPES))
    refused = sim.socket("game")
    assert sim.setsc(refused, FIXED) == (Status.EPERM, None)
    assert "S1" in sim.trace.entries[-1].rules
    allowed = sim.socket("web-server")
    assert sim.setsc(allowed, FIXED)[0] is Status.SUCCESS
    assert sim.world.stack.sockets[refused].state is SocketState.OPEN
