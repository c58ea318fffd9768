"""What odplay says agrees with what happened, in every shipped scenario (issue "Every sentence
true"): a detached host hears nothing from the network, and `odplay compare` counts exactly the
messages the ladder shows, kind by kind."""

from __future__ import annotations

from functools import cache

import pytest

from odplay.compare import compare_scenario
from odplay.scenario.catalogue import shipped_scenarios
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import RunResult, run_scenario
from odplay.sim.messages import count_by_kind, message_kind
from odplay.sim.network import Mobility
from odplay.sim.trace import TraceKind

SHIPPED = shipped_scenarios()
IDS = [item.name for item in SHIPPED]


@cache
def _run(name: str) -> RunResult:
    item = next(i for i in SHIPPED if i.name == name)
    return run_scenario(load_scenario(item.path))


@pytest.mark.parametrize("name", IDS)
def test_a_detached_host_hears_nothing_from_the_network(name: str) -> None:
    attached = True
    for entry in _run(name).sim.trace:
        if entry.kind in (TraceKind.ATTACH, TraceKind.DETACH):
            attached = entry.kind == TraceKind.ATTACH
            continue
        if not attached:
            assert message_kind(entry) is None, (
                f"{name}: at {entry.time}ms, while detached: {entry.actor} → {entry.target}: "
                f"{entry.text}"
            )


@pytest.mark.parametrize("name", IDS)
def test_compare_counts_the_messages_the_ladder_shows_kind_by_kind(name: str) -> None:
    run = _run(name)
    ladder = count_by_kind(run.sim.trace.entries)
    comparison = compare_scenario(run.scenario)
    on_demand = next(r for r in comparison.results if r.mode is Mobility.ON_DEMAND)
    assert on_demand.messages == ladder
    assert on_demand.total.signalling == sum(ladder.values())


def test_the_4_2_flow_sends_nine_messages_and_no_binding_update() -> None:
    ladder = count_by_kind(_run("4.2-message-flow").sim.trace.entries)
    assert ladder == {
        "attach": 1,
        "move": 1,
        "offer": 3,
        "request": 1,
        "refusal": 1,
        "keep": 1,
        "withdrawal": 1,
    }


def test_a_detached_hosts_losses_are_the_stacks_own_events() -> None:
    trace = _run("fixed-server-reachability").sim.trace.entries
    detach = next(i for i, e in enumerate(trace) if e.kind == TraceKind.DETACH)
    after = [e for e in trace[detach + 1 :] if e.kind == TraceKind.PREFIX_KEPT][:1]
    assert after and after[0].actor == "stack" and after[0].target is None
    assert "while detached" in after[0].text
