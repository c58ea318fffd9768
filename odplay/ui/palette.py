"""The command palette's entries, fitted to the current state (the posting way).

Only moves to attachment points the host is not on, only sockets that exist, only applications
that run; settings are offered as the switch to the other side of each choice, with its rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from odplay.constants import AddressType
from odplay.session.api import (
    CATALOG,
    DEFAULT_ROTATION,
    AllocationPolicy,
    Close,
    Detach,
    FreshFailurePolicy,
    GracefulReturn,
    LastClosePolicy,
    LegacyOnNetPolicy,
    Mode,
    PendingConnect,
    PrefixTypes,
    Quit,
    SameGatewayMove,
    SetNetwork,
    SetPolicy,
    SocketApi,
    SocketState,
)
from odplay.session.views import DETACH, move_choices
from odplay.text import plain, visible
from odplay.ui.widgets.panel_tabs import PANELS

if TYPE_CHECKING:
    from odplay.ui.app import PlaygroundApp

Entry = tuple[str, Callable[[], object], str]


def _switch(
    app: PlaygroundApp,
    policy: str,
    other: AllocationPolicy | LastClosePolicy | FreshFailurePolicy | SocketApi | PendingConnect,
    title: str,
    why: str,
) -> Entry:
    """The palette entry that switches a host policy to its other side."""
    return (title.format(other.value), partial(app.act, SetPolicy(policy, other)), why)


def palette_entries(app: PlaygroundApp) -> Iterator[Entry]:
    """Every command the palette offers now: (title, callback, help)."""
    session = app.session
    config = session.network
    policy = session.policy
    attachment = session.attachment
    yield ("Pause" if session.playing else "Play", app.action_play_pause, "Simulated time")
    if session.mode is Mode.SCENARIO:
        yield ("Next scenario step", app.action_next_step, "Play the next step of the script")
        yield ("Previous scenario step", app.action_previous_step, "Back one step")
    yield ("Step forward one message", app.action_step_forward, "The next event")
    yield ("Step back one message", app.action_step_back, "Undo the latest event")
    yield ("Run to the next timer", app.action_next_timer, "Grace periods, application timers")
    yield ("Restart", app.action_restart, "From the beginning")
    for ap, label in move_choices(config, attachment):
        if ap == DETACH:
            yield ("Detach the host", partial(app.act, Detach()), label)
        else:
            verb = "Attach the host to" if attachment is None else "Move the host to"
            yield (f"{verb} {ap}", partial(app.do_move, ap), label)
    yield (
        "Reach the host from a correspondent…",
        app.action_reach,
        "C2: a published name or an address, at a listening port; the ladder shows the path",
    )
    for kind, entry in CATALOG.items():
        yield (f"Launch {kind}", partial(app.action_launch, kind), entry.summary)
    for name in session.running_apps():
        yield (f"Stop {name}", partial(app.act, Quit(name)), "Its sockets close")
    for sock in session.sockets():
        if sock.state is SocketState.CLOSED:
            continue
        yield (
            f"Socket calls on {sock.fd} ({sock.owner})",
            partial(app.action_socket_calls, sock.fd),
            f"now {sock.state.value}",
        )
        yield (f"Close socket {sock.fd} ({sock.owner})", partial(app.act, Close(sock.fd)), "")
    yield ("New bare socket…", partial(app.action_socket_calls, None), "socket(), then setsc()…")
    yield (
        "Connect to any peer…",
        partial(app.action_socket_calls, None),
        "R3, B3: a correspondent, a host name or an IPv6 address; the source follows the "
        "destination (RFC 6724's longest match)",
    )
    for type_ in AddressType:
        supported = type_ in config.supports
        change = config.supports - {type_} if supported else config.supports | {type_}
        yield (
            f"Network: {'stop' if supported else 'start'} supporting {type_.label}",
            partial(app.act, SetNetwork("supports", change)),
            "F1: what the network offers",
        )
        if type_ is not config.default_type:
            yield (
                f"Network default type: {type_.label}",
                partial(app.act, SetNetwork("default_type", type_)),
                "B5: the type when none is asked",
            )
    allocation = policy.allocation
    yield _switch(
        app,
        "allocation",
        AllocationPolicy.FRESH if allocation is AllocationPolicy.REUSE else AllocationPolicy.REUSE,
        "Host policy: allocation {}",
        "D7, D9: reuse an address of the type, or a fresh prefix per socket",
    )
    on_last_close = policy.on_last_close
    yield _switch(
        app,
        "on_last_close",
        LastClosePolicy.RELEASE if on_last_close is LastClosePolicy.KEEP else LastClosePolicy.KEEP,
        "Host policy: {} an address when its last socket closes",
        "D8",
    )
    fresh_fails = policy.when_fresh_fails
    yield _switch(
        app,
        "when_fresh_fails",
        FreshFailurePolicy.REUSE
        if fresh_fails is FreshFailurePolicy.FAIL
        else FreshFailurePolicy.FAIL,
        "Host policy: when no fresh prefix comes, {}",
        "A6, D9: under allocation fresh, fall back to a held address unless ON_NET was set",
    )
    yield from _rfc8653_switches(app)
    same_gw = config.same_gateway_move
    other_move = (
        SameGatewayMove.REPLACE if same_gw is SameGatewayMove.KEEP else SameGatewayMove.KEEP
    )
    yield (
        f"Network: a move behind the same gateway {other_move.value}s Non-persistent prefixes",
        partial(app.act, SetNetwork("same_gateway_move", other_move)),
        "T3: no promise after a move; odplay keeps them unless told to replace them",
    )
    back = config.graceful_return
    other_back = GracefulReturn.REVIVE if back is GracefulReturn.REPLACE else GracefulReturn.REPLACE
    yield (
        f"Network: back at a gateway inside the grace period, {other_back.value} the prefix",
        partial(app.act, SetNetwork("graceful_return", other_back)),
        "T4: a new Graceful-replacement prefix, or the old one valid again",
    )
    yield (
        f"Host: {'new' if policy.legacy_stack else 'legacy'} IP stack",
        partial(app.act, SetPolicy("legacy_stack", not policy.legacy_stack)),
        "B2: a legacy stack has no setsc()",
    )
    ignore = policy.legacy_on_net is LegacyOnNetPolicy.EINVAL
    yield (
        "Host policy: a legacy stack "
        + (
            "accepts and ignores ON_NET (legacy_on_net ignore)"
            if ignore
            else "refuses ON_NET (legacy_on_net einval)"
        ),
        partial(
            app.act,
            SetPolicy(
                "legacy_on_net", LegacyOnNetPolicy.IGNORE if ignore else LegacyOnNetPolicy.EINVAL
            ),
        ),
        "B2: EINVAL is odplay's reading; a legacy Linux kernel drops the bits it does not know "
        "(ON_NET, and RFC 8653's OnDemand field) and answers 0",
    )
    yield (
        f"Network: {'on-demand' if config.legacy else 'legacy'} network",
        partial(app.act, SetNetwork("legacy", not config.legacy)),
        "B7: what odplay does when the network knows nothing of on-demand mobility",
    )
    yield ("Settings…", app.action_settings, "Every policy and network setting")
    yield ("Open a scenario…", app.action_open_scenario, "The 4.2 flow and the others")
    yield ("Save this run as a scenario…", app.action_save_run, "A file that replays it exactly")
    yield (
        "Export this step as SVG",
        app.action_export_step,
        "The screen as it is, as <scenario>-step<N>.svg (S)",
    )
    for number, (_name, panel) in enumerate(PANELS, start=1):
        yield (f"Show the {panel} panel", partial(app.action_show_panel, number), "")
    yield ("Help: the four address types", app.action_help, "With the draft's examples")
    yield (
        f"Layout: {'every panel' if app.focus_layout else 'focus (one panel, large)'}",
        app.action_focus_layout,
        "One panel at a time under the network and the explanation: for a projector (z)",
    )
    yield ("The draft's errata", app.action_errata, "A7: where the draft contradicts itself")
    yield (
        f"Predict mode: {'off' if app.predicting else 'on'}",
        app.action_toggle_predict,
        "Say what will happen before a step; the run shows who was right",
    )
    yield (
        "Compare: on demand, Mobile IP for all, no mobility",
        app.action_compare,
        "C3: the cost of each choice, for this run",
    )
    if not app.served:
        yield (
            "On this machine's kernel: odplay kernel",
            app.action_kernel,
            "The scenario on Linux beside the model, check by check (root)",
        )


def _rfc8653_switches(app: PlaygroundApp) -> Iterator[Entry]:
    """RFC 8653's additions: its other API, what a connect() does meanwhile, and rotation."""
    policy = app.session.policy
    api = SocketApi.SOCKOPT if policy.api is SocketApi.SETSC else SocketApi.SETSC
    yield _switch(
        app,
        "api",
        api,
        "Host API: {} (RFC 8653 Appendix A)",
        "A1, A5: setsc(), which blocks, or the OnDemand field set with setsockopt(), at once",
    )
    pending = policy.sockopt_connect
    yield _switch(
        app,
        "sockopt_connect",
        PendingConnect.NOW if pending is PendingConnect.WAIT else PendingConnect.WAIT,
        "Host: under api sockopt, connect() before the prefix comes: {}",
        "A5, D3: wait for the type asked for, or go now from what source selection picks",
    )
    types = app.session.network.prefix_types
    other = PrefixTypes.SHUFFLED if types is not PrefixTypes.SHUFFLED else PrefixTypes.BLOCKS
    yield (
        f"Network: prefix types {other.value}",
        partial(app.act, SetNetwork("prefix_types", other)),
        "RFC 8653 Section 5: a block of prefixes per type tells an observer the type; "
        "shuffled, the blocks are dealt out afresh",
    )
    # A lifetime in time or in bytes sent: either one rotates, so "stop" clears both.
    rotating = bool(policy.rotation or policy.rotation_bytes)
    lifetimes = ", ".join(f"{t.label} {v // 1000}s" for t, v in DEFAULT_ROTATION.items())
    yield (
        "Host: stop rotating addresses" if rotating else f"Host: rotate addresses ({lifetimes})",
        partial(_stop_rotating, app)
        if rotating
        else partial(app.act, SetPolicy("rotation", dict(DEFAULT_ROTATION))),
        "RFC 8653 Section 5: renew addresses after a lifetime, per type, for privacy",
    )


def _stop_rotating(app: PlaygroundApp) -> None:
    """No lifetime in time nor in bytes: each a logged change of its own, as the dialog's."""
    policy = app.session.policy
    for name in ("rotation", "rotation_bytes"):
        if getattr(policy, name):
            app.act(SetPolicy(name, {}))


class PlaygroundCommands(Provider):
    """Commands for the playground, recomputed from its state each time the palette opens."""

    def _entries(self) -> list[Entry]:
        return list(palette_entries(self.app))  # type: ignore[arg-type]

    # A title or help may name an attachment point or an application from a scenario file:
    # the palette reads a plain `str` prompt or help as markup, so both go in as data.

    async def discover(self) -> Hits:
        for title, callback, help_text in self._entries():
            yield DiscoveryHit(plain(title), callback, text=title, help=escape(visible(help_text)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                highlighted = matcher.highlight(visible(title))
                yield Hit(score, highlighted, callback, text=title, help=escape(visible(help_text)))
