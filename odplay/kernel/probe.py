"""Round trips over real TCP connections, timed by the kernel.

A probe sends one byte on a connection whose far end echoes it (odplay.kernel.wire serves the
correspondents and the host's listening sockets), and times the echo from just before send()
to the moment the kernel received it (SO_TIMESTAMPNS on the socket): the harness's own
scheduling on a busy machine does not count. Several connections are probed at once, and each
takes the shortest of a few rounds, as a path's round trip is measured.
"""

from __future__ import annotations

import select
import socket
import struct
import time
from itertools import count

SO_TIMESTAMPNS = 35  # Linux; the socket module does not name it
_TIMESPEC = struct.Struct("qq")
_tags = count(1)


def prepare(sock: socket.socket) -> None:
    """Ask the kernel to time what `sock` receives, and to send each byte at once."""
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    if sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _received(sock: socket.socket, tag: bytes) -> int | None:
    """Read what is there; the kernel's receive time (ns) if `tag` is in it."""
    found: int | None = None
    while True:
        try:
            data, ancillary, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(_TIMESPEC.size))
        except (BlockingIOError, InterruptedError):
            return found
        except OSError:
            return found
        if not data:
            return found
        if tag in data:
            for level, kind, value in ancillary:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    seconds, nanos = _TIMESPEC.unpack(value[: _TIMESPEC.size])
                    found = seconds * 1_000_000_000 + nanos
            if found is None:
                found = time.time_ns()


def round_trips(
    sockets: list[socket.socket], timeout: float, rounds: int = 3
) -> list[float | None]:
    """The shortest echo round trip (ms) of each connection over `rounds` rounds; None for
    one that never answered within `timeout` seconds (it is not tried again)."""
    best: list[float | None] = [None] * len(sockets)
    alive = [True] * len(sockets)
    for _ in range(rounds):
        tag = bytes([next(_tags) % 251 + 1])
        sent: dict[int, int] = {}
        for index, sock in enumerate(sockets):
            if not alive[index]:
                continue
            try:
                sock.setblocking(False)
                sent[index] = time.time_ns()
                sock.send(tag)
            except OSError:
                alive[index] = False
                sent.pop(index, None)
        deadline = time.perf_counter() + timeout
        waiting = dict(sent)
        while waiting:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            ready, _, _ = select.select([sockets[i] for i in waiting], [], [], left)
            for sock in ready:
                index = sockets.index(sock)
                at = _received(sock, tag)
                if at is not None:
                    rtt = (at - waiting.pop(index)) / 1e6
                    current = best[index]
                    best[index] = rtt if current is None else min(current, rtt)
        for index in waiting:
            alive[index] = False  # silent: a later round would only wait as long again
        if not any(alive):
            break
    return best
