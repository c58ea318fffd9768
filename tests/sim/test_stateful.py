"""The model under random operation: a hypothesis state machine that checks invariants after
every step, not just at the end of a run.

The machine opens sockets, calls setsc() with every type (and nonsense types) with and without
ON_NET, binds, connects, listens, closes, launches and quits applications, moves, detaches and
attaches the host, changes host policies and network settings, and lets simulated time pass.
After every one of those it checks the invariants below, each named for the rules it guards.
At the end of a run it checks that the same seed and the same operations give the same trace.

`derandomize=True` makes the examples a fixed function of the test, so CI is deterministic. CI
runs `ODPLAY_STATEFUL_EXAMPLES` examples (default 150) of up to 50 steps; the long run,
`python3 dev.py soak`, runs thousands.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from odplay.constants import (
    FIXED,
    ON_NET,
    SESSION_LASTING,
    AddressType,
    AddrPreference,
)
from odplay.sim import commands as cmd
from odplay.sim.apps import CATALOG, spec_for
from odplay.sim.policy import AllocationPolicy, LastClosePolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import LIVE_SOCKET_STATES, PrefixState, SocketState
from tests.conftest import ALL_TYPES, network
from tests.invariants import check_setsc_results, check_world

APS = ("ap1", "ap2", "ap3")
OWNERS = ("a", "b", "c")
SEED = 11
#: Every type the draft defines, the unset value 0 and two it does not define (A3, T5).
TYPE_VALUES = [0, *(int(t) for t in sorted(ALL_TYPES)), 5, -1]
KEEPS_ITS_ADDRESS = {FIXED, SESSION_LASTING}  # T1, T2: valid across every move while open

EXAMPLES = int(os.environ.get("ODPLAY_STATEFUL_EXAMPLES", "150"))


def _frozen(sim: Simulation) -> str:
    return json.dumps([sim.snapshot(), [e.to_jsonable() for e in sim.trace]], sort_keys=True)


class ModelUnderAbuse(RuleBasedStateMachine):
    """One random run of the host and network; the invariants are checked after every rule."""

    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulation(network(supports=set(ALL_TYPES), grace_period=5000), seed=SEED)
        self.sim.attach("ap1")
        #: Sockets that held a Fixed or Session-lasting address: fd -> that address (T1, T2).
        self.anchored: dict[int, str] = {}
        #: Graceful-replacement prefixes deprecated by a move: name -> (when, grace) (T4).
        self.deprecated: dict[str, tuple[int, int]] = {}
        #: The sockets on each address after the previous rule, to see a last user leave (D8).
        self.users_before: dict[str, list[int]] = {}
        #: The state seen after each step that ended a rule, for the restore checks.
        self.seen: dict[int, str] = {}
        #: How far the trace has been checked, and the type each socket last asked setsc for.
        self.trace_checked = 0
        self.asked: dict[int, AddressType] = {}

    # ------------------------------------------------------------------ helpers

    @property
    def stack(self) -> Any:
        return self.sim.world.stack

    def _fd(self, index: int) -> int:
        fds = sorted(self.stack.sockets) or [3]
        return fds[index % len(fds)]

    def _apply(self, command: cmd.Command) -> None:
        # A refused command is refused before it touches anything: the run goes on unchanged.
        with contextlib.suppress(cmd.CommandError):
            self.sim.apply(command)

    def _gateway_change(self, command: cmd.Command) -> None:
        before = {name for name, p in self.stack.prefixes.items() if p.usable}
        grace = self.sim.world.network.config.grace_period
        self._apply(command)
        for name, prefix in self.stack.prefixes.items():
            if name in before and prefix.state is PrefixState.DEPRECATED:
                self.deprecated.setdefault(name, (self.sim.now, grace))

    # ------------------------------------------------------------------ the start

    @initialize(
        kinds=st.lists(st.sampled_from(sorted(CATALOG)), min_size=1, max_size=3),
        settle=st.integers(0, 3000),
    )
    def launch_some_applications(self, kinds: list[str], settle: int) -> None:
        """Most runs should move with live sockets of several types: that is where the rules
        interact (a run that never opens a socket checks little)."""
        for owner, kind in zip(OWNERS, kinds, strict=False):
            self._apply(cmd.Launch(spec_for(owner, kind)))
        self.sim.run_for(settle)

    # ------------------------------------------------------------------ the host moves

    @rule(ap=st.sampled_from(APS))
    def move(self, ap: str) -> None:
        self._gateway_change(cmd.Move(ap))

    @rule(ap=st.sampled_from(APS))
    def attach(self, ap: str) -> None:
        self._gateway_change(cmd.Attach(ap))

    @rule()
    def detach(self) -> None:
        self._gateway_change(cmd.Detach())

    # ------------------------------------------------------------------ applications

    @rule(owner=st.sampled_from(OWNERS), kind=st.sampled_from(sorted(CATALOG)))
    def launch(self, owner: str, kind: str) -> None:
        self._apply(cmd.Launch(spec_for(owner, kind)))

    @rule(owner=st.sampled_from(OWNERS))
    def quit(self, owner: str) -> None:
        self._apply(cmd.Quit(owner))

    # ------------------------------------------------------------------ bare socket calls

    @rule(owner=st.sampled_from(OWNERS))
    def socket(self, owner: str) -> None:
        self._apply(cmd.SocketCall(owner))

    @rule(index=st.integers(0, 15), type_value=st.sampled_from(TYPE_VALUES), on_net=st.booleans())
    def setsc(self, index: int, type_value: int, on_net: bool) -> None:
        fd = self._fd(index)
        if on_net:
            self._apply(cmd.SetSockOpt(fd, int(ON_NET)))
        self._apply(cmd.Setsc(fd, type_value))

    @rule(
        index=st.integers(0, 15),
        flags=st.sampled_from([0, int(ON_NET), int(AddrPreference.IPV6_PREFER_SRC_HOME)]),
    )
    def setsockopt(self, index: int, flags: int) -> None:
        self._apply(cmd.SetSockOpt(self._fd(index), flags))

    @rule(index=st.integers(0, 15), wildcard=st.booleans())
    def bind(self, index: int, wildcard: bool) -> None:
        fd = self._fd(index)
        sock = self.stack.sockets.get(fd)
        address = None if wildcard or sock is None else sock.setsc_address
        value = self.stack.addresses[address].value if address in self.stack.addresses else "::"
        self._apply(cmd.Bind(fd, value))

    @rule(index=st.integers(0, 15))
    def connect(self, index: int) -> None:
        self._apply(cmd.Connect(self._fd(index), "www.example.org", 443))

    @rule(index=st.integers(0, 15))
    def listen(self, index: int) -> None:
        self._apply(cmd.Listen(self._fd(index), 8000))

    @rule(index=st.integers(0, 15))
    def close(self, index: int) -> None:
        self._apply(cmd.Close(self._fd(index)))

    # ------------------------------------------------------------------ settings and time

    @rule(value=st.sampled_from(list(AllocationPolicy)))
    def allocation(self, value: AllocationPolicy) -> None:
        self._apply(cmd.SetPolicy("allocation", value))

    @rule(value=st.sampled_from(list(LastClosePolicy)))
    def on_last_close(self, value: LastClosePolicy) -> None:
        self._apply(cmd.SetPolicy("on_last_close", value))

    @rule(grace=st.integers(0, 20_000))
    def grace_period(self, grace: int) -> None:
        self._apply(cmd.SetNetwork("grace_period", grace))

    @rule(supports=st.sets(st.sampled_from(sorted(ALL_TYPES)), min_size=1))
    def supported_types(self, supports: set[Any]) -> None:
        self._apply(cmd.SetNetwork("supports", supports))

    @rule(ms=st.integers(0, 30_000))
    def time_passes(self, ms: int) -> None:
        self.sim.run_for(ms)

    # ------------------------------------------------------------------ rewinding

    @rule(data=st.data())
    def restore_an_earlier_step_and_replay(self, data: st.DataObject) -> None:
        """Any step seen restores to exactly the state seen there, and the future replays."""
        end, final = self.sim.step_index, _frozen(self.sim)
        step = data.draw(st.sampled_from(sorted(self.seen)))
        self.sim.restore(step)
        assert _frozen(self.sim) == self.seen[step], f"step {step} restored differently"
        self.sim.restore(end)
        assert _frozen(self.sim) == final, "the replayed future differs"

    # ------------------------------------------------------------------ invariants

    @invariant()
    def remember_what_was_seen(self) -> None:
        self.seen[self.sim.step_index] = _frozen(self.sim)

    @invariant()
    def fixed_and_session_lasting_keep_their_address(self) -> None:
        """T1, T2, F7: a socket on a Fixed or Session-lasting address keeps it, valid, while
        it is open, whatever moves the host makes."""
        stack = self.stack
        for fd, sock in stack.sockets.items():
            if sock.state not in LIVE_SOCKET_STATES:
                self.anchored.pop(fd, None)
                continue
            held = sock.source_address or sock.bound_address
            if held in stack.addresses and stack.addresses[held].type in KEEPS_ITS_ADDRESS:
                self.anchored.setdefault(fd, held)
            if fd in self.anchored:
                name = self.anchored[fd]
                assert name in stack.addresses, f"socket {fd} lost {name}"
                assert stack.prefixes[stack.addresses[name].prefix].usable, name

    @invariant()
    def graceful_prefixes_last_exactly_their_grace_period(self) -> None:
        """T4: a deprecated Graceful-replacement prefix stays valid for exactly the grace period
        it was given, and no socket is connected on it afterwards."""
        stack, now = self.stack, self.sim.now
        for name, (since, grace) in self.deprecated.items():
            prefix = stack.prefixes[name]
            if prefix.state is PrefixState.RELEASED:
                continue  # its last socket closed under the release policy first (D8)
            if now < since + grace:
                assert prefix.state is PrefixState.DEPRECATED, (name, now, since, grace)
                assert prefix.valid_until == since + grace, (name, prefix.valid_until)
            elif self.sim.world.next_deadline != now:  # the expiry due now may not have run yet
                assert not prefix.usable, f"{name} outlived its grace period"
                address = prefix.address
                for sock in stack.sockets.values():
                    if sock.state is SocketState.CONNECTED:
                        assert sock.source_address != address, (sock.fd, address)

    @invariant()
    def released_session_lasting_prefixes_do_not_outlive_their_last_socket(self) -> None:
        """D8: under the release policy, a Session-lasting prefix goes with its last socket."""
        stack = self.stack
        release = stack.policy.on_last_close is LastClosePolicy.RELEASE
        users_now = {name: stack.users_of(name) for name in stack.addresses}
        for name, before in self.users_before.items():
            prefix_name = next((p.name for p in stack.prefixes.values() if p.address == name), None)
            if not before or users_now.get(name) or prefix_name is None:
                continue
            prefix = stack.prefixes[prefix_name]
            if release and prefix.type is SESSION_LASTING:
                assert not prefix.usable, f"{prefix_name} outlived its last socket"
        self.users_before = users_now

    @invariant()
    def the_tables_hold_together(self) -> None:
        """C1, T3, F5, A3, T5 and the rest of tests/invariants.py, after every rule; and every
        setsc() result in the trace so far against the type its call asked for."""
        check_world(self.sim.world)
        entries = list(self.sim.trace)
        check_setsc_results(entries[self.trace_checked :], self.asked)
        self.trace_checked = len(entries)

    def teardown(self) -> None:
        """Same seed, same operations: the same trace and the same end state."""
        again = Simulation(network(supports=set(ALL_TYPES), grace_period=5000), seed=SEED)
        world = again.world
        for step, command in sorted(self.sim.inputs.items()):
            if step >= self.sim.step_index:
                break
            while world.step < step:
                assert world.step_event(), "the replay ran out of events"
                again._after_step()
            again.apply(command)
        while world.step < self.sim.step_index:
            assert world.step_event()
            again._after_step()
        assert _frozen(again) == _frozen(self.sim)


ModelUnderAbuse.TestCase.settings = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_model_under_random_operation = ModelUnderAbuse.TestCase
