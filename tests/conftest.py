"""Shared helpers: a host on the default (Section 4.2) network, and networks with other settings."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING
from odplay.sim.network import NetworkConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation

ALL_TYPES = {FIXED, SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}


def loaded_by_a_run_of_the_4_2_flow(wanted: tuple[str, ...]) -> list[str]:
    """Which of the top-level packages `wanted` a fresh `odplay run 4.2-message-flow -q` loads
    (what start-up must not pay for is checked with this)."""
    code = (
        "import json, sys\n"
        "from odplay.cli import app\n"
        "try:\n"
        "    app(['run', '4.2-message-flow', '-q'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({wanted!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def network(**settings: Any) -> NetworkConfig:
    config = default_network()
    for name, value in settings.items():
        setattr(config, name, value)
    return config


def attached(policy: HostPolicy | None = None, ap: str = "ap1", **settings: Any) -> Simulation:
    """A simulation attached at `ap`, on the default network with `settings` changed."""
    sim = Simulation(network(**settings), policy, seed=7)
    sim.attach(ap)
    return sim


@pytest.fixture
def sim() -> Simulation:
    return attached()


@pytest.fixture
def full() -> Simulation:
    """A network that supports every type."""
    return attached(supports=set(ALL_TYPES))
