"""Shared helpers: a host on the default (Section 4.2) network, and networks with other settings."""

from __future__ import annotations

from typing import Any

import pytest

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING
from odplay.sim.network import NetworkConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation

ALL_TYPES = {FIXED, SESSION_LASTING, NON_PERSISTENT, GRACEFUL_REPLACEMENT}


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
