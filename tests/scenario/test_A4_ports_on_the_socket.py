"""Ports on the `socket:` subject (A4): the port a socket is bound to (or was given when it
connected, "port 0 lets the stack choose"), the peer and the port it connected to."""

from __future__ import annotations

from tests.scenario.expecting import fails_at, holds

PORTS = """\
title: ports
applications:
  - name: app1
    kind: instant-messenger
steps:
  - at: 0s
    say: bind to a port, let the stack choose one, listen on one, and an application's
    do:
      - attach: ap1
      - launch: app1
      - socket: {name: s1}
      - setsc: {socket: s1, type: session-lasting}
      - bind: {socket: s1, port: 8080}
      - connect: {socket: s1, peer: www.example.org, port: 8443}
      - socket: {name: s2}
      - connect: {socket: s2, peer: ssh.example.net, port: 22}
      - socket: {name: s3}
      - listen: {socket: s3, port: 7000}
    expect:
      - socket: s1
        port: 8080
        peer: www.example.org
        peer_port: 8443
      - socket: s2
        port: 49153
        peer_port: 22
      - socket: s3
        state: listening
        port: 7000
      - socket: app1
        peer: im.example.com
        peer_port: 5222
"""


def test_every_port_holds_A4() -> None:
    holds(PORTS)


def test_each_port_fails_at_its_line() -> None:
    fails_at(
        PORTS.replace("port: 8080\n", "port: 8081\n"),
        "port: 8081",
        "steps[0].expect[0].port",
        "port 8080",
    )
    fails_at(
        PORTS.replace("peer_port: 8443", "peer_port: 443"),
        "peer_port:",
        "steps[0].expect[0].peer_port",
        "peer_port 8443",
    )
    fails_at(
        PORTS.replace("port: 49153", "port: 49152"),
        "port: 49152",
        "steps[0].expect[1].port",
        "port 49153",
    )
    fails_at(
        PORTS.replace("peer: im.example.com", "peer: www.example.org"),
        "peer: www",
        "steps[0].expect[3].peer",
        "peer im.example.com",
        nth=3,
    )
