"""`prefix: PREFsl1`: a prefix the host was given, by its odplay name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from odplay.scenario.fields import Facts, Name
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of
from odplay.scenario.subjects._shared import check_type, read

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult

_NAME = re.compile(r"^PREF(fx|sl|np|gr|lg)[1-9][0-9]*$")


class PrefixFacts(Facts):
    prefix: Name
    state: Name | None = None
    anchor: Name | None = None
    type: Name | None = None


def _check(expect: PrefixFacts, at: Checking) -> list[CheckResult]:
    row = next((p for p in at.state["prefixes"] if p["name"] == expect.prefix), None)
    if row is None and expect.state == "absent":
        return [at.result(True, "state absent", "absent", fact="state")]
    return at.compare(row, expect, read)


def _references(expect: PrefixFacts, loc: Loc, names: Names) -> Problems:
    from odplay.sim.tables import PrefixState

    if not _NAME.match(expect.prefix):
        yield (
            (*loc, "prefix"),
            "a prefix is named like PREFsl1 (fx, sl, np, gr or lg, then a number)",
        )
    states = {s.value for s in PrefixState} | {"absent"}
    if expect.state and expect.state not in states:
        yield (*loc, "state"), f"a prefix state is one of: {', '.join(sorted(states))}"
    if expect.anchor and expect.anchor not in names.nodes:
        yield (*loc, "anchor"), one_of(expect.anchor, names.nodes, "gateway or anchor") or ""
    yield from check_type(expect.type, loc)


SUBJECT = Subject(
    name="prefix",
    fields=PrefixFacts,
    docs="A prefix, named by its type and order (PREFfx1, PREFsl2, PREFnp1, PREFgr1, "
    "PREFlg1): its state (or `absent`), the gateway or anchor that anchors it, its type.",
    example="{prefix: PREFsl1, state: deprecated, anchor: gw1}",
    check=_check,
    references=_references,
)
