"""R3 (5.4) and B3: the source a socket that never bound gets, step by step in RFC 6724's order
(odplay/sim/stack/source_selection.py, docs/choices.md), and the ladder telling what was chosen."""

from __future__ import annotations

import itertools

import pytest

from odplay.constants import (
    FIXED,
    GRACEFUL_REPLACEMENT,
    NON_PERSISTENT,
    SESSION_LASTING,
    AddressType,
    AddrPreference,
    Status,
)
from odplay.sim.events import Pick
from odplay.sim.narration import PICKS
from odplay.sim.network import CorrespondentConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.stack.source_selection import common_prefix_length
from odplay.sim.trace import TraceEntry
from tests.conftest import ALL_TYPES, attached

HOME = AddrPreference.IPV6_PREFER_SRC_HOME
COA = AddrPreference.IPV6_PREFER_SRC_COA


def _source(sim: Simulation, fd: int) -> str | None:
    row = next(s for s in sim.snapshot()["sockets"] if s["fd"] == fd)
    return row["source_address"]  # type: ignore[no-any-return]


def _connect_unbound(sim: Simulation, flags: int = 0, type_: AddressType | None = None) -> int:
    """A socket that sets `flags`, asks setsc() for `type_` (if any), never binds, connects."""
    fd = sim.socket("app")
    if flags:
        assert sim.setsockopt(fd, flags) is Status.SUCCESS
    if type_ is not None:
        assert sim.setsc(fd, type_)[0] is Status.SUCCESS
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    return fd


def _unused(sim: Simulation) -> TraceEntry:
    return sim.trace.of_kind("setsc-unused")[-1]


def _with_fixed(**settings: object) -> Simulation:
    """A host at ap1 holding IPsl1 and IPnp1 (gw1) and, from a setsc(), IPfx1 (the anchor)."""
    sim = attached(supports=set(ALL_TYPES), **settings)
    sim.setsc(sim.socket("holder"), FIXED)
    return sim


def test_R3_setsc_without_bind_may_still_get_that_address_and_the_ladder_says_so() -> None:
    """Before: 'IPnp1 from setsc() is not used', then connect() from IPnp1. Now both agree."""
    sim = attached()
    fd = _connect_unbound(sim, type_=NON_PERSISTENT)
    assert _source(sim, fd) == "IPnp1"
    entry = _unused(sim)
    assert entry.data["source"] == "IPnp1" and entry.rules == ("R3",)
    assert "IPnp1, the address setsc() made" in entry.text
    assert "not used" not in entry.text and "not its source" not in entry.text


def test_R3_HOME_and_COA_steer_only_where_the_application_set_them() -> None:
    sim = _with_fixed()
    assert _source(sim, _connect_unbound(sim)) == "IPnp1"  # no flag: not the home address
    assert _source(sim, _connect_unbound(sim, HOME)) == "IPfx1"
    assert _source(sim, _connect_unbound(sim, COA, FIXED)) in ("IPsl1", "IPnp1")
    assert "IPfx1 from setsc() is not its source" in _unused(sim).text


def test_R3_the_flags_come_before_the_hosts_default_type() -> None:
    """After a move, D10's Session-lasting default wins without flags; COA wins over it."""
    sim = _with_fixed()
    sim.world.stack.policy.default_type = SESSION_LASTING
    sim.move("ap3")
    plain = _connect_unbound(sim, type_=NON_PERSISTENT)
    assert _source(sim, plain) == "IPsl1"
    assert "D10" in _unused(sim).rules and "default type" in _unused(sim).text
    coa = _connect_unbound(sim, COA, NON_PERSISTENT)
    assert _source(sim, coa) == "IPnp2"  # the serving gateway's (gw2), not D10's IPsl1
    assert "COA flag" in _unused(sim).text


def test_R3_rule_3_avoids_a_deprecated_address() -> None:
    sim = attached(supports={GRACEFUL_REPLACEMENT}, on_attach=[GRACEFUL_REPLACEMENT])
    fd = sim.socket("app")
    assert sim.setsc(fd, GRACEFUL_REPLACEMENT)[1] is not None  # IPgr1, never bound
    sim.move("ap3")  # IPgr1 deprecated; gw2 gives IPgr2
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert _source(sim, fd) == "IPgr2"
    assert "the others are deprecated" in _unused(sim).text


