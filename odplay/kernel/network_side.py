"""The replay of what the network and the host's moves did, and the checks that follow them.

odplay's network side stands in for the real one: where the model's network grants, deprecates
or withdraws a prefix, the harness adds, changes or deletes the host's address through netlink
and routes the prefix (those are listed, uncounted). What the kernel then decides is checked:
whether it marks an address deprecated, when it removes one whose lifetime ran out, whether data
still flows on a connection after a move and in how long a round trip, whether a correspondent
gets through to a listening socket.
"""

from __future__ import annotations

import math
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

from odplay.kernel import explain, probe
from odplay.kernel.capture import ReachClaim, StepChecked
from odplay.kernel.checks import KernelSocket, ReplayBase, errno_name
from odplay.kernel.topology import INTERNET, cn_key
from odplay.sim import events as ev

#: How long after odplay's expiry the replay keeps looking for the kernel's own.
EXPIRY_WATCH_MS = 1600
TCP_ESTABLISHED = 1


@dataclass(slots=True)
class Watch:
    """An address whose valid lifetime the kernel is to end by itself (T4)."""

    address: str
    value: str
    model_ms: int
    rounded_up_ms: int
    at: Any  # the item that started it


def tcp_state(sock: socket.socket) -> int | None:
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    except OSError:
        return None
    return int(struct.unpack_from("B", info)[0])


