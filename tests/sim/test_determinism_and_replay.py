"""Same inputs, same trace; and any earlier step can be restored exactly (for stepping back)."""

from __future__ import annotations

import json

from odplay.constants import SESSION_LASTING
from odplay.sim.network import default_network
from odplay.sim.simulation import Simulation
from tests.conftest import ALL_TYPES, network


def _busy_run(seed: int, checkpoint_every: int | None = 8) -> Simulation:
    sim = Simulation(
        network(supports=set(ALL_TYPES), grace_period=3000),
        seed=seed,
        checkpoint_every=checkpoint_every,
    )
    sim.attach("ap1")
    for name, kind in (
        ("im", "instant-messenger"),
        ("web", "web-browser"),
        ("video", "streaming-client"),
        ("srv", "web-server"),
        ("dns", "dns-client"),
    ):
        sim.launch(name, kind)
    sim.run_for(1000)
    sim.move("ap3")
    sim.run_for(4000)
    sim.detach()
    sim.attach("ap2")
    fd = sim.socket("manual")
    sim.setsc(fd, SESSION_LASTING)
    sim.run_for(5000)
    return sim


def _trace_json(sim: Simulation) -> str:
    return json.dumps([e.to_jsonable() for e in sim.trace], sort_keys=True)


def test_the_same_seed_and_inputs_give_the_same_trace_byte_for_byte() -> None:
    assert _trace_json(_busy_run(3)) == _trace_json(_busy_run(3))


def test_the_seed_changes_the_interface_identifier_and_nothing_else_structural() -> None:
    a, b = _busy_run(3), _busy_run(4)
    assert a.world.stack.interface_id != b.world.stack.interface_id
    assert [e.kind for e in a.trace] == [e.kind for e in b.trace]


def test_the_users_index_is_exactly_the_sockets_holding_each_address() -> None:
    sim = _busy_run(2)
    fd = sim.socket("twice")
    sim.setsc(fd, SESSION_LASTING)
    sim.setsc(fd, SESSION_LASTING)
    stack = sim.world.stack
    for name in stack.addresses:
        derived = sorted(
            s.fd for s in stack.sockets.values() if s.live and s.source_address == name
        )
        assert stack.users_of(name) == derived, name


def test_checkpoints_do_not_change_the_run() -> None:
    assert _trace_json(_busy_run(5, checkpoint_every=None)) == _trace_json(_busy_run(5, 3))


def test_restoring_any_earlier_step_gives_exactly_the_state_seen_there() -> None:
    reference = Simulation(
        network(supports=set(ALL_TYPES), grace_period=3000), seed=9, checkpoint_every=8
    )
    seen: dict[int, str] = {}

    def record() -> None:
        seen[reference.step_index] = json.dumps(reference.snapshot(), sort_keys=True)

    record()
    reference.attach("ap1")
    record()
    reference.launch("video", "streaming-client")
    record()
    reference.launch("web", "web-browser")
    record()
    while reference.step():
        record()
        if reference.step_index == 6:
            reference.move("ap3")
            record()
    final_trace = _trace_json(reference)
    for step in sorted(seen, reverse=True):
        reference.restore(step)
        assert json.dumps(reference.snapshot(), sort_keys=True) == seen[step], step
        assert all(e.step < step for e in reference.trace)
    reference.restore(max(seen))
    assert _trace_json(reference) == final_trace


def test_step_back_then_step_forward_returns_to_the_identical_state() -> None:
    sim = _busy_run(11)
    before = json.dumps(sim.snapshot(), sort_keys=True)
    trace = _trace_json(sim)
    for _ in range(5):
        sim.step_back()
    for _ in range(5):
        assert sim.step()
    assert json.dumps(sim.snapshot(), sort_keys=True) == before
    assert _trace_json(sim) == trace


def test_a_new_command_after_stepping_back_discards_the_future() -> None:
    sim = Simulation(default_network(), seed=1)
    sim.attach("ap1")
    sim.move("ap3")
    sim.step_back()
    assert sim.world.stack.attachment == "ap1"
    sim.move("ap2")
    assert sim.horizon == sim.step_index
    assert [e.kind for e in sim.trace].count("move") == 1
