"""`host: host`: the host itself, where it is attached."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from odplay.scenario.fields import Facts, Name
from odplay.scenario.registry import Loc, Names, Problems, Subject, one_of

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


class HostFacts(Facts):
    host: Annotated[str, Field(pattern="^host$")]
    attachment: Name | None = None


def _check(expect: HostFacts, at: Checking) -> list[CheckResult]:
    seen = at.state["attachment"] or "detached"
    return [
        at.result(
            seen == expect.attachment,
            f"attachment {expect.attachment}",
            seen,
            title="host",
            fact="attachment",
        )
    ]


def _references(expect: HostFacts, loc: Loc, names: Names) -> Problems:
    known = names.attachment_points | {"detached"}
    if expect.attachment not in known:
        yield (*loc, "attachment"), one_of(expect.attachment or "", known, "attachment point") or ""


SUBJECT = Subject(
    name="host",
    fields=HostFacts,
    docs="The host: the attachment point it is attached to, or `detached`.",
    example="{host: host, attachment: ap3}",
    check=_check,
    references=_references,
)
