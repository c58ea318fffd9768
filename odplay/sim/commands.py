"""Everything that can be done to a run from outside, as plain frozen data.

The scenario runner, the Python API and the playground all act only through these commands, and
the simulation logs each one with the step it was applied at. Replaying the log from a checkpoint
therefore reproduces the run exactly, which is how stepping backwards works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from odplay.constants import Status
from odplay.sim import events as ev
from odplay.sim.apps import Application, AppSpec
from odplay.sim.world import World


class CommandError(ValueError):
    """A command that cannot apply to the current state (unknown app, already attached...)."""


@dataclass(frozen=True, slots=True)
class Command:
    def apply(self, w: World) -> Any:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class AdvanceTo(Command):
    """Let simulated time reach `time` with no event taken (the runner takes events first)."""

    time: int

    def apply(self, w: World) -> None:
        w.now = max(w.now, self.time)


@dataclass(frozen=True, slots=True)
class Narrate(Command):
    """A line of narration in the trace, for the learner (a scenario step's `say`)."""

    text: str
    rules: tuple[str, ...] = ()

    def apply(self, w: World) -> None:
        w.record(ev.Narrated(self.text, self.rules))


def _check_ap(w: World, ap: str) -> None:
    names = [a.name for a in w.network.config.attachment_points]
    if ap not in names:
        raise CommandError(f"no attachment point {ap!r}; there are {', '.join(names)}")


@dataclass(frozen=True, slots=True)
class Attach(Command):
    ap: str

    def apply(self, w: World) -> None:
        _check_ap(w, self.ap)
        if w.stack.attachment is not None:
            raise CommandError(f"the host is already attached to {w.stack.attachment}; use move")
        w.stack.move(self.ap)


@dataclass(frozen=True, slots=True)
class Move(Command):
    ap: str

    def apply(self, w: World) -> None:
        _check_ap(w, self.ap)
        if w.stack.attachment is None:
            raise CommandError("the host is detached; attach it first")
        if w.stack.attachment == self.ap:
            raise CommandError(f"the host is already on {self.ap}")
        w.stack.move(self.ap)


@dataclass(frozen=True, slots=True)
class Detach(Command):
    def apply(self, w: World) -> None:
        if w.stack.attachment is None:
            raise CommandError("the host is already detached")
        w.stack.move(None)


@dataclass(frozen=True, slots=True)
class Launch(Command):
    spec: AppSpec

    def apply(self, w: World) -> None:
        if self.spec.name in w.apps and w.apps[self.spec.name].running:
            raise CommandError(f"an application named {self.spec.name!r} is already running")
        app = Application(self.spec)
        w.apps[self.spec.name] = app
        w.record(ev.Launched(self.spec.name, self.spec.kind))
        app.start(w)


@dataclass(frozen=True, slots=True)
class Quit(Command):
    app: str

    def apply(self, w: World) -> None:
        app = w.apps.get(self.app)
        if app is None or not app.running:
            raise CommandError(f"no running application {self.app!r}")
        w.record(ev.Quitted(self.app))
        app.quit(w)


# ---------------------------------------------------------------------- bare socket calls


@dataclass(frozen=True, slots=True)
class SocketCall(Command):
    owner: str
    role: str = "main"

    def apply(self, w: World) -> int:
        return w.stack.socket_call(self.owner, self.role)


@dataclass(frozen=True, slots=True)
class Setsc(Command):
    """setsc(fd, type). Returns the status, or None while the caller is blocked (A5)."""

    fd: int
    type: int

    def apply(self, w: World) -> Status | None:
        result = w.stack.setsc(self.fd, self.type)
        return None if result is None else result[0]


@dataclass(frozen=True, slots=True)
class SetSockOpt(Command):
    fd: int
    flags: int

    def apply(self, w: World) -> Status:
        return w.stack.setsockopt(self.fd, self.flags)


@dataclass(frozen=True, slots=True)
class Bind(Command):
    fd: int
    address: str
    port: int = 0

    def apply(self, w: World) -> Status:
        return w.stack.bind(self.fd, self.address, self.port)


@dataclass(frozen=True, slots=True)
class Connect(Command):
    fd: int
    peer: str
    port: int = 443

    def apply(self, w: World) -> Status | None:
        return w.stack.connect(self.fd, self.peer, self.port)


@dataclass(frozen=True, slots=True)
class Listen(Command):
    fd: int
    port: int = 0

    def apply(self, w: World) -> Status:
        return w.stack.listen(self.fd, self.port)


@dataclass(frozen=True, slots=True)
class Close(Command):
    fd: int

    def apply(self, w: World) -> Status:
        return w.stack.close(self.fd)


@dataclass(frozen=True, slots=True)
class Reach(Command):
    """A correspondent looks `name` up in DNS and connects to `port` on the host (C2)."""

    name: str
    port: int
    peer: str | None = None

    def apply(self, w: World) -> bool:
        result = w.stack.reachability(self.name, self.port, self.peer)
        path = result.path
        w.record(
            ev.Reached(
                self.peer,
                self.name,
                self.port,
                result.ok,
                result.reason,
                result.address,
                path.rtt if path else None,
                path.via if path else None,
            )
        )
        return result.ok


# ---------------------------------------------------------------------- settings

#: The host policies that may change mid-run; a tuple so that they apply in a fixed order.
POLICY_FIELDS = (
    "allocation",
    "on_last_close",
    "permissions",
    "boot_types",
    "default_type",
    "legacy_stack",
)
#: The network settings that may change mid-run; a tuple so that they apply in a fixed order.
NETWORK_FIELDS = (
    "supports",
    "default_type",
    "on_attach",
    "grace_period",
    "signalling_delay",
    "legacy",
    "inter_gateway_delay",
)


@dataclass(frozen=True, slots=True)
class SetPolicy(Command):
    """Change one host policy while the run goes on (already typed: see scenario.schema)."""

    field: str
    value: Any

    def apply(self, w: World) -> None:
        if self.field not in POLICY_FIELDS:
            raise CommandError(f"no host policy {self.field!r}")
        setattr(w.stack.policy, self.field, self.value)
        w.record(ev.PolicyChanged(self.field, self.value))


@dataclass(frozen=True, slots=True)
class SetNetwork(Command):
    """Change one network setting while the run goes on."""

    field: str
    value: Any

    def apply(self, w: World) -> None:
        if self.field not in NETWORK_FIELDS:
            raise CommandError(f"no network setting {self.field!r}")
        setattr(w.network.config, self.field, self.value)
        w.record(ev.NetworkChanged(self.field, self.value))
