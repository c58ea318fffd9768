"""The Section 4.2 message flow (F1-F9), read off the shipped scenario's run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import RunResult, run_scenario

SCENARIO = Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml"


@pytest.fixture(scope="module")
def run() -> RunResult:
    return run_scenario(load_scenario(SCENARIO))


def _sockets(run: RunResult, app: str) -> list[dict[str, Any]]:
    return [s for s in run.sim.snapshot()["sockets"] if s["app"] == app]


def _texts(run: RunResult, kind: str) -> list[str]:
    return [e.text for e in run.sim.trace if e.kind == kind]


def test_F1_attach_gives_PREFsl1_and_PREFnp1_and_nothing_else(run: RunResult) -> None:
    offered = _texts(run, "prefix-offered")
    assert offered[:2] == [
        "gw1 provides PREFsl1 (Session-lasting) 2001:db8:1:1::/64",
        "gw1 provides PREFnp1 (Non-persistent) 2001:db8:1:2::/64",
    ]


def test_F2_F3_two_applications_are_both_given_IPnp1(run: RunResult) -> None:
    for app in ("app1", "app2"):
        assert _sockets(run, app)[0]["bound_address"] == "IPnp1"


def test_F4_the_session_lasting_request_gets_IPsl1(run: RunResult) -> None:
    assert _sockets(run, "app3")[0]["bound_address"] == "IPsl1"


def test_F5_the_move_brings_PREFnp2_and_ends_PREFnp1(run: RunResult) -> None:
    states = {p["name"]: p["state"] for p in run.sim.snapshot()["prefixes"]}
    assert states["PREFnp1"] == "withdrawn" and states["PREFnp2"] == "valid"
    assert "gw2 provides PREFnp2 (Non-persistent) 2001:db8:2:1::/64" in _texts(
        run, "prefix-offered"
    )


def test_F6_the_broken_applications_re_establish_on_IPnp2(run: RunResult) -> None:
    for app in ("app1", "app2"):
        old, new = _sockets(run, app)
        assert old["state"] == "closed" and new["reestablishes"] == old["fd"]
        assert new["bound_address"] == "IPnp2" and new["state"] == "connected"


def test_F7_IPsl1_carries_on_after_the_move(run: RunResult) -> None:
    (sock,) = _sockets(run, "app3")
    assert sock["state"] == "connected" and sock["via"] == "gw1"


def test_F8_graceful_replacement_is_refused(run: RunResult) -> None:
    first = _sockets(run, "app4")[0]
    assert first["requested_type"] == "graceful-replacement"
    assert first["setsc_status"] == "EAI_REQUIREDIPNOTSUPPORTED" and first["state"] == "closed"
    refusal = next(e for e in run.sim.trace if e.kind == "prefix-refused")
    assert refusal.rules == ("D4", "F8")
    assert refusal.text == "gw2 refuses: it does not support this type (EAI_REQUIREDIPNOTSUPPORTED)"


def test_F9_the_fallback_to_session_lasting_gets_IPsl1(run: RunResult) -> None:
    refused, fallback = _sockets(run, "app4")  # the refused attempt, and the one that replaced it
    (fell_back,) = [e for e in run.sim.trace if e.kind == "fallback" and e.actor == "app4"]
    assert fell_back.rules == ("F9",)
    assert fell_back.text == (
        "setsc() returned EAI_REQUIREDIPNOTSUPPORTED; tries again with SESSION_LASTING_IPV6_ADDRESS"
    )
    opened = {e.data["fd"]: e.number for e in run.sim.trace if e.kind == "socket"}
    assert opened[refused["fd"]] < fell_back.number < opened[fallback["fd"]]
    assert fallback["requested_type"] == "session-lasting"
    assert fallback["setsc_status"] == "SUCCESS" and fallback["state"] == "connected"
    assert fallback["bound_address"] == "IPsl1"
    (app4,) = [a for a in run.sim.snapshot()["applications"] if a["name"] == "app4"]
    assert app4["setsc_results"] == ["EAI_REQUIREDIPNOTSUPPORTED", "SUCCESS"]
    assert app4["failed_sessions"] == 0


def test_every_expectation_of_the_scenario_holds(run: RunResult) -> None:
    assert run.ok, [c.describe() for c in run.failures]
