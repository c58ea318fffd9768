"""`odplay serve` is safe to leave running: tested against the real server, over real sockets.

Only the page's own origin may open the playground's WebSocket (a page elsewhere, or one that
rebound its DNS name to this machine, is refused before any process starts); at most
`--max-sessions` tabs run, and the next is told so; the page's URLs follow the address the
browser used, so a server on 0.0.0.0 works for a class.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from odplay.ui.serve import origin_of, students_addresses
from tests.e2e.serving import odplay_serve


async def _handshake(port: int, origin: str | None, host: str | None = None) -> int:
    """The HTTP status of a WebSocket handshake: 101 when it opened."""
    headers = {"Host": host} if host else {}
    async with aiohttp.ClientSession() as client:
        try:
            ws = await client.ws_connect(
                f"http://127.0.0.1:{port}/ws", origin=origin, headers=headers
            )
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 101


async def _get(port: int, path: str = "/", host: str | None = None) -> tuple[int, str]:
    headers = {"Host": host} if host else {}
    url = f"http://127.0.0.1:{port}{path}"
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as response:
        return response.status, await response.text()


def test_a_foreign_origin_is_refused_and_the_own_origin_accepted() -> None:
    with odplay_serve() as port:
        own = f"http://127.0.0.1:{port}"
        assert asyncio.run(_handshake(port, "http://evil.example")) == 403
        assert asyncio.run(_handshake(port, f"http://localhost:{port + 1}")) == 403
        assert asyncio.run(_handshake(port, None)) == 403
        # A page that rebound its own name to 127.0.0.1: its Host and Origin agree, but the
        # name is not this machine's.
        rebound = f"evil.example:{port}"
        assert asyncio.run(_handshake(port, f"http://{rebound}", host=rebound)) == 403
        assert asyncio.run(_handshake(port, own)) == 101


def test_an_allowed_origin_may_connect() -> None:
    with odplay_serve("--allow-origin", "https://class.example.org") as port:
        assert asyncio.run(_handshake(port, "https://class.example.org")) == 101
        assert asyncio.run(_handshake(port, "https://other.example.org")) == 403


def test_past_max_sessions_the_next_tab_is_told_why() -> None:
    async def scenario(port: int) -> tuple[int, int, str]:
        async with aiohttp.ClientSession() as client:
            first = await client.ws_connect(
                f"http://127.0.0.1:{port}/ws", origin=f"http://127.0.0.1:{port}"
            )
            second = await _handshake(port, f"http://127.0.0.1:{port}")
            status, page = await _get(port)
            await first.close()
        return second, status, page

    with odplay_serve("--max-sessions", "1") as port:
        second, status, page = asyncio.run(scenario(port))
    assert second == 503
    assert status == 503
    assert "already serving 1 sessions" in page and "--max-sessions" in page


def test_the_page_hands_out_the_address_the_browser_used() -> None:
    with odplay_serve("--host", "127.0.0.1") as port:
        status, page = asyncio.run(_get(port, host=f"192.0.2.7:{port}"))
        assert status == 200
        assert f"ws://192.0.2.7:{port}/ws" in page
        _, rebound = asyncio.run(_get(port, host=f"evil.example:{port}"))
        assert "evil.example" not in rebound


def test_public_url_is_used_as_given() -> None:
    with odplay_serve("--public-url", "https://odplay.school.example") as port:
        _, page = asyncio.run(_get(port))
        assert "wss://odplay.school.example/ws" in page
        assert asyncio.run(_handshake(port, "https://odplay.school.example")) == 101


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://Example.org:80/x", "http://example.org"),
        ("https://example.org:443", "https://example.org"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://h:notaport", ""),
    ],
)
def test_origins_are_compared_in_one_form(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_a_named_host_is_its_own_address_for_students() -> None:
    assert students_addresses("192.0.2.1", 8000) == ["http://192.0.2.1:8000"]
    assert students_addresses("::1", 8000) == ["http://[::1]:8000"]
