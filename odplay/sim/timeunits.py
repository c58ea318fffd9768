"""Simulated time is an integer count of milliseconds; these helpers read and write it."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$")
_SCALE = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}


def parse_duration(value: str | int | float) -> int:
    """`250ms`, `2s`, `1.5min`, `1h`, or a bare number of seconds, as whole milliseconds."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 2s or 250ms, got {value!r}")
    if isinstance(value, int | float):
        ms = value * 1000
    elif not isinstance(value, str):
        what = "a list" if isinstance(value, list) else f"a {type(value).__name__}"
        if isinstance(value, dict):
            what = "a mapping"
        raise ValueError(f"expected a duration such as 2s or 250ms, got {what}")
    else:
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"expected a duration such as 2s or 250ms, got {value!r}")
        ms = float(match.group(1)) * _SCALE[match.group(2) or "s"]
    if ms != ms or ms in (float("inf"), float("-inf")):
        raise ValueError(f"expected a finite duration, got {value!r}")
    if ms < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    return round(ms)


def format_time(ms: int) -> str:
    """Clock display: seconds with millisecond precision, e.g. `12.345s`."""
    return f"{ms / 1000:.3f}s"


def format_duration(ms: int | None) -> str:
    """A lifetime for a table cell: `∞` for none, else the shortest exact unit."""
    if ms is None:
        return "∞"
    if ms % 1000:
        return f"{ms}ms"
    return f"{ms // 1000}s"
