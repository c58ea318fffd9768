"""A run you can drive, rewind and replay: the one object the CLI, tests and playground share.

`Simulation` wraps a :class:`World` with an input log and checkpoints. Every command is logged
with the step it was applied at; `restore(step)` unpickles the nearest earlier checkpoint and
replays events and logged commands up to `step`, so stepping backwards and then forwards again
gives back exactly the same state and trace. A new command after stepping back discards the
future, as an editor's undo does.

A checkpoint is the world pickled (without the trace, which is shared and truncated instead):
several times faster than a deep copy, and a fraction of its memory. They are spaced by the
world's size, so that a run with thousands of sockets does not spend its time copying itself.

It also offers the socket calls as blocking functions, the way a C program sees them: `setsc()`
blocks its caller while simulated time runs until the network answers (A5).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

from odplay.constants import AddressType, AddrPreference, Status
from odplay.sim import checks
from odplay.sim import commands as cmd
from odplay.sim.apps import AppSpec, spec_for
from odplay.sim.network import NetworkConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.snapshot import snapshot
from odplay.sim.tables import Protocol, SocketState
from odplay.sim.trace import Trace
from odplay.sim.world import World

#: Steps between checkpoints, at least. Larger: less memory, slower restore. None disables them.
CHECKPOINT_EVERY = 128
#: ...and at least this many steps per live socket: a restore replays about that many steps, so
#: the spacing follows what is live now, not every socket the run has ever opened and closed.
CHECKPOINT_STEPS_PER_SOCKET = 1
#: ...and at most this many checkpoint bytes per step: a world that keeps a long history of
#: closed sockets pickles large, so its checkpoints are spaced out to keep their memory bounded.
CHECKPOINT_BYTES_PER_STEP = 250
#: A blocking call waits at most this many events for its answer before giving up: a guard.
MAX_BLOCKING_EVENTS = 100_000


class SimulationError(RuntimeError):
    pass


class Simulation:
    def __init__(
        self,
        network: NetworkConfig | None = None,
        policy: HostPolicy | None = None,
        seed: int = 0,
        checkpoint_every: int | None = CHECKPOINT_EVERY,
    ) -> None:
        network = default_network() if network is None else network
        policy = HostPolicy() if policy is None else policy
        # The core trusts its settings for speed: a wrong one is refused here, not met later.
        checks.network_config(network)
        checks.host_policy(policy)
        checks.integer("seed", seed, None, None)
        if checkpoint_every is not None:
            checks.integer("checkpoint_every", checkpoint_every, 1)
        self.trace = Trace()
        self.world = World(network, policy, seed, self.trace)
        self.inputs: dict[int, cmd.Command] = {}
        self.input_times: dict[int, int] = {}  # the simulated time each input was applied at
        self.horizon = 0  # the furthest step this history has reached
        self.checkpoint_every = checkpoint_every
        #: Called with the world after every step (odplay.compare's meter); None: nobody.
        self.observer: Callable[[World], None] | None = None
        self.checkpoints: dict[int, bytes] = {}
        self._last_checkpoint = 0
        self._last_checkpoint_size = 0
        if checkpoint_every is not None:
            self._checkpoint()

    # ------------------------------------------------------------------ stepping and rewinding

    @property
    def now(self) -> int:
        return self.world.now

    @property
    def step_index(self) -> int:
        return self.world.step

    def apply(self, command: cmd.Command) -> Any:
        """Apply a command now, as one step. A new command discards any rewound future."""
        checks.instance("command", command, cmd.Command)
        w = self.world
        if w.step < self.horizon:
            self._forget_future()
        result = command.apply(w)  # CommandError leaves the world untouched: checks come first
        self.inputs[w.step] = command
        self.input_times[w.step] = w.now
        w.finish_command()
        self._after_step()
        return result

    def step(self) -> bool:
        """One step forward: along the recorded history if rewound, else the next event."""
        w = self.world
        if w.step < self.horizon and w.step in self.inputs:
            self.inputs[w.step].apply(w)
            w.finish_command()
        elif not w.step_event():
            return False
        self._after_step()
        return True

    def _after_step(self) -> None:
        w = self.world
        self.horizon = max(self.horizon, w.step)
        if self.observer is not None:
            self.observer(w)
        every = self.checkpoint_every
        if every is None or w.step <= self._last_checkpoint:
            return
        spacing = max(
            every,
            CHECKPOINT_STEPS_PER_SOCKET * w.stack.live_count,
            self._last_checkpoint_size // CHECKPOINT_BYTES_PER_STEP,
        )
        if w.step - self._last_checkpoint >= spacing:
            self._checkpoint()

    def _checkpoint(self) -> None:
        saved = pickle.dumps(self.world, pickle.HIGHEST_PROTOCOL)
        self.checkpoints[self.world.step] = saved
        self._last_checkpoint = self.world.step
        self._last_checkpoint_size = len(saved)

    def _forget_future(self) -> None:
        step = self.world.step
        self.inputs = {s: c for s, c in self.inputs.items() if s < step}
        self.input_times = {s: t for s, t in self.input_times.items() if s < step}
        self.checkpoints = {s: c for s, c in self.checkpoints.items() if s <= step}
        self._last_checkpoint = max(self.checkpoints, default=0)
        self._last_checkpoint_size = len(self.checkpoints.get(self._last_checkpoint, b""))
        self.horizon = step

    def actions(self) -> list[tuple[int, cmd.Command]]:
        """What was done to the run up to now, with the time of each: the run's script."""
        return [action for _, action in self.numbered_actions()]

    def numbered_actions(self) -> list[tuple[int, tuple[int, cmd.Command]]]:
        """`actions()`, each with the step it was applied at."""
        return [
            (step, (self.input_times[step], command))
            for step, command in sorted(self.inputs.items())
            if step < self.world.step and not isinstance(command, cmd.AdvanceTo)
        ]

    def initial_world(self) -> World:
        """The world as it was before the first step (from the first checkpoint)."""
        if 0 not in self.checkpoints:
            raise SimulationError("this simulation keeps no checkpoints")
        world: World = pickle.loads(self.checkpoints[0])
        return world

    def restore(self, step: int) -> None:
        """Put the run back (or forward, within its history) to the state after `step` steps."""
        checks.integer("step", step, None, None)
        if self.checkpoint_every is None:
            raise SimulationError("this simulation keeps no checkpoints")
        if not 0 <= step <= self.horizon:
            raise SimulationError(f"step {step} is outside this run's history (0-{self.horizon})")
        base = max(s for s in self.checkpoints if s <= step)
        self.trace.truncate_to_step(base)
        self.world = pickle.loads(self.checkpoints[base])
        self.world.trace = self.trace
        w = self.world
        while w.step < step:
            if w.step in self.inputs:
                self.inputs[w.step].apply(w)
                w.finish_command()
            elif not w.step_event():
                raise SimulationError(f"history ends before step {step}")

    def step_back(self) -> None:
        if self.world.step > 0:
            self.restore(self.world.step - 1)

    def next_time(self) -> int | None:
        """When the next step happens: along the recorded history if rewound, else the next event.

        None when nothing is scheduled and there is no recorded future.
        """
        w = self.world
        if w.step < self.horizon and w.step in self.inputs:
            command = self.inputs[w.step]
            return command.time if isinstance(command, cmd.AdvanceTo) else w.now
        return w.next_deadline

    def take_due(self, time: int, max_steps: int | None = None) -> int:
        """Take every step due by `time`, along the history or new events; log nothing new.

        Unlike `run_until`, the clock is not moved past the last step taken: a viewer that keeps
        its own clock (the playground) calls this as its clock runs, and a rewound history is
        replayed rather than overwritten. Returns the number of steps taken.
        """
        checks.time_ms("time", time)
        if max_steps is not None:
            checks.integer("max_steps", max_steps)
        taken = 0
        while (when := self.next_time()) is not None and when <= time:
            if max_steps is not None and taken >= max_steps:
                break
            self.step()
            taken += 1
        return taken

    def run_until(self, time: int, max_events: int | None = None) -> int:
        """Take every event due by `time`, then let the clock reach it. Returns events taken."""
        checks.time_ms("time", time)
        if max_events is not None:
            checks.integer("max_events", max_events)
        taken = 0
        while (deadline := self.world.next_deadline) is not None and deadline <= time:
            if max_events is not None and taken >= max_events:
                raise SimulationError(f"more than {max_events} events before {time}ms")
            self.step()
            taken += 1
        if self.world.now < time:
            self.apply(cmd.AdvanceTo(time))
        return taken

    def run_for(self, duration: int) -> int:
        checks.time_ms("duration", duration)
        return self.run_until(self.world.now + duration)

    def snapshot(self) -> dict[str, Any]:
        return snapshot(self.world)

    # ------------------------------------------------------------------ host and applications

    def attach(self, ap: str) -> None:
        self.apply(cmd.Attach(ap))

    def move(self, ap: str) -> None:
        self.apply(cmd.Move(ap))

    def detach(self) -> None:
        self.apply(cmd.Detach())

    def launch(self, name: str, kind: str, spec: AppSpec | None = None) -> None:
        if spec is None:
            spec = spec_for(name, kind)  # refuses an unknown kind, naming the known ones
        else:
            checks.instance("spec", spec, AppSpec)
            if (spec.name, spec.kind) != (name, kind):
                raise checks.BadArgument(
                    f"launch({name!r}, {kind!r}) was given the spec of {spec.name!r} "
                    f"({spec.kind}); the name and kind must match it"
                )
        self.apply(cmd.Launch(spec))

    def quit(self, name: str) -> None:
        self.apply(cmd.Quit(name))

    def reach(self, name: str, port: int, peer: str | None = None) -> bool:
        return bool(self.apply(cmd.Reach(name, port, peer)))

    # ------------------------------------------------------------------ blocking socket calls

    def socket(
        self, owner: str = "app", role: str = "main", protocol: Protocol = Protocol.TCP
    ) -> int:
        return int(self.apply(cmd.SocketCall(owner, role, protocol)))

    def setsockopt(self, fd: int, flags: int | AddrPreference) -> Status:
        checks.integer("flags", flags, 0, checks.MAX_FLAGS)  # before int() could truncate it
        return Status(self.apply(cmd.SetSockOpt(fd, int(flags))))

    def getsockopt(self, fd: int) -> int | None:
        """What getsockopt(IPV6_ADDR_PREFERENCES) reads, as a peek: no step, no trace entry.
        `read_sockopt` makes the same call as a step the ladder shows. None: EBADF."""
        checks.fd(fd)
        return self.world.stack.getsockopt(fd)

    def read_sockopt(self, fd: int) -> int | None:
        """getsockopt() as a call of the run (a step and a trace entry); None: EBADF."""
        value = self.apply(cmd.GetSockOpt(fd))
        return None if value is None else int(value)

    def setsc(self, fd: int, address_type: int | AddressType) -> tuple[Status, str | None]:
        """setsc(): blocks (in simulated time) until the stack has an answer (A5).

        Returns the status and, on success, the IPv6 address to bind to.
        """
        checks.integer("address_type", address_type, None, None)  # int(2.7) would be 2
        status = self.apply(cmd.Setsc(fd, int(address_type)))
        stack = self.world.stack
        if status is None:
            self._wait(lambda: stack.sockets[fd].state is not SocketState.BLOCKED)
            status = stack.sockets[fd].setsc_status
        if status is not Status.SUCCESS:
            return Status(status), None
        return Status.SUCCESS, stack.addresses[stack.sockets[fd].setsc_address or ""].value

    def bind(self, fd: int, address: str, port: int = 0) -> Status:
        return Status(self.apply(cmd.Bind(fd, address, port)))

    def listen(self, fd: int, port: int = 0) -> Status:
        return Status(self.apply(cmd.Listen(fd, port)))

    def connect(self, fd: int, peer: str, port: int = 443) -> Status:
        status = self.apply(cmd.Connect(fd, peer, port))
        if status is not None:
            return Status(status)
        self._wait(lambda: self.world.stack.sockets[fd].state is not SocketState.CONNECTING)
        sock = self.world.stack.sockets[fd]
        if sock.state is SocketState.CONNECTED:
            return Status.SUCCESS
        return sock.so_error or Status.EADDRNOTAVAIL

    def send(self, fd: int, peer: str | None = None, port: int = 443) -> Status:
        """send() on a connected socket (`peer` None), or sendto() on a UDP one."""
        return Status(self.apply(cmd.Send(fd, peer, port)))

    def close(self, fd: int) -> Status:
        return Status(self.apply(cmd.Close(fd)))

    def _wait(self, done: Any) -> None:
        for _ in range(MAX_BLOCKING_EVENTS):
            if done():
                return
            if not self.step():
                break
        if not done():
            raise SimulationError("a blocking call never got its answer")
