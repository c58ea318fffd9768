"""Named network namespaces for one kernel run: their names, entering one, making and removing.

Every namespace a run makes is named `odk-<pid>-<tag>-<node>` and every link `odk<tag><kind><n>`
(at most 15 characters, the kernel's limit), so that a run's own things are recognisable, and a
run killed outright can be swept later by `--cleanup` (only namespaces whose process is gone).
Links are only ever made inside a run's namespaces, never in the one the machine runs in: they
go when their namespace goes.

Python 3.11 has no `os.setns`, so `inside()` calls setns(2) through ctypes. A namespace is a
property of the calling thread: the thread enters, makes its sockets, TUN devices or netlink
socket (each stays in the namespace it was made in), and comes back.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CLONE_NEWNET = 0x40000000
NETNS_DIR = Path("/run/netns")
PREFIX = "odk-"
#: odk-<pid in hex>-<tag>-<node>: the pid says whose it is, the tag which of its runs.
_OWNED = re.compile(r"^odk-([0-9a-f]{1,8})-([0-9a-f]{4})-[a-z0-9]{1,8}$")

_libc = ctypes.CDLL(None, use_errno=True)


class NamespaceError(RuntimeError):
    """A namespace could not be made, entered or removed."""


@dataclass(frozen=True, slots=True)
class RunNames:
    """The names one run gives its namespaces and links."""

    pid: int
    tag: str  # 4 hex digits, new for every run

    @classmethod
    def fresh(cls) -> RunNames:
        return cls(os.getpid(), secrets.token_hex(2))

    def namespace(self, node: str) -> str:
        return f"{PREFIX}{self.pid:x}-{self.tag}-{node}"

    def link(self, kind: str, number: int) -> str:
        name = f"odk{self.tag}{kind}{number}"
        if len(name) > 15:  # IFNAMSIZ - 1
            raise NamespaceError(f"link name {name!r} is longer than the kernel allows")
        return name

    def owns(self, namespace: str) -> bool:
        return namespace.startswith(f"{PREFIX}{self.pid:x}-{self.tag}-")


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise NamespaceError(f"setns: {os.strerror(err)}")


@contextmanager
def inside(namespace: str) -> Iterator[None]:
    """Run the block in `namespace` (this thread only), then come back where the thread was."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(NETNS_DIR / namespace, os.O_RDONLY)
    except OSError as exc:
        os.close(own)
        raise NamespaceError(f"no namespace {namespace}: {exc.strerror}") from None
    try:
        _setns(target)
        try:
            yield
        finally:
            _setns(own)
    finally:
        os.close(target)
        os.close(own)


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=False)


def create(namespace: str) -> None:
    done = _ip("netns", "add", namespace)
    if done.returncode != 0:
        raise NamespaceError(f"ip netns add {namespace}: {done.stderr.strip()}")


def delete(namespace: str) -> bool:
    """Remove a named namespace; True if it was there. Its links and routes go with it."""
    if not (NETNS_DIR / namespace).exists():
        return False
    return _ip("netns", "del", namespace).returncode == 0


def existing() -> list[str]:
    """The named namespaces on this machine (`ip netns list`), by name."""
    try:
        return sorted(p.name for p in NETNS_DIR.iterdir())
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(slots=True)
class Sweep:
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # owned by a run still going


def sweep(also_live: bool = False) -> Sweep:
    """Remove what runs that were killed left behind: namespaces named `odk-<pid>-...` whose
    process is gone (with `also_live`, every run's). Nothing else is looked at or touched."""
    result = Sweep()
    for name in existing():
        match = _OWNED.match(name)
        if match is None:
            continue
        pid = int(match.group(1), 16)
        if _alive(pid) and not also_live:
            result.left.append(name)
            continue
        if delete(name):
            result.removed.append(name)
    return result
