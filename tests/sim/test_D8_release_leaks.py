"""D8 (Section 3.4): under `host.on_last_close: release`, every address nobody holds goes back.

Two addresses used to stay configured for ever: the one a replaced setsc() (a second setsc() on
the same socket) left without a holder, and one the network granted for a socket that closed
while its request was pending. Nothing is asked for a closed socket without the ladder saying
what becomes of it.

Each test says what happened before this was fixed; each fails on that behaviour.
"""

from __future__ import annotations

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.sim import commands as cmd
from odplay.sim.policy import AllocationPolicy, HostPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from tests.conftest import ALL_TYPES, attached
from tests.invariants import check_world

RELEASE = HostPolicy(on_last_close=LastClosePolicy.RELEASE)


def _state(sim: Simulation, prefix: str) -> str:
    return sim.world.stack.prefixes[prefix].state.value


def test_D8_a_replaced_setsc_address_is_released() -> None:
    # Before: setsc(NP) then setsc(SL) on one socket left IPnp1 configured with no holder, and
    # closing the socket never released it (only IPsl1 was looked at). Now IPnp1 goes at once.
    sim = attached(RELEASE)
    fd = sim.socket("app")
    assert sim.setsc(fd, NON_PERSISTENT)[0] is Status.SUCCESS
    assert sim.setsc(fd, SESSION_LASTING)[0] is Status.SUCCESS
    assert _state(sim, "PREFnp1") == "released" and "IPnp1" not in sim.world.stack.addresses
    entries = sim.trace.entries
    assert [e.kind for e in entries[-2:]] == ["setsc-result", "address-released"]
    assert entries[-1].data["address"] == "IPnp1" and entries[-1].rules == ("D8",)
    sim.close(fd)
    assert _state(sim, "PREFsl1") == "released"
    check_world(sim.world)


def test_D8_a_replaced_setsc_that_asks_the_network_releases_the_old_address_meanwhile() -> None:
    # The second setsc() blocks on a fresh request (D9): the first address is left at once.
    policy = HostPolicy(on_last_close=LastClosePolicy.RELEASE, allocation=AllocationPolicy.FRESH)
    sim = attached(policy)
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)  # fresh: asks for PREFnp2
    assert sim.world.stack.sockets[fd].setsc_address == "IPnp2"
    assert sim.apply(cmd.Setsc(fd, int(NON_PERSISTENT))) is None  # blocked, asking for PREFnp3
    assert _state(sim, "PREFnp2") == "released"
    sim.run_for(1000)
    assert sim.world.stack.sockets[fd].setsc_address == "IPnp3"
    check_world(sim.world)


def test_D8_a_second_setsc_given_the_same_address_keeps_it() -> None:
    sim = attached(RELEASE)
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    sim.setsc(fd, NON_PERSISTENT)  # reuse: IPnp1 again, nothing released
    assert _state(sim, "PREFnp1") == "valid"
    assert not sim.trace.of_kind("address-released")


def test_D8_a_replaced_setsc_address_still_used_by_another_socket_stays() -> None:
    sim = attached(RELEASE)
    user = sim.socket("user")
    sim.setsc(user, NON_PERSISTENT)
    sim.bind(user, "IPnp1")
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    sim.setsc(fd, SESSION_LASTING)
    assert _state(sim, "PREFnp1") == "valid"


def test_D8_under_keep_a_replaced_setsc_address_is_kept_and_the_ladder_says_so() -> None:
    sim = attached()
    fd = sim.socket("app")
    sim.setsc(fd, NON_PERSISTENT)
    sim.setsc(fd, SESSION_LASTING)
    kept = sim.trace.of_kind("address-kept")[-1]
    assert kept.data["address"] == "IPnp1" and "policy: keep" in kept.text
    assert _state(sim, "PREFnp1") == "valid"


def _close_while_pending(sim: Simulation, type_value: int) -> int:
    fd = sim.socket("app")
    assert sim.apply(cmd.Setsc(fd, type_value)) is None  # blocked: the stack asks the network
    assert sim.close(fd) is Status.SUCCESS
    sim.run_for(1000)
    return fd


def test_D8_a_prefix_granted_for_a_closed_socket_is_released() -> None:
    # Before: PREFsl2 came after its socket had closed and stayed valid for ever, with
    # no word on the ladder. Now it is released, and the ladder says why.
    policy = HostPolicy(on_last_close=LastClosePolicy.RELEASE, allocation=AllocationPolicy.FRESH)
    sim = attached(policy)
    fd = _close_while_pending(sim, int(SESSION_LASTING))
    assert _state(sim, "PREFsl2") == "released" and "IPsl2" not in sim.world.stack.addresses
    told = sim.trace.of_kind("granted-for-closed")
    assert len(told) == 1 and told[0].rules == ("D8",)
    assert told[0].data == {"fd": fd, "address": "IPsl2", "prefix": "PREFsl2", "released": True}
    assert told[0].text == (
        f"PREFsl2 came for socket {fd}, closed before the answer: IPsl2 released with PREFsl2 "
        "(policy: release)"
    )
    check_world(sim.world)


def test_D8_under_keep_a_prefix_granted_for_a_closed_socket_is_kept_and_said() -> None:
    sim = attached(HostPolicy(allocation=AllocationPolicy.FRESH))
    _close_while_pending(sim, int(SESSION_LASTING))
    assert _state(sim, "PREFsl2") == "valid"
    told = sim.trace.of_kind("granted-for-closed")
    assert len(told) == 1 and told[0].text.endswith("IPsl2 kept (policy: keep)")


def test_D8_T1_a_fixed_prefix_granted_for_a_closed_socket_is_kept_whatever_the_policy() -> None:
    sim = attached(RELEASE, supports=set(ALL_TYPES))
    _close_while_pending(sim, int(FIXED))
    assert _state(sim, "PREFfx1") == "valid"
    told = sim.trace.of_kind("granted-for-closed")[0]
    assert told.data["released"] is False and "(T1)" in told.text


def test_D8_a_prefix_a_closed_connect_asked_for_is_released_too() -> None:
    # B5: a socket with no type connects while the host holds nothing; the stack asks the
    # network for an untyped prefix. The socket closes before the answer.
    sim = attached(RELEASE, on_attach=[])
    fd = sim.socket("legacy")
    assert sim.apply(cmd.Connect(fd, "www.example.org", 443)) is None
    sim.close(fd)
    sim.run_for(1000)
    assert _state(sim, "PREFnp1") == "released"
    assert sim.trace.of_kind("granted-for-closed")[0].data["fd"] == fd
    check_world(sim.world)
