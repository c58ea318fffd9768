"""Long work lands where the work done at once does: a step back or a previous scenario step
computed aside (odplay.session.jobs) and adopted shows exactly the entries, at the same model
step, that Session.step_back and Session.previous_scenario_step show, also where a scenario
step's boundary falls within one step of the model (some of its entries hidden)."""

from __future__ import annotations

from pathlib import Path

from odplay.session import jobs
from odplay.session.session import Session

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "scenarios" / "4.2-message-flow.yaml"


def _place(session: Session) -> tuple[int, int, int, list[str]]:
    return session.position, session.shown, session.clock, [e.text for e in session.trace]


def _back_aside(session: Session, target: int, hidden: int = 0) -> None:
    assert jobs.adopt(session, jobs.rewind(session, target, jobs.Control(), hidden))


def test_b_on_a_worker_lands_on_the_previous_step_like_b_at_once() -> None:
    session, same = Session.load(FLOW), Session.load(FLOW)
    session.next_scenario_step()
    ends = []
    while session.next_scenario_step() is not None:
        ends.append(session.shown)
    assert len(ends) >= 3
    same._go_to_entry(session.shown)
    within = 0
    while (place := jobs.previous_step_target(session)) is not None:
        same.previous_scenario_step()
        if place[0] < session.position:
            within += place[1] > 0
            _back_aside(session, *place)
        else:  # within one step of the model: nothing to compute
            session.previous_scenario_step()
        assert _place(session) == _place(same)
    assert session.shown == 0
    assert within  # the flow's last step begins within one step of the model (entry 55)


def test_comma_on_a_worker_hides_one_message_like_comma_at_once() -> None:
    session, same = Session.load(FLOW), Session.load(FLOW)
    while session.step_forward():
        same.step_forward()
    hid_only = 0
    while session.position > 0:
        target = jobs.step_back_target(session)
        same.step_back()
        if target is None:  # only hides the latest message of a step of the model
            hid_only += 1
            session.step_back()
        else:
            _back_aside(session, target)
        assert _place(session) == _place(same)
    assert hid_only > 0  # the flow has steps of the model that make several entries
