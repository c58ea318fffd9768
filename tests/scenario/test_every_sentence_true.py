"""What odplay says agrees with what happened, in every shipped scenario (issue "Every sentence
true"): a detached host hears nothing from the network, `odplay compare` counts exactly the
messages the ladder shows, kind by kind, and every reply follows its request (on a legacy stack
too, B2). The flow-step tags have their own module, test_F1_F9_flow_steps_where_they_happen.py."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from odplay.compare import compare_scenario
from odplay.constants import NON_PERSISTENT, AddrPreference, Status
from odplay.scenario.catalogue import shipped_scenarios
from odplay.scenario.loader import load_scenario
from odplay.scenario.runner import RunResult, run_scenario
from odplay.sim.messages import count_by_kind, message_kind
from odplay.sim.network import Mobility, NetworkConfig, default_network
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation
from odplay.sim.tables import Protocol
from odplay.sim.trace import TraceEntry, TraceKind

SHIPPED = shipped_scenarios()
IDS = [item.name for item in SHIPPED]


@cache
def _run(name: str) -> RunResult:
    item = next(i for i in SHIPPED if i.name == name)
    return run_scenario(load_scenario(item.path))


@pytest.mark.parametrize("name", IDS)
def test_a_detached_host_hears_nothing_from_the_network(name: str) -> None:
    attached = True
    for entry in _run(name).sim.trace:
        if entry.kind in (TraceKind.ATTACH, TraceKind.DETACH):
            attached = entry.kind == TraceKind.ATTACH
            continue
        if not attached:
            assert message_kind(entry) is None, (
                f"{name}: at {entry.time}ms, while detached: {entry.actor} → {entry.target}: "
                f"{entry.text}"
            )


@pytest.mark.parametrize("name", IDS)
def test_compare_counts_the_messages_the_ladder_shows_kind_by_kind(name: str) -> None:
    run = _run(name)
    ladder = count_by_kind(run.sim.trace.entries)
    comparison = compare_scenario(run.scenario)
    on_demand = next(r for r in comparison.results if r.mode is Mobility.ON_DEMAND)
    assert on_demand.messages == ladder
    assert on_demand.total.signalling == sum(ladder.values())


def test_the_4_2_flow_sends_nine_messages_and_no_binding_update() -> None:
    ladder = count_by_kind(_run("4.2-message-flow").sim.trace.entries)
    assert ladder == {
        "attach": 1,
        "move": 1,
        "offer": 3,
        "request": 1,
        "refusal": 1,
        "keep": 1,
        "withdrawal": 1,
    }


def test_a_detached_hosts_losses_are_the_stacks_own_events() -> None:
    trace = _run("fixed-server-reachability").sim.trace.entries
    detach = next(i for i, e in enumerate(trace) if e.kind == TraceKind.DETACH)
    after = [e for e in trace[detach + 1 :] if e.kind == TraceKind.PREFIX_KEPT][:1]
    assert after and after[0].actor == "stack" and after[0].target is None
    assert "while detached" in after[0].text


# ---------------------------------------------------------------------- every reply has its request

#: The calls whose success is one entry, call and answer together (app → stack).
_ANSWERED_AT_ONCE = {"setsockopt", "getsockopt", "bind", "listen", "connect", "send", "close"}


def _replies_without_request(trace: list[TraceEntry]) -> list[str]:
    """Every answer entry whose request is not before it: a setsc() result without its setsc
    entry, a `<call>-error` without its `call` entry, a grant or refusal without its prefix
    request. A call that succeeds at once is one entry, request and answer."""
    calls: Counter[tuple[int, str]] = Counter()
    setsc: Counter[int] = Counter()
    requests: set[int] = set()
    wrong = []
    for entry in trace:
        kind, data = str(entry.kind), entry.data
        fd = data.get("fd")
        if kind == "call":
            calls[fd, data["call"]] += 1
            assert entry.actor != "stack" and entry.target == "stack"
        elif kind == "setsc":
            setsc[fd] += 1
        elif kind == "prefix-request":
            requests.add(data["request"])
        elif kind == "setsc-result":
            if setsc[fd] == 0:
                wrong.append(f"{entry.text} without setsc({fd})")
            setsc[fd] -= 1
        elif kind.endswith("-error"):
            call = kind.removesuffix("-error")
            if calls[fd, call] == 0:
                wrong.append(f"{entry.text} without {call}({fd})")
            calls[fd, call] -= 1
        elif kind in ("prefix-granted", "prefix-refused"):
            if data["request"] not in requests:
                wrong.append(f"{entry.text} without request {data['request']}")
            requests.discard(data["request"])
        elif kind in _ANSWERED_AT_ONCE and calls[fd, kind]:
            calls[fd, kind] -= 1  # a connect() that waited for the network (B5): its answer
    return wrong


def _legacy_stack(name: str) -> RunResult:
    item = next(i for i in SHIPPED if i.name == name)
    model = load_scenario(item.path)
    host = model.host.model_copy(update={"legacy_stack": True})
    return run_scenario(model.model_copy(update={"host": host}))


@pytest.mark.parametrize("name", IDS)
def test_B2_every_reply_follows_its_request(name: str) -> None:
    assert _replies_without_request(_run(name).sim.trace.entries) == []


@pytest.mark.parametrize("name", IDS)
def test_B2_every_reply_follows_its_request_on_a_legacy_stack(name: str) -> None:
    run = _legacy_stack(name)
    assert _replies_without_request(run.sim.trace.entries) == []


def test_B2_the_legacy_stack_shows_setsockopt_and_setsc_before_their_errors() -> None:
    trace = [(str(e.kind), e.text) for e in _run("legacy-host-stack").sim.trace]
    at = trace.index(("setsockopt-error", next(t for k, t in trace if k == "setsockopt-error")))
    assert trace[at - 1] == ("call", "setsockopt(3, IPV6_ADDR_PREFERENCES, on-net)")
    at = next(i for i, (kind, _) in enumerate(trace) if kind == "setsc-error")
    assert trace[at - 1] == ("call", "setsc(3, SESSION_LASTING_IPV6_ADDRESS)")
    assert trace[at] == (
        "setsc-error",
        "setsc(3) → ENOSYS: this is a legacy stack: setsc() does not exist",
    )


def test_A4_every_failed_call_is_shown_before_its_error() -> None:
    """Each call's failures, and a connect() that waits for the network and fails (B5)."""
    sim = Simulation(
        _network_without_default(),
        HostPolicy(permissions={NON_PERSISTENT: frozenset({"other"})}),
    )
    sim.attach("ap1")
    tcp, udp = sim.socket("app"), sim.socket("app", protocol=Protocol.UDP)
    assert (
        sim.setsockopt(
            tcp, AddrPreference.IPV6_PREFER_SRC_HOME | AddrPreference.IPV6_PREFER_SRC_COA
        )
        is Status.EINVAL
    )
    assert sim.setsc(tcp, 0)[0] is Status.EINVAL
    assert sim.setsc(99, 2)[0] is Status.EBADF
    assert sim.read_sockopt(99) is None
    assert sim.bind(tcp, "2001:db8:99::1") is Status.EADDRNOTAVAIL
    assert sim.listen(udp) is Status.EOPNOTSUPP
    assert sim.connect(tcp, "nowhere.invalid", 443) is Status.EHOSTUNREACH
    assert sim.send(tcp) is Status.ENOTCONN
    assert sim.close(99) is Status.EBADF
    # Nothing held, no default type: connect() asks the network for an untyped prefix (B5);
    # the network's default is Non-persistent, which this application may not use (S1).
    assert sim.connect(tcp, "www.example.org", 443) is Status.EPERM
    trace = sim.trace.entries
    errors = [i for i, e in enumerate(trace) if str(e.kind).endswith("-error")]
    assert len(errors) == 10
    assert _replies_without_request(trace) == []
    waited = next(i for i, e in enumerate(trace) if e.kind == "prefix-request")
    assert trace[waited - 1].text == f"connect({tcp}, www.example.org:443)"
    assert [trace[i - 1].text for i in errors[:4]] == [
        f"setsockopt({tcp}, IPV6_ADDR_PREFERENCES, coa|home)",
        f"setsc({tcp}, 0)",
        "setsc(99, SESSION_LASTING_IPV6_ADDRESS)",
        "getsockopt(99, IPV6_ADDR_PREFERENCES)",
    ]


def _network_without_default() -> NetworkConfig:
    network = default_network()
    network.on_attach = []
    return network
