"""D5 and RFC 8653 Section 5: the operator varies which prefixes carry which type over time.

`prefix_types: mixed` (the default) hands prefixes out in order of request whatever their type;
`blocks` gives each type a block (the fourth group's top digit), which tells an observer the
type; `shuffled` deals the blocks out afresh every `shuffle_every`, as the RFC advises.
"""

from __future__ import annotations

import pytest

from odplay.constants import NON_PERSISTENT, SESSION_LASTING
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.simulation import Simulation
from odplay.sim.type_mapping import PrefixTypes, blocks


def _fourth_group(sim: Simulation, prefix: str) -> str:
    return sim.world.stack.prefixes[prefix].network.split(":")[3]


def _host(mapping: PrefixTypes, every: int = 60_000) -> Simulation:
    network = default_network()
    network.prefix_types, network.shuffle_every = mapping, every
    network.on_attach = []
    sim = Simulation(network, seed=2)
    sim.attach("ap1")
    return sim


def _ask(sim: Simulation, type_: object) -> None:
    fd = sim.socket("app")
    assert sim.setsc(fd, type_)[0] == 0  # type: ignore[arg-type]


def test_D5_section5_mixed_is_the_default_and_numbers_in_order_of_request() -> None:
    assert default_network().prefix_types is PrefixTypes.MIXED
    sim = _host(PrefixTypes.MIXED)
    _ask(sim, NON_PERSISTENT)
    _ask(sim, SESSION_LASTING)
    assert [_fourth_group(sim, p) for p in ("PREFnp1", "PREFsl1")] == ["1", "2"]
    assert not [e for e in sim.trace if e.kind == "type-mapping"]


def test_D5_section5_blocks_give_each_type_its_own_block() -> None:
    sim = _host(PrefixTypes.BLOCKS)
    _ask(sim, NON_PERSISTENT)
    _ask(sim, SESSION_LASTING)
    _ask(sim, NON_PERSISTENT)
    sim.world.stack.policy.allocation = sim.world.stack.policy.allocation.FRESH
    _ask(sim, NON_PERSISTENT)
    assert _fourth_group(sim, "PREFnp1") == "3001" and _fourth_group(sim, "PREFsl1") == "2001"
    assert _fourth_group(sim, "PREFnp2") == "3002"  # the same block: the type shows
    assert len([e for e in sim.trace if e.kind == "type-mapping"]) == 1  # dealt once


def test_D5_section5_shuffled_deals_the_blocks_afresh_each_period() -> None:
    assert blocks(0) != blocks(1)  # the first reshuffle moves some type
    sim = _host(PrefixTypes.SHUFFLED, every=10_000)
    sim.world.stack.policy.allocation = sim.world.stack.policy.allocation.FRESH
    _ask(sim, NON_PERSISTENT)
    sim.run_until(10_000)
    _ask(sim, NON_PERSISTENT)
    first, second = _fourth_group(sim, "PREFnp1"), _fourth_group(sim, "PREFnp2")
    assert first[0] == str(blocks(0)[NON_PERSISTENT])
    assert second[0] == str(blocks(1)[NON_PERSISTENT]) != first[0]
    told = [e for e in sim.trace if e.kind == "type-mapping"]
    assert len(told) == 2 and "D5" in told[1].rules


def test_D5_section5_the_settings_are_checked_recorded_and_replayed() -> None:
    text = "title: t\nnetwork:\n  prefix_types: random\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: network.prefix_types" in str(caught.value)
    with pytest.raises(cmd.BadCommand, match="shuffle_every must be a whole number of at least"):
        cmd.SetNetwork("shuffle_every", 0)
    with pytest.raises(TypeError, match="prefix_types"):
        cmd.SetNetwork("prefix_types", "blocks")
    sim = _host(PrefixTypes.MIXED)
    sim.apply(cmd.SetNetwork("prefix_types", PrefixTypes.SHUFFLED))
    _ask(sim, NON_PERSISTENT)
    yaml = to_yaml(record(sim, "p", sim.now))
    assert "prefix_types: shuffled" in yaml
    check_replays(yaml, sim, sim.now)
