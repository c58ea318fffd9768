"""Start `odplay serve` for a test and wait, with a deadline, until it accepts connections.

Waiting for the port, not for a line of output: reading the server's pipe with select() and then
a buffered readline() could miss a line that had already been read into the buffer, which made
the wait flaky on a loaded machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

#: How long a server may take to start listening; generous, for a loaded CI machine.
START_DEADLINE_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def odplay_serve(*args: str) -> Iterator[int]:
    """`odplay serve ARGS` on a free localhost port; yields the port, stops the server after."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "odplay", "serve", *args, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + START_DEADLINE_S
    try:
        while not _listening(port):
            if server.poll() is not None:
                pytest.fail(f"odplay serve exited {server.returncode}: {server.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"odplay serve was not listening after {START_DEADLINE_S:.0f} s")
            time.sleep(0.05)  # polling a port that is not open yet; not a timed assertion
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
