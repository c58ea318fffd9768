"""The links of a kernel run, carried in user space: TUN pairs and one forwarding process.

This kernel has no netem, so a link with a delay is two TUN devices (one in each namespace) and
a forwarder that reads each packet from one and writes it to the other `delay` ms later. The
host's radio link is a TUN device in the host's namespace that the forwarder pairs with one
attachment point's device at a time: a move re-pairs it, a detach unpairs it, as a radio would.

The same forwarder answers on sockets given to it (`serve`): the correspondents' servers and the
host's listening sockets echo every byte back, which is how the harness measures round trips
and sees whether data still flows.

It is a child process, not a thread: a thread would wait for Python's global lock behind the
harness, and on a busy machine a packet due in 5 ms went out 2 ms late. The child asks for
real-time scheduling (SCHED_FIFO, which root may; the kernel still keeps 5% of each second for
everyone else) and falls back to the highest ordinary priority. It sleeps in select(), whose
timeout has microsecond resolution, and counts how late each delayed packet went out
(`Lateness`): the report shows it as the forwarder's own added delay. The parent drives it over
a socket pair, one message and one answer per change, so that a pairing is in force before the
harness goes on; descriptors made later (a listening socket of the host) are passed along it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import heapq
import json
import os
import select
import signal
import socket
import struct
import time
from dataclasses import asdict, dataclass, field
from typing import Any

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
PR_SET_PDEATHSIG = 1
#: Packets read from one device per wake-up, so that one busy link cannot starve the others.
BURST = 64
#: Deliver a packet this early rather than sleep again for less than it (a wake-up costs about
#: as much).
EARLY = 0.00005
#: The real-time priority the forwarder asks for (1-99; low, and it sleeps nearly always).
RT_PRIORITY = 10
#: Looked up before any fork: a child of a process with threads must not take the loader's lock.
_LIBC = ctypes.CDLL(None)


def open_tun(ifname: str) -> int:
    """A TUN device named `ifname` in the calling thread's namespace; its descriptor."""
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", ifname.encode(), IFF_TUN | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    return fd


@dataclass(slots=True)
class Lateness:
    """How late delayed packets went out against when they were due, and what was lost."""

    packets: int = 0
    total_ms: float = 0.0
    worst_ms: float = 0.0
    dropped: int = 0  # read from a device with no peer (a detached host), or a full queue
    scheduling: str = ""  # what the forwarder was given: real-time, or an ordinary priority

    @property
    def mean_ms(self) -> float:
        return self.total_ms / self.packets if self.packets else 0.0


class WireError(RuntimeError):
    """The forwarder stopped answering: nothing the run measures after that would be true."""


