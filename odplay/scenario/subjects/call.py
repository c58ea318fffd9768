"""`call: SOCKET.VERB`: what the last such call on a declared socket returned, and read back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from odplay.scenario.fields import Facts, Flag, StatusName
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
    #: What getsockopt() read back: flag names (in any order) or the value as a number.
    read: list[Flag] | int | None = None


def _shown_flags(value: int | None) -> str:
    from odplay.constants import flag_names

    if value is None:
        return "nothing read"
    return f"{'|'.join(flag_names(value)) or '0'} ({value:#x})"


def _check(expect: CallFacts, at: Checking) -> list[CheckResult]:
    results = []
    if "returned" in at.facts or not at.facts:
        seen = at.ctx.results.get(expect.call, "never called")
        results.append(at.result(seen == expect.returned, f"returned {expect.returned}", seen))
    if "read" in at.facts and expect.read is not None:
        from odplay.scenario.build import flags_value

        wanted = expect.read if isinstance(expect.read, int) else flags_value(expect.read)
        got = at.ctx.reads.get(expect.call.split(".")[0])
        results.append(
            at.result(got == wanted, f"read {_shown_flags(wanted)}", f"read {_shown_flags(got)}")
        )
    return results


def _references(expect: CallFacts, loc: Loc, names: Names) -> Problems:
    socket, _, verb = expect.call.partition(".")
    if socket not in names.sockets:
        yield (*loc, "call"), f"no socket {socket!r} declared before this"
    if expect.read is not None and verb != "getsockopt":
        yield (*loc, "read"), "only a getsockopt call reads flags back: `call: s1.getsockopt`"


SUBJECT = Subject(
    name="call",
    fields=CallFacts,
    docs="The status the last call of that name on a declared socket returned (SUCCESS, or "
    "the draft's error codes); `never called` when there was none. For `SOCKET.getsockopt`, "
    "`read` is what it read back: flag names such as [pubtmp-default, home, on-net], in any "
    "order, or the number (0x1500).",
    example="{call: s1.setsc, returned: SUCCESS}",
    check=_check,
    references=_references,
)
