"""What the kernel tests need from the machine, and how they run `odplay kernel`.

`needs_kernel` skips a test with the reason when this machine cannot run a scenario on its
kernel (not root, no /dev/net/tun, no pyroute2, no iproute2): odplay's own preflight says which.
With ODPLAY_KERNEL=required (CI, on a machine that has them: .ci/run sets it) a missing piece is
a failure, not a skip. The model's own tests never come here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from odplay.kernel import preflight
from odplay.kernel.netns import NETNS_DIR

ROOT = Path(__file__).parents[2]


def _reason() -> str | None:
    lacking = preflight.missing()
    return f"this machine cannot run odplay kernel: {lacking[0]}" if lacking else None


def require_kernel() -> None:
    """Skip (or, with ODPLAY_KERNEL=required, fail) when the machine lacks what it needs."""
    reason = _reason()
    if reason is None:
        return
    if os.environ.get("ODPLAY_KERNEL") == "required":
        pytest.fail(f"ODPLAY_KERNEL=required, but {reason}", pytrace=False)
    pytest.skip(reason)


def odplay(*args: str) -> list[str]:
    """The command line of `odplay ARGS` from this checkout, whatever the environment."""
    return [sys.executable, "-m", "odplay", *args]


def environment() -> dict[str, str]:
    """The test's environment for a child odplay: the checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def namespaces_of(pid: int) -> list[str]:
    """The namespaces the odplay process `pid` made (named odk-<pid in hex>-...)."""
    try:
        names = [p.name for p in NETNS_DIR.iterdir()]
    except OSError:
        return []
    return sorted(n for n in names if n.startswith(f"odk-{pid:x}-"))


def root_links() -> list[str]:
    """The links of the namespace the machine runs in: a kernel run must leave them as they are."""
    shown = subprocess.run(
        ["ip", "-o", "link", "show"], capture_output=True, text=True, check=True
    ).stdout
    return sorted(line.split(":")[1].strip() for line in shown.splitlines())


def root_routes() -> str:
    return subprocess.run(
        ["ip", "-6", "route", "show", "table", "all"], capture_output=True, text=True, check=True
    ).stdout
