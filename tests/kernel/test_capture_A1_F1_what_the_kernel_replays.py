"""What a kernel run takes from the model's run (no root needed): the applications' outermost
calls with their arguments and answers, the events they caused, the network's doings on their
own, each at its scenario step; and the model is not changed by being watched.
"""

from __future__ import annotations

import json

from odplay.kernel.capture import StepChecked, capture
from odplay.report.jsonout import run_to_jsonable
from odplay.scenario.catalogue import resolve
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import run_scenario
from odplay.sim import events as ev


def test_the_4_2_flow_is_captured_call_by_call() -> None:
    captured = capture(load_scenario(resolve("4.2-message-flow")))
    calls = [(i.step, i.call, i.args) for i in captured.items if i.call is not None]
    assert (2, "setsc", (3, 3)) in calls
    assert (2, "bind", (3, "IPnp1", 0)) in calls
    assert (2, "connect", (3, "im.example.com", 5222)) in calls
    connect = next(i for i in captured.items if i.call == "connect")
    done = connect.caused(ev.Connected)
    assert done is not None and (done.source, done.rtt) == ("IPnp1", 24)
    moved = next(i for i in captured.items if isinstance(i.event, ev.HostMoved))
    assert (moved.step, moved.time) == (5, 5000)
    assert captured.value_of("IPnp1") == captured.prefixes["PREFnp1"].value
    assert captured.servers() == {
        ("im.example.com", 5222, False),
        ("www.example.org", 443, False),
        ("video.example.com", 1935, False),
    }


def test_a_blocked_setsc_is_answered_later_by_an_event_of_its_own() -> None:
    captured = capture(load_scenario(resolve("graceful-replacement")))
    first = next(i for i in captured.items if i.call == "setsc")
    assert first.result is None  # blocked (A5)
    later = [i for i in captured.items if isinstance(i.event, ev.SetscResult)]
    assert later and later[0].time == 50 and later[0].event.address == "IPgr1"


def test_reach_expectations_are_claims_at_the_step_they_belong_to() -> None:
    captured = capture(load_scenario(resolve("fixed-server-reachability")))
    checked = [i for i in captured.items if isinstance(i.event, StepChecked) and i.event.reaches]
    assert [(i.step, i.event.reaches[0].ok) for i in checked] == [
        (2, True),
        (3, True),
        (4, False),
        (5, True),
    ]
    last = checked[-1]
    assert last.time == 16_000 and last.play_at == captured.end == 6000


def test_watching_the_model_does_not_change_what_it_does() -> None:
    model = load_scenario(resolve("4.2-message-flow"))
    watched = capture(model).result
    plain = run_scenario(load_scenario(resolve("4.2-message-flow")))
    assert json.dumps(run_to_jsonable(watched, "x")) == json.dumps(run_to_jsonable(plain, "x"))
