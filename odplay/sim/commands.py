"""Everything that can be done to a run from outside, as plain frozen data.

The scenario runner, the Python API and the playground all act only through these commands, and
the simulation logs each one with the step it was applied at. Replaying the log from a checkpoint
therefore reproduces the run exactly, which is how stepping backwards works.
"""

from __future__ import annotations

from typing import Any

from odplay.constants import Status
from odplay.sim import checks
from odplay.sim import events as ev
from odplay.sim.apps import Application, AppSpec
from odplay.sim.records import Frozen
from odplay.sim.tables import Protocol, SocketState
from odplay.sim.world import World


class CommandError(ValueError):
    """A command that cannot apply to the current state (unknown app, already attached...).

    `field` names the argument at fault when one is (`port`), so that a scenario can point at
    the key that says it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class BadCommand(CommandError, checks.BadArgument):
    """A command built with an argument the model refuses (a port of 70000, a string for ms)."""


class BadCommandType(BadCommand, checks.BadArgumentType):
    """A command built with an argument of the wrong type; a TypeError too."""


class Command(Frozen):
    """A command: a frozen record (odplay.sim.records) whose annotated attributes are its
    arguments; a subclass needs no decorator."""

    def __post_init__(self) -> None:
        # Checked once, when the command is built (the API's door), never when it is replayed.
        try:
            self.check_arguments()
        except checks.BadArgumentType as exc:
            raise BadCommandType(f"{type(self).__name__}: {exc}") from None
        except checks.BadArgument as exc:
            raise BadCommand(f"{type(self).__name__}: {exc}") from None

    def check_arguments(self) -> None:
        """Raise checks.BadArgument for an argument the command cannot take."""

    def apply(self, w: World) -> Any:
        raise NotImplementedError


class AdvanceTo(Command):
    """Let simulated time reach `time` with no event taken (the runner takes events first)."""

    time: int

    def check_arguments(self) -> None:
        checks.time_ms("time", self.time)

    def apply(self, w: World) -> None:
        w.now = max(w.now, self.time)


class Narrate(Command):
    """A line of narration in the trace, for the learner (a scenario step's `say`).

    With no `names`, it is told now. With `names` (rule IDs, or trace kinds such as
    `re-established`), it waits for the first event that carries one of them and is told with
    it: at the start of the chain of events that event belongs to (`World.await_narration`), but
    after any entry of that chain carrying one of the `after` rules (the story told before it).
    """

    text: str
    rules: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def check_arguments(self) -> None:
        checks.text("text", self.text)
        for field in ("rules", "names", "after"):
            value = getattr(self, field)
            checks.instance(field, value, tuple)
            checks.each(field, value, checks.name)

    def apply(self, w: World) -> None:
        if self.names:
            w.await_narration(ev.Narrated(self.text, self.rules), self.names, self.after)
        else:
            w.record(ev.Narrated(self.text, self.rules))


class TellAwaited(Command):
    """Tell the narration that waits for its event now: its step's time has come without it."""

    def apply(self, w: World) -> None:
        w.tell_awaited()


def _check_ap(w: World, ap: str) -> None:
    names = [a.name for a in w.network.config.attachment_points]
    if ap not in names:
        raise CommandError(f"no attachment point {ap!r}; there are {', '.join(names)}")


class Attach(Command):
    ap: str

    def check_arguments(self) -> None:
        checks.name("ap", self.ap)

    def apply(self, w: World) -> None:
        _check_ap(w, self.ap)
        if w.stack.attachment is not None:
            raise CommandError(f"the host is already attached to {w.stack.attachment}; use move")
        w.stack.move(self.ap)


class Move(Command):
    ap: str

    def check_arguments(self) -> None:
        checks.name("ap", self.ap)

    def apply(self, w: World) -> None:
        _check_ap(w, self.ap)
        if w.stack.attachment is None:
            raise CommandError("the host is detached; attach it first")
        if w.stack.attachment == self.ap:
            raise CommandError(f"the host is already on {self.ap}")
        w.stack.move(self.ap)


class Detach(Command):
    def apply(self, w: World) -> None:
        if w.stack.attachment is None:
            raise CommandError("the host is already detached")
        w.stack.move(None)


class Launch(Command):
    spec: AppSpec

    def check_arguments(self) -> None:
        checks.instance("spec", self.spec, AppSpec)  # an AppSpec checks itself when built

    def apply(self, w: World) -> None:
        if self.spec.name in w.apps and w.apps[self.spec.name].running:
            raise CommandError(f"an application named {self.spec.name!r} is already running")
        app = Application(self.spec)
        w.apps[self.spec.name] = app
        w.record(ev.Launched(self.spec.name, self.spec.kind))
        app.start(w)


class Quit(Command):
    app: str

    def check_arguments(self) -> None:
        checks.name("app", self.app)

    def apply(self, w: World) -> None:
        app = w.apps.get(self.app)
        if app is None or not app.running:
            raise CommandError(f"no running application {self.app!r}")
        w.record(ev.Quitted(self.app))
        app.quit(w)


# ---------------------------------------------------------------------- bare socket calls


class SocketCall(Command):
    owner: str
    role: str = "main"
    #: TCP (SOCK_STREAM) or UDP (SOCK_DGRAM).
    protocol: Protocol = Protocol.TCP

    def check_arguments(self) -> None:
        checks.name("owner", self.owner)
        checks.name("role", self.role)
        checks.member("protocol", self.protocol, Protocol)

    def apply(self, w: World) -> int:
        return w.stack.socket_call(self.owner, self.role, self.protocol)


class Setsc(Command):
    """setsc(fd, type). Returns the status, or None while the caller is blocked (A5)."""

    fd: int
    type: int

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        # Any whole number: a reserved or out-of-range type is the stack's EINVAL (A2).
        checks.integer("type", self.type, None, None)

    def apply(self, w: World) -> Status | None:
        result = w.stack.setsc(self.fd, self.type)
        return None if result is None else result[0]


class SetSockOpt(Command):
    fd: int
    flags: int

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        checks.integer("flags", self.flags, 0, checks.MAX_FLAGS)

    def apply(self, w: World) -> Status:
        return w.stack.setsockopt(self.fd, self.flags)


class GetSockOpt(Command):
    """getsockopt(IPV6_ADDR_PREFERENCES), shown on the ladder: the value read, None for EBADF."""

    fd: int

    def check_arguments(self) -> None:
        checks.fd(self.fd)

    def apply(self, w: World) -> int | None:
        return w.stack.read_sockopt(self.fd)


class Bind(Command):
    fd: int
    address: str
    port: int = 0

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        checks.text("address", self.address)
        checks.port("port", self.port)

    def apply(self, w: World) -> Status:
        return w.stack.bind(self.fd, self.address, self.port)


class Connect(Command):
    fd: int
    peer: str
    port: int = 443

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        checks.text("peer", self.peer)
        checks.port("port", self.port)

    def apply(self, w: World) -> Status | None:
        return w.stack.connect(self.fd, self.peer, self.port)


class Listen(Command):
    fd: int
    port: int = 0

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        checks.port("port", self.port)

    def apply(self, w: World) -> Status:
        sock = w.stack.socket(self.fd)
        if sock is not None and sock.state is SocketState.BOUND and self.port not in (0, sock.port):
            # listen() has no port: this one is for an unbound socket (bound to `::` and the
            # port first, as legacy code does). A bound socket listens on its own port.
            raise CommandError(
                f"socket {self.fd} is bound to port {sock.port} already and listens there; "
                f"give port {self.port} to bind(), or leave listen's port out",
                field="port",
            )
        return w.stack.listen(self.fd, self.port)


class Send(Command):
    """send() (no `peer`: to the connected peer) or sendto() (`peer` and `port`)."""

    fd: int
    peer: str | None = None
    port: int = 443

    def check_arguments(self) -> None:
        checks.fd(self.fd)
        checks.text("peer", self.peer, optional=True)
        checks.port("port", self.port)

    def apply(self, w: World) -> Status:
        return w.stack.send(self.fd, self.peer, self.port)


class Close(Command):
    fd: int

    def check_arguments(self) -> None:
        checks.fd(self.fd)

    def apply(self, w: World) -> Status:
        return w.stack.close(self.fd)


class Reach(Command):
    """A correspondent looks `name` up in DNS and connects to `port` on the host (C2)."""

    name: str
    port: int
    peer: str | None = None

    def check_arguments(self) -> None:
        checks.text("name", self.name)
        checks.port("port", self.port)
        checks.text("peer", self.peer, optional=True)

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
    "when_fresh_fails",
    "legacy_on_net",
    "api",
    "sockopt_connect",
    "rotation",
    "rotation_bytes",
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
    "same_gateway_move",
    "graceful_return",
    "prefix_types",
    "shuffle_every",
)


