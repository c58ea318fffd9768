"""The replay of the applications' socket calls on real sockets in the host's namespace.

Each call the model's applications made is made again, at the same time, with the same
arguments: socket(), setsockopt(IPV6_ADDR_PREFERENCES) (option 72), bind(), listen(), connect(),
send() and close() on the kernel, and each answer is checked against the model's: the status,
the address the socket is bound to or sends from (getsockname()), and, for a connection, the
round trip its echo takes.

setsc() is not in any kernel. Here it is a library in user space over the kernel: it asks
odplay's network side (the model) for an address of the type, which the network side has
added to the host through netlink with its lifetimes; the application then binds to it as the
draft's Section 4.1 says. Its answers are listed, not counted: the kernel did not decide them.
"""

from __future__ import annotations

import socket
from typing import Any

from odplay.constants import AddressType, Status, flag_names
from odplay.kernel import explain, probe
from odplay.kernel.capture import Item
from odplay.kernel.checks import KernelSocket, ReplayBase, errno_name, same_address, status_name
from odplay.kernel.topology import HOST
from odplay.sim import events as ev

IPV6_ADDR_PREFERENCES = 72


def _flags(value: int) -> str:
    names = flag_names(value)
    return "|".join(n.removeprefix("IPV6_PREFER_SRC_") for n in names) if names else "0"


