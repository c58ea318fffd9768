"""Checks that need the whole scenario: names that must exist, be unique, or come in order.

Each problem comes back with its location path (as pydantic gives one), so the loader can turn
it into a file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from odplay.scenario.schema import MAX_SIM_TIME_MS, ScenarioModel
from odplay.sim.apps import CATALOG
from odplay.sim.commands import NETWORK_FIELDS
from odplay.sim.network import default_network
from odplay.sim.tables import PrefixState, SocketState

Loc = tuple[Any, ...]

_PREFIX_NAME = re.compile(r"^PREF(fx|sl|np|gr|lg)[1-9][0-9]*$")
_ADDRESS_NAME = re.compile(r"^IP(fx|sl|np|gr|lg)[1-9][0-9]*$")
_SOCKET_STATES = {s.value for s in SocketState}
_PREFIX_STATES = {s.value for s in PrefixState} | {"absent"}


def _names(items: list[Any], loc: Loc, what: str, problems: list[tuple[Loc, str]]) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.name in seen:
            problems.append(((*loc, index, "name"), f"{what} {item.name!r} is named twice"))
        seen.add(item.name)
    return seen


def _one_of(value: str, known: set[str], what: str) -> str | None:
    if value in known:
        return None
    return f"no {what} {value!r}; there are: {', '.join(sorted(known)) or 'none'}"


def check_references(model: ScenarioModel) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    default = default_network()
    net = model.network
    gateways = (
        _names(net.gateways, ("network", "gateways"), "gateway", problems)
        if net.gateways
        else {g.name for g in default.gateways}
    )
    aps = (
        _names(
            net.attachment_points, ("network", "attachment_points"), "attachment point", problems
        )
        if net.attachment_points
        else {a.name for a in default.attachment_points}
    )
    peers = (
        _names(net.correspondents, ("network", "correspondents"), "correspondent", problems)
        if net.correspondents is not None
        else {c.name for c in default.correspondents}
    )
    anchor = net.anchor.name if net.anchor else default.anchor
    if anchor in gateways:
        problems.append(
            (("network", "anchor", "name"), f"the anchor and a gateway share the name {anchor!r}")
        )
    if net.attachment_points:
        for index, ap in enumerate(net.attachment_points):
            if (msg := _one_of(ap.gateway, gateways, "gateway")) is not None:
                problems.append((("network", "attachment_points", index, "gateway"), msg))
    elif net.gateways:
        # The built-in attachment points stand behind the built-in gateways.
        missing = sorted({a.gateway for a in default.attachment_points} - gateways)
        if missing:
            problems.append(
                (
                    ("network", "gateways"),
                    f"the built-in attachment points stand behind {', '.join(missing)}, which "
                    "are not among these gateways; give attachment_points too",
                )
            )

    apps = _names(model.applications, ("applications",), "application", problems)
    for index, app in enumerate(model.applications):
        if app.kind not in CATALOG:
            problems.append(
                (
                    ("applications", index, "kind"),
                    _one_of(app.kind, set(CATALOG), "application kind") or "",
                )
            )
        for s_index, sock in enumerate(app.sockets or []):
            here = ("applications", index, "sockets", s_index)
            if sock.peer is not None and (msg := _one_of(sock.peer, peers, "correspondent")):
                problems.append(((*here, "peer"), msg))
            if sock.type is None and not sock.legacy:
                problems.append(
                    (
                        (*here, "type"),
                        "give a type, or `legacy: true` for a socket that never calls setsc()",
                    )
                )
            if sock.type is not None and sock.legacy:
                problems.append(((*here, "legacy"), "a legacy socket has no type"))

    problems += list(_check_steps(model, aps, apps, peers, gateways | {anchor}))
    return problems


def _check_steps(
    model: ScenarioModel, aps: set[str], apps: set[str], peers: set[str], nodes: set[str]
) -> Iterator[tuple[Loc, str]]:
    labels: set[str] = set()
    time = 0
    for index, step in enumerate(model.steps):
        here: Loc = ("steps", index)
        if step.at is not None:
            if step.at < time:
                yield (
                    (*here, "at"),
                    f"this step is at {step.at}ms, before the previous one ({time}ms)",
                )
            time = max(time, step.at)
        elif step.after is not None:
            time += step.after
        for a_index, action in enumerate(step.do):
            yield from _check_action(action, (*here, "do", a_index), aps, apps, peers, labels)
            if action.wait is not None:
                time += action.wait
        for e_index, expect in enumerate(step.expect):
            yield from _check_expect(
                expect, (*here, "expect", e_index), apps, peers, labels, aps, nodes
            )
        for p_index, predict in enumerate(step.predict):
            for c_index, choice in enumerate(predict.choices):
                where = (*here, "predict", p_index, "choices", c_index, "expect")
                yield from _check_expect(choice.expect, where, apps, peers, labels, aps, nodes)
        if time > MAX_SIM_TIME_MS:
            yield (*here,), "the scenario runs past odplay's limit of one simulated week"
    if model.end is not None and model.end < time:
        yield ("end",), f"the run ends at {model.end}ms, before its last step ({time}ms)"


def _check_action(
    action: Any, loc: Loc, aps: set[str], apps: set[str], peers: set[str], labels: set[str]
) -> Iterator[tuple[Loc, str]]:
    verb = action.verb
    value = getattr(action, verb)
    if verb in ("attach", "move") and (msg := _one_of(value, aps, "attachment point")):
        yield (*loc, verb), msg
    elif verb in ("launch", "quit") and (msg := _one_of(value, apps, "application")):
        yield (*loc, verb), msg
    elif verb == "socket":
        if value.name in labels:
            yield (*loc, verb, "name"), f"a socket named {value.name!r} was declared already"
        labels.add(value.name)
    elif verb in ("setsockopt", "setsc", "bind", "connect", "listen", "close"):
        if value.socket not in labels:
            yield (
                (*loc, verb, "socket"),
                (
                    f"no socket {value.socket!r} declared before this; "
                    "declare it with `socket: {name: ...}`"
                ),
            )
        if verb == "connect" and (msg := _one_of(value.peer, peers, "correspondent")):
            yield (*loc, verb, "peer"), msg
    elif (
        verb == "reach"
        and value.from_ is not None
        and (msg := _one_of(value.from_, peers, "correspondent"))
    ):
        yield (*loc, verb, "from"), msg
    elif verb == "network":
        # Only the run-time settings can change mid-run; the rest describe the network itself.
        for name in sorted(value.model_fields_set - set(NETWORK_FIELDS)):
            yield (*loc, verb, name), f"{name} is set for the whole run, under network: at the top"


def _check_expect(
    expect: Any,
    loc: Loc,
    apps: set[str],
    peers: set[str],
    labels: set[str],
    aps: set[str],
    nodes: set[str],
) -> Iterator[tuple[Loc, str]]:
    subject = expect.subject
    if subject == "socket" and expect.socket not in labels | apps:
        yield (*loc, "socket"), f"no application or declared socket {expect.socket!r}"
    if subject == "socket" and expect.state and expect.state not in _SOCKET_STATES:
        yield (*loc, "state"), f"a socket state is one of: {', '.join(sorted(_SOCKET_STATES))}"
    if subject == "prefix":
        if not _PREFIX_NAME.match(expect.prefix):
            yield (
                (*loc, "prefix"),
                "a prefix is named like PREFsl1 (fx, sl, np, gr or lg, then a number)",
            )
        if expect.state and expect.state not in _PREFIX_STATES:
            yield (*loc, "state"), f"a prefix state is one of: {', '.join(sorted(_PREFIX_STATES))}"
        if expect.anchor and expect.anchor not in nodes:
            yield (*loc, "anchor"), _one_of(expect.anchor, nodes, "gateway or anchor") or ""
    if subject == "address" and not _ADDRESS_NAME.match(expect.address):
        yield (
            (*loc, "address"),
            "an address is named like IPsl1 (fx, sl, np, gr or lg, then a number)",
        )
    if subject == "app" and expect.app not in apps:
        yield (*loc, "app"), _one_of(expect.app, apps, "application") or ""
    if subject == "call" and expect.call.split(".")[0] not in labels:
        yield (*loc, "call"), f"no socket {expect.call.split('.')[0]!r} declared before this"
    if (
        subject == "reach"
        and expect.reach.from_
        and (msg := _one_of(expect.reach.from_, peers, "correspondent"))
    ):
        yield (*loc, "reach", "from"), msg
    if subject == "host" and expect.attachment not in aps | {"detached"}:
        yield (
            (*loc, "attachment"),
            _one_of(expect.attachment or "", aps | {"detached"}, "attachment point") or "",
        )
    if expect.via is not None and expect.via not in nodes | {"direct"}:
        yield (*loc, "via"), _one_of(expect.via, nodes | {"direct"}, "anchor (or direct)") or ""
    if expect.type is not None and expect.type not in (
        "fixed",
        "session-lasting",
        "non-persistent",
        "graceful-replacement",
        "untyped",
    ):
        yield (
            (*loc, "type"),
            "a type is fixed, session-lasting, non-persistent, graceful-replacement or untyped",
        )
