"""T4, a choice the draft leaves open: the host comes back to the gateway whose
Graceful-replacement prefix is still in its grace period.

`graceful_return: replace` (odplay's default) treats it as any gateway change: the old prefix
keeps its grace period and ends with it, and the gateway gives a new prefix. `revive` makes the
old prefix valid and preferred again, gives no new one, and an application waiting to move over
stays where it is. Both sides here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import load_scenario, parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.apps import CATALOG, AppSpec
from odplay.sim.network import GracefulReturn
from odplay.sim.simulation import Simulation
from tests.conftest import ALL_TYPES, attached

SCENARIO = Path(__file__).parents[2] / "scenarios" / "choice-T4-move-back-in-grace.yaml"
REPLACE, REVIVE = GracefulReturn.REPLACE, GracefulReturn.REVIVE


def _there_and_back(setting: GracefulReturn) -> Simulation:
    """A streaming client (moves over 3s after a deprecation) on IPgr1; the host goes to gw2
    at 1s and is back at gw1 at 2s, inside PREFgr1's 5s grace period."""
    sim = attached(supports=set(ALL_TYPES), grace_period=5000, graceful_return=setting)
    plan = replace(CATALOG["streaming-client"].plans[0], move_over_after=3000)
    sim.launch("video", "streaming-client", AppSpec("video", "streaming-client", (plan,)))
    sim.run_until(1000)
    sim.move("ap3")
    sim.run_until(2000)
    sim.move("ap1")
    return sim


def _states(sim: Simulation) -> dict[str, str]:
    return {n: p.state.value for n, p in sim.world.stack.prefixes.items() if "gr" in n}


def _video(sim: Simulation) -> list[tuple[int, str | None]]:
    return [(s.fd, s.bound_address) for s in sim.world.stack.live_sockets() if s.owner == "video"]


def test_T4_replace_is_the_default_setting() -> None:
    assert attached().world.network.config.graceful_return is REPLACE


def test_T4_replace_the_old_prefix_ends_its_grace_and_a_new_one_is_given() -> None:
    sim = _there_and_back(REPLACE)
    assert _states(sim) == {"PREFgr1": "deprecated", "PREFgr2": "deprecated", "PREFgr3": "valid"}
    assert sim.world.stack.prefixes["PREFgr1"].valid_until == 6000  # its grace is unchanged
    sim.run_until(4500)  # the move-over was due at 4s
    assert _video(sim) == [(4, "IPgr3")]
    sim.run_until(6000)
    assert _states(sim)["PREFgr1"] == "withdrawn"
    assert sim.world.apps["video"].broken_sessions == 0


def test_T4_revive_the_old_prefix_is_valid_again_and_no_new_one_is_given() -> None:
    sim = _there_and_back(REVIVE)
    assert _states(sim) == {"PREFgr1": "valid", "PREFgr2": "deprecated"}
    old = sim.world.stack.prefixes["PREFgr1"]
    assert (old.valid_until, old.preferred_until) == (None, None)
    revived = [e for e in sim.trace if e.kind == "prefix-revived"]
    assert [(e.time, e.rules) for e in revived] == [(2000, ("T4",))]
    assert any(e.kind == "move-over-cancelled" and e.actor == "video" for e in sim.trace)


def test_T4_revive_the_application_stays_and_its_old_timers_do_nothing() -> None:
    sim = _there_and_back(REVIVE)
    sim.run_until(20_000)  # past the cancelled move-over (4s) and the old grace end (6s)
    assert _video(sim) == [(3, "IPgr1")]
    assert _states(sim) == {"PREFgr1": "valid", "PREFgr2": "withdrawn"}
    assert sim.world.apps["video"].broken_sessions == 0


def test_T4_revive_then_leaving_again_gives_a_whole_new_grace_period() -> None:
    sim = _there_and_back(REVIVE)
    sim.run_until(5000)
    sim.move("ap3")  # PREFgr1 deprecated again, until 10s; its first grace would end at 6s
    assert sim.world.stack.prefixes["PREFgr1"].valid_until == 10_000
    sim.run_until(9_999)
    assert _states(sim)["PREFgr1"] == "deprecated"
    sim.run_until(10_000)
    assert _states(sim)["PREFgr1"] == "withdrawn"


def test_T4_revive_counts_for_a_detach_and_attach_as_well() -> None:
    for setting, expected in ((REPLACE, "deprecated"), (REVIVE, "valid")):
        sim = attached(supports=set(ALL_TYPES), grace_period=5000, graceful_return=setting)
        fd = sim.socket("app")
        sim.setsc(fd, 4)
        sim.detach()  # leaving the serving gateway starts the grace period
        sim.attach("ap2")  # behind gw1 again
        assert _states(sim)["PREFgr1"] == expected, setting


def test_T4_revive_only_the_gateway_that_gave_the_prefix() -> None:
    sim = _there_and_back(REVIVE)
    sim.move("ap3")  # to gw2 again: PREFgr2 (gw2's, deprecated at 2s) is revived, PREFgr1 not
    assert _states(sim) == {"PREFgr1": "deprecated", "PREFgr2": "valid"}


def test_T4_the_setting_changes_mid_run_and_a_saved_run_replays() -> None:
    sim = attached(supports=set(ALL_TYPES), grace_period=5000)
    sim.launch("video", "streaming-client")
    sim.run_for(500)
    sim.apply(cmd.SetNetwork("graceful_return", REVIVE))
    sim.move("ap3")
    sim.move("ap1")
    sim.run_for(8000)
    assert _states(sim)["PREFgr1"] == "valid"
    text = to_yaml(record(sim, "t4", sim.now))
    assert "graceful_return: revive" in text
    check_replays(text, sim, sim.now)


def test_T4_a_value_that_is_not_replace_or_revive_is_refused_at_its_line() -> None:
    text = "title: t\nnetwork:\n  graceful_return: keep\nsteps:\n  - at: 0s\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert "s.yaml:3:3: network.graceful_return" in str(caught.value)
    with pytest.raises(TypeError, match="graceful_return"):
        cmd.SetNetwork("graceful_return", "revive")


def test_T4_the_shipped_scenario_shows_both_sides_and_passes() -> None:
    result = run_scenario(load_scenario(SCENARIO))
    assert result.ok, [c.describe() for c in result.failures]
    kinds = [e.kind for e in result.sim.trace]
    assert "prefix-revived" in kinds and "move-over-cancelled" in kinds
    offered = [e.text for e in result.sim.trace if e.kind == "prefix-offered"]
    assert any("PREFgr3" in t for t in offered) and not any("PREFgr5" in t for t in offered)
    says = " ".join(step.say for step in load_scenario(SCENARIO).steps)
    assert "graceful_return" in says and "T4" in says and "3.2" in says
