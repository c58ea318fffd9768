"""RFC 8653 Appendix A in the scenario language: `setsockopt: {socket, on_demand: TYPE}` sets the
OnDemand field on a host with `api: sockopt` (A1, A5), getsockopt() reads it back, a run saves and
replays with it, and `odplay compare --side` puts host settings side by side."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.constants import SESSION_LASTING, on_demand_bits
from odplay.scenario.errors import ScenarioError
from odplay.scenario.loader import parse_scenario
from odplay.scenario.record import check_replays, record, to_yaml
from odplay.scenario.runner import RunResult, run_scenario
from odplay.sim.policy import HostPolicy, SocketApi
from odplay.sim.simulation import Simulation

HEAD = """
title: on demand
host: {api: sockopt}
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: s1}
"""


def _run(rest: str, head: str = HEAD) -> RunResult:
    return run_scenario(parse_scenario(head + rest, "d.yaml"))


def test_A1_appendix_a_on_demand_sets_the_field_and_connect_uses_the_type() -> None:
    result = _run("""      - setsockopt: {socket: s1, on_demand: non-persistent}
      - getsockopt: {socket: s1}
      - connect: {socket: s1, peer: www.example.org}
    expect:
      - {call: s1.setsockopt, returned: SUCCESS}
      - {call: s1.getsockopt, read: [pubtmp-default, home, on-demand=non-persistent]}
      - {call: s1.getsockopt, read: 0x6500}
      - {socket: s1, source: IPnp1, state: connected}
""")
    assert result.ok, [c.describe() for c in result.failures]
    said = [e.text for e in result.sim.trace.of_kind("setsockopt")]
    assert said == ["setsockopt(3, IPV6_ADDR_PREFERENCES, on-demand=non-persistent) → 0"]


def test_A1_appendix_a_the_field_among_the_flags_is_the_same_call() -> None:
    result = _run("""      - setsockopt: {socket: s1, flags: [on-demand=session-lasting]}
      - connect: {socket: s1, peer: www.example.org}
    expect:
      - {socket: s1, source: IPsl1}
""")
    assert result.ok, [c.describe() for c in result.failures]


def test_A1_appendix_a_on_a_setsc_host_the_field_is_refused() -> None:
    head = HEAD.replace("host: {api: sockopt}\n", "")
    result = _run(
        """      - setsockopt: {socket: s1, on_demand: fixed}
    expect:
      - {call: s1.setsockopt, returned: EINVAL}
""",
        head,
    )
    assert result.ok, [c.describe() for c in result.failures]


def test_A2_appendix_a_an_unknown_type_is_refused_at_its_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(HEAD + "      - setsockopt: {socket: s1, on_demand: premium}\n", "d.yaml")
    assert "d.yaml:9:" in str(caught.value) and "on_demand" in str(caught.value)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(
            HEAD + "      - setsockopt: {socket: s1, flags: [on-demand=gold]}\n", "d.yaml"
        )
    assert "d.yaml:9:" in str(caught.value) and "unknown address type" in str(caught.value)


def test_A1_appendix_a_a_run_with_the_field_saves_and_replays() -> None:
    sim = Simulation(policy=HostPolicy(api=SocketApi.SOCKOPT))
    sim.attach("ap1")
    fd = sim.socket("demo")
    sim.setsockopt(fd, on_demand_bits(SESSION_LASTING))
    sim.connect(fd, "www.example.org")
    text = to_yaml(record(sim, "d", sim.now))
    assert "- on-demand=session-lasting" in text  # among the flags, as the socket table shows it
    assert "api: sockopt" in text
    check_replays(text, sim, sim.now)


def test_A1_appendix_a_compare_side_by_side_as_json_and_a_bad_side_exits_2() -> None:
    runner = CliRunner()
    done = runner.invoke(
        app, ["compare", "the-catalogue", "--side", "api=setsc", "--side", "api=sockopt", "--json"]
    )
    assert done.exit_code == 0, done.output
    output = json.loads(done.stdout)
    schema = json.loads(
        resources.files("odplay").joinpath("schemas", "compare.schema.json").read_text()
    )
    jsonschema.validate(output, schema)
    modes = output["modes"]
    assert [m["side"] for m in modes] == ["api=setsc", "api=sockopt"]
    assert "session-lasting" in modes[1]["types"]
    assert set(modes[1]["types"]["session-lasting"]) >= {"mean_wait_ms", "sessions_broken"}
    bad = runner.invoke(app, ["compare", "the-catalogue", "--side", "api=x", "--side", "api=y"])
    assert bad.exit_code == 2
    assert "--side 1:3:3: host.api" in bad.stderr
    two_lines = ["--side", "api=setsc\nend: 1s", "--side", "api=sockopt"]
    broken = runner.invoke(app, ["compare", "the-catalogue", *two_lines])
    assert broken.exit_code == 2 and "one line of KEY=VALUE" in broken.stderr
    csv = runner.invoke(
        app, ["compare", "the-catalogue", "--side", "api=setsc", "--side", "api=sockopt", "--csv"]
    )
    assert csv.exit_code == 0 and ",api=sockopt,total," in csv.stdout
    three = json.loads(runner.invoke(app, ["compare", "the-catalogue", "--json"]).stdout)
    assert "side" not in three["modes"][0] and "types" not in three["modes"][0]