class SetPolicy(Command):
    """Change one host policy while the run goes on (already typed: see scenario.schema)."""

    field: str
    value: Any

    def check_arguments(self) -> None:
        checks.text("field", self.field)
        checks.policy_value(self.field, self.value)

    def apply(self, w: World) -> None:
        if self.field not in POLICY_FIELDS:
            raise CommandError(f"no host policy {self.field!r}")
        if self.field == "boot_types" and w.stack.booted:
            # D10: boot types are asked for once, at the first attachment; later they would
            # change nothing, so they are refused rather than silently kept.
            raise CommandError(
                "boot_types are asked for at the host's first attachment (D10), which has "
                "happened: they would change nothing now; restart the run with them instead"
            )
        setattr(w.stack.policy, self.field, self.value)
        w.record(ev.PolicyChanged(self.field, self.value))
        if self.field == "rotation_bytes":
            w.stack.start_byte_meter()  # RFC 8653 Section 5, counted in bytes (rotation.py)
        elif self.field == "rotation":
            w.stack.rotation_changed()  # the addresses held already get the new lifetime


class SetNetwork(Command):
    """Change one network setting while the run goes on."""

    field: str
    value: Any

    def check_arguments(self) -> None:
        checks.text("field", self.field)
        checks.network_value(self.field, self.value)

    def apply(self, w: World) -> None:
        if self.field not in NETWORK_FIELDS:
            raise CommandError(f"no network setting {self.field!r}")
        setattr(w.network.config, self.field, self.value)
        w.record(ev.NetworkChanged(self.field, self.value))


class SetGateway(Command):
    """Change one of a gateway's own settings while the run goes on: its pool's size, its
    per-type caps (`pools`), what it supports, whether it is legacy (None: the network's)."""

    gateway: str
    field: str
    value: Any

    def check_arguments(self) -> None:
        checks.name("gateway", self.gateway)
        checks.node_value(self.field, self.value)

    def apply(self, w: World) -> None:
        try:
            config = w.network.config.gateway(self.gateway)
        except KeyError:
            names = ", ".join(g.name for g in w.network.config.gateways)
            raise CommandError(f"no gateway {self.gateway!r}; there are {names}") from None
        setattr(config, self.field, self.value)
        w.record(ev.NodeChanged(self.gateway, self.field, self.value))


class SetAnchor(Command):
    """Change the central anchor's pool (`pool`) or its per-type caps (`pools`) mid-run."""

    field: str
    value: Any

    def check_arguments(self) -> None:
        checks.node_value(self.field, self.value, anchor=True)

    def apply(self, w: World) -> None:
        config = w.network.config
        setattr(config, "anchor_pool" if self.field == "pool" else "anchor_pools", self.value)
        w.record(ev.NodeChanged(config.anchor, self.field, self.value))
