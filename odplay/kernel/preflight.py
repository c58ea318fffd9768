"""Can this machine run a scenario on its kernel? Each check, and how to get what is missing.

Checked before anything is made, so that a run refuses rather than half-builds. What can only be
known by trying (a source-specific route, SOCK_DESTROY) is tried during the build, inside the
run's own namespaces, and refused the same way (odplay.kernel.lab.LabError).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

PYROUTE2 = "pyroute2"
INSTALL_PYROUTE2 = "pip install 'odplay[kernel]' (pyroute2, the netlink library it uses)"


@dataclass(frozen=True, slots=True)
class Missing:
    check: str  # what was looked for
    how: str  # how to get it

    def __str__(self) -> str:
        return f"{self.check}: {self.how}"


def missing() -> list[Missing]:
    """Everything this machine lacks for a kernel run; [] when it has it all."""
    found: list[Missing] = []
    if not sys.platform.startswith("linux"):
        return [Missing("a Linux kernel", "odplay kernel runs scenarios on Linux only")]
    if os.geteuid() != 0:
        found.append(
            Missing(
                "root",
                "it makes network namespaces, links and routes: run it as root "
                "(sudo odplay kernel ...), on a machine or container you may change",
            )
        )
    if not Path("/dev/net/tun").exists():
        found.append(
            Missing(
                "/dev/net/tun",
                "the TUN device carries the delayed links: load it (modprobe tun) or, in a "
                "container, pass it in (docker run --device /dev/net/tun --cap-add NET_ADMIN)",
            )
        )
    if not Path("/proc/net/if_inet6").exists():
        found.append(
            Missing("IPv6", "this kernel runs without IPv6 (boot it without ipv6.disable)")
        )
    if not Path("/proc/self/ns/net").exists():
        found.append(Missing("network namespaces", "build the kernel with CONFIG_NET_NS=y"))
    for tool in ("ip", "ss"):
        if shutil.which(tool) is None:
            found.append(
                Missing(f"the `{tool}` command", "install iproute2 (apt install iproute2)")
            )
    if find_spec(PYROUTE2) is None:
        found.append(Missing("pyroute2", INSTALL_PYROUTE2))
    return found
