"""Reading what the learner typed into a dialog: each parser raises ValueError with a sentence
that says what was expected, which the dialog shows under its fields as they are typed."""

from __future__ import annotations

from odplay.constants import ON_NET, is_on_demand_flag, one_on_demand, parse_flag

MAX_NAME = 64


def parse_flags(text: str, allow_on_net: bool = False, allow_on_demand: bool = True) -> int:
    """`home, coa` → the IPV6_ADDR_PREFERENCES bits (RFC 5014's, and ON_NET where allowed), with
    at most one OnDemand value (`on-demand=fixed`): two OR'ed would name a third type (A2)."""
    value = 0
    parts = text.replace(",", " ").split()
    one_on_demand(parts)
    if not allow_on_demand and any(is_on_demand_flag(part) for part in parts):
        raise ValueError("the socket's type has a box of its own")
    for part in parts:
        flag = parse_flag(part)
        if flag & ON_NET and not allow_on_net:
            raise ValueError("ON_NET has a box of its own")
        value |= flag
    return value


def parse_port(text: str) -> int:
    text = text.strip() or "0"
    if not text.isdigit() or int(text) > 65535:
        raise ValueError(f"{text!r} is not a port (0-65535)")
    return int(text)


def name_problem(name: str, taken: set[str], what: str = "application") -> str:
    """What is wrong with a name, or an empty string."""
    if not name:
        return f"Give the {what} a name."
    if len(name) > MAX_NAME or any(c.isspace() for c in name):
        return f"A name is 1-{MAX_NAME} characters with no spaces."
    if name in taken:
        return f"An {what} called {name} is already running."
    return ""
