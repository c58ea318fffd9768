"""The playground's controller, without the UI: time, stepping both ways, scenarios, acting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, SESSION_LASTING, Status
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import run_scenario
from odplay.session.events import Event, LeftScript, PaceChanged, RunMoved, RunRestarted
from odplay.session.session import Mode, Session
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from tests.conftest import ALL_TYPES, network

FLOW = Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml"


def _state(session: Session) -> str:
    return json.dumps(
        [session.sim.snapshot(), [e.to_jsonable() for e in session.sim.trace]], sort_keys=True
    )


@pytest.fixture
def flow() -> Session:
    return Session.from_scenario(load_scenario(FLOW))


def test_free_play_starts_attached_with_the_F1_prefixes() -> None:
    session = Session.free()
    assert session.mode is Mode.FREE
    assert session.world.stack.attachment == "ap1"
    assert {"PREFsl1", "PREFnp1"} <= set(session.world.stack.prefixes)


def test_time_runs_only_while_playing_and_at_the_chosen_speed() -> None:
    session = Session.free()
    session.tick(1000)
    assert session.clock == 0
    session.play()
    session.tick(1000)
    assert session.clock == 1000
    session.faster()
    session.tick(500)
    assert session.clock == 2000  # 2x: half a second of wall time is a simulated second


def test_acting_happens_at_the_sessions_clock_not_the_models() -> None:
    session = Session.free()
    session.play()
    session.tick(2500)
    session.pause()
    session.launch(spec_for("im", "instant-messenger"))
    launch = next(e for e in session.sim.trace if e.kind == "launch")
    assert launch.time == 2500


def test_step_back_then_forward_returns_the_identical_state() -> None:
    session = Session.free()
    session.launch(spec_for("web", "web-browser"))
    session.play()
    session.tick(3000)
    session.move("ap3")
    session.tick(3000)
    final = _state(session)
    while session.step_back():
        pass
    assert session.position == 0 and session.clock == 0
    while session.step_forward():
        pass
    assert _state(session) == final


def test_a_new_action_after_stepping_back_discards_the_old_future() -> None:
    session = Session.free()
    session.launch(spec_for("web", "web-browser"))
    session.move("ap3")
    while any(e.kind == "move" for e in session.trace):
        session.step_back()  # one message at a time, to just before the move
    assert session.attachment == "ap1"
    session.detach()
    # The move is gone from the run's script; the detach took its place.
    script = [type(command) for _, command in session.sim.actions()]
    assert script == [cmd.Attach, cmd.Launch, cmd.Detach]
    # Stepping back over the detach and forward again replays the new future, not the move.
    while any(e.kind == "detach" for e in session.trace):
        session.step_back()
    assert session.attachment == "ap1"
    assert session.step_forward()
    assert session.attachment is None
    assert not any(e.kind == "move" and "ap3" in e.text for e in session.trace)


def test_scenario_steps_end_in_exactly_the_headless_runs_state(flow: Session) -> None:
    headless = run_scenario(load_scenario(FLOW))
    numbers = []
    while (step := flow.next_scenario_step()) is not None:
        numbers.append(step.number)
    assert numbers == list(range(1, len(flow.steps) + 1))
    assert flow.position == flow.script_end
    assert flow.sim.snapshot() == headless.sim.snapshot()
    assert [e.to_jsonable() for e in flow.sim.trace] == [
        e.to_jsonable() for e in headless.sim.trace
    ]


def test_expectations_appear_as_the_position_passes_them(flow: Session) -> None:
    assert flow.visible_checks() == []
    flow.next_scenario_step()
    flow.next_scenario_step()
    seen = len(flow.visible_checks())
    assert seen > 0 and all(c.ok for c in flow.visible_checks())
    flow.previous_scenario_step()
    assert len(flow.visible_checks()) < seen


def test_F8_then_F9_in_the_stepped_scenario(flow: Session) -> None:
    while (step := flow.next_scenario_step()) is not None and "F8" not in step.rules:
        pass
    assert step is not None
    told = [e for e in flow.trace if "app4" in (e.actor, e.target)]
    (refused,) = [e for e in told if e.kind == "setsc-result"]
    assert refused.data["status"] == "EAI_REQUIREDIPNOTSUPPORTED" and "F8" in refused.rules
    # The fallback is F9's story: it is shown with F9's step, not a step early.
    assert not any(e.kind == "fallback" for e in flow.trace)
    step = flow.next_scenario_step()
    assert step is not None and step.rules == ("F9",)
    told = [e for e in flow.trace if "app4" in (e.actor, e.target)]
    (fallback,) = [e for e in told if e.kind == "fallback"]
    granted = [e for e in told if e.kind == "setsc-result"][-1]
    assert fallback.rules == ("F9",) and refused.number < fallback.number < granted.number
    assert granted.data["status"] == "SUCCESS" and granted.data["address"] == "IPsl1"
    assert flow.visible_checks() and all(check.ok for check in flow.visible_checks())


def test_acting_during_a_scenario_leaves_the_script(flow: Session) -> None:
    flow.next_scenario_step()
    flow.next_scenario_step()
    flow.move("ap2")
    assert flow.mode is Mode.FREE and flow.left_script_at == 2
    assert all(c.at <= flow.shown for c in flow.checks)
    flow.restart()
    assert flow.mode is Mode.SCENARIO and flow.position == 0


def test_next_timer_runs_to_the_end_of_a_T4_grace_period() -> None:
    session = Session.free(network(supports=set(ALL_TYPES), grace_period=4000))
    fd = session.do(cmd.SocketCall("video")).value
    session.do(cmd.Setsc(fd, int(GRACEFUL_REPLACEMENT)))
    session.step_forward()  # the network's answer
    session.do(cmd.Bind(fd, "IPgr1"))
    session.move("ap3")
    start = session.clock
    assert session.next_timer()
    assert session.clock == start + 4000
    assert session.world.stack.prefixes["PREFgr1"].state.value == "withdrawn"
    assert not session.next_timer()


def test_restart_with_boot_types_applies_them_at_the_first_attachment_D10() -> None:
    session = Session.free()
    config = network(supports=set(ALL_TYPES))
    policy = session.world.stack.policy
    policy.boot_types = [SESSION_LASTING]
    session.restart_with(config, policy)
    assert any(e.kind == "prefix-request" and "D10" in e.rules for e in session.sim.trace)


def test_one_message_back_then_forward_returns_to_every_position_of_the_flow(
    flow: Session,
) -> None:
    visited = 0
    while flow.step_forward():
        here = (flow.position, flow.shown, flow.clock, _state(flow))
        assert flow.step_back()
        assert flow.step_forward()
        assert (flow.position, flow.shown, flow.clock, _state(flow)) == here
        visited += 1
    assert visited == len(flow.sim.trace)


# ---------------------------------------------------------------------- do, call, events


def test_do_returns_what_the_command_returned_and_a_refusal_as_an_error_not_an_exception() -> None:
    session = Session.free()
    fd = session.do(cmd.SocketCall("me"))
    assert fd.ok and fd.value == 3 and not fd.blocked
    position = session.position
    refused = session.do(cmd.Move("ap1"))  # the host is on ap1 already
    assert not refused.ok and refused.error == "the host is already on ap1"
    assert session.position == position and session.attachment == "ap1"


def test_call_lets_simulated_time_pass_while_setsc_blocks_A5() -> None:
    session = Session.free(network(supports=set(ALL_TYPES), signalling_delay=50))
    first = session.do(cmd.SocketCall("me")).value
    blocked = session.do(cmd.Setsc(first, int(FIXED)))  # no Fixed prefix yet: it asks (D3)
    assert blocked.blocked and blocked.value is None
    second = session.do(cmd.SocketCall("me")).value
    start = session.clock
    answered = session.call(cmd.Setsc(second, int(FIXED)))
    assert not answered.blocked and answered.value is Status.SUCCESS
    assert answered.waited == session.clock - start > 0
    sock = session.socket(second)
    address = session.address(sock.setsc_address or "") if sock else None
    assert address is not None and address.type is FIXED
    third = session.do(cmd.SocketCall("me")).value
    at_once = session.call(cmd.Setsc(third, int(FIXED)))  # a Fixed address is there now (D2)
    assert at_once.value is Status.SUCCESS and at_once.waited is None


def test_reach_is_a_command_a_correspondent_reaches_a_fixed_server_by_name_C2() -> None:
    session = Session.free(network(supports=set(ALL_TYPES)))
    session.launch(spec_for("srv", "web-server"))
    session.play()
    session.tick(1000)
    reached = session.do(cmd.Reach("www.mh.example", 443, "peer.example.net"))
    assert reached.ok and reached.value is True
    assert session.trace[-1].kind == "reach" and session.trace[-1].rules == ("C2",)
    session.detach()
    unreachable = session.do(cmd.Reach("www.mh.example", 443))
    assert unreachable.ok and unreachable.value is False  # an answer, not a refusal
    # Part of the run's script, so that stepping back over it and a saved run replay it.
    assert [c for _, c in session.sim.actions() if isinstance(c, cmd.Reach)] == [
        cmd.Reach("www.mh.example", 443, "peer.example.net"),
        cmd.Reach("www.mh.example", 443),
    ]
    entry = session.trace[-1]
    assert session.step_back() and session.step_forward()
    assert session.trace[-1] == entry


def test_viewers_hear_of_each_kind_of_change_until_they_unsubscribe(flow: Session) -> None:
    heard: list[Event] = []
    stops = [
        flow.subscribe(RunMoved, heard.append),
        flow.subscribe(RunRestarted, heard.append),
        flow.subscribe(PaceChanged, heard.append),
        flow.subscribe(LeftScript, heard.append),
    ]
    flow.next_scenario_step()
    assert heard == [RunMoved(flow.position, flow.clock)]
    flow.play()
    assert heard[-1] == PaceChanged(playing=True, speed=1.0)
    heard.clear()
    flow.move("ap2")
    assert heard == [LeftScript(step=1), RunMoved(flow.position, flow.clock)]
    flow.restart()
    assert heard[-1] == RunRestarted()
    heard.clear()
    assert not flow.step_back()  # at the start: nothing moves, nobody is told
    for stop in stops:
        stop()
    flow.step_forward()
    assert heard == []
