"""SVG snapshots of the playground's key states, at fixed terminal sizes.

Update them on purpose, after looking: `python3 dev.py test tests/ui --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.session.session import Session
from odplay.ui.app import PlaygroundApp
from tests.ui.conftest import FLOW, FakeClock, flow_app, free_app, settle

Snap = Callable[..., bool]
SMALL = (80, 24)
LARGE = (150, 44)


def test_free_play_on_a_small_terminal(snap_compare: Snap) -> None:
    assert snap_compare(free_app(), terminal_size=SMALL)


def test_the_4_2_flow_at_its_first_step_F1(snap_compare: Snap) -> None:
    assert snap_compare(flow_app(), press=["n"], terminal_size=SMALL)


def test_the_4_2_flow_just_after_the_move_F5(snap_compare: Snap) -> None:
    assert snap_compare(flow_app(), press=["n"] * 5, terminal_size=LARGE)


def test_the_4_2_flow_after_the_move_on_a_small_terminal_prefixes_F5(snap_compare: Snap) -> None:
    assert snap_compare(flow_app(), press=[*["n"] * 5, "2"], terminal_size=SMALL)


def test_the_4_2_flow_at_its_end_F9(snap_compare: Snap) -> None:
    assert snap_compare(flow_app(), press=["n"] * 8, terminal_size=LARGE)


def test_the_help_screen(snap_compare: Snap) -> None:
    assert snap_compare(free_app(), press=["question_mark"], terminal_size=(100, 32))


def test_the_launch_dialog(snap_compare: Snap) -> None:
    assert snap_compare(free_app(), press=["l"], terminal_size=SMALL)


def test_the_move_dialog(snap_compare: Snap) -> None:
    assert snap_compare(free_app(), press=["m"], terminal_size=SMALL)


def test_a_scenario_that_cannot_be_opened(snap_compare: Snap) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("title: t\nsteps:\n  - at: -1s\n    do:\n      - move: mars\n", "bad.yaml")
    app = PlaygroundApp(load_error=caught.value, highlight_seconds=0, wall_clock=FakeClock())
    assert snap_compare(app, terminal_size=SMALL)


# ---------------------------------------------------------------------- issue 16: every size

#: The 4.2 flow's last step, F9 (the flow tells F7 with the move: F9 is its step 8 of 8): the
#: refusal (F8) above it, every message whole however narrow the ladder (it wraps).
FLOW_SIZES = [(80, 24), (140, 40), (160, 48)]


@pytest.mark.parametrize("size", FLOW_SIZES, ids=[f"{w}x{h}" for w, h in FLOW_SIZES])
def test_the_4_2_flow_at_F9_at_each_size(snap_compare: Snap, size: tuple[int, int]) -> None:
    assert snap_compare(flow_app(), press=["n"] * 8, terminal_size=size)


def test_the_4_2_flow_at_F9_in_the_focus_layout(snap_compare: Snap) -> None:
    assert snap_compare(flow_app(), press=[*["n"] * 8, "z"], terminal_size=(120, 36))


def _opened(key: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open a dialog with `key` and let any work on a worker (the shipped list) finish."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press(key)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("key", ["e", "k", "o", "s", "i"])
def test_each_dialog_at_80x24(snap_compare: Snap, key: str) -> None:
    """The settings (e), socket calls (k), open (o), save (s) and reach (i) dialogs; launch
    and move have their own snapshots above."""
    assert snap_compare(free_app(), run_before=_opened(key), terminal_size=SMALL)


def test_the_predict_dialog_at_80x24(snap_compare: Snap) -> None:
    app = PlaygroundApp(
        Session.load(FLOW), highlight_seconds=0, wall_clock=FakeClock(), predicting=True
    )
    # The fifth n asks step 5's questions before it plays (the move, F5).
    assert snap_compare(app, press=["n"] * 5, terminal_size=SMALL)
