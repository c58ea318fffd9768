"""A gateway's own `supports` and `legacy` (F1, F8, B7), per-type pools on a gateway and the
anchor, and a pool changed mid-run (D4): what the network offers and answers follows them."""

from __future__ import annotations

import pytest

from odplay.constants import FIXED, GRACEFUL_REPLACEMENT, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.sim import checks
from odplay.sim import commands as cmd
from odplay.sim.network import default_network
from odplay.sim.policy import AllocationPolicy, HostPolicy
from odplay.sim.simulation import Simulation
from tests.scenario.expecting import fails_among, fails_at, holds

SUPPORTS = """\
title: gw2 alone serves Graceful-replacement; gw1 caps Non-persistent at one prefix
network:
  gateways:
    - name: gw1
      pools: {non-persistent: 1}
    - name: gw2
      internet_delay: 6ms
      anchor_delay: 18ms
      supports: [session-lasting, non-persistent, graceful-replacement]
host:
  allocation: fresh
steps:
  - at: 0s
    say: on gw1, which does not serve Graceful-replacement (F8) and has one NP prefix out
    do:
      - attach: ap1
      - socket: {name: s1}
      - setsc: {socket: s1, type: graceful-replacement}
      - socket: {name: s2}
      - setsc: {socket: s2, type: non-persistent}
      - socket: {name: s3}
      - setsc: {socket: s3, type: session-lasting}
    expect:
      - call: s1.setsc
        returned: EAI_REQUIREDIPNOTSUPPORTED
      - call: s2.setsc
        returned: EAI_REQUIREDIPFAILED
      - call: s3.setsc
        gave: IPsl2
      - messages: refusal
        gateway: gw1
        types: [graceful-replacement, non-persistent]
  - at: 1s
    say: on gw2, which does (T4)
    do:
      - move: ap3
      - socket: {name: s4}
      - setsc: {socket: s4, type: graceful-replacement}
    expect:
      - call: s4.setsc
        gave: IPgr1
      - messages: grant
        gateway: gw2
        types: [graceful-replacement]
"""


def test_what_a_gateway_serves_is_its_own_F1_F8_D4() -> None:
    holds(SUPPORTS)


@pytest.mark.parametrize(
    ("old", "new", "needle", "nth", "field", "saw"),
    [
        ("gave: IPsl2", "gave: IPsl1", "gave:", 1, "steps[0].expect[2].gave", "gave IPsl2"),
        (
            "types: [graceful-replacement, non-persistent]",
            "types: [graceful-replacement]",
            "types:",
            1,
            "steps[0].expect[3].types",
            "types [graceful-replacement, non-persistent]",
        ),
        ("gave: IPgr1", "gave: none", "gave:", 2, "steps[1].expect[0].gave", "gave IPgr1"),
    ],
)
def test_each_fact_fails_at_its_line(
    old: str, new: str, needle: str, nth: int, field: str, saw: str
) -> None:
    text = SUPPORTS.replace(old, new, 1)
    assert text != SUPPORTS
    fails_at(text, needle, field, saw, nth)


def test_without_its_own_supports_gw2_refuses_too() -> None:
    text = SUPPORTS.replace(
        "      supports: [session-lasting, non-persistent, graceful-replacement]\n", ""
    )
    fails_among(text, "gave:", "steps[1].expect[0].gave", "gave none", nth=2)


LEGACY_GATEWAY = """\
title: gw2 is a legacy gateway in an on-demand network (B7)
network:
  gateways:
    - name: gw1
    - name: gw2
      legacy: true
steps:
  - at: 0s
    say: attach
    do:
      - attach: ap1
  - at: 1s
    say: move to the legacy gateway; ask it for Non-persistent
    do:
      - move: ap3
      - socket: {name: s1}
      - setsc: {socket: s1, type: non-persistent}
    expect:
      - messages: offer
        between: [1s, 1s]
        types: [untyped]
      - prefix: PREFlg1
        anchor: gw2
      - call: s1.setsc
        returned: EAI_REQUIREDIPNOTSUPPORTED
      - event: prefix-refused
        about: gw2
        count: 1
"""


def test_a_legacy_gateway_offers_untyped_prefixes_and_refuses_types_B7() -> None:
    holds(LEGACY_GATEWAY)


ON_DEMAND_GATEWAY = """\
title: gw2 is an on-demand gateway in a legacy network (B7)
network:
  legacy: true
  gateways:
    - name: gw1
    - name: gw2
      legacy: false
steps:
  - at: 0s
    say: attach to the legacy gateway, then move to the on-demand one
    do:
      - attach: ap1
      - move: ap3
    expect:
      - messages: offer
        gateway: gw1
        types: [untyped]
      - messages: offer
        gateway: gw2
        types: [session-lasting, non-persistent]
"""


def test_a_gateway_can_be_on_demand_in_a_legacy_network_B7() -> None:
    holds(ON_DEMAND_GATEWAY)
    text = ON_DEMAND_GATEWAY.replace("      legacy: false\n", "")
    fails_at(text, "types:", "steps[0].expect[1].types", "types [untyped]", nth=2)