class Wire:
    """The parent's handle on the forwarding process."""

    def __init__(self) -> None:
        self._tuns: list[int] = []
        self._control: socket.socket | None = None
        self._pid: int | None = None
        self.lateness = Lateness()

    def add_tun(self, fd: int) -> None:
        """A device the forwarder will read (before `start`: it inherits them)."""
        self._tuns.append(fd)

    def start(self) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:  # the forwarder; it never returns into the harness's code
            code = 0
            try:
                parent.close()
                _Forwarder(child, self._tuns).run()
            except BaseException:
                code = 1
            os._exit(code)
        child.close()
        self._control, self._pid = parent, pid

    def _ask(self, message: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
        if self._control is None:
            raise WireError("the forwarder is not running")
        data = json.dumps(message).encode()
        try:
            if fds:
                socket.send_fds(self._control, [data], fds)
            else:
                self._control.send(data)
            reply = self._control.recv(65536)
        except OSError as exc:
            raise WireError(f"the forwarder stopped answering: {exc}") from None
        if not reply:
            raise WireError("the forwarder stopped")
        answer: dict[str, Any] = json.loads(reply)
        return answer

    def pair(self, a: int, b: int, delay_ms: float) -> None:
        """Join two devices both ways with a one-way delay."""
        self._ask({"do": "pair", "a": a, "b": b, "delay": delay_ms / 1000})

    def unpair(self, a: int) -> None:
        """Part `a` from its peer: what either sends from now on is lost."""
        self._ask({"do": "unpair", "a": a})

    def serve(self, sock: socket.socket, key: str) -> None:
        """Echo on a copy of `sock` (a listening TCP socket or a UDP one) until `forget(key)`."""
        self._ask({"do": "serve", "key": key}, [sock.fileno()])

    def forget(self, key: str) -> None:
        self._ask({"do": "forget", "key": key})

    def stop(self) -> None:
        """End the forwarder and keep its figures; safe to call more than once."""
        if self._control is not None:
            try:
                answer = self._ask({"do": "stop"})
                self.lateness = Lateness(**answer["lateness"])
            except (WireError, TypeError, KeyError):
                pass
            self._control.close()
            self._control = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None


@dataclass(slots=True)
class _Served:
    listeners: dict[int, socket.socket] = field(default_factory=dict)
    datagrams: dict[int, socket.socket] = field(default_factory=dict)
    conns: dict[int, socket.socket] = field(default_factory=dict)
    by_key: dict[str, socket.socket] = field(default_factory=dict)


class _Forwarder:
    """The child's loop: packets between paired devices, echoes, and the parent's orders."""

    def __init__(self, control: socket.socket, tuns: list[int]) -> None:
        self.control = control
        self.tuns = set(tuns)
        self.peer: dict[int, tuple[int, float]] = {}
        self.heap: list[tuple[float, int, int, bytes]] = []
        self.seq = 0
        self.served = _Served()
        self.lateness = Lateness()
        self.running = True

    def run(self) -> None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # die with the harness
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(RT_PRIORITY))
            self.lateness.scheduling = f"real-time (SCHED_FIFO {RT_PRIORITY})"
        except OSError:
            try:
                os.setpriority(os.PRIO_PROCESS, 0, -20)
                self.lateness.scheduling = "ordinary, nice -20"
            except OSError:
                self.lateness.scheduling = "ordinary"
        while self.running:
            self.once()

    def once(self) -> None:
        served = self.served
        watched = [
            self.control.fileno(),
            *self.tuns,
            *served.listeners,
            *served.conns,
            *served.datagrams,
        ]
        timeout = 0.5
        if self.heap:
            timeout = max(0.0, min(timeout, self.heap[0][0] - time.perf_counter() - EARLY))
        ready, _, _ = select.select(watched, [], [], timeout)
        for fd in ready:
            if fd == self.control.fileno():
                self.order()
            elif fd in self.tuns:
                self.read_tun(fd)
            else:
                self.echo(fd)
            self.deliver()
        self.deliver()

    def order(self) -> None:
        data, fds, _, _ = socket.recv_fds(self.control, 65536, 4)
        if not data:
            self.running = False
            return
        message = json.loads(data)
        do = message["do"]
        reply: dict[str, Any] = {"ok": True}
        if do == "pair":
            self.peer[message["a"]] = (message["b"], message["delay"])
            self.peer[message["b"]] = (message["a"], message["delay"])
        elif do == "unpair":
            gone = self.peer.pop(message["a"], None)
            if gone is not None:
                self.peer.pop(gone[0], None)
        elif do == "serve":
            given = socket.socket(fileno=fds[0])
            given.setblocking(False)
            udp = given.type == socket.SOCK_DGRAM
            (self.served.datagrams if udp else self.served.listeners)[given.fileno()] = given
            self.served.by_key[message["key"]] = given
        elif do == "forget":
            known = self.served.by_key.pop(message["key"], None)
            if known is not None:
                self.served.listeners.pop(known.fileno(), None)
                self.served.datagrams.pop(known.fileno(), None)
                known.close()
        elif do == "stop":
            self.running = False
            reply["lateness"] = asdict(self.lateness)
        self.control.send(json.dumps(reply).encode())

    def read_tun(self, fd: int) -> None:
        for _ in range(BURST):
            try:
                packet = os.read(fd, 65535)
            except OSError:
                return
            target = self.peer.get(fd)
            if target is None:
                self.lateness.dropped += 1
                continue
            peer, delay = target
            if delay <= 0:
                self.write(peer, packet)
                continue
            self.seq += 1
            heapq.heappush(self.heap, (time.perf_counter() + delay, self.seq, peer, packet))

    def deliver(self) -> None:
        heap = self.heap
        stats = self.lateness
        now = time.perf_counter()
        while heap and heap[0][0] <= now + EARLY:
            due, _, peer, packet = heapq.heappop(heap)
            self.write(peer, packet)
            late = 1000 * max(0.0, now - due)
            stats.packets += 1
            stats.total_ms += late
            stats.worst_ms = max(stats.worst_ms, late)
            now = time.perf_counter()

    def write(self, fd: int, packet: bytes) -> None:
        try:
            os.write(fd, packet)
        except OSError:
            self.lateness.dropped += 1

    def echo(self, fd: int) -> None:
        served = self.served
        listener = served.listeners.get(fd)
        conn = served.conns.get(fd)
        datagram = served.datagrams.get(fd)
        try:
            if listener is not None:
                accepted, _ = listener.accept()
                accepted.setblocking(False)
                accepted.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                served.conns[accepted.fileno()] = accepted
            elif conn is not None:
                data = conn.recv(4096)
                if data:
                    conn.send(data)
                else:
                    del served.conns[fd]
                    conn.close()
            elif datagram is not None:
                data, sender = datagram.recvfrom(4096)
                datagram.sendto(data, sender)
        except BlockingIOError:
            pass
        except OSError:
            if conn is not None:
                served.conns.pop(fd, None)
                conn.close()
