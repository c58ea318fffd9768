"""Nothing lost: a run saved as a scenario loads back to the identical run, and saving never
overwrites a file without being told, nor leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from odplay.cli import app
from odplay.constants import ON_NET
from odplay.scenario.record import RecordError, check_replays, record, save_scenario, to_yaml
from odplay.sim import commands as cmd
from odplay.sim.apps import CATALOG, spec_for
from odplay.sim.policy import LastClosePolicy
from odplay.sim.simulation import Simulation, SimulationError
from tests.conftest import ALL_TYPES, network

OWNERS = ("me", "you")  # bare sockets, opened by the learner's own socket calls
_ops = st.one_of(
    st.sampled_from(["ap1", "ap2", "ap3"]).map(lambda ap: ("move", ap)),
    st.just(("detach",)),
    st.sampled_from(["ap1", "ap3"]).map(lambda ap: ("attach", ap)),
    # Named after their kind, as the launch dialog names them.
    st.sampled_from(sorted(CATALOG)).map(lambda kind: ("launch", kind, kind)),
    st.sampled_from(sorted(CATALOG)).map(lambda kind: ("quit", kind)),
    st.tuples(st.just("run"), st.integers(0, 20_000)),
    st.tuples(st.just("socket"), st.sampled_from(OWNERS)),
    st.tuples(st.just("setsc"), st.integers(0, 9), st.sampled_from([0, 1, 2, 3, 4, 7])),
    st.tuples(st.just("on_net"), st.integers(0, 9)),
    st.tuples(st.just("bind"), st.integers(0, 9)),
    st.tuples(st.just("connect"), st.integers(0, 9)),
    st.tuples(st.just("listen"), st.integers(0, 9)),
    st.tuples(st.just("close"), st.integers(0, 9)),
    st.tuples(st.just("grace"), st.integers(0, 20_000)),
    st.tuples(st.just("release"), st.booleans()),
)


def _play(ops: list[tuple[Any, ...]]) -> Simulation:
    """A run of applications and of the learner's own sockets, as the playground makes one."""
    sim = Simulation(network(supports=set(ALL_TYPES), grace_period=5000), seed=3)
    sim.attach("ap1")
    for op in ops:
        bare = sorted(fd for fd, s in sim.world.stack.sockets.items() if s.owner in OWNERS)
        fd = bare[op[1] % len(bare)] if bare and isinstance(op[-1], int) and len(op) > 1 else 0
        command: cmd.Command | None = None
        match op:
            case ("run", ms):
                sim.run_for(ms)
            case ("move", ap):
                command = cmd.Move(ap)
            case ("attach", ap):
                command = cmd.Attach(ap)
            case ("detach",):
                command = cmd.Detach()
            case ("launch", name, kind):
                command = cmd.Launch(spec_for(name, kind))
            case ("quit", name):
                command = cmd.Quit(name)
            case ("socket", owner):
                command = cmd.SocketCall(owner)
            case ("setsc", index, type_value) if bare:
                # setsc() and connect() block, as in the playground's socket workbench (A5).
                with contextlib.suppress(cmd.CommandError, SimulationError):
                    sim.setsc(bare[index % len(bare)], type_value)
            case ("on_net", _) if bare:
                command = cmd.SetSockOpt(fd, int(ON_NET))
            case ("bind", _) if bare:
                sock = sim.world.stack.sockets[fd]
                address = sim.world.stack.addresses.get(sock.setsc_address or "")
                command = cmd.Bind(fd, address.value if address else "::")
            case ("connect", _) if bare:
                with contextlib.suppress(cmd.CommandError, SimulationError):
                    sim.connect(fd, "www.example.org", 443)
            case ("listen", _) if bare:
                command = cmd.Listen(fd, 8080)
            case ("close", _) if bare:
                command = cmd.Close(fd)
            case ("grace", ms):
                command = cmd.SetNetwork("grace_period", ms)
            case ("release", on):
                policy = LastClosePolicy.RELEASE if on else LastClosePolicy.KEEP
                command = cmd.SetPolicy("on_last_close", policy)
        if command is not None:
            with contextlib.suppress(cmd.CommandError):
                sim.apply(command)
    return sim


@settings(derandomize=True, max_examples=100, deadline=None)
@given(st.lists(_ops, min_size=1, max_size=30))
def test_any_run_recorded_loads_back_to_the_identical_run(ops: list[tuple[Any, ...]]) -> None:
    sim = _play(ops)
    text = to_yaml(record(sim, "recorded", sim.now))
    check_replays(text, sim, sim.now)  # the same trace, in order, to the millisecond


def test_the_recording_is_an_ordinary_scenario_file(tmp_path: Path) -> None:
    sim = _play([("launch", "a", "web-browser"), ("run", 2000), ("move", "ap3"), ("run", 500)])
    path = tmp_path / "recorded.yaml"
    save_scenario(to_yaml(record(sim, "recorded", sim.now)), path)
    result = CliRunner().invoke(app, ["run", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert '"kind": "move"' in result.stdout


def test_a_call_made_while_a_setsc_was_pending_is_recorded_with_wait_false() -> None:
    """A call made while an earlier setsc() still waited for the network (A5): the setsc() is
    written with `wait: false`, so the recording replays the run as it happened."""
    sim = _play([])
    fd = sim.socket("me")
    sim.apply(cmd.Setsc(fd, 4))  # Graceful-replacement: none held, so the stack asks (A5)
    sim.apply(cmd.Connect(fd, "www.example.org", 443))  # before the answer: not blocked
    sim.run_for(100)
    text = to_yaml(record(sim, "recorded", sim.now))
    assert "wait: false" in text
    check_replays(text, sim, sim.now)


def test_a_run_a_scenario_cannot_say_exactly_is_refused_not_saved_wrong() -> None:
    """A call made while an earlier connect() still waited for an untyped prefix (B5): a
    scenario's connect() waits, so the recording would replay differently. The check says so,
    and nothing is written."""
    sim = Simulation(network(on_attach=[]), seed=7)
    sim.attach("ap1")
    first, second = sim.socket("me"), sim.socket("me")
    assert sim.apply(cmd.Connect(first, "www.example.org", 443)) is None  # asks the network
    sim.apply(cmd.Setsc(second, 2))  # before the answer
    sim.run_for(100)
    with pytest.raises(RecordError, match="would not replay this run exactly"):
        check_replays(to_yaml(record(sim, "recorded", sim.now)), sim, sim.now)


def test_two_different_applications_under_one_name_cannot_be_recorded() -> None:
    sim = _play([("launch", "a", "dns-client"), ("quit", "a"), ("launch", "a", "web-browser")])
    with pytest.raises(RecordError, match="two different applications were launched as 'a'"):
        record(sim, "recorded", sim.now)


def test_a_call_on_an_applications_own_socket_cannot_be_recorded() -> None:
    sim = _play([("launch", "a", "web-browser"), ("run", 2000)])
    app_socket = next(iter(sim.world.stack.sockets))
    sim.apply(cmd.Close(app_socket))
    with pytest.raises(RecordError, match="an application opened"):
        record(sim, "recorded", sim.now)


def test_saving_never_overwrites_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("the learner's own file\n")
    with pytest.raises(FileExistsError):
        save_scenario("title: new\n", path)
    assert path.read_text() == "the learner's own file\n"
    save_scenario("title: new\n", path, overwrite=True)
    assert path.read_text() == "title: new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temporary left behind


def test_a_failed_save_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("the learner's own file\n")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        save_scenario("title: new\n", path, overwrite=True)
    assert path.read_text() == "the learner's own file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]
