"""S1 (7) in source selection: a type the application may not use is skipped, and EPERM, naming
the rule and the setting (host.permissions), comes only when nothing else is left."""

from __future__ import annotations

from odplay.constants import NON_PERSISTENT, SESSION_LASTING, Status
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import SocketState
from tests.conftest import attached


def _source(sim: Simulation, fd: int) -> str | None:
    return sim.world.stack.sockets[fd].source_address


def test_S1_a_forbidden_type_is_skipped_and_the_connect_says_so() -> None:
    """Before: a legacy socket of `old` connected from IPnp1, a type it may not use."""
    sim = attached(HostPolicy(permissions={NON_PERSISTENT: frozenset({"dns"})}))
    fd = sim.socket("old")
    assert sim.connect(fd, "www.example.org") is Status.SUCCESS
    assert _source(sim, fd) == "IPsl1"  # without the permission table: IPnp1, the newest
    assert "S1" in sim.trace.of_kind("connect")[-1].rules
    allowed = sim.socket("dns")
    sim.connect(allowed, "dns.example.net")
    assert _source(sim, allowed) == "IPnp1"
    assert "S1" not in sim.trace.of_kind("connect")[-1].rules


def test_S1_EPERM_only_when_nothing_else_is_left() -> None:
    only_app = frozenset({"app"})
    sim = attached(HostPolicy(permissions={NON_PERSISTENT: only_app, SESSION_LASTING: only_app}))
    fd = sim.socket("old")
    assert sim.connect(fd, "www.example.org") is Status.EPERM
    error = sim.trace.entries[-1]
    assert error.kind == "connect-error" and error.rules == ("S1",)
    assert "host.permissions" in error.text
    assert sim.world.stack.sockets[fd].state is SocketState.OPEN
    assert not sim.trace.of_kind("prefix-request")  # nothing asked on its behalf


def test_S1_the_R3_entry_names_what_was_skipped() -> None:
    sim = attached(HostPolicy(permissions={NON_PERSISTENT: frozenset({"dns"})}))
    fd = sim.socket("old")
    sim.setsc(fd, SESSION_LASTING)
    sim.connect(fd, "www.example.org")
    entry = sim.trace.of_kind("setsc-unused")[-1]
    assert "IPnp1 skipped" in entry.text and entry.rules == ("R3", "S1")


def test_S1_a_network_default_of_a_forbidden_type_fails_the_waiting_connect() -> None:
    """Nothing held: the stack asks for no type (B5); what comes back may not be used."""
    policy = HostPolicy(permissions={SESSION_LASTING: frozenset({"app"})})
    sim = attached(policy, on_attach=[], default_type=SESSION_LASTING)
    fd = sim.socket("old")
    assert sim.connect(fd, "www.example.org") is Status.EPERM
    error = sim.trace.of_kind("connect-error")[-1]
    assert error.rules == ("B5", "S1") and "host.permissions" in error.text
