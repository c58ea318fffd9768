"""`odplay serve`, end to end: the playground in headless Chromium, driven like a learner would.

The page draws the terminal on a canvas, so the test reads what the app sends it: the bytes on
the page's WebSocket. It waits for events (a selector, a frame), never for a fixed time.
Chromium is Debian's (`apt-get install chromium`); .ci/run installs it and sets
ODPLAY_E2E=required, so that in CI a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.serving import odplay_serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLOW = str(Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml")
# Chromium as root, headless, on a machine whose network is closed: no sandbox, no GPU, and
# none of the background connections it would otherwise keep trying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000

if CHROMIUM is None:
    if os.environ.get("ODPLAY_E2E") == "required":
        pytest.fail("ODPLAY_E2E=required, but chromium is not installed", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


#: IPnp1's value in the 4.2 flow: gw1's PREFnp1 (2001:db8:1:2::/64) and the host's interface ID.
IPNP1 = "2001:db8:1:2:"


@pytest.fixture
def served() -> Iterator[str]:
    """`odplay serve 4.2-message-flow` on a free localhost port, until the test ends."""
    with odplay_serve(FLOW) as port:
        yield f"http://127.0.0.1:{port}/"


def test_the_page_loads_n_steps_the_4_2_flow_and_the_new_address_appears(served: str) -> None:
    from playwright.sync_api import sync_playwright

    received = bytearray()

    def keep(payload: str | bytes) -> None:
        received.extend(payload.encode() if isinstance(payload, str) else payload)

    def shown() -> str:
        return received.decode("utf-8", "replace")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        with page.expect_websocket(timeout=WAIT_MS) as opened:
            page.goto(served)
        websocket = opened.value
        websocket.on("framereceived", keep)

        def until(text: str) -> None:
            if text not in shown():
                websocket.wait_for_event(
                    "framereceived", predicate=lambda _: text in shown(), timeout=WAIT_MS
                )

        page.wait_for_selector("body.-first-byte", timeout=WAIT_MS)
        until("step 0/8")
        # Nothing has happened yet: no address at all. (Its name is in the scenario's own
        # introduction at step 0, so the address table's value is what is looked for.)
        assert IPNP1 not in shown()
        page.click("#terminal")
        page.keyboard.press("n")
        until("step 1/8")
        until(IPNP1)  # the host attached: gw1's PREFnp1, and IPnp1 made from it (F1)
        page.keyboard.press("n")
        until("step 2/8")
        assert "app1" in shown()
        browser.close()
