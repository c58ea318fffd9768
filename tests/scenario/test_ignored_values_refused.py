"""Values the model used to accept and drop are refused where they stand, or now take effect.

Before, each file below loaded and ran: `port: 8080` on a listening socket listened on 443,
`detach: false` detached, `reconnect_after` on a socket never re-established changed nothing,
`key: null` read as leaving the key out... Now each is refused with exit 2 and the file, line,
column and field, and the reason; or, for `fallback: []`, takes effect. README.md lists them
under "Changes".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.constants import FIXED, SESSION_LASTING, Status
from odplay.scenario.loader import parse_scenario
from odplay.scenario.runner import run_scenario
from odplay.sim import commands as cmd
from odplay.sim.policy import HostPolicy
from odplay.sim.simulation import Simulation

ATTACH = "steps:\n  - at: 0s\n    do:\n      - attach: ap1\n"


def _app(kind: str, socket: str) -> str:
    """A scenario with one application of `kind` whose one socket has the lines `socket`."""
    lines = "\n".join(f"        {line}" for line in socket.strip().splitlines())
    head = f"title: t\napplications:\n  - name: a\n    kind: {kind}\n    sockets:\n      - "
    return head + lines.lstrip() + "\n" + ATTACH


def _validate(tmp_path: Path, text: str, command: str = "validate") -> tuple[int, str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, [command, str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.replace(str(path), "bad.yaml")


REFUSED = [
    (
        "port-on-a-listening-socket",
        _app("web-server", "type: fixed\nlisten: 443\nport: 8080"),
        "bad.yaml:8:9: applications[0].sockets[0].port:",
        "this socket listens: it listens on port 443; `port` is the port a connecting",
    ),
    (
        "port-on-a-socket-listening-by-its-kind",
        _app("web-server", "type: fixed\nport: 8080"),
        "bad.yaml:7:9: applications[0].sockets[0].port:",
        "(web-server sockets listen on 443 unless told otherwise)",
    ),
    (
        "peer-on-a-listening-socket",
        _app("web-server", "type: fixed\npeer: www.example.org"),
        "bad.yaml:7:9: applications[0].sockets[0].peer:",
        "this socket listens and connects to no peer",
    ),
    (
        "port-without-peer",
        "title: t\napplications:\n  - name: a\n    kind: web-browser\n    sockets:\n"
        "      - {type: session-lasting}\n      - {type: fixed, port: 8080}\n" + ATTACH,
        "bad.yaml:7:23: applications[0].sockets[1].port:",
        "`port` is the port of the peer a socket connects to; this one has no `peer`",
    ),
    (
        "publish-on-a-socket-that-connects",
        _app("web-browser", "type: session-lasting\npublish: www.mh.example"),
        "bad.yaml:7:9: applications[0].sockets[0].publish:",
        "`publish` puts a listening socket's address in DNS (C2); this socket does not listen",
    ),
    (
        "publish-on-a-socket-that-never-binds",
        _app("web-server", "type: fixed\nbind: false\npublish: www.mh.example"),
        "bad.yaml:8:9: applications[0].sockets[0].publish:",
        "this one (bind: false) listens on :: and is never published",
    ),
    (
        "bind-on-a-legacy-socket",
        _app("legacy-app", "legacy: true\nbind: false"),
        "bad.yaml:7:9: applications[0].sockets[0].bind:",
        "a legacy socket never calls setsc()",
    ),
    (
        "reconnect-after-without-reestablish",
        _app("web-browser", "type: session-lasting\nreestablish: false\nreconnect_after: 1s"),
        "bad.yaml:8:9: applications[0].sockets[0].reconnect_after:",
        "this one is not (reestablish: false)",
    ),
    (
        "reconnect-after-on-a-kind-that-does-not-reestablish",
        _app("dns-client", "type: non-persistent\nreconnect_after: 1s"),
        "bad.yaml:7:9: applications[0].sockets[0].reconnect_after:",
        "this one is not (reestablish: false)",
    ),
    (
        "repeat-every-without-hold",
        _app("web-browser", "type: session-lasting\nrepeat_every: 1s"),
        "bad.yaml:7:9: applications[0].sockets[0].repeat_every:",
        "this one has no `hold`",
    ),
    (
        "hold-on-a-socket-that-neither-connects-nor-listens",
        "title: t\napplications:\n  - name: a\n    kind: web-browser\n    sockets:\n"
        "      - {type: session-lasting}\n      - {type: fixed, hold: 1s}\n" + ATTACH,
        "bad.yaml:7:23: applications[0].sockets[1].hold:",
        "this one does neither (give `peer` or `listen`)",
    ),
    (
        "null-socket-key",
        _app("web-browser", "type: session-lasting\npeer: null"),
        "bad.yaml:7:9: applications[0].sockets[0].peer:",
        "`peer: null` changes nothing (it reads as leaving `peer` out)",
    ),
    (
        "null-sockets",
        "title: t\napplications:\n  - name: a\n    kind: web-browser\n    sockets: null\n" + ATTACH,
        "bad.yaml:5:5: applications[0].sockets:",
        "`sockets: null` changes nothing",
    ),
    (
        "null-network-key",
        "title: t\nnetwork:\n  grace_period: null\n" + ATTACH,
        "bad.yaml:3:3: network.grace_period:",
        "`grace_period: null` changes nothing",
    ),
    (
        "null-host-key",
        "title: t\nhost:\n  allocation: null\n" + ATTACH,
        "bad.yaml:3:3: host.allocation:",
        "`allocation: null` changes nothing",
    ),
    (
        "null-in-a-host-action",
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - host: {on_last_close: null}\n",
        "bad.yaml:6:16: steps[0].do[1].host.on_last_close:",
        "`on_last_close: null` changes nothing",
    ),
    (
        "null-in-a-network-action",
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - network: {grace_period: ~}\n",
        "bad.yaml:6:19: steps[0].do[1].network.grace_period:",
        "`grace_period: null` changes nothing",
    ),
    (
        "empty-host-action",
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - host: {}\n",
        "bad.yaml:6:9: steps[0].do[1].host:",
        "this host action changes nothing",
    ),
    (
        "empty-network-action",
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - network: {}\n",
        "bad.yaml:6:9: steps[0].do[1].network:",
        "this network action changes nothing",
    ),
    (
        "detach-false",
        ATTACH.replace("steps:", "title: t\nsteps:")
        + "  - at: 1s\n    do:\n      - detach: false\n",
        "bad.yaml:8:9: steps[1].do[0].detach:",
        "detach takes only `true`",
    ),
    (
        "boot-types-after-the-first-attachment",
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - host: {boot_types: [fixed]}\n",
        "bad.yaml:6:16: steps[0].do[1].host.boot_types:",
        "at the host's first attachment (D10), made before this (at steps[0].do[0])",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [pytest.param(t, w, s, id=i) for i, t, w, s in REFUSED],
)
def test_a_value_that_would_change_nothing_is_refused_where_it_stands(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    code, err = _validate(tmp_path, text)
    assert code == 2, err
    assert where in err and says in err, err


@pytest.mark.parametrize(
    "text",
    [
        _app("web-browser", "type: session-lasting\nport: 8443"),  # connects: port is its peer's
        _app("web-server", "type: fixed\nlisten: 8443\npublish: www.mh.example"),
        _app("legacy-app", "legacy: true\nbind: false\nfallback: [session-lasting]"),
        _app("dns-client", "type: non-persistent\nrepeat_every: 1s"),  # its kind holds 100ms
        _app("web-browser", "type: session-lasting\nreestablish: true\nreconnect_after: 1s"),
        "title: t\nhost: {default_type: null}\n" + ATTACH,  # null is a value here (D10)
        "title: t\nhost: {boot_types: [fixed]}\nnetwork: {supports: [fixed]}\n" + ATTACH,
        "title: t\nsteps:\n  - at: 0s\n    do:\n      - host: {boot_types: [fixed]}\n"
        "      - attach: ap1\n",  # before the first attachment it takes effect
        ATTACH.replace("steps:", "title: t\nsteps:") + "      - detach: true\n",
    ],
    ids=[
        "port-of-a-connecting-socket",
        "publish-a-bound-listener",
        "bind-false-with-a-typed-fallback",
        "repeat-every-with-the-kinds-hold",
        "reconnect-after-with-reestablish",
        "null-host-default-type",
        "boot-types-at-the-top",
        "boot-types-before-the-first-attach",
        "detach-true",
    ],
)
def test_the_same_keys_are_taken_where_they_take_effect(tmp_path: Path, text: str) -> None:
    code, err = _validate(tmp_path, text)
    assert code == 0, err


LISTEN_AFTER_BIND = """title: t
steps:
  - at: 0s
    do:
      - attach: ap1
      - socket: {name: s1}
      - bind: {socket: s1, address: IPsl1, port: PORT}
      - listen: {socket: s1, port: 8080}
