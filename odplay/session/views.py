"""What the playground shows, as plain rows of text: one function per table, no UI in it.

Each table is a dict from a stable row key to a `Row` (cells and a tone), so that a viewer can
compare it with what it showed last time and update only the cells that changed. The ladder maps
each trace entry to lanes (applications, host IP stack, network). The words are odplay's, and the
teaching names (PREFnp1, IPsl1) come first, as in the draft's Section 4.2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from odplay.constants import flag_names
from odplay.report import words
from odplay.report.words import ADDRESS_LEGEND, PREFIX_LEGEND, SOCKET_KEY
from odplay.sim.network import NetworkConfig, SameGatewayMove
from odplay.sim.paths import Path
from odplay.sim.tables import PrefixState, Socket, SocketState
from odplay.sim.timeunits import format_time
from odplay.sim.trace import HOST, NETWORK, STACK, TraceEntry
from odplay.sim.world import World


class Tone(StrEnum):
    """How a row should read: the viewer picks the colours."""

    NORMAL = "normal"
    GOOD = "good"
    WARN = "warn"
    BAD = "bad"
    DIM = "dim"


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    tone: Tone = Tone.NORMAL


Table = dict[str, Row]

PREFIX_COLUMNS = ("name", "type", "prefix", "anchor", "valid", "preferred", "state")
ADDRESS_COLUMNS = ("name", "address", "type", words.USED_BY)
SOCKET_COLUMNS = (
    "app",
    "fd",
    "role",
    "asked",
    "flags",
    words.LOCAL_ADDRESS,
    "state",
    "peer",
    "path",
)
#: Each panel's legend, in `odplay run`'s words (odplay.report.words): the sockets' is its short
#: form, which the help spells out.
LEGENDS = {"prefixes": PREFIX_LEGEND, "addresses": ADDRESS_LEGEND, "sockets": SOCKET_KEY}

_SHORT_TYPE = {
    "fixed": "Fixed",
    "session-lasting": "Session-lasting",
    "non-persistent": "Non-persistent",
    "graceful-replacement": "Graceful-repl.",
}


def remaining(until: int | None, now: int) -> str:
    """Time left until `until`, for a lifetime cell: `∞`, `12.3s` or `0s`."""
    if until is None:
        return "∞"
    left = max(0, until - now)
    if left >= 100_000:
        return f"{left // 1000}s"
    return f"{left / 1000:.1f}s"


def _type_label(type_slug: str | None) -> str:
    if type_slug is None:
        return "-"
    return _SHORT_TYPE.get(type_slug, type_slug)


def prefix_table(world: World, clock: int) -> Table:
    rows: Table = {}
    for p in world.stack.prefixes.values():
        usable = p.usable
        state = p.state.value
        tone = Tone.NORMAL
        if p.state is PrefixState.DEPRECATED:
            state = f"grace: {remaining(p.valid_until, clock)} left"
            tone = Tone.WARN
        elif not usable:
            # When it went, which never changes after: its lifetimes count nothing down.
            gone = p.gone_at
            state = f"{state} at {format_time(gone)}" if gone is not None else state
            tone = Tone.DIM
        rows[p.name] = Row(
            (
                p.name,
                _type_label(p.type.slug if p.type else "untyped"),
                p.network,
                p.anchor,
                remaining(p.valid_until, clock) if usable else "-",
                remaining(p.preferred_until, clock) if usable else "-",
                state,
            ),
            tone,
        )
    return rows


def address_table(world: World) -> Table:
    stack = world.stack
    rows: Table = {}
    for a in stack.addresses.values():
        used_by = words.used_by((fd, stack.sockets[fd].owner) for fd in stack.users_of(a.name))
        deprecated = stack.prefixes[a.prefix].state is PrefixState.DEPRECATED
        rows[a.name] = Row(
            (a.name, a.value, _type_label(a.type.slug if a.type else "untyped"), used_by),
            Tone.WARN if deprecated else Tone.NORMAL,
        )
    return rows


def socket_state(sock: Socket) -> tuple[str, Tone]:
    """The state as a learner reads it, with the reason when a socket broke."""
    state = sock.state
    text = words.socket_state(state.value, sock.broken_reason, sock.reestablishes)
    if state is SocketState.BROKEN:
        return text, Tone.BAD
    if state is SocketState.CLOSED:
        return text, Tone.DIM
    if state is SocketState.BLOCKED:
        return text, Tone.WARN
    if state in (SocketState.CONNECTED, SocketState.LISTENING):
        return text, Tone.GOOD
    return text, Tone.NORMAL


def local_address(sock: Socket) -> str:
    """A socket's local address in the tables' words (odplay.report.words)."""
    return words.local_address(
        sock.state.value, sock.bound_address, sock.source_address, sock.setsc_address
    )


def socket_label(sock: Socket) -> str:
    """One line for a socket outside the table (the workbench's list), in the table's words."""
    return f"{sock.fd} {sock.owner}: {socket_state(sock)[0]} · local address {local_address(sock)}"


def path_text(path: Path | None) -> str:
    if path is None:
        return "-"
    return f"via {path.via} {path.rtt}ms" if path.via else f"direct {path.rtt}ms"


#: Past this many sockets in all, the live table hides closed ones unless asked (`h`): a busy run
#: opens thousands, and a table of them all buries the live ones and costs each refresh.
CLOSED_SHOWN_UP_TO = 200


def shows_closed(world: World, include_closed: bool | None) -> bool:
    """Whether the socket table lists closed sockets: as asked, or (None) while they are few."""
    if include_closed is not None:
        return include_closed
    return len(world.stack.sockets) <= CLOSED_SHOWN_UP_TO


def socket_table(world: World, include_closed: bool | None = True) -> Table:
    """The socket table's rows; `include_closed` None: closed ones only while they are few."""
    stack = world.stack
    rows: Table = {}
    include_closed = shows_closed(world, include_closed)
    for sock in stack.sockets.values():
        if sock.state is SocketState.CLOSED and not include_closed:
            continue
        state, tone = socket_state(sock)
        local = local_address(sock)
        rows[str(sock.fd)] = Row(
            (
                sock.owner,
                str(sock.fd),
                sock.role,
                _type_label(sock.requested_type.slug if sock.requested_type else None),
                ",".join(flag_names(sock.flags)) or "-",
                local,
                state,
                sock.peer or "-",
                path_text(stack.path_of(sock) if sock.live else None),
            ),
            tone,
        )
    return rows


# ---------------------------------------------------------------------- the message ladder


class Lane(StrEnum):
    APPS = "apps"
    STACK = "stack"
    NETWORK = "network"


LANES = (Lane.APPS, Lane.STACK, Lane.NETWORK)


@dataclass(frozen=True, slots=True)
class LadderRow:
    number: int
    time: str
    source: Lane | None  # None: narration, which spans every lane
    target: Lane | None  # None: something that happened within one lane
    who: str
    text: str
    rules: tuple[str, ...]
    kind: str


def lane_of(name: str | None, world: World) -> Lane | None:
    if name is None:
        return None
    if name in (STACK, HOST):
        return Lane.STACK
    config = world.network.config
    if name == NETWORK or name == config.anchor or any(g.name == name for g in config.gateways):
        return Lane.NETWORK
    return Lane.APPS


def ladder_row(entry: TraceEntry, world: World) -> LadderRow:
    if entry.kind == "narration":
        return LadderRow(
            entry.number, format_time(entry.time), None, None, "", entry.text, entry.rules, "step"
        )
    source = lane_of(entry.actor, world)
    target = lane_of(entry.target, world)
    if target == source:
        target = None
    who = entry.actor if source is Lane.APPS else (entry.target if target is Lane.APPS else "")
    return LadderRow(
        entry.number,
        format_time(entry.time),
        source,
        target,
        who or "",
        entry.text,
        entry.rules,
        entry.kind,
    )


# ---------------------------------------------------------------------- the network map


@dataclass(frozen=True, slots=True)
class GatewayView:
    name: str
    attachment_points: tuple[str, ...]
    serving: bool
    pool_free: int


@dataclass(frozen=True, slots=True)
class PathView:
    app: str
    fd: int
    address: str
    path: Path


@dataclass(frozen=True, slots=True)
class Topology:
    anchor: str
    anchor_pool_free: int
    gateways: tuple[GatewayView, ...]
    attachment: str | None
    serving_gateway: str | None
    supports: tuple[str, ...]
    default_type: str
    grace_period: int
    legacy_network: bool
    legacy_stack: bool
    paths: tuple[PathView, ...]
    #: The correspondents' names, in the network's order (the map draws them on the Internet).
    correspondents: tuple[str, ...] = ()


def topology(world: World) -> Topology:
    config = world.network.config
    stack = world.stack
    gateways = tuple(
        GatewayView(
            gw.name,
            tuple(ap.name for ap in config.attachment_points if ap.gateway == gw.name),
            gw.name == stack.serving_gateway,
            world.network.pool_free(gw.name),
        )
        for gw in config.gateways
    )
    paths = []
    for sock in stack.live_sockets():
        if sock.state not in (SocketState.CONNECTED, SocketState.LISTENING):
            continue
        path = stack.path_of(sock)
        if path is not None and sock.source_address:
            paths.append(PathView(sock.owner, sock.fd, sock.source_address, path))
    return Topology(
        anchor=config.anchor,
        anchor_pool_free=world.network.pool_free(config.anchor),
        gateways=gateways,
        attachment=stack.attachment,
        serving_gateway=stack.serving_gateway,
        supports=tuple(t.slug for t in sorted(config.supports)),
        default_type=config.default_type.slug,
        grace_period=config.grace_period,
        legacy_network=config.legacy,
        legacy_stack=stack.policy.legacy_stack,
        paths=tuple(paths),
        correspondents=tuple(c.name for c in config.correspondents),
    )


# ---------------------------------------------------------------------- moves

DETACH = "detach"


def move_choices(config: NetworkConfig, attachment: str | None) -> list[tuple[str, str]]:
    """(value, label) for every move the host can make from `attachment`.

    Each label names the general rule, true on any network: whether a move is one of the 4.2
    flow's steps (F1, F5) depends on what the network offers, and the ladder says it when it is.
    """
    serving = config.ap(attachment).gateway if attachment else None
    same = (
        "Non-persistent prefixes are replaced"
        if config.same_gateway_move is SameGatewayMove.REPLACE
        else "every prefix stays"
    )
    choices = []
    for ap in config.attachment_points:
        if ap.name == attachment:
            continue
        if attachment is None:
            label = f"Attach to {ap.name} ({ap.gateway}): the network offers its prefixes (D6)"
        elif ap.gateway == serving:
            label = f"{ap.name} ({ap.gateway}): same gateway, {same} (T3)"
        else:
            label = f"{ap.name} ({ap.gateway}): gateway change, Non-persistent prefixes go (T3, T4)"
        choices.append((ap.name, label))
    if attachment is not None:
        choices.append((DETACH, "Detach: no network; Fixed addresses stay configured (T1)"))
    return choices


# ---------------------------------------------------------------------- reaching the host


@dataclass(frozen=True, slots=True)
class ReachTarget:
    """Something a correspondent can try to reach: a published name or an address, and a port."""

    name: str
    port: int
    label: str  # what the learner should expect, in words


def reach_targets(world: World) -> list[ReachTarget]:
    """What a correspondent could try now (C2): every name in DNS and every address the host
    holds, at each port a socket listens on (443 when none listens), each labelled with whether
    something listens there. The reach itself decides; the label only says what is set up."""
    stack = world.stack
    listening = [s for s in stack.live_sockets() if s.state is SocketState.LISTENING]
    ports = sorted({s.port for s in listening if s.port is not None}) or [443]

    def listener(address_name: str | None, port: int) -> str:
        for sock in listening:
            if sock.port == port and sock.bound_address in (None, address_name):
                return f"{sock.owner} listens"
        return "nothing listens there"

    targets = []
    for name, value in world.network.dns.items():
        address = stack.find_address(value)
        held = address.name if address else None
        for port in ports:
            where = f"{held}, {listener(held, port)}" if held else "an address no longer held"
            targets.append(ReachTarget(name, port, f"{name}:{port} → {where}"))
    for address in stack.addresses.values():
        for port in ports:
            label = f"[{address.name}]:{port} ({address.value}), {listener(address.name, port)}"
            targets.append(ReachTarget(address.name, port, label))
    return targets
