"""What the calls on a declared socket share: the socket they name must have been declared by a
`socket:` action before them, and the status each returns is kept for `call:` expectations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from odplay.scenario.registry import Loc, Names, Problems

if TYPE_CHECKING:
    from odplay.constants import Status
    from odplay.scenario.runner import ScenarioRun
    from odplay.sim.simulation import Simulation


def call(run: ScenarioRun, verb: str, socket: str, do: Callable[[Simulation, int], Status]) -> None:
    """Make the call on the socket's fd, and keep what it returned under `SOCKET.VERB`."""
    status = do(run.sim, run.ctx.labels[socket])
    run.ctx.results[f"{socket}.{verb}"] = status.name
    run.ctx.history.setdefault(f"{socket}.{verb}", []).append(status.name)


def declared(value: Any, loc: Loc, names: Names) -> Problems:
    if value.socket not in names.sockets:
        yield (
            (*loc, "socket"),
            f"no socket {value.socket!r} declared before this; "
            "declare it with `socket: {name: ...}`",
        )


def peer(value: str, loc: Loc, names: Names) -> Problems:
    """A peer is a correspondent of the network, or any Internet host by IPv6 address or name
    (odplay.sim.peers); anything else is refused at its field."""
    from odplay.sim.peers import peer_problem

    if value in names.correspondents:
        return
    if problem := peer_problem(value):
        known = ", ".join(sorted(names.correspondents)) or "none"
        yield (*loc, "peer"), f"{problem}; the network's correspondents are: {known}"
