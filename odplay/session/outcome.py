"""What one command did to a session's run, as plain data: never an exception for a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of `Session.do` (or `Session.call`)."""

    #: What the command returned: a socket's fd, a call's Status, whether a peer got through...
    value: Any = None
    #: The caller is still blocked: setsc() asked the network (A5), or connect() waits for an
    #: untyped prefix (B5). `Session.call` lets simulated time pass until it returns.
    blocked: bool = False
    #: Why the command could not apply (the run is as it was); None when it applied.
    error: str | None = None
    #: `Session.call` only: the simulated milliseconds the caller was blocked; None if it never was.
    waited: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
