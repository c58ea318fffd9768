"""Every name a viewer of a session may use, in one place: the playground imports from here.

The playground (odplay.ui) never imports the model (odplay.sim), the scenario layer
(odplay.scenario) or odplay.compare itself; an import-linter contract in pyproject.toml holds it
to that. It acts with `Session.do(command)` on the commands below, reads through the session's
properties and odplay.session.views, and subscribes to the events of odplay.session.events. The
draft's own vocabulary (odplay.constants, odplay.rules) it imports directly.

This module is light (no scenario models, no ruamel.yaml): the playground's first frame imports it.
The scenario side (files, records, comparisons, their limits) is odplay.session.scenarios,
imported where it is needed. Long work done aside (stepping back far, starting over, opening,
with a way to cancel) is odplay.session.jobs, re-exported here as `jobs`.
"""

from __future__ import annotations

from odplay.scenario.errors import Problem, ScenarioError
from odplay.session import jobs
from odplay.session.events import Event, LeftScript, PaceChanged, RunMoved, RunRestarted
from odplay.session.outcome import Outcome
from odplay.session.session import Mode, ScenarioStep, Session
from odplay.sim.apps import CATALOG, AppSpec, SocketPlan, spec_for
from odplay.sim.commands import (
    NETWORK_FIELDS,
    POLICY_FIELDS,
    Attach,
    Bind,
    Close,
    Command,
    Connect,
    Detach,
    GetSockOpt,
    Launch,
    Listen,
    Move,
    Quit,
    Reach,
    Send,
    SetNetwork,
    SetPolicy,
    Setsc,
    SetSockOpt,
    SocketCall,
)
from odplay.sim.network import GracefulReturn, NetworkConfig, SameGatewayMove
from odplay.sim.peers import peer_problem as host_problem
from odplay.sim.policy import (
    DEFAULT_ROTATION,
    AllocationPolicy,
    FreshFailurePolicy,
    HostPolicy,
    LastClosePolicy,
    LegacyOnNetPolicy,
    PendingConnect,
    SocketApi,
)
from odplay.sim.tables import Protocol, Socket, SocketState
from odplay.sim.timeunits import format_duration, format_time, parse_duration
from odplay.sim.trace import TraceEntry
from odplay.sim.type_mapping import PrefixTypes
from odplay.sim.world import World

__all__ = [
    "CATALOG",
    "DEFAULT_ROTATION",
    "NETWORK_FIELDS",
    "POLICY_FIELDS",
    "AllocationPolicy",
    "AppSpec",
    "Attach",
    "Bind",
    "Close",
    "Command",
    "Connect",
    "Detach",
    "Event",
    "FreshFailurePolicy",
    "GetSockOpt",
    "GracefulReturn",
    "HostPolicy",
    "LastClosePolicy",
    "Launch",
    "LeftScript",
    "LegacyOnNetPolicy",
    "Listen",
    "Mode",
    "Move",
    "NetworkConfig",
    "Outcome",
    "PaceChanged",
    "PendingConnect",
    "PrefixTypes",
    "Problem",
    "Protocol",
    "Quit",
    "Reach",
    "RunMoved",
    "RunRestarted",
    "SameGatewayMove",
    "ScenarioError",
    "ScenarioStep",
    "Send",
    "Session",
    "SetNetwork",
    "SetPolicy",
    "SetSockOpt",
    "Setsc",
    "Socket",
    "SocketApi",
    "SocketCall",
    "SocketPlan",
    "SocketState",
    "TraceEntry",
    "World",
    "format_duration",
    "format_time",
    "jobs",
    "parse_duration",
    "peer_problem",
    "spec_for",
]


def peer_problem(network: NetworkConfig, peer: str) -> str:
    """Why connect() or sendto() cannot take `peer`, or "" when it can: one of the network's
    correspondents, or any Internet host by IPv6 address or host name (odplay.sim.peers)."""
    if network.correspondent(peer) is not None:
        return ""
    return host_problem(peer)
