"""A run the learner made, written as a scenario file that replays it exactly.

The run's script (`Simulation.actions()`: what was done, and when) becomes one step per moment
something was done; the sockets the learner opened are named after the fds the trace shows. The
network, host policy and seed the run started from become the scenario's own; each application
launched is declared with every setting of its sockets. Each command is written by the verb
that records it (odplay/scenario/verbs/). The scenario is then replayed, and it is
written only if the replay tells the same trace. What cannot be said in a scenario (a call on
an application's own socket, two different applications under one name) is refused with the
reason.

Saving never overwrites a file unless told to, and writes atomically: a temporary file beside
the target, flushed, then renamed over it, so that a crash leaves the old file or the new one,
never half of either.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from odplay.constants import AddressType, flag_names
from odplay.scenario.errors import ScenarioError
from odplay.scenario.registry import verbs
from odplay.scenario.without_effect import socket_keys_without_effect
from odplay.scenario.yaml_values import host_setting, ms, network_setting, node_setting
from odplay.sim import commands as cmd
from odplay.sim.apps import LEGACY, AppSpec, SocketPlan
from odplay.sim.network import GatewayConfig, NetworkConfig
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.trace import TraceEntry
from odplay.sim.world import World


class RecordError(ValueError):
    """The run cannot be written as a scenario that replays it exactly; the message says why."""


def _gateway(gateway: GatewayConfig) -> dict[str, Any]:
    written: dict[str, Any] = {
        "name": gateway.name,
        "internet_delay": ms(gateway.internet_delay),
        "anchor_delay": ms(gateway.anchor_delay),
        "pool": gateway.pool,
    }
    # A gateway's own settings only where it has some: left out, it takes the network's.
    for name in ("supports", "legacy"):
        if getattr(gateway, name) is not None:
            written[name] = node_setting(name, getattr(gateway, name))
    if gateway.pools:
        written["pools"] = node_setting("pools", gateway.pools)
    return written


def _network(config: NetworkConfig) -> dict[str, Any]:
    anchor: dict[str, Any] = {
        "name": config.anchor,
        "internet_delay": ms(config.anchor_internet_delay),
        "pool": config.anchor_pool,
    }
    if config.anchor_pools:
        anchor["pools"] = node_setting("pools", config.anchor_pools)
    return {
        "anchor": anchor,
        "gateways": [_gateway(g) for g in config.gateways],
        "attachment_points": [
            {"name": a.name, "gateway": a.gateway, "access_delay": ms(a.access_delay)}
            for a in config.attachment_points
        ],
        "correspondents": [
            {"name": c.name, "address": c.address, "delay": ms(c.delay)}
            for c in config.correspondents
        ],
        **{name: network_setting(name, getattr(config, name)) for name in cmd.NETWORK_FIELDS},
        "mobility": config.mobility.value,
    }


def _host(policy: HostPolicy) -> dict[str, Any]:
    return {name: host_setting(name, getattr(policy, name)) for name in cmd.POLICY_FIELDS}


def _socket(plan: SocketPlan) -> dict[str, Any]:
    sock: dict[str, Any] = {"role": plan.role}
    if plan.type is None:
        sock["legacy"] = True
    else:
        sock["type"] = plan.type.slug
    sock["flags"] = flag_names(plan.flags)
    if plan.peer is not None:
        sock["peer"] = plan.peer
    sock["port"] = plan.peer_port
    if plan.listen_port is not None:
        sock["listen"] = plan.listen_port
    sock["bind"] = plan.bind
    sock["fallback"] = [f.slug if isinstance(f, AddressType) else LEGACY for f in plan.fallback]
    sock["reestablish"] = plan.reestablish
    sock["reconnect_after"] = ms(plan.reconnect_after)
    for name in ("move_over_after", "hold", "repeat_every"):
        value = getattr(plan, name)
        if value is not None:
            sock[name] = ms(value)
    if plan.publish is not None:
        sock["publish"] = plan.publish
    # A key that could not take effect with the rest of the plan would be refused on loading
    # (odplay.scenario.without_effect); leaving it out changes nothing the run does.
    for key in socket_keys_without_effect(plan):
        sock.pop(key, None)
    return sock


def _application(spec: AppSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "sockets": [_socket(p) for p in spec.plans],
    }


class Recording:
    """Turns the run's commands into scenario actions, each by the verb that records it, and
    names the sockets the learner opened after their fds."""

    def __init__(self) -> None:
        self.apps: dict[str, AppSpec] = {}
        self.labels: dict[int, str] = {}  # fd -> the name its `socket:` action gave it
        self.fd: int | None = None  # what the socket() call being recorded returned
        #: The call being recorded had to wait for the network (a setsc() that asked, A5).
        self.waited = False
        self._verbs = {name: verb for verb in verbs().values() for name in verb.records}

    def action(self, command: cmd.Command, fd: int | None, waited: bool = False) -> dict[str, Any]:
        verb = self._verbs.get(type(command).__name__)
        if verb is None or verb.record is None:
            raise RecordError(f"odplay cannot write {type(command).__name__} in a scenario")
        self.fd, self.waited = fd, waited
        return {verb.name: verb.record(command, self)}

    def launched(self, spec: AppSpec) -> None:
        """Declare an application, once per name."""
        known = self.apps.setdefault(spec.name, spec)
        if known != spec:
            raise RecordError(
                f"two different applications were launched as {spec.name!r}; "
                "a scenario declares each name once"
            )

    def declare(self) -> str:
        """Name the socket a socket() call opened, after its fd."""
        assert self.fd is not None
        self.labels[self.fd] = f"s{self.fd}"
        return self.labels[self.fd]

    def label(self, command: Any) -> str:
        """The name of the socket a call is on; only the scenario's own sockets have one."""
        fd = getattr(command, "fd", None)
        if fd not in self.labels:
            raise RecordError(
                f"{type(command).__name__.lower()}() on socket {fd}, which an application "
                "opened: a scenario can only call on sockets it opened itself"
            )
        return self.labels[fd]


