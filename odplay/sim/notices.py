"""What the stack tells an application, and what an application must answer to.

A notice is queued by the stack (`World.notify`) and delivered after the step's state changes
are complete (see World). Each notice is a small immutable value (a NamedTuple: cheap to build)
that knows which of the `Listener`'s methods it calls, so delivery is a typed method call, not a
lookup by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from odplay.sim.world import World


class Listener(Protocol):
    """An application as the world sees it: told about its sockets, woken by its timers."""

    def on_setsc_done(self, w: World, fd: int) -> None: ...

    def on_connect_done(self, w: World, fd: int) -> None: ...

    def on_socket_broken(self, w: World, fd: int) -> None: ...

    def on_address_deprecated(self, w: World, fd: int) -> None: ...

    def on_address_revived(self, w: World, fd: int) -> None: ...

    def on_timer(self, w: World, action: str, index: int, fd: int) -> None: ...


class SetscDone(NamedTuple):
    """A blocked setsc() has its answer (A5)."""

    fd: int

    def deliver(self, app: Listener, w: World) -> None:
        app.on_setsc_done(w, self.fd)


class ConnectDone(NamedTuple):
    """A connect() that waited for the network (B5) has finished, connected or not."""

    fd: int

    def deliver(self, app: Listener, w: World) -> None:
        app.on_connect_done(w, self.fd)


class SocketLost(NamedTuple):
    """The socket broke: its address is gone (T3, T4, D8)."""

    fd: int

    def deliver(self, app: Listener, w: World) -> None:
        app.on_socket_broken(w, self.fd)


class AddressDeprecated(NamedTuple):
    """The socket's Graceful-replacement address entered its grace period (T4)."""

    fd: int

    def deliver(self, app: Listener, w: World) -> None:
        app.on_address_deprecated(w, self.fd)


class AddressRevived(NamedTuple):
    """The socket's deprecated address is valid and preferred again (T4, graceful_return)."""

    fd: int

    def deliver(self, app: Listener, w: World) -> None:
        app.on_address_revived(w, self.fd)


Notice = SetscDone | ConnectDone | SocketLost | AddressDeprecated | AddressRevived
