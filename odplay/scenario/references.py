"""Checks that need the whole scenario: names that must exist, be unique, or come in order.

Each problem comes back with its location path (as pydantic gives one), so the loader can turn
it into a file, line and column. What a verb or an expectation's subject refers to is checked by
its registry entry, given what the scenario has named so far.
"""

from __future__ import annotations

from typing import Any

from odplay.scenario.registry import Loc, Names, Problems, one_of, subjects, verbs
from odplay.scenario.schema import MAX_SIM_TIME_MS, ExpectModel, ScenarioModel
from odplay.scenario.without_effect import check_world
from odplay.sim.apps import CATALOG
from odplay.sim.network import default_network


def _names(items: list[Any], loc: Loc, what: str, problems: list[tuple[Loc, str]]) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.name in seen:
            problems.append(((*loc, index, "name"), f"{what} {item.name!r} is named twice"))
        seen.add(item.name)
    return seen


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
            if (msg := one_of(ap.gateway, gateways, "gateway")) is not None:
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
                    one_of(app.kind, set(CATALOG), "application kind") or "",
                )
            )
        for s_index, sock in enumerate(app.sockets or []):
            here = ("applications", index, "sockets", s_index)
            if sock.peer is not None and (msg := one_of(sock.peer, peers, "correspondent")):
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

    problems += list(check_world(model))
    names = Names(aps, apps, peers, gateways | {anchor}, anchor=anchor)
    problems += list(_check_steps(model, names))
    return problems


def _check_steps(model: ScenarioModel, names: Names) -> Problems:
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
            verb = verbs()[action.verb]
            yield from verb.references(action.value, (*here, "do", a_index, verb.name), names)
            if verb.takes is not None:
                time += verb.takes(action.value)
        for e_index, expect in enumerate(step.expect):
            yield from _check_expect(expect, (*here, "expect", e_index), names)
        for p_index, predict in enumerate(step.predict):
            for c_index, choice in enumerate(predict.choices):
                where = (*here, "predict", p_index, "choices", c_index, "expect")
                yield from _check_expect(choice.expect, where, names)
        if time > MAX_SIM_TIME_MS:
            yield (*here,), "the scenario runs past odplay's limit of one simulated week"
    if model.end is not None and model.end < time:
        yield ("end",), f"the run ends at {model.end}ms, before its last step ({time}ms)"


def _check_expect(expect: ExpectModel, loc: Loc, names: Names) -> Problems:
    yield from subjects()[expect.subject].references(expect.facts(), loc, names)
