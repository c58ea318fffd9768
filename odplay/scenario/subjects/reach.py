"""`reach: {name, port, from}`: whether the host can be reached there now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from odplay.scenario.fields import Facts, ReachTarget
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


class ReachFacts(Facts):
    reach: ReachTarget
    reachable: bool | None = None


def _check(expect: ReachFacts, at: Checking) -> list[CheckResult]:
    from odplay.scenario.expectations import show

    target = expect.reach
    result = at.sim.world.stack.reachability(target.name, target.port, target.from_)
    seen = "reachable" if result.ok else f"unreachable: {result.reason}"
    return [
        at.result(
            result.ok == expect.reachable,
            f"reachable {show(expect.reachable)}",
            seen,
            title=f"reach {target.name}:{target.port}",
            fact="reachable",
        )
    ]


def _references(expect: ReachFacts, loc: Loc, names: Names) -> Problems:
    peer = expect.reach.from_
    if peer and (msg := one_of(peer, names.correspondents, "correspondent")):
        yield (*loc, "reach", "from"), msg


SUBJECT = Subject(
    name="reach",
    fields=ReachFacts,
    docs="Whether a correspondent (`from`, or any) would reach the host at a name and port "
    "now, without sending anything; when not, the result says why.",
    example="{reach: {name: www.mh.example, port: 443}, reachable: true}",
    check=_check,
    references=_references,
)