def test_R3_rule_3_avoids_but_never_refuses_a_deprecated_address() -> None:
    """Before: with only a deprecated address, a legacy connect() asked the network (B5)."""
    sim = attached(supports={GRACEFUL_REPLACEMENT}, on_attach=[GRACEFUL_REPLACEMENT])
    sim.world.network.config.gateway("gw2").pool = 0  # no replacement after the move
    fd = sim.socket("app")
    sim.setsc(fd, GRACEFUL_REPLACEMENT)
    sim.move("ap3")
    requests = len(sim.trace.of_kind("prefix-request"))
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert _source(sim, fd) == "IPgr1"
    assert len(sim.trace.of_kind("prefix-request")) == requests  # nothing asked
    assert "rule 3 only avoids" in _unused(sim).text


def _near(sl_or_np: str) -> CorrespondentConfig:
    """A correspondent inside one of gw1's prefixes (2001:db8:1:1::/64 or ...:1:2::/64)."""
    return CorrespondentConfig(f"near-{sl_or_np}", f"2001:db8:1:{sl_or_np}::99")


def test_R3_rule_8_picks_the_longest_prefix_shared_with_the_destination() -> None:
    correspondents = [*default_network().correspondents, _near("1"), _near("2")]
    sim = attached(correspondents=correspondents)
    toward_sl, toward_np = sim.socket("app"), sim.socket("app")
    assert sim.connect(toward_sl, "near-1") is Status.SUCCESS
    assert sim.connect(toward_np, "near-2") is Status.SUCCESS
    assert _source(sim, toward_sl) == "IPsl1"  # 64 bits shared, against 62 with IPnp1
    assert _source(sim, toward_np) == "IPnp1"
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    sim.connect(fd, "near-1")
    assert _unused(sim).data["source"] == "IPsl1" and "longest prefix" in _unused(sim).text


def test_R3_rule_8_counts_only_up_to_the_prefix_length() -> None:
    assert common_prefix_length("2001:db8:1:1::aa", "2001:db8:1:1::aa") == 64
    assert common_prefix_length("2001:db8:1:1::1", "2001:db8:1:2::1") == 62
    assert common_prefix_length("2001:db8:1:1::1", "2001:db8:ffff::80") == 32


def test_R3_a_full_tie_goes_to_the_most_recently_added_address() -> None:
    sim = attached(supports=set(ALL_TYPES))
    fresh = sim.socket("app")
    sim.setsockopt(fresh, AddrPreference.IPV6_REQUIRE_SRC_ON_NET)
    sim.setsc(fresh, SESSION_LASTING)  # IPsl2, added after IPnp1
    fd = _connect_unbound(sim, type_=NON_PERSISTENT)
    assert _source(sim, fd) == "IPsl2"  # the newest, though setsc() gave IPnp1
    assert "most recently added" in _unused(sim).text


def test_R3_every_step_has_words_on_the_ladder() -> None:
    assert set(PICKS) == set(Pick)


@pytest.mark.parametrize("default_type", [None, SESSION_LASTING, FIXED])
def test_R3_the_ladder_and_the_model_agree_whatever_is_picked(
    default_type: AddressType | None,
) -> None:
    """Every flag and type combination: the R3 entry names the source connect() then uses."""
    flag_sets = [0, HOME, COA, AddrPreference.IPV6_PREFER_SRC_TMP]
    for flags, type_, moved in itertools.product(flag_sets, sorted(ALL_TYPES), (False, True)):
        sim = _with_fixed()
        sim.world.stack.policy.default_type = default_type
        if moved:
            sim.move("ap3")
        fd = sim.socket("app")
        if flags:
            sim.setsockopt(fd, flags)
        status, _ = sim.setsc(fd, type_)
        if status is not Status.SUCCESS:
            continue
        given = sim.world.stack.sockets[fd].setsc_address
        assert sim.connect(fd, "www.example.org") is Status.SUCCESS
        entry, connected = _unused(sim), sim.trace.of_kind("connect")[-1]
        assert entry.data["source"] == connected.data["source"] == _source(sim, fd)
        if entry.data["source"] == given:
            assert "the address setsc() made" in entry.text and "not its source" not in entry.text
        else:
            assert f"{given} from setsc() is not its source" in entry.text
        assert "not used" not in entry.text


def test_B3_a_legacy_socket_with_nothing_held_still_asks_the_network() -> None:
    sim = attached(on_attach=[], default_type=SESSION_LASTING)
    fd = sim.socket("old")
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert "B5" in sim.trace.of_kind("prefix-request")[-1].rules
    assert _source(sim, fd) == "IPsl1"


def test_R3_a_policy_default_type_is_told_with_D10_on_connect() -> None:
    sim = attached(HostPolicy(default_type=SESSION_LASTING))
    fd = sim.socket("old")
    sim.connect(fd, "www.example.org")
    assert _source(sim, fd) == "IPsl1"  # without the policy: IPnp1, the newest
    assert "D10" in sim.trace.of_kind("connect")[-1].rules
