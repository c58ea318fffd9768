"""S1 (Section 7): a type an application may not use is refused on every path that gives it one.

setsc() refused it already; an explicit bind() to an address of that type is refused now too,
with EPERM, rule S1, and the setting that refuses it (`host.permissions`) in the ladder's text.
(Source selection for a socket that never bound is another path; see source_selection.py.)

Each test says what happened before this was fixed; each fails on that behaviour.
"""

from __future__ import annotations

from odplay.constants import FIXED, SESSION_LASTING, Status
from odplay.scenario.loader import parse_scenario
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from tests.conftest import ALL_TYPES, attached

ONLY_SRV = HostPolicy(permissions={FIXED: frozenset({"srv"})})


def _with_fixed() -> Simulation:
    """IPfx1 configured for the web server `srv`, the only application allowed Fixed."""
    sim = attached(ONLY_SRV, supports=set(ALL_TYPES))
    srv = sim.socket("srv")
    assert sim.setsc(srv, FIXED)[0] is Status.SUCCESS
    return sim


def test_S1_setsc_refuses_a_forbidden_type_and_names_the_setting() -> None:
    sim = _with_fixed()
    fd = sim.socket("game")
    assert sim.setsc(fd, FIXED) == (Status.EPERM, None)
    refusal = sim.trace.entries[-1]
    assert refusal.rules == ("S1",)
    assert refusal.text == (
        f"setsc({fd}) → EPERM: this application may not use the type (setting host.permissions)"
    )


def test_S1_bind_to_an_address_of_a_forbidden_type_is_refused() -> None:
    # Before: bind(IPfx1) by `game` returned 0, and game sent from the Fixed address setsc()
    # would have refused it. Now: EPERM, rules A4 and S1, and the socket stays unbound.
    sim = _with_fixed()
    fd = sim.socket("game")
    assert sim.bind(fd, "IPfx1", 8080) is Status.EPERM
    refusal = sim.trace.entries[-1]
    assert refusal.kind == "bind-error" and refusal.rules == ("A4", "S1")
    assert refusal.text == (
        f"bind({fd}) → EPERM: IPfx1 is of a type this application may not use "
        "(setting host.permissions)"
    )
    sock = sim.world.stack.sockets[fd]
    assert sock.state is SocketState.OPEN and sock.bound_address is None
    assert sim.world.stack.users_of("IPfx1") == []


def test_S1_bind_by_its_literal_value_is_refused_the_same() -> None:
    sim = _with_fixed()
    fd = sim.socket("game")
    value = sim.world.stack.addresses["IPfx1"].value
    assert sim.bind(fd, value) is Status.EPERM


def test_S1_a_socket_setsc_gave_another_type_cannot_bind_the_forbidden_one() -> None:
    sim = _with_fixed()
    fd = sim.socket("game")
    assert sim.setsc(fd, SESSION_LASTING)[0] is Status.SUCCESS
    assert sim.bind(fd, "IPfx1") is Status.EPERM
    assert sim.world.stack.sockets[fd].state is SocketState.ADDRESSED
    assert sim.bind(fd, "IPsl1") is Status.SUCCESS  # a type it may use


def test_S1_the_permitted_application_and_unrestricted_types_bind_as_before() -> None:
    sim = _with_fixed()
    assert sim.bind(sim.socket("srv"), "IPfx1") is Status.SUCCESS
    assert sim.bind(sim.socket("game"), "IPsl1") is Status.SUCCESS
    assert sim.bind(sim.socket("game"), "::") is Status.SUCCESS  # no type: nothing to refuse


def test_S1_a_permission_revoked_mid_run_refuses_the_next_bind() -> None:
    sim = attached(supports=set(ALL_TYPES))
    fd = sim.socket("srv")
    sim.setsc(fd, FIXED)
    sim.apply(cmd.SetPolicy("permissions", {FIXED: frozenset({"someone-else"})}))
    assert sim.bind(fd, "IPfx1") is Status.EPERM


SCENARIO = """
title: bind to a forbidden type
network: {supports: [fixed, session-lasting, non-persistent]}
host: {boot_types: [fixed], permissions: {fixed: [srv]}}
steps:
  - at: 0s
    do:
      - attach: ap1
  - at: 1s
    do:
      - socket: {name: s1, owner: game}
      - bind: {socket: s1, address: IPfx1}
    expect:
      - call: s1.bind
        returned: EPERM
      - socket: s1
        state: open
"""


def test_S1_a_scenario_sees_the_bind_refused() -> None:
    result = run_scenario(parse_scenario(SCENARIO, "s1.yaml"))
    assert result.ok, [c.seen for c in result.failures]
