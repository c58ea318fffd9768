"""A kernel run removes what it made however it ends: Ctrl-C, SIGTERM, an exception; and a run
killed outright is swept by `--cleanup`. Nothing in the machine's own namespace changes.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from tests.kernel.machine import (
    environment,
    namespaces_of,
    odplay,
    require_kernel,
    root_links,
    root_routes,
)

#: The default network: the host, the Internet, the anchor, 3 attachment points, 2 gateways and
#: 7 correspondents.
NAMESPACES = 15
BUILD_DEADLINE_S = 60.0


def _started(scenario: str = "4.2-message-flow") -> subprocess.Popen[str]:
    run = subprocess.Popen(
        odplay("kernel", scenario),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    deadline = time.monotonic() + BUILD_DEADLINE_S
    while len(namespaces_of(run.pid)) < NAMESPACES:
        if run.poll() is not None:
            pytest.fail(f"odplay kernel ended early ({run.returncode}): {run.stderr.read()}")
        if time.monotonic() > deadline:
            run.kill()
            pytest.fail("odplay kernel did not build its network in time")
        time.sleep(0.05)  # waiting for another process to build; not a timed assertion
    time.sleep(1.0)  # into the replay: the forwarder and the host's sockets are up
    return run


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_stops_the_run_and_removes_everything(stop: signal.Signals) -> None:
    require_kernel()
    links, routes = root_links(), root_routes()
    run = _started()
    run.send_signal(stop)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 128 + stop, err
    assert "everything it made is removed" in err
    assert namespaces_of(run.pid) == []
    assert root_links() == links
    assert root_routes() == routes


def test_a_killed_run_is_swept_by_cleanup() -> None:
    require_kernel()
    links = root_links()
    run = _started()
    run.kill()
    run.wait(timeout=30)
    assert namespaces_of(run.pid), "a killed run leaves its namespaces"
    swept = subprocess.run(
        odplay("kernel", "--cleanup"), capture_output=True, text=True, env=environment()
    )
    assert swept.returncode == 0, swept.stderr
    assert namespaces_of(run.pid) == []
    assert root_links() == links


def test_an_exception_in_the_replay_still_removes_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_kernel()
    import os

    from odplay.kernel import command, replay
    from odplay.kernel.capture import capture
    from odplay.scenario.build import build_network
    from odplay.scenario.catalogue import resolve
    from odplay.scenario.loader import load_scenario

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the replay")

    monkeypatch.setattr(replay, "replay", broken)
    model = load_scenario(resolve("fixed-server-reachability"))
    with pytest.raises(RuntimeError, match="a bug in the replay"):
        command.play("fixed", capture(model), build_network(model.network), 0)
    assert namespaces_of(os.getpid()) == []