POOL_CHANGE = """\
title: a pool changed mid-run (D4)
network:
  anchor: {pools: {fixed: 1}}
  supports: [fixed, session-lasting, non-persistent]
host:
  allocation: fresh
steps:
  - at: 0s
    say: attach; gw1 has PREFsl1 and PREFnp1 out; its pool shrinks to 2
    do:
      - attach: ap1
      - network: {gateways: [{name: gw1, pool: 2}]}
      - socket: {name: s1}
      - setsc: {socket: s1, type: session-lasting}
      - socket: {name: f1}
      - setsc: {socket: f1, type: fixed}
      - socket: {name: f2}
      - setsc: {socket: f2, type: fixed}
    expect:
      - call: s1.setsc
        returned: EAI_REQUIREDIPFAILED
      - prefix: PREFsl1
        state: valid
      - call: f1.setsc
        gave: IPfx1
      - call: f2.setsc
        returned: EAI_REQUIREDIPFAILED
      - event: setting
        about: gw1
        count: 1
  - at: 1s
    say: the pool grows back, and the anchor's cap on Fixed goes
    do:
      - network: {gateways: [{name: gw1, pool: 64}], anchor: {pools: {}}}
      - setsc: {socket: s1, type: session-lasting}
      - setsc: {socket: f2, type: fixed}
    expect:
      - call: s1.setsc
        gave: IPsl2
      - call: f2.setsc
        nth: 2
        gave: IPfx2
"""


def test_a_pool_changed_mid_run_keeps_what_is_out_and_refuses_past_it_D4() -> None:
    holds(POOL_CHANGE)


def test_without_the_change_the_request_is_granted() -> None:
    text = POOL_CHANGE.replace("      - network: {gateways: [{name: gw1, pool: 2}]}\n", "")
    fails_among(text, "returned:", "steps[0].expect[0].returned", "SUCCESS")


@pytest.mark.parametrize(
    ("action", "key", "message"),
    [
        (
            "{gateways: [{name: gw1, internet_delay: 9ms}]}",
            "gateways[0].internet_delay",
            "a gateway's internet_delay is set for the whole run",
        ),
        ("{gateways: [{name: gw9, pool: 1}]}", "gateways[0].name", "no gateway 'gw9'"),
        ("{gateways: [{name: anchor, pool: 1}]}", "gateways[0].name", "no gateway 'anchor'"),
        ("{anchor: {internet_delay: 9ms}}", "anchor.internet_delay", "set for the whole run"),
        ("{anchor: {name: hq, pool: 1}}", "anchor.name", "the anchor is named 'anchor'"),
        (
            "{gateways: [{name: gw1, pools: {blue: 1}}]}",
            "gateways[0].pools",
            "unknown address type",
        ),
        (
            "{attachment_points: [{name: ap9, gateway: gw1}]}",
            "attachment_points",
            "set for the whole run",
        ),
    ],
)
def test_what_cannot_change_mid_run_is_refused_at_its_line(
    action: str, key: str, message: str
) -> None:
    text = POOL_CHANGE.replace(
        "      - network: {gateways: [{name: gw1, pool: 2}]}", f"      - network: {action}"
    )
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(text, "t.yaml")
    said = str(refused.value)
    assert "t.yaml:12:" in said and f"steps[0].do[1].network.{key}" in said, said
    assert message in said, said


def test_a_run_with_gateway_settings_is_recorded_and_replays() -> None:
    network = default_network()
    network.gateways[1].supports = {SESSION_LASTING, GRACEFUL_REPLACEMENT}
    network.gateways[0].pools = {NON_PERSISTENT: 1}
    network.anchor_pools = {FIXED: 2}
    sim = Simulation(network, HostPolicy(allocation=AllocationPolicy.FRESH), seed=3)
    sim.apply(cmd.Attach("ap1"))
    sim.apply(cmd.SetGateway("gw2", "legacy", True))
    sim.apply(cmd.SetGateway("gw2", "legacy", None))
    sim.apply(cmd.SetAnchor("pool", 5))
    sim.apply(cmd.Move("ap3"))
    fd = sim.socket("me")
    assert sim.setsc(fd, GRACEFUL_REPLACEMENT)[0] is Status.SUCCESS
    text = to_yaml(record(sim, "recorded", sim.now))
    check_replays(text, sim, sim.now)
    model = parse_scenario(text)
    assert model.network.gateways is not None
    assert set(model.network.gateways[1].supports or ()) == {SESSION_LASTING, GRACEFUL_REPLACEMENT}
    assert model.network.gateways[0].pools == {"non-persistent": 1}
    assert model.network.anchor is not None and model.network.anchor.pools == {"fixed": 2}
    assert "legacy: null" in text and "pool: 5" in text


def test_the_model_refuses_a_bad_gateway_setting_at_the_door() -> None:
    network = default_network()
    network.gateways[0].pools = {"non-persistent": 1}  # type: ignore[dict-item]
    with pytest.raises(checks.BadArgumentType, match=r"a key of network\.gateways\[0\]\.pools"):
        Simulation(network)
    with pytest.raises(cmd.BadCommand, match="no setting 'internet_delay' of a gateway"):
        cmd.SetGateway("gw1", "internet_delay", 3)
    with pytest.raises(cmd.BadCommand, match="no setting 'supports' of the anchor"):
        cmd.SetAnchor("supports", {FIXED})
    with pytest.raises(cmd.BadCommandType):
        cmd.SetGateway("gw1", "pool", "3")
    sim = Simulation()
    with pytest.raises(cmd.CommandError, match="no gateway 'gw9'"):
        sim.apply(cmd.SetGateway("gw9", "pool", 3))