"""


def test_a_listen_port_on_a_bound_socket_stops_the_run_at_that_key(tmp_path: Path) -> None:
    # Before: the socket listened on the port bind() gave it (49152) and 8080 was dropped.
    code, err = _validate(tmp_path, LISTEN_AFTER_BIND.replace("PORT", "0"), "run")
    assert code == 2
    assert "bad.yaml:8:30: steps[0].do[3].listen.port: socket 3 is bound to port 49152" in err


def test_a_listen_port_equal_to_the_bound_one_is_fine() -> None:
    model = parse_scenario(LISTEN_AFTER_BIND.replace("PORT", "8080"))
    result = run_scenario(model)
    sock = result.sim.world.stack.sockets[3]
    assert sock.state.value == "listening" and sock.port == 8080


def test_the_model_refuses_a_listen_port_on_a_bound_socket_and_changes_nothing() -> None:
    sim = Simulation()
    sim.attach("ap1")
    fd = sim.socket("app")
    sim.bind(fd, "IPsl1", 0)
    steps = sim.step_index
    with pytest.raises(cmd.CommandError) as caught:
        sim.listen(fd, 8080)
    assert caught.value.field == "port" and sim.step_index == steps
    assert sim.listen(fd) is Status.SUCCESS  # no port: the one bind() gave


def test_the_model_refuses_boot_types_once_the_host_has_booted() -> None:
    # Before: SetPolicy(boot_types) after the first attachment was kept and never asked for.
    sim = Simulation()
    sim.apply(cmd.SetPolicy("boot_types", [SESSION_LASTING]))  # before: taken, asked at attach
    sim.attach("ap1")
    assert any(e.kind == "prefix-request" for e in sim.trace)
    with pytest.raises(cmd.CommandError, match="first attachment"):
        sim.apply(cmd.SetPolicy("boot_types", [FIXED]))
    assert sim.world.stack.policy.boot_types == [SESSION_LASTING]


BROWSER = """title: t
network: {supports: [session-lasting, non-persistent]}
applications:
  - name: web
    kind: web-browser
    sockets:
      - {type: graceful-replacement, peer: www.example.org, FALLBACK}
