"""Properties that must hold for any sequence of commands, not just the ones we thought of.

Hypothesis draws a run (moves, launches, quits, bare socket calls, time passing, setting
changes); each property is checked over many such runs. `derandomize=True` makes the examples a
fixed function of the test, so the suite stays deterministic.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from odplay.constants import ON_NET, AddrPreference
from odplay.sim import commands as cmd
from odplay.sim.apps import CATALOG, spec_for
from odplay.sim.network import GracefulReturn, SameGatewayMove
from odplay.sim.policy import AllocationPolicy, FreshFailurePolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from tests.conftest import ALL_TYPES, network
from tests.invariants import check_setsc_results, check_world

APS = ("ap1", "ap2", "ap3")
APPS = ("a", "b", "c")

_commands = st.one_of(
    st.sampled_from(APS).map(lambda ap: ("attach", ap)),
    st.sampled_from(APS).map(lambda ap: ("move", ap)),
    st.just(("detach",)),
    st.tuples(st.just("launch"), st.sampled_from(APPS), st.sampled_from(sorted(CATALOG))),
    st.tuples(st.just("quit"), st.sampled_from(APPS)),
    st.tuples(st.just("run"), st.integers(min_value=0, max_value=40_000)),
    st.tuples(st.just("socket"), st.sampled_from(APPS)),
    st.tuples(st.just("setsc"), st.integers(0, 12), st.integers(0, 8)),
    st.tuples(st.just("bind"), st.integers(0, 12)),
    st.tuples(st.just("connect"), st.integers(0, 12)),
    st.tuples(st.just("listen"), st.integers(0, 12)),
    st.tuples(st.just("close"), st.integers(0, 12)),
    st.tuples(
        st.just("setsockopt"),
        st.integers(0, 12),
        st.sampled_from([0, int(ON_NET), int(AddrPreference.IPV6_PREFER_SRC_HOME)]),
    ),
    st.tuples(st.just("allocation"), st.sampled_from(list(AllocationPolicy))),
    st.tuples(st.just("on_last_close"), st.sampled_from(list(LastClosePolicy))),
    st.tuples(st.just("grace"), st.integers(0, 20_000)),
    # The choices of T3, T4 and A6/D9: the moves at the end of every run come back to gw1
    # inside the grace period, so `graceful_return` always has something to decide.
    st.tuples(st.just("when_fresh_fails"), st.sampled_from(list(FreshFailurePolicy))),
    st.tuples(st.just("same_gateway_move"), st.sampled_from(list(SameGatewayMove))),
    st.tuples(st.just("graceful_return"), st.sampled_from(list(GracefulReturn))),
)
_launches = st.lists(
    st.tuples(st.just("launch"), st.sampled_from(APPS), st.sampled_from(sorted(CATALOG))),
    min_size=1,
    max_size=3,
)
#: Two gateway changes, one inside the grace period of the other, and time for every timer.
_MOVES: list[tuple[Any, ...]] = [
    ("run", 1000),
    ("move", "ap3"),
    ("run", 3000),
    ("move", "ap1"),
    ("run", 40_000),
]
#: A run: a few applications launched, then anything at all, then the moves. The launches up
#: front and the moves at the end make sure that most runs move with live sockets, which is
#: where the rules interact (a move from a detached host is refused and changes nothing).
runs = st.tuples(_launches, st.lists(_commands, min_size=4, max_size=40)).map(
    lambda parts: parts[0] + parts[1] + _MOVES
)


def _command(sim: Simulation, op: tuple[Any, ...]) -> cmd.Command | None:
    """The model command for one drawn operation; None for `run`, which is not one command."""
    fds = sorted(sim.world.stack.sockets) or [3]
    pick = fds[op[1] % len(fds)] if op[0] in {"bind", "connect", "listen", "close"} else 0
    match op:
        case ("attach", ap):
            return cmd.Attach(ap)
        case ("move", ap):
            return cmd.Move(ap)
        case ("detach",):
            return cmd.Detach()
        case ("launch", name, kind):
            return cmd.Launch(spec_for(name, kind))
        case ("quit", name):
            return cmd.Quit(name)
        case ("socket", owner):
            return cmd.SocketCall(owner)
        case ("setsc", index, type_value):
            return cmd.Setsc(fds[index % len(fds)], type_value)
        case ("setsockopt", index, flags):
            return cmd.SetSockOpt(fds[index % len(fds)], flags)
        case ("bind", _):
            address = sim.world.stack.sockets.get(pick)
            return cmd.Bind(pick, (address.setsc_address if address else None) or "::")
        case ("connect", _):
            return cmd.Connect(pick, "www.example.org", 443)
        case ("listen", _):
            return cmd.Listen(pick, 8000)
        case ("close", _):
            return cmd.Close(pick)
        case ("allocation", value):
            return cmd.SetPolicy("allocation", value)
        case ("on_last_close", value):
            return cmd.SetPolicy("on_last_close", value)
        case ("grace", value):
            return cmd.SetNetwork("grace_period", value)
        case ("when_fresh_fails", value):
            return cmd.SetPolicy("when_fresh_fails", value)
        case ("same_gateway_move" | "graceful_return" as name, value):
            return cmd.SetNetwork(name, value)
    return None


def play(ops: list[tuple[Any, ...]], seed: int = 5) -> Simulation:
    sim = Simulation(network(supports=set(ALL_TYPES), grace_period=5000), seed=seed)
    sim.attach("ap1")  # most interesting runs start attached; `detach` and `attach` still come
    for op in ops:
        if op[0] == "run":
            sim.run_for(op[1])
            continue
        command = _command(sim, op)
        assert command is not None
        # A refused command is refused before it touches anything: the run goes on unchanged.
        with contextlib.suppress(cmd.CommandError):
            sim.apply(command)
    sim.run_for(1000)
    return sim


def _frozen(sim: Simulation) -> str:
    return json.dumps([sim.snapshot(), [e.to_jsonable() for e in sim.trace]], sort_keys=True)


PROPERTY = settings(derandomize=True, max_examples=80, deadline=None)


@PROPERTY
@given(runs)
def test_any_run_is_reproduced_byte_for_byte(ops: list[tuple[Any, ...]]) -> None:
    assert _frozen(play(ops)) == _frozen(play(ops))


@PROPERTY
@given(runs, st.data())
def test_any_earlier_step_restores_exactly_and_the_future_replays(
    ops: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    sim = play(ops)
    end = sim.step_index
    final = _frozen(sim)
    target = data.draw(st.integers(0, end))
    sim.restore(target)
    assert sim.step_index == target
    assert all(e.step < target for e in sim.trace)
    sim.restore(end)
    assert _frozen(sim) == final


@PROPERTY
@given(runs)
def test_the_host_tables_stay_consistent(ops: list[tuple[Any, ...]]) -> None:
    """C1, T1-T5: every invariant of tests/invariants.py holds at the end of any run."""
    sim = play(ops)
    check_world(sim.world)
    check_setsc_results(list(sim.trace), {})
