"""`call: SOCKET.VERB`: what a call on a declared socket returned, the last one or the `nth`.

For setsc() the answer is read off the trace, so that it holds for a call that waited for the
network (A5) as for one answered at once, for a call still pending (`wait: false`), and for an
application's own calls (`call: app4.setsc`: every setsc() its sockets made, in order): the
status each returned and the address it `gave`. The other calls keep their statuses as the run
makes them. For `SOCKET.getsockopt`, `read` is what the
call read back (the flags the stack holds).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from odplay.scenario.fields import AfterValidator, Count, Facts, Field, Flag, Name, StatusName
from odplay.scenario.registry import Loc, Names, Problems, Subject, verbs
from odplay.sim.records import Record

if TYPE_CHECKING:
    from odplay.scenario.expectations import Checking, CheckResult

#: What `gave` says of a call that gave no address.
NOTHING = "none"
PENDING = "pending"
_ADDRESS = re.compile(r"^IP(fx|sl|np|gr|lg)[1-9][0-9]*$")


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
    #: Which call: 1 for the first, 2 for the second...; left out, the last.
    nth: Annotated[int, Field(ge=1)] | None = None
    returned: StatusName | None = None
    gave: Name | None = None
    count: Count | None = None
    pending: bool | None = None
    #: What getsockopt() read back: flag names (in any order) or the value as a number.
    read: list[Flag] | int | None = None


def _shown_flags(value: int | None) -> str:
    from odplay.constants import flag_names

    if value is None:
        return "nothing read"
    return f"{'|'.join(flag_names(value)) or '0'} ({value:#x})"


def _read_check(expect: CallFacts, at: Checking) -> CheckResult:
    from odplay.scenario.build import flags_value

    assert expect.read is not None
    wanted = expect.read if isinstance(expect.read, int) else flags_value(expect.read)
    got = at.ctx.reads.get(expect.call.split(".")[0])
    return at.result(
        got == wanted, f"read {_shown_flags(wanted)}", f"read {_shown_flags(got)}", fact="read"
    )


class _Made(Record):
    """One call as the run made it: its status (None: still waiting) and the address it gave."""

    status: str | None
    gave: str | None = None


def setsc_calls(at: Checking, socket: str) -> list[_Made]:
    """Every setsc() on a declared socket (or on an application's sockets), in the order made.

    A call that fails before it starts (EBADF, EINVAL, ENOSYS...) is its `setsc-error` entry
    (the `call` entry before it shows the request, and is not a second call); any other starts
    at its `setsc` entry and is answered by the next `setsc-result` for its fd (A5).
    """
    if socket in at.ctx.labels:
        fds = {at.ctx.labels[socket]}
    else:
        fds = {fd for fd, s in at.sim.world.stack.sockets.items() if s.owner == socket}
    made: list[_Made] = []
    waiting: dict[int, list[_Made]] = {}
    for entry in at.sim.trace:
        fd = entry.data.get("fd")
        if fd not in fds:
            continue
        if entry.kind == "setsc":
            call = _Made(None)
            made.append(call)
            waiting.setdefault(fd, []).append(call)
        elif entry.kind == "setsc-error":
            made.append(_Made(entry.data["status"]))
        elif entry.kind == "setsc-result" and waiting.get(fd):
            call = waiting[fd].pop(0)
            call.status, call.gave = entry.data["status"], entry.data.get("address")
    return made


def _made(expect: CallFacts, at: Checking) -> list[_Made]:
    socket, _, verb = expect.call.partition(".")
    if verb == "setsc":
        return setsc_calls(at, socket)
    statuses = at.ctx.history.get(expect.call)
    if statuses is None and expect.call in at.ctx.results:  # a context built by older code
        statuses = [at.ctx.results[expect.call]]
    return [_Made(status) for status in statuses or []]


def _check(expect: CallFacts, at: Checking) -> list[CheckResult]:
    results = [_read_check(expect, at)] if "read" in at.facts and expect.read is not None else []
    made = _made(expect, at)
    title = f"{at.title} #{expect.nth}" if expect.nth is not None else None
    if "count" in at.facts:
        results.append(
            at.result(
                len(made) == expect.count,
                f"count {expect.count}",
                f"count {len(made)}",
                title=title,
                fact="count",
            )
        )
    index = (expect.nth - 1) if expect.nth is not None else len(made) - 1
    call = made[index] if 0 <= index < len(made) else None
    stated = [fact for fact in ("returned", "gave", "pending") if fact in at.facts]
    if call is None and stated:
        # No such call: one failure for the lot, as for a socket that does not exist.
        never = "never called" if not made else f"only {len(made)} such calls"
        wanted = ", ".join(f"{f} {_shown(getattr(expect, f))}" for f in stated)
        return [*results, at.result(False, wanted, never, title=title, fact=stated[0])]
    for fact in stated:
        assert call is not None
        wanted = getattr(expect, fact)
        seen: Any
        if fact == "returned":
            seen = call.status or PENDING
        elif fact == "gave":
            seen = call.gave or NOTHING
        else:
            seen = call.status is None
        label = f"{fact} {_shown(wanted)}"
        # What a `returned` check has always said: the status alone.
        said = _shown(seen) if fact == "returned" else f"{fact} {_shown(seen)}"
        results.append(at.result(seen == wanted, label, said, title=title, fact=fact))
    return results


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _references(expect: CallFacts, loc: Loc, names: Names) -> Problems:
    socket, _, verb = expect.call.partition(".")
    if socket not in names.sockets and (verb != "setsc" or socket not in names.applications):
        what = "socket" if verb != "setsc" else "socket or application"
        yield (*loc, "call"), f"no {what} {socket!r} declared before this"
    if expect.read is not None and verb != "getsockopt":
        yield (*loc, "read"), "only a getsockopt call reads flags back: `call: s1.getsockopt`"
    if verb != "setsc":
        for fact in ("gave", "pending"):
            if getattr(expect, fact) is not None:
                yield (*loc, fact), f"{fact} is said of a setsc() call, not of {verb}()"
    if expect.gave is not None and expect.gave != NOTHING and not _ADDRESS.match(expect.gave):
        yield (
            (*loc, "gave"),
            f"an address is named like IPsl1 (fx, sl, np, gr or lg, then a number), or {NOTHING}",
        )


SUBJECT = Subject(
    name="call",
    fields=CallFacts,
    docs="A call on a declared socket (`s1.setsc`, `s1.bind`, ...), or an application's setsc() "
    "calls (`app4.setsc`): the last one, or the `nth` (1 for the first). States the status it "
    "`returned` (SUCCESS, or the draft's errors), the address a setsc() `gave` (IPsl1, or "
    "none), whether it is still `pending` (waiting for the network, A5), and how many such "
    "calls were made (`count`); a call not made is seen as `never called`. For "
    "`SOCKET.getsockopt`, `read` is what it read back: flag names such as [pubtmp-default, "
    "home, on-net], in any order, or the number (0x1500).",
    example="{call: s1.setsc, nth: 2, returned: SUCCESS, gave: IPsl1}",
    check=_check,
    references=_references,
    selectors=frozenset({"nth"}),
)
