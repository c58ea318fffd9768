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
    assert first["setsc_status"] == "EAI_REQUIREDIPNOTSUPPORTED" and first["state"] == "closed"


def test_F9_the_fallback_to_session_lasting_gets_IPsl1(run: RunResult) -> None:
    last = _sockets(run, "app4")[-1]
    assert last["requested_type"] == "session-lasting" and last["bound_address"] == "IPsl1"
    assert run.ok, [c.describe() for c in run.failures]