steps:
  - at: 0s
    do:
      - attach: ap1
      - launch: web
"""


def test_an_empty_fallback_now_means_no_fallback() -> None:
    # Before: `fallback: []` kept the web browser's own fallback (Non-persistent), so the
    # browser fell back after F8; now the empty list is taken: it gives up.
    empty = run_scenario(parse_scenario(BROWSER.replace("FALLBACK", "fallback: []")))
    assert [e.kind for e in empty.sim.trace if e.kind in ("fallback", "gave-up")] == ["gave-up"]
    kinds = run_scenario(parse_scenario(BROWSER.replace(", FALLBACK", "")))
    assert [e.kind for e in kinds.sim.trace if e.kind in ("fallback", "gave-up")] == ["fallback"]


def test_a_web_server_and_a_dns_client_recorded_load_back() -> None:
    # Their kinds' plans carry a peer port (web server) and a reconnect delay (DNS client) that
    # cannot take effect; the recorder leaves them out, so the saved file is not refused.
    from odplay.scenario.record import check_replays, record, to_yaml

    sim = Simulation(policy=HostPolicy())
    sim.attach("ap1")
    sim.launch("srv", "web-server")
    sim.launch("dns", "dns-client")
    sim.run_for(1000)
    data = record(sim, "saved", sim.now)
    server, dns = (app["sockets"][0] for app in data["applications"])
    assert "port" not in server and "reconnect_after" not in dns
    check_replays(to_yaml(data), sim, sim.now)