def record(sim: Simulation, title: str, until: int) -> dict[str, Any]:
    """The scenario, as plain data, for what was done to `sim` up to now, run to `until` ms."""
    start = sim.initial_world()
    # The fd each of the learner's socket() calls returned, in order, read off the trace: the
    # run already says it, so nothing is replayed here.
    socket_steps = {step for step, c in sim.inputs.items() if isinstance(c, cmd.SocketCall)}
    fds = iter([e.data["fd"] for e in sim.trace if e.kind == "socket" and e.step in socket_steps])
    # The steps at which a call asked the network and went on without its answer: in the
    # playground nothing waits for it, so the recording says `wait: false` (A5).
    asked = {e.step for e in sim.trace if e.kind == "prefix-request"}
    recorder = Recording()
    steps: list[dict[str, Any]] = []
    for number, (time, command) in sim.numbered_actions():
        step = _step_at(steps, time)
        if isinstance(command, cmd.Narrate):
            step["say"] = (step.get("say", "") + "\n" + command.text).strip()
            continue
        if isinstance(command, cmd.TellAwaited):
            continue  # a say told at its step's time: the say above is that step's
        fd = next(fds) if isinstance(command, cmd.SocketCall) else None
        step.setdefault("do", []).append(recorder.action(command, fd, number in asked))
    if not steps:
        steps.append({"at": "0ms"})
    return {
        "title": title,
        "summary": "A run recorded in the odplay playground; `odplay run` replays it.",
        "seed": start.seed,
        "network": _network(start.network.config),
        "host": _host(start.stack.policy),
        "applications": [_application(spec) for spec in recorder.apps.values()],
        "steps": steps,
        "end": ms(until),
    }


def _step_at(steps: list[dict[str, Any]], time: int) -> dict[str, Any]:
    if not steps or steps[-1]["at"] != ms(time):
        steps.append({"at": ms(time)})
    return steps[-1]


def to_yaml(data: dict[str, Any]) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    out = io.StringIO()
    from odplay import version

    out.write(f"# Recorded in the odplay playground (odplay {version()}).\n")
    out.write("# Replay it: odplay run THIS-FILE\n")
    yaml.dump(data, out)
    return out.getvalue()


def _comparable(entries: list[TraceEntry]) -> list[tuple[Any, ...]]:
    """A trace without narration and without step numbers: what happened, and when."""
    return [
        (e.time, e.actor, e.kind, e.text, tuple(e.rules), e.target, sorted(e.data.items()))
        for e in entries
        if e.kind != "narration"
    ]


def check_replays(
    text: str, sim: Simulation, until: int, observer: Callable[[World], None] | None = None
) -> None:
    """Raise RecordError unless `text`, loaded and run, is the same run as `sim` up to now.

    `observer` is called with the replay's world after each step (see run_scenario)."""
    from odplay.scenario.loader import parse_scenario
    from odplay.scenario.runner import RunError, run_scenario

    try:
        result = run_scenario(parse_scenario(text, "the recording"), observer=observer)
    except (ScenarioError, RunError) as exc:
        raise RecordError(f"the recording would not load back: {exc}") from None
    ours = _comparable(list(sim.trace))
    theirs = _comparable(list(result.sim.trace))
    # The replay runs on to `until`; the playground may have stopped between two events of
    # that same millisecond, so the replay may hold a few more, all at `until`.
    same = theirs[: len(ours)] == ours and all(e[0] == until for e in theirs[len(ours) :])
    if not same:
        raise RecordError(
            "the recording would not replay this run exactly (odplay records what was done "
            "and when, to the millisecond)"
        )


def save_scenario(text: str, path: Path, overwrite: bool = False) -> None:
    """Write `text` to `path` the safe way (odplay.files): atomically, never through a link,
    refusing an existing file unless `overwrite`."""
    from odplay.files import write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text, overwrite=overwrite)
