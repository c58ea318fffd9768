"""The real `odplay play` in a pseudo-terminal: how long until its first frame is on the screen.

The command is started as a learner starts it (`python -m odplay play`, the console script's
path through the CLI), in a pty of 80x24 with TERM=xterm-256color, and timed from the moment
it is started to the moment its first full frame has been written: Textual draws a frame row by
row with absolute cursor moves, so the first write that moves to the last row (`ESC [24;`) ends
the first frame. The child is then killed. The yardstick is `python -c "import textual.app"`,
start to exit; the two take turns, and the figure is the median of the per-pair ratios.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

ROWS, COLUMNS = 24, 80
#: Where a frame's last row begins: the cursor moved to row 24, column anything.
LAST_ROW = f"\x1b[{ROWS};".encode()
TIMEOUT = 30.0  # seconds: a start that takes longer is a failure, not a figure
PLAY = [sys.executable, "-m", "odplay", "play"]
GOAL = "odplay play (the CLI, in a pty) first frame at most 1.5x import textual.app"


def first_frame(argv: list[str] = PLAY) -> float:
    """Seconds from starting `argv` in a pty until its first full frame has been written."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        seen = b""
        while time.perf_counter() - started < TIMEOUT:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            # Keep the tail too, so that a marker split across two reads is still seen.
            seen = seen[-len(LAST_ROW) :] + chunk
            if LAST_ROW in seen:
                return time.perf_counter() - started
        raise RuntimeError(f"{' '.join(argv)}: no frame within {TIMEOUT:.0f}s")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def import_textual() -> float:
    """Seconds to start Python, import textual.app, and exit."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
    return time.perf_counter() - started


def paired(runs: int = 11) -> tuple[list[float], list[float]]:
    """First frames of `odplay play` and starts of `import textual.app`, taking turns."""
    frames: list[float] = []
    imports: list[float] = []
    for index in range(runs):
        if index % 2 == 0:
            frames.append(first_frame())
            imports.append(import_textual())
        else:
            imports.append(import_textual())
            frames.append(first_frame())
    return frames, imports


def describe(frames: list[float], imports: list[float]) -> tuple[float, str]:
    ratios = [f / i for f, i in zip(frames, imports, strict=True)]
    ratio = statistics.median(ratios)
    return ratio, (
        f"odplay play {statistics.median(frames) * 1000:.0f}ms, import textual.app "
        f"{statistics.median(imports) * 1000:.0f}ms (medians); ratio {ratio:.2f}x (spread "
        f"{min(ratios):.2f}-{max(ratios):.2f}x, {len(ratios)} pairs)"
    )
