"""The Python API refuses a bad value at the door, with a message, before anything changes.

Each case was accepted before and misbehaved later (a float clock, a port of 70000 stored in the
tables, a string policy that `is` never matched, a KeyError with only the kind in it).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec, SocketPlan, spec_for
from odplay.sim.network import default_network
from odplay.sim.policy import AllocationPolicy, HostPolicy
from odplay.sim.simulation import Simulation


def _ready() -> tuple[Simulation, int]:
    sim = Simulation()
    sim.attach("ap1")
    fd = sim.socket("app")
    sim.run_for(100)
    return sim, fd


def _unchanged(sim: Simulation, act: Callable[[], Any], error: type[Exception], *words: str) -> str:
    """`act` raises `error` naming `words`, and the run is exactly as it was."""
    before = (sim.step_index, sim.now, len(sim.trace.entries), sim.snapshot())
    with pytest.raises(error) as caught:
        act()
    after = (sim.step_index, sim.now, len(sim.trace.entries), sim.snapshot())
    assert after == before
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


# ---------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("build", "error", "words"),
    [
        (lambda: cmd.Bind(3, "2001:db8::1", 70000), ValueError, ("port", "70000", "65535")),
        (lambda: cmd.Bind(3, "2001:db8::1", -1), ValueError, ("port", "-1")),
        (lambda: cmd.Bind(3, "2001:db8::1", "80"), TypeError, ("port", "'80'", "str")),
        (lambda: cmd.Connect(3, "www.example.org", 443.0), TypeError, ("port", "443.0")),
        (lambda: cmd.Listen(3, True), TypeError, ("port", "True", "bool")),
        (lambda: cmd.Reach("www.mh.example", 99999), ValueError, ("port", "99999")),
        (lambda: cmd.Close("3"), TypeError, ("fd", "'3'")),
        (lambda: cmd.Setsc(3, "fixed"), TypeError, ("type", "'fixed'")),
        (lambda: cmd.Setsc(3, 2.5), TypeError, ("type", "2.5")),
        (lambda: cmd.SetSockOpt(3, -1), ValueError, ("flags", "-1")),
        (lambda: cmd.AdvanceTo("5s"), TypeError, ("time", "'5s'", "milliseconds")),
        (lambda: cmd.AdvanceTo(2.5), TypeError, ("time", "2.5")),
        (lambda: cmd.AdvanceTo(True), TypeError, ("time", "True")),
        (lambda: cmd.AdvanceTo(-10), ValueError, ("time", "-10")),
        (lambda: cmd.Attach(7), TypeError, ("ap", "7")),
        (lambda: cmd.Quit(None), TypeError, ("app", "None")),
        (lambda: cmd.SocketCall("", "main"), ValueError, ("owner", "empty")),
        (lambda: cmd.Narrate("hello", ["D1"]), TypeError, ("rules", "tuple")),
        (lambda: cmd.Launch("web-browser"), TypeError, ("spec", "AppSpec")),
    ],
)
def test_a_command_refuses_a_bad_argument_when_built(
    build: Callable[[], cmd.Command], error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value, cmd.CommandError)  # the runner and the session catch these
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "error", "words"),
    [
        ("grace_period", "30s", TypeError, ("grace_period", "'30s'")),
        ("grace_period", 1.5, TypeError, ("grace_period", "1.5")),
        ("grace_period", -1, ValueError, ("grace_period", "-1")),
        ("signalling_delay", None, TypeError, ("signalling_delay", "None")),
        ("supports", [FIXED], TypeError, ("supports", "set of AddressType", "list")),
        ("supports", {2}, TypeError, ("supports", "2", "AddressType")),
        ("on_attach", {SESSION_LASTING}, TypeError, ("on_attach", "list")),
        ("default_type", "fixed", TypeError, ("default_type", "'fixed'")),
        ("default_type", None, TypeError, ("default_type", "None")),
        ("legacy", 1, TypeError, ("legacy", "True or False")),
        ("mobility", "none", ValueError, ("no network setting", "'mobility'")),
    ],
)
def test_set_network_refuses_a_value_of_the_wrong_type(
    field: str, value: Any, error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        cmd.SetNetwork(field, value)
    assert isinstance(caught.value, cmd.CommandError)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "error", "words"),
    [
        ("allocation", "fresh", TypeError, ("allocation", "'fresh'", "AllocationPolicy.FRESH")),
        ("on_last_close", AllocationPolicy.FRESH, TypeError, ("on_last_close", "LastClose")),
        ("permissions", {FIXED: "web-server"}, TypeError, ("permissions", "frozenset")),
        ("permissions", {"fixed": frozenset({"a"})}, TypeError, ("permissions", "'fixed'")),
        ("permissions", [FIXED], TypeError, ("permissions", "dict")),
        ("boot_types", {FIXED}, TypeError, ("boot_types", "list")),
        ("boot_types", ["fixed"], TypeError, ("boot_types", "'fixed'")),
        ("default_type", 1, TypeError, ("default_type", "1")),
        ("legacy_stack", "yes", TypeError, ("legacy_stack", "'yes'")),
        ("colour", "blue", ValueError, ("no host policy", "'colour'")),
    ],
)
def test_set_policy_refuses_a_value_of_the_wrong_type(
    field: str, value: Any, error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        cmd.SetPolicy(field, value)
    assert isinstance(caught.value, cmd.CommandError)
    for word in words:
        assert word in str(caught.value)


def test_the_right_settings_are_still_taken() -> None:
    sim, _ = _ready()
    sim.apply(cmd.SetNetwork("supports", {FIXED, NON_PERSISTENT}))
    sim.apply(cmd.SetNetwork("supports", frozenset({FIXED})))
    sim.apply(cmd.SetNetwork("grace_period", 5000))
    sim.apply(cmd.SetNetwork("default_type", FIXED))
    sim.apply(cmd.SetPolicy("allocation", AllocationPolicy.FRESH))
    sim.apply(cmd.SetPolicy("permissions", {FIXED: frozenset({"web-server"})}))
    sim.apply(cmd.SetPolicy("default_type", None))
    assert sim.world.network.config.grace_period == 5000
    assert sim.world.stack.policy.allocation is AllocationPolicy.FRESH


# ---------------------------------------------------------------------- the blocking calls


def test_blocking_calls_refuse_bad_values_and_leave_the_run_as_it_was() -> None:
    sim, fd = _ready()
    _unchanged(sim, lambda: sim.bind(fd, "2001:db8::1", 65536), ValueError, "port", "65536")
    _unchanged(sim, lambda: sim.connect(fd, "www.example.org", "https"), TypeError, "port")
    _unchanged(sim, lambda: sim.listen(fd, 1 << 20), ValueError, "port")
    _unchanged(sim, lambda: sim.close(str(fd)), TypeError, "fd")
    _unchanged(sim, lambda: sim.setsc(fd, 2.9), TypeError, "address_type", "2.9")
    _unchanged(sim, lambda: sim.setsc(fd, "2"), TypeError, "address_type", "'2'")
    _unchanged(sim, lambda: sim.setsockopt(fd, 4096.0), TypeError, "flags")  # type: ignore[arg-type]
    _unchanged(sim, lambda: sim.socket(owner=3), TypeError, "owner")  # type: ignore[arg-type]
    _unchanged(sim, lambda: sim.attach(None), TypeError, "ap")  # type: ignore[arg-type]
    _unchanged(sim, lambda: sim.reach("www.mh.example", -443), ValueError, "port", "-443")
    # ...and the same socket still works with good values (a reserved type stays EINVAL, A2).
    assert sim.setsc(fd, 9) == (Status.EINVAL, None)
    assert sim.setsc(fd, SESSION_LASTING)[0] is Status.SUCCESS


def test_the_clock_takes_only_whole_milliseconds() -> None:
    sim, _ = _ready()
    _unchanged(sim, lambda: sim.run_until("5s"), TypeError, "time", "'5s'", "parse_duration")
    _unchanged(sim, lambda: sim.run_until(2500.5), TypeError, "time", "2500.5")
    _unchanged(sim, lambda: sim.run_until(False), TypeError, "time", "False")
    _unchanged(sim, lambda: sim.run_for(-5), ValueError, "duration", "-5")
    _unchanged(sim, lambda: sim.run_for(1.0), TypeError, "duration")
    _unchanged(sim, lambda: sim.take_due("1000"), TypeError, "time")
    _unchanged(sim, lambda: sim.run_until(5000, max_events=1.5), TypeError, "max_events")
    _unchanged(sim, lambda: sim.restore(1.0), TypeError, "step")  # type: ignore[arg-type]
    sim.run_until(5000)
    assert type(sim.now) is int and sim.now == 5000


# ---------------------------------------------------------------------- applications


def test_an_unknown_application_kind_is_refused_naming_the_known_ones() -> None:
    sim, _ = _ready()
    message = _unchanged(
        sim, lambda: sim.launch("x", "web-browsr"), ValueError, "'web-browsr'", "web-browser"
    )
    assert "dns-client" in message
    with pytest.raises(ValueError, match=r"kind"):
        spec_for("x", "nope")
    with pytest.raises(KeyError):  # what spec_for raised before, still caught the same way
        spec_for("x", "nope")
    with pytest.raises(ValueError, match=r"unknown application kind 'rocket'"):
        AppSpec("x", "rocket", ())


def test_a_launch_whose_spec_disagrees_with_its_name_is_refused() -> None:
    sim, _ = _ready()
    other = spec_for("b", "dns-client")
    _unchanged(sim, lambda: sim.launch("a", "web-browser", other), ValueError, "'a'", "'b'")


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"peer_port": 70000}, ValueError, ("peer_port", "70000")),
        ({"listen_port": "443"}, TypeError, ("listen_port", "'443'")),
        ({"type": 2}, TypeError, ("type", "AddressType")),
        ({"fallback": [NON_PERSISTENT]}, TypeError, ("fallback", "tuple")),
        ({"fallback": ("legacyy",)}, TypeError, ("fallback[0]", "'legacyy'")),
        ({"reconnect_after": "200ms"}, TypeError, ("reconnect_after", "'200ms'")),
        ({"hold": -1}, ValueError, ("hold", "-1")),
        ({"bind": "no"}, TypeError, ("bind", "'no'")),
        ({"flags": 1 << 40}, ValueError, ("flags",)),
    ],
)
def test_a_socket_plan_refuses_a_bad_field(
    changes: dict[str, Any], error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        SocketPlan(**changes)
    for word in words:
        assert word in str(caught.value)


# ---------------------------------------------------------------------- starting a run


def test_a_run_refuses_policies_and_networks_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match=r"policy.allocation.*'fresh'"):
        Simulation(policy=HostPolicy(allocation="fresh"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"policy.boot_types"):
        Simulation(policy=HostPolicy(boot_types=(FIXED,)))  # type: ignore[arg-type]
    network = default_network()
    network.supports = [FIXED]  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"network.supports.*list"):
        Simulation(network)
    network = default_network()
    network.grace_period = "30s"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"network.grace_period"):
        Simulation(network)
    network = default_network()
    network.attachment_points[0].gateway = "gw9"
    with pytest.raises(ValueError, match=r"'gw9'.*gw1, gw2"):
        Simulation(network)
    network = default_network()
    network.gateways[0].pool = 64.0  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"gateways\[0\].pool"):
        Simulation(network)
    with pytest.raises(TypeError, match=r"seed"):
        Simulation(seed="7")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"checkpoint_every"):
        Simulation(checkpoint_every=0)
    with pytest.raises(TypeError, match=r"network must be a NetworkConfig"):
        Simulation({"gateways": []})  # type: ignore[arg-type]


def test_the_default_run_and_a_deep_copy_of_its_settings_still_start() -> None:
    sim = Simulation(copy.deepcopy(default_network()), copy.deepcopy(HostPolicy()), seed=3)
    sim.attach("ap1")
    sim.launch("w", "web-browser")
    sim.run_for(1000)
    assert sim.world.apps["w"].setsc_results[0].status is Status.SUCCESS


def test_apply_takes_only_a_command() -> None:
    sim, _ = _ready()
    _unchanged(sim, lambda: sim.apply("attach ap2"), TypeError, "command", "Command")  # type: ignore[arg-type]
