"""`dns: NAME`: what a name the host published points to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.scenario.fields import Facts, Name
from odplay.scenario.registry import Subject

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


class DnsFacts(Facts):
    dns: Name
    points_to: Name | None = None


def _check(expect: DnsFacts, at: Checking) -> list[CheckResult]:
    from odplay.scenario.expectations import show

    value = at.state["dns"].get(expect.dns)
    name = next((a["name"] for a in at.state["addresses"] if a["address"] == value), value)
    return [
        at.result(
            name == expect.points_to,
            f"points_to {expect.points_to}",
            show(name),
            fact="points_to",
        )
    ]


SUBJECT = Subject(
    name="dns",
    fields=DnsFacts,
    docs="A name an application published in DNS: the address it points to, by the "
    "address's name (IPsl1) where the host has one.",
    example="{dns: www.mh.example, points_to: IPsl1}",
    check=_check,
)
