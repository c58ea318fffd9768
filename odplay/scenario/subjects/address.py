"""`address: IPsl1`: an address the host configured, by its odplay name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from odplay.scenario.fields import Count, Facts, Name
from odplay.scenario.registry import Loc, Names, Problems, Subject
from odplay.scenario.subjects._shared import check_type, read

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult

_NAME = re.compile(r"^IP(fx|sl|np|gr|lg)[1-9][0-9]*$")


class AddressFacts(Facts):
    address: Name
    exists: bool | None = None
    users: Count | None = None
    type: Name | None = None


def _check(expect: AddressFacts, at: Checking) -> list[CheckResult]:
    row = next((a for a in at.state["addresses"] if a["name"] == expect.address), None)
    if "exists" not in at.facts:
        return at.compare(row, expect, read)
    from odplay.scenario.expectations import show

    results = [
        at.result(
            (row is not None) == expect.exists,
            f"exists {show(expect.exists)}",
            f"exists {show(row is not None)}",
            fact="exists",
        )
    ]
    if row is None:
        return results
    at.facts.remove("exists")
    return results + at.compare(row, expect, read)


def _references(expect: AddressFacts, loc: Loc, names: Names) -> Problems:
    if not _NAME.match(expect.address):
        yield (
            (*loc, "address"),
            "an address is named like IPsl1 (fx, sl, np, gr or lg, then a number)",
        )
    yield from check_type(expect.type, loc)


SUBJECT = Subject(
    name="address",
    fields=AddressFacts,
    docs="An address, named like its prefix (IPfx1, IPsl2, ...): whether it exists, how many "
    "sockets use it, its type.",
    example="{address: IPsl1, exists: true, users: 1}",
    check=_check,
    references=_references,
)
