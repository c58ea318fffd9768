"""Simulated time is an integer count of milliseconds; these helpers read and write it."""

from __future__ import annotations

import re
from decimal import Decimal

# ASCII digits only (`\d` would take Arabic-Indic and other digits too), and no more of them than
# a week in milliseconds could need, so that a million-digit number is refused, not computed.
_DURATION = re.compile(r"^\s*(-?[0-9]{1,15}(?:\.[0-9]{1,15})?)\s*(ms|s|min|h)?\s*$")
_SCALE = {"ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}


def parse_duration(value: str | int | float) -> int:
    """`250ms`, `2s`, `1.5min`, `1h`, or a bare number of seconds, as whole milliseconds.

    Decimal arithmetic, so that `1.1s` is exactly 1100ms; a time finer than a millisecond is
    refused rather than rounded, since odplay's clock counts whole milliseconds.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        what = f"a {type(value).__name__}"
        if isinstance(value, list | dict):
            what = "a list" if isinstance(value, list) else "a mapping"
        raise ValueError(f"expected a duration such as 2s or 250ms, got {what}")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite duration, got {value!r}")
        if abs(value) >= 10**15:
            raise ValueError(f"{value!r} seconds is far longer than any run odplay makes")
        ms = Decimal(str(value)) * 1000
    else:
        match = _DURATION.match(value)
        if not match:
            shown = value if len(value) <= 40 else value[:40] + f"... ({len(value)} characters)"
            raise ValueError(f"expected a duration such as 2s or 250ms, got {shown!r}")
        ms = Decimal(match.group(1)) * _SCALE[match.group(2) or "s"]
    if ms < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    if ms != ms.to_integral_value():
        raise ValueError(f"odplay counts time in whole milliseconds; {value!r} is finer")
    return int(ms)


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
