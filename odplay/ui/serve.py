"""`odplay serve`: the playground in a browser tab, for a teacher projecting it or a class.

textual-serve runs `odplay play` once per browser tab and relays it over a WebSocket to a
terminal drawn in the page. Left running on a laptop beside a browser full of other tabs, that
WebSocket is a door: any page the browser opens could connect to it, drive the playground and
read the screen. `ServedPlayground` narrows textual-serve's server to what a class needs:

- a WebSocket is accepted only from the page's own origin (or one the teacher allowed with
  `--allow-origin`); a page on another site, or one that reached us by rebinding its DNS name to
  this machine, is refused with 403 before any process starts;
- at most `max_sessions` tabs run at once (each is a process of about 55 MiB); the next tab is
  told so, in words, instead of starting;
- the page's own URLs are built from the address the browser used (or `--public-url`), so a
  server listening on 0.0.0.0 hands students an address that works on their machines;
- each tab runs `odplay play --served --files DIR`: every file it opens or saves stays inside
  that one folder (odplay.files.confine), and nothing it does may touch the machine.
"""

from __future__ import annotations

import html
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from odplay.text import visible

#: Tabs served at once unless `--max-sessions` says otherwise: a class's worth, about 0.5 GiB.
DEFAULT_MAX_SESSIONS = 10
#: Hosts that mean "every address of this machine" when listened on.
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def play_command(
    scenario: str | None, predict: bool, files: str | None = None, served: bool = False
) -> str:
    """The command each browser tab runs: this Python, this odplay."""
    argv = [sys.executable, "-m", "odplay", "play"]
    if scenario:
        argv.append(scenario)
    if predict:
        argv.append("--predict")
    if served:
        argv.append("--served")
    if files:
        argv += ["--files", files]
    return shlex.join(argv)


def origin_of(url: str) -> str:
    """`scheme://host[:port]`, lower-cased, with the scheme's default port left out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return ""
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def _names_this_machine(hostname: str) -> bool:
    """An IP literal or localhost: a name a DNS-rebinding page cannot use to pose as us."""
    if hostname.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(hostname.strip("[]"))
    except ValueError:
        return False
    return True


def students_addresses(host: str, port: int) -> list[str]:
    """The URLs to give a class for a server listening on `host`."""
    if host not in WILDCARDS:
        return [origin_of(f"http://{_bracketed(host)}:{port}")]
    found: list[str] = []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address.is_loopback or address.is_link_local:
            continue
        url = origin_of(f"http://{_bracketed(str(address))}:{port}")
        if url not in found:
            found.append(url)
    return found


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class ServedPlayground(Server):
    """textual-serve's server with an Origin check, a session cap and per-request URLs."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        *,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        public_url: str | None = None,
        allowed_origins: tuple[str, ...] = (),
    ) -> None:
        super().__init__(command, host=host, port=port, title="odplay", public_url=public_url)
        self.fixed_public_url = public_url.rstrip("/") if public_url else None
        self.max_sessions = max_sessions
        self.sessions = 0
        self.allowed_origins = {origin_of(o) for o in allowed_origins}
        if self.fixed_public_url:
            self.allowed_origins.add(origin_of(self.fixed_public_url))

    # ------------------------------------------------------------------ who may connect

    def own_origin(self, request: web.Request) -> str | None:
        """The origin the browser used to reach us, if it names this machine."""
        url = f"{request.scheme}://{request.host}"
        hostname = urlsplit(url).hostname or ""
        listen = self.host.lower()
        if _names_this_machine(hostname) or (listen not in WILDCARDS and hostname == listen):
            return origin_of(url)
        return None

    def refusal(self, request: web.Request) -> str | None:
        """Why this WebSocket may not open, or None if it may."""
        origin = request.headers.get("Origin")
        if not origin:
            return "a WebSocket without an Origin header (not from a browser page)"
        allowed = set(self.allowed_origins)
        own = self.own_origin(request)
        if own:
            allowed.add(own)
        if origin_of(origin) not in allowed:
            return f"a WebSocket from {origin!r}, which is not this page's origin"
        return None

    def full_message(self) -> str:
        return (
            f"odplay is already serving {self.sessions} sessions, the most this server allows "
            "(odplay serve --max-sessions). Close a tab you no longer use, or ask whoever runs "
            "the server to raise the limit, then reload this page."
        )

    # ------------------------------------------------------------------ handlers

    async def handle_index(self, request: web.Request) -> Any:
        if self.sessions >= self.max_sessions:
            page = f"<!doctype html><title>odplay</title><p>{html.escape(self.full_message())}</p>"
            return web.Response(status=503, text=page, content_type="text/html")
        # The URLs in the page follow the address the browser used (no await before the
        # parent reads it, so no other request can change it in between).
        own = self.own_origin(request)
        self.public_url = self.fixed_public_url or own or self.public_url
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> Any:
        problem = self.refusal(request)
        if problem is not None:
            # The Origin header is the caller's words: never markup, never a control byte.
            self.console.print(
                visible(f"odplay: refused {problem}; --allow-origin allows another"),
                markup=False,
                highlight=False,
            )
            return web.Response(status=403, text=f"odplay serve refused {problem}.\n")
        if self.sessions >= self.max_sessions:
            return web.Response(status=503, text=self.full_message() + "\n")
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1


def serve(
    scenario: str | None,
    host: str,
    port: int,
    predict: bool,
    *,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    public_url: str | None = None,
    allowed_origins: tuple[str, ...] = (),
    files: Path | None = None,
) -> None:
    """Serve until interrupted (Ctrl+C). Each tab's files stay in `files` (default: here)."""
    folder = (files or Path.cwd()).resolve()
    ServedPlayground(
        play_command(scenario, predict, files=str(folder), served=True),
        host,
        port,
        max_sessions=max_sessions,
        public_url=public_url,
        allowed_origins=allowed_origins,
    ).serve()
