"""Values a scenario can write that would never take effect: refused where they stand.

A value the model accepts and then drops misleads the author: `port: 8080` on a socket that
listens (it listens on `listen`, 443 for a web server), `reconnect_after` on a socket that is
never re-established, `key: null` where null means "as if the key were not there". Each is
refused with its file, line, column and field, and the reason; the recorder leaves the same
keys out of what it writes (odplay.scenario.record), so that a saved run loads back.

What a verb's value can be refused for alone (`detach: false`) is the verb's own check; what
depends on earlier actions (a `listen` port after `bind`, `boot_types` after the first
`attach`) is the verbs' `references`, through what `Names` has seen so far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.scenario.registry import Loc, Problems

if TYPE_CHECKING:
    from pydantic import BaseModel

    from odplay.scenario.schema import ScenarioModel
    from odplay.sim.apps import SocketPlan


def explicit_nulls(model: BaseModel, loc: Loc, allowed: frozenset[str] = frozenset()) -> Problems:
    """`key: null` where null means "leave it as it is": it would change nothing."""
    for name in sorted(model.model_fields_set - allowed):
        if getattr(model, name) is None:
            yield (
                (*loc, name),
                f"`{name}: null` changes nothing (it reads as leaving `{name}` out); leave the "
                "key out, or give it a value",
            )


def empty(model: BaseModel, loc: Loc, verb: str) -> Problems:
    """A `host:` or `network:` action that sets nothing."""
    if not model.model_fields_set:
        yield loc, f"this {verb} action changes nothing; give at least one setting"


def socket_keys_without_effect(plan: SocketPlan) -> dict[str, str]:
    """The scenario keys of an application's socket that could never take effect with this
    plan (its own keys over its kind's), each with why; the keys not listed can take effect."""
    from odplay.sim.apps import LEGACY

    out: dict[str, str] = {}
    listens = plan.listen_port is not None
    # A typed attempt calls setsc() and then binds (or not: R3); a legacy one never binds.
    typed = plan.type is not None or any(step != LEGACY for step in plan.fallback)
    if listens:
        where = f"it listens on port {plan.listen_port}"
        out["port"] = (
            f"this socket listens: {where}; `port` is the port a connecting socket connects "
            "to. To listen on another port, give `listen`"
        )
        out["peer"] = f"this socket listens and connects to no peer: {where}"
    elif plan.peer is None:
        out["port"] = "`port` is the port of the peer a socket connects to; this one has no `peer`"
        out["hold"] = (
            "`hold` closes a socket some time after it connects or listens; this one does "
            "neither (give `peer` or `listen`)"
        )
    if not listens:
        out["publish"] = (
            "`publish` puts a listening socket's address in DNS (C2); this socket does not listen"
        )
    elif not (typed and plan.bind):
        why = "bind: false" if typed else "a legacy socket"
        out["publish"] = (
            f"only a socket bound to its own address is published (C2); this one ({why}) "
            "listens on :: and is never published"
        )
    if not typed:
        out["bind"] = (
            "a legacy socket never calls setsc(), so it has nothing to bind or leave unbound "
            "(`bind: false` is setsc() without bind(), R3)"
        )
    if not plan.reestablish:
        out["reconnect_after"] = (
            "`reconnect_after` is the delay before a broken socket is re-established, and this "
            "one is not (reestablish: false)"
        )
    if plan.hold is None:
        out["repeat_every"] = (
            "`repeat_every` opens the socket again after `hold` closes it; this one has no `hold`"
        )
    return out


#: Where null is a value: the host's default type (None: the serving gateway's prefix, D10),
#: and a legacy socket's type (it has none).
_HOST_NULLABLE = frozenset({"default_type"})
_SOCKET_NULLABLE = frozenset({"type"})


def check_world(model: ScenarioModel) -> Problems:
    """The top-level `network:`, `host:` and `applications:` keys that would change nothing."""
    from odplay.scenario.build import plan_for
    from odplay.sim.apps import CATALOG, SocketPlan

    yield from explicit_nulls(model.network, ("network",))
    yield from explicit_nulls(model.host, ("host",), _HOST_NULLABLE)
    for index, app in enumerate(model.applications):
        here: Loc = ("applications", index)
        yield from explicit_nulls(app, here)
        if app.kind not in CATALOG:
            continue  # refused already, by name
        defaults = CATALOG[app.kind].plans
        for s_index, sock in enumerate(app.sockets or []):
            where: Loc = (*here, "sockets", s_index)
            nulls = list(explicit_nulls(sock, where, _SOCKET_NULLABLE))
            yield from nulls
            if nulls or (sock.type is None) != sock.legacy:
                continue  # the plan cannot be built; the other problems say why
            base = defaults[s_index] if s_index < len(defaults) else SocketPlan(reestablish=True)
            idle = socket_keys_without_effect(plan_for(sock, base))
            for key in sorted(sock.model_fields_set & set(idle)):
                inherited = _inherited(key, sock.model_fields_set, base, app.kind)
                yield (*where, key), idle[key] + inherited


def _inherited(key: str, given: set[str], base: SocketPlan, kind: str) -> str:
    """Say so when what makes `key` idle comes from the kind, not from the socket's own keys."""
    if key in ("port", "peer") and "listen" not in given and base.listen_port is not None:
        return f" ({kind} sockets listen on {base.listen_port} unless told otherwise)"
    return ""