def _closed() -> socket.socket:
    """A socket already closed: calls on it fail with EBADF, as on a descriptor not open."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    sock.close()
    return sock


class HostSide(ReplayBase):
    asked: dict[int, int]  # fd → the type a blocked setsc() asked for

    def _kernel(self, fd: int) -> tuple[KernelSocket | None, socket.socket]:
        kernel = self.sockets.get(fd)
        return kernel, (kernel.sock if kernel is not None else _closed())

    def _label(self, fd: int) -> str:
        kernel = self.sockets.get(fd)
        return kernel.label if kernel is not None else f"fd {fd}"

    # ------------------------------------------------------------------ the calls

    def call_socket_call(self, item: Item) -> None:
        owner, _, protocol = item.args
        udp = str(protocol) == "udp"
        sock = self.lab.socket(HOST, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
        probe.prepare(sock)
        self.sockets[int(item.result)] = KernelSocket(int(item.result), owner, sock, udp)

    def call_setsockopt(self, item: Item) -> None:
        fd, flags = item.args
        _, sock = self._kernel(fd)
        try:
            sock.setsockopt(socket.IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, flags)
            linux = "0"
        except OSError as exc:
            linux = errno_name(exc)
        odplay = status_name(item.result)
        self.record_status(
            "setsockopt",
            f"setsockopt({self._label(fd)}, IPV6_ADDR_PREFERENCES, {_flags(flags)})",
            odplay,
            linux,
        )

    def call_read_sockopt(self, item: Item) -> None:
        (fd,) = item.args
        _, sock = self._kernel(fd)
        try:
            linux = f"{sock.getsockopt(socket.IPPROTO_IPV6, IPV6_ADDR_PREFERENCES):#x}"
        except OSError as exc:
            linux = errno_name(exc)
        odplay = "EBADF" if item.result is None else f"{int(item.result):#x}"
        self.record_status(
            "getsockopt", f"getsockopt({self._label(fd)}, IPV6_ADDR_PREFERENCES)", odplay, linux
        )

    def call_setsc(self, item: Item) -> None:
        fd, type_value = item.args
        if item.result is None:
            self.asked[fd] = type_value  # blocked: the network answers later (on_setsc_result)
            return
        status, address = item.result
        self._setsc_answer(fd, type_value, status, address.name if address else None)

    def on_setsc_result(self, event: ev.SetscResult) -> None:
        self._setsc_answer(event.fd, self.asked.pop(event.fd, None), event.status, event.address)

    def _setsc_answer(
        self, fd: int, type_value: int | None, status: Status, name: str | None
    ) -> None:
        kind = ""
        if type_value in (1, 2, 3, 4):
            kind = ", " + AddressType(type_value).name.removesuffix("_IPV6_ADDRESS")
        said = status_name(status) + (f", {name}" if name else "")
        linux = "the user-space library: odplay's network side answered"
        if name:
            linux += f"; {name} is on the host"
        self.harness(f"setsc({self._label(fd)}{kind})", said, linux)

    def call_bind(self, item: Item) -> None:
        fd, text, port = item.args
        value = "::" if text in ("::", "", None) else self.capture.value_of(text)
        odplay = status_name(item.result)
        what = f"bind({self._label(fd)}, {text or '::'}" + (f", port {port})" if port else ")")
        if value is None:
            self.harness(what, odplay, f"nothing to bind: odplay never had an address {text}")
            return
        _, sock = self._kernel(fd)
        try:
            sock.bind((value, port))
            local = sock.getsockname()[0]
            linux = f"0, bound to {self.name(local)}"
            agree = odplay == "0" and same_address(local, value)
        except OSError as exc:
            linux = errno_name(exc)
            agree = odplay == linux
        said = f"0, bound to {text or '::'}" if odplay == "0" else odplay
        self.record("status", what, said, linux, agree, explain.status("bind", odplay, linux))

    def call_listen(self, item: Item) -> None:
        fd, port = item.args
        kernel, sock = self._kernel(fd)
        try:
            if sock.getsockname()[1] == 0:  # odplay binds an unbound socket to [::]:port first
                sock.bind(("::", port))
            sock.listen(16)
            linux = "0"
        except OSError as exc:
            linux = errno_name(exc)
        odplay = status_name(item.result)
        self.record_status("listen", f"listen({self._label(fd)}, port {port})", odplay, linux)
        if linux == "0" and kernel is not None:
            kernel.served = f"host:{fd}"
            self.lab.wire.serve(sock, kernel.served)  # its connections echo (reach, C2)

    def call_connect(self, item: Item) -> None:
        fd, peer, port = item.args
        if item.result is None:
            return  # the stack asks the network first (B5); on_connected follows
        self._connect(item, fd, peer, port, item.caused(ev.Connected), item.result)

    def on_connected(self, event: ev.Connected) -> None:
        """A connect() that waited for the network's prefix (B5): made on the kernel now."""
        kernel = self.sockets.get(event.fd)
        if kernel is None or kernel.connected or event.peer is None:
            return
        assert self.item is not None
        self._connect(self.item, event.fd, event.peer, event.peer_port or 0, event, 0)

    def _connect(
        self, item: Item, fd: int, peer: str, port: int, done: Any, result: Status | int
    ) -> None:
        kernel, sock = self._kernel(fd)
        correspondent = self.capture.network.correspondent(peer)
        what = f"connect({self._label(fd)}, {peer}:{port})"
        odplay_status = status_name(result)
        source = done.source if done is not None else None
        odplay = f"0 from {source}" if odplay_status == "0" else odplay_status
        if correspondent is None:
            self.harness(
                what,
                odplay,
                "nothing to connect to: the kernel run builds the network's correspondents, "
                f"and {peer} is not one of them (odplay's model takes it as an Internet host)",
            )
            return
        bound = sock.getsockname()[1] != 0 if kernel is not None else False
        rtt = done.rtt if done is not None else None
        sock.settimeout(3 * (rtt or 300) / 1000 + 0.3)
        try:
            sock.connect((correspondent.address, port))
            local = sock.getsockname()[0]
            linux_status, linux = "0", f"0 from {self.name(local)}"
        except OSError as exc:
            local, linux_status = None, errno_name(exc)
            linux = linux_status
        if linux_status != odplay_status:
            agree, why = False, explain.status("connect", odplay_status, linux_status)
        else:
            model_value = self.capture.value_of(source) if source else None
            agree = local is None or same_address(local, model_value)
            state = self.lab.host.address(local) if local else None
            why = explain.source(item.picks, 0, bool(state and state.deprecated))
        self.record("status" if bound else "source", what, odplay, linux, agree, why)
        if kernel is None or linux_status != "0":
            return
        kernel.connected, kernel.peer, kernel.peer_port = True, peer, port
        if kernel.udp or odplay_status != "0" or rtt is None:
            return
        kernel.rtt = rtt
        via = f" via {done.via}" if done.via else " direct"
        label = kernel.label
        at = self.item
        other = None if agree else explain.other_source(self.name(local))

        def seen(measured: float | None) -> None:
            if measured is None:
                self.record(
                    "alive",
                    f"{label}: its first echo",
                    "connected",
                    "no echo",
                    False,
                    explain.NO_ECHO,
                    at=at,
                )
                return
            self.rtt_check(label, rtt, measured, via, at, other)

        self.probe(sock, rtt, seen)

    def call_send(self, item: Item) -> None:
        fd, peer, port = item.args
        _, sock = self._kernel(fd)
        correspondent = self.capture.network.correspondent(peer) if peer else None
        try:
            if correspondent is not None:
                sock.sendto(b"x", (correspondent.address, port))
            else:
                sock.send(b"x")
            linux = "0"
        except OSError as exc:
            linux = errno_name(exc)
        odplay = status_name(item.result)
        target = f", {peer}:{port}" if peer else ""
        self.record_status("send", f"send({self._label(fd)}{target})", odplay, linux)

    def call_close(self, item: Item) -> None:
        (fd,) = item.args
        self.flush_for(fd)
        kernel = self.sockets.pop(fd, None)
        if kernel is None:
            return
        if kernel.served is not None:
            self.lab.wire.forget(kernel.served)
        kernel.sock.close()
