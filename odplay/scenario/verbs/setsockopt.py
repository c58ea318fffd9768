"""`setsockopt: {socket, flags, on_demand}`: set IPV6_ADDR_PREFERENCES on a declared socket.

The flags are RFC 5014's (and draft-16's ON_NET); `on_demand` is RFC 8653 Appendix A's OnDemand
field, a type, which a host with `api: sockopt` takes instead of setsc().
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.scenario.fields import Flag, SocketRef, Type
from odplay.scenario.registry import Verb
from odplay.scenario.validation import Field, model_validator
from odplay.scenario.verbs._socket_call import call, declared

if TYPE_CHECKING:
    from odplay.scenario.record import Recording
    from odplay.scenario.runner import ScenarioRun


class SetsockoptAction(SocketRef):
    flags: list[Flag] = Field(default_factory=list)
    #: RFC 8653 Appendix A's OnDemand field: the same as `on-demand=TYPE` among the flags.
    on_demand: Type | None = None

    @model_validator(mode="after")
    def _one_type(self) -> SetsockoptAction:
        from odplay.constants import one_on_demand

        # Two values OR'ed into the field's bits would name a third type (1|2 = 3): refused.
        one_on_demand(self.flags, more=int(self.on_demand is not None))
        return self


def _run(value: SetsockoptAction, run: ScenarioRun) -> None:
    from odplay.constants import on_demand_bits
    from odplay.scenario.build import flags_value

    flags = flags_value(value.flags)
    if value.on_demand is not None:
        flags |= on_demand_bits(value.on_demand)
    call(run, "setsockopt", value.socket, lambda sim, fd: sim.setsockopt(fd, flags))


def _record(command: Any, recording: Recording) -> dict[str, Any]:
    from odplay.constants import flag_names

    return {"socket": recording.label(command), "flags": flag_names(command.flags)}


VERB = Verb(
    name="setsockopt",
    value=SetsockoptAction,
    docs="Set address-preference flags (RFC 5014 names such as on-net or home) on a declared "
    "socket, the older way of asking for a kind of source address; `on_demand: TYPE` sets RFC "
    "8653 Appendix A's OnDemand field (recorded as `on-demand=TYPE` among the flags), which a "
    "host with `api: sockopt` takes instead of setsc(): it returns at once, and the socket's "
    "connect() uses an address of the type (host `sockopt_connect` says what it does while the "
    "prefix is on its way). The field holds one type: `on_demand` beside an `on-demand=` flag, or "
    "two such flags, are refused; a reserved value is written `on-demand=5` (6, 7), and the "
    "call refuses it with EINVAL (A2).",
    example="setsockopt: {socket: s1, flags: [home]}",
    run=_run,
    records=("SetSockOpt",),
    record=_record,
    references=declared,
    socket_call=True,
)
