"""`call: SOCKET.VERB`: what the last such call on a declared socket returned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from odplay.scenario.fields import Facts, StatusName
from odplay.scenario.registry import Loc, Names, Problems, Subject, verbs

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult


def _call_name(value: Any) -> str:
    socket, _, verb = value.partition(".")
    calls = [name for name, entry in verbs().items() if entry.socket_call]
    if not socket or "." in verb or verb not in calls:
        raise ValueError(
            f"{value!r} is not a call: name a declared socket and a call on it, such as "
            f"s1.setsc; the calls are {', '.join(calls)}"
        )
    return str(value)


class CallFacts(Facts):
    call: Annotated[str, AfterValidator(_call_name)]
    returned: StatusName | None = None


def _check(expect: CallFacts, at: Checking) -> list[CheckResult]:
    seen = at.ctx.results.get(expect.call, "never called")
    return [at.result(seen == expect.returned, f"returned {expect.returned}", seen)]


def _references(expect: CallFacts, loc: Loc, names: Names) -> Problems:
    socket = expect.call.split(".")[0]
    if socket not in names.sockets:
        yield (*loc, "call"), f"no socket {socket!r} declared before this"


SUBJECT = Subject(
    name="call",
    fields=CallFacts,
    docs="The status the last call of that name on a declared socket returned (SUCCESS, or "
    "the draft's error codes); `never called` when there was none.",
    example="{call: s1.setsc, returned: SUCCESS}",
    check=_check,
    references=_references,
)
