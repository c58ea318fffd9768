"""`odplay serve`: the playground in a browser tab, for a teacher projecting it or a class.

textual-serve runs `odplay play` once per browser tab and relays it over a WebSocket to a
terminal drawn in the page. It listens on localhost unless told otherwise: anyone who can reach
the port can run the playground, and the playground can open scenario files.
"""

from __future__ import annotations

import shlex
import sys

from textual_serve.server import Server


def play_command(scenario: str | None, predict: bool) -> str:
    """The command each browser tab runs: this Python, this odplay."""
    argv = [sys.executable, "-m", "odplay", "play"]
    if scenario:
        argv.append(scenario)
    if predict:
        argv.append("--predict")
    return shlex.join(argv)


def serve(scenario: str | None, host: str, port: int, predict: bool) -> None:
    """Serve until interrupted (Ctrl+C)."""
    Server(play_command(scenario, predict), host=host, port=port, title="odplay").serve()