class NetworkSide(ReplayBase):
    watches: list[Watch]

    # ------------------------------------------------------------------ the host's moves

    def on_attach(self, event: ev.HostAttached) -> None:
        self._pair(event.ap, f"attached at {event.ap}, behind {event.gateway}")

    def on_move(self, event: ev.HostMoved) -> None:
        behind = f", behind {event.gateway}" if event.gateway != event.old_gateway else ""
        self._pair(event.ap, f"moved from {event.old_ap} to {event.ap}{behind}")

    def on_detach(self, event: ev.HostDetached) -> None:
        self._pair(None, "detached")

    def _pair(self, ap: str | None, words: str) -> None:
        self.lab.pair_host(ap)
        self.follow()
        linux = (
            f"the forwarder pairs the host's link with {ap}'s; routes follow"
            if ap
            else "the forwarder unpairs the host's link; its default route goes"
        )
        self.harness("the host", words, linux)

    # ------------------------------------------------------------------ prefixes

    def on_offered(self, event: ev.PrefixOffered | ev.PrefixGranted) -> None:
        facts = self.capture.prefixes[event.prefix]
        self.lab.host.add_address(self.lab.host_ifname, facts.value)
        self.routed[event.prefix] = (facts.network, facts.anchor)
        self.follow()
        self.harness(
            f"{event.prefix} from {event.gateway}",
            f"{facts.address} configured, anchored at {facts.anchor}",
            f"{facts.address} added by netlink (valid forever), routed via {facts.anchor}",
        )

    def on_deprecated(self, event: ev.PrefixDeprecated) -> None:
        facts = self.capture.prefixes[event.prefix]
        valid = math.ceil(event.grace / 1000)
        self.lab.host.change_address(self.lab.host_ifname, facts.value, 0, valid)
        state = self.lab.host.address(facts.value)
        self.record(
            "lifetime",
            f"{facts.address} deprecated for its grace period (T4)",
            f"deprecated, valid {event.grace / 1000:g} s more",
            state.describe(),
            state.present and state.deprecated,
            explain.DEPRECATED,
        )
        self.watches.append(
            Watch(facts.address, facts.value, event.valid_until, valid * 1000 - event.grace, None)
        )

    def on_withdrawn(self, event: ev.PrefixWithdrawn) -> None:
        self._take_back(event.prefix, f"{event.prefix} withdrawn by {event.gateway} (T3)")

    def on_released(self, event: ev.AddressReleased) -> None:
        self._take_back(event.prefix, f"{event.address} released by the host (D8)")

    def on_granted_for_closed(self, event: ev.GrantedForClosed) -> None:
        if event.released:
            self._take_back(event.prefix, f"{event.address} released: its socket had closed (D8)")

    def _take_back(self, prefix: str, what: str) -> None:
        facts = self.capture.prefixes[prefix]
        self.routed.pop(prefix, None)
        self.follow()
        deleted = self.lab.host.del_address(self.lab.host_ifname, facts.value)
        self.harness(
            what,
            f"{facts.address} gone",
            f"{facts.address} deleted by netlink" if deleted else f"{facts.address} was gone",
        )

    def on_grace_expired(self, event: ev.GraceExpired) -> None:
        """odplay ends the grace period now; the network stops routing the prefix, and the
        kernel is to remove the address by itself: a watch starts."""
        self.routed.pop(event.prefix, None)
        self.follow()
        for watch in self.watches:
            if watch.address == self.capture.prefixes[event.prefix].address:
                watch.at = self.item

    def poll_watches(self, final: bool = False) -> None:
        """See whether the kernel has removed the addresses being watched."""
        for watch in list(self.watches):
            if watch.at is None:
                continue  # odplay has not ended its grace period yet
            now = self.now_ms()
            gone = not self.lab.host.address(watch.value).present
            late = now - watch.model_ms
            if not gone and late < EXPIRY_WATCH_MS and not final:
                continue
            self.watches.remove(watch)
            agree = gone and -explain.EXPIRY_EARLY_MS <= late <= explain.EXPIRY_LATE_MS + (
                watch.rounded_up_ms
            )
            linux = (
                f"removed by the kernel at {now / 1000:.3f} s ({late:+.0f} ms)"
                if gone
                else f"still there at {now / 1000:.3f} s"
            )
            self.record(
                "lifetime",
                f"{watch.address} removed when its valid lifetime ends (T4)",
                f"removed at {watch.model_ms / 1000:.3f} s",
                linux,
                agree,
                explain.expiry(late if gone else None, watch.rounded_up_ms),
                at=watch.at,
            )
            if not gone:
                self.lab.host.del_address(self.lab.host_ifname, watch.value)

    # ------------------------------------------------------------------ sockets after a change

    def on_broken(self, event: ev.SocketBroken) -> None:
        kernel = self.sockets.get(event.fd)
        if kernel is None or kernel.udp or not kernel.connected:
            return
        item = self.item

        def seen(rtt: float | None) -> None:
            self.record(
                "alive",
                f"{kernel.label}: data flows after {event.address} {event.loss}?",
                f"no: broken ({', '.join(event.rules)})",
                "no: no echo" if rtt is None else f"yes: echo in {rtt:.1f} ms",
                rtt is None,
                explain.STILL_FLOWS,
                at=item,
            )
            self.after_probes.append(lambda: self._destroy(kernel, event.address, item))

        self.probe(kernel.sock, None, seen)

    def _destroy(self, kernel: KernelSocket, address: str, item: Any) -> None:
        """Linux never breaks the connection: abort it as the model says (ss -K)."""
        state = tcp_state(kernel.sock)
        try:
            local, port = kernel.sock.getsockname()[:2]
            peer, peer_port = kernel.sock.getpeername()[:2]
        except OSError as exc:
            said = f"nothing to abort ({errno_name(exc)})"
        else:
            shown = self.lab.destroy(local, port, peer, peer_port)
            said = (
                "aborted with ss -K (SOCK_DESTROY)"
                if "ESTAB" in shown
                else f"ss -K did not abort it ({shown or 'it said nothing'})"
            )
        before = "still ESTABLISHED" if state == TCP_ESTABLISHED else f"TCP state {state}"
        self.record(
            "harness",
            f"{kernel.label} breaks when {address} goes",
            "broken at once; the application is told",
            f"{before} (Linux never breaks it); {said}",
            True,
            explain.BREAK,
            counted=False,
            at=item,
        )
        kernel.connected = False

    def on_path(self, event: ev.PathReport) -> None:
        kernel = self.sockets.get(event.fd)
        if kernel is None:
            return
        if kernel.served is not None:
            self._still_listening(kernel)
            return
        if kernel.udp or not kernel.connected:
            return
        item = self.item
        via = f" via {event.via}" if event.via else " direct"

        def seen(rtt: float | None) -> None:
            if event.rtt is None:
                self.record(
                    "alive",
                    f"{kernel.label}: data flows while the host is detached?",
                    "no: no path",
                    "no: no echo" if rtt is None else f"yes: echo in {rtt:.1f} ms",
                    rtt is None,
                    explain.STILL_FLOWS,
                    at=item,
                )
                return
            self.record(
                "alive",
                f"{kernel.label}: data still flows after the move",
                f"yes{via}",
                "no: no echo" if rtt is None else "yes: its echo came back",
                rtt is not None,
                explain.NO_ECHO,
                at=item,
            )
            if rtt is not None:
                self.rtt_check(kernel.label, event.rtt, rtt, via, item)
            kernel.rtt = event.rtt

        self.probe(kernel.sock, event.rtt, seen)

    def _still_listening(self, kernel: KernelSocket) -> None:
        try:
            listening = bool(kernel.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
            local, port = kernel.sock.getsockname()[:2]
            linux = f"listening on [{self.name(local)}]:{port}" if listening else "not listening"
        except OSError as exc:
            listening, linux = False, errno_name(exc)
        self.record(
            "listening",
            f"{kernel.label} still listens after the move (T1)",
            "listening",
            linux,
            listening,
            explain.LISTENING,
        )

    # ------------------------------------------------------------------ correspondents

    def on_reached(self, event: ev.Reached) -> None:
        self.reach(
            ReachClaim(
                event.name,
                event.port,
                event.who,
                event.ok,
                event.reason,
                event.address,
                event.rtt,
                event.via,
            )
        )

    def on_step_checked(self, event: StepChecked) -> None:
        for claim in event.reaches:
            self.reach(claim, expectation=True)

    def reach(self, claim: ReachClaim, expectation: bool = False) -> None:
        who = claim.peer or "a host on the Internet"
        what = f"{who} reaches {claim.name}:{claim.port}" + (" (expected)" if expectation else "")
        said = (
            f"yes: {claim.address}" + (f" via {claim.via}" if claim.via else "")
            if claim.ok
            else f"no: {claim.reason}"
        )
        value = self.capture.value_of(claim.address) if claim.address else None
        if value is None:
            self.harness(what, said, "nothing to try: odplay's DNS names no address of the host")
            return
        node = cn_key(claim.peer) if claim.peer else INTERNET
        client = self.lab.socket(node)
        probe.prepare(client)
        wait = 3 * (claim.rtt or 150) / 1000 + 0.2
        client.settimeout(wait)
        started = time.perf_counter()
        try:
            client.connect((value, claim.port))
            linux = f"yes: connected to {self.name(value)}"
            ok = True
        except OSError as exc:
            spent = 1000 * (time.perf_counter() - started)
            linux, ok = f"no: {errno_name(exc)} after {spent:.0f} ms", False
        self.record("reach", what, said, linux, ok == claim.ok, explain.REACH)
        item = self.item
        if ok and claim.ok and claim.rtt is not None:
            rtt_model = claim.rtt
            via = f" via {claim.via}" if claim.via else " direct"

            def seen(rtt: float | None) -> None:
                if rtt is not None:
                    self.rtt_check(f"{who} to {claim.name}", rtt_model, rtt, via, item)
                client.close()

            self.probe(client, claim.rtt, seen)
        else:
            client.close()

    def on_network_changed(self, event: ev.NetworkChanged) -> None:
        if event.field == "inter_gateway_delay":
            self.lab.set_delay("gateways", int(event.value))
