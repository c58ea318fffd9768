"""SVG snapshots of the playground's key states, at fixed terminal sizes.

Update them on purpose, after looking: `python3 dev.py test tests/ui --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.ui.app import PlaygroundApp
from tests.ui.conftest import FakeClock, flow_app, free_app

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
