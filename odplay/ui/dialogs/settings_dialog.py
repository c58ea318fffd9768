"""Change the network and the host's policies: every choice the draft leaves open, with its rule.

"Apply" changes the run now (each change is a logged command, so it shows in the ladder and can
be stepped back over). "Restart with these" starts free play over with them, which is the only
way to see the boot-time addresses (D10) take effect, since they are asked for at the first
attachment.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from odplay.constants import AddressType, parse_address_type
from odplay.session.api import (
    NETWORK_FIELDS,
    POLICY_FIELDS,
    AllocationPolicy,
    FreshFailurePolicy,
    GracefulReturn,
    HostPolicy,
    LastClosePolicy,
    LegacyOnNetPolicy,
    NetworkConfig,
    PendingConnect,
    PrefixTypes,
    SameGatewayMove,
    SocketApi,
    format_duration,
    parse_duration,
)
from odplay.session.scenarios import MAX_DELAY_MS, MAX_SIM_TIME_MS
from odplay.ui.dialogs.base import Dialog
from odplay.ui.widgets.tick_box import TickBox

T = TypeVar("T")

NETWORK_DECIDES = "network"


@dataclass
class SettingsResult:
    network: NetworkConfig
    policy: HostPolicy
    network_changes: dict[str, Any] = field(default_factory=dict)
    policy_changes: dict[str, Any] = field(default_factory=dict)
    restart: bool = False


def _typed_table(text: str, value_name: str, parse: Callable[[str], T]) -> dict[AddressType, T]:
    """`TYPE: VALUE; TYPE: VALUE` → a table by type, each type once: two spellings of one type
    (`fixed`, `Fixed`) would leave one value dropped without a word."""
    table: dict[AddressType, T] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        if ":" not in part:
            raise ValueError(f"{part.strip()!r}: write a type, a colon, then {value_name}")
        type_text, value = part.split(":", 1)
        type_ = parse_address_type(type_text)
        if type_ in table:
            raise ValueError(f"{type_.label} is named twice; give it once")
        table[type_] = parse(value)
    return table


def parse_permissions(text: str) -> dict[AddressType, frozenset[str]]:
    """`fixed: web-server vpn; graceful-replacement: video` → the S1 permission table."""
    return _typed_table(
        text, "application names", lambda apps: frozenset(apps.replace(",", " ").split())
    )


def show_permissions(table: dict[AddressType, frozenset[str]]) -> str:
    return "; ".join(f"{t.slug}: {' '.join(sorted(apps))}" for t, apps in table.items())


def _lifetime(text: str) -> int:
    ms = parse_limited(text, MAX_SIM_TIME_MS, "A lifetime")
    if not ms:
        raise ValueError("a lifetime is more than 0")
    return ms


def parse_rotation(text: str) -> dict[AddressType, int]:
    """`non-persistent: 20s; session-lasting: 1min` → the lifetimes of `host.rotation`."""
    return _typed_table(text, "a lifetime", _lifetime)


def show_rotation(table: dict[AddressType, int]) -> str:
    return "; ".join(f"{t.slug}: {format_duration(ms)}" for t, ms in sorted(table.items()))


_SIZE_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}
#: The largest lifetime in bytes the dialog takes: more than any socket sends in a week of
#: simulated time (odplay's longest run) at any nominal rate, so a larger one means no renewal.
MAX_ROTATION_BYTES = 10**12


def parse_bytes(text: str) -> int:
    """`5MB`, `250kB`, `1.5MB` or a number of bytes, as bytes (more than 0), read exactly (a
    decimal, not a float: `1.234567MB` is 1234567 bytes)."""
    cleaned = text.strip().lower().replace(" ", "")
    digits = cleaned.rstrip("kmgb")
    unit = cleaned[len(digits) :] or "b"
    try:
        number = Decimal(digits) * _SIZE_UNITS[unit]
    except (KeyError, ArithmeticError, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():  # `inf`, `nan` and what is no number at all
        raise ValueError(f"{text.strip()!r} is not a size such as 5MB or 250kB")
    if number > MAX_ROTATION_BYTES:
        raise ValueError(f"a size is at most {show_bytes(MAX_ROTATION_BYTES)}")
    size = int(number)
    if size <= 0:
        raise ValueError("a size is more than 0 bytes")
    return size


def parse_rotation_bytes(text: str) -> dict[AddressType, int]:
    """`non-persistent: 5MB; session-lasting: 50MB` → the limits of `host.rotation_bytes`."""
    return _typed_table(text, "a size", parse_bytes)


def show_bytes(size: int) -> str:
    """A size as the dialog writes it, exactly: `5MB`, `1.5MB`, `250kB`, or plain bytes when
    the size is no round number of a unit (`1234567`), so that reading it back gives it."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale and size % (scale // 100) == 0:  # at most two decimals of the unit
            whole, part = divmod(size, scale)
            decimals = f"{part:0{len(str(scale)) - 1}d}".rstrip("0")
            return f"{whole}.{decimals}{unit}" if decimals else f"{whole}{unit}"
    return f"{size}"


def parse_limited(text: str, limit_ms: int, what: str) -> int:
    ms = parse_duration(text.strip())
    if ms > limit_ms:
        raise ValueError(f"{what} is at most {format_duration(limit_ms)}")
    return ms


class SettingsDialog(Dialog[SettingsResult | None]):
    """Returns the changes to apply, or None."""

    DEFAULT_CSS = """
    SettingsDialog > #dialog { width: 96; height: 90%; }
    SettingsDialog #fields { height: 1fr; }
    SettingsDialog .section { text-style: bold; padding: 1 0 0 0; }
    SettingsDialog Checkbox { width: auto; }
    SettingsDialog Select, SettingsDialog Input { width: 1fr; }
    SettingsDialog .field-label { width: 24; }
    SettingsDialog .boxes { height: auto; width: 1fr; layout: grid; grid-size: 2;
                            grid-columns: auto auto; grid-gutter: 0 1; }
    """

    def __init__(self, network: NetworkConfig, policy: HostPolicy) -> None:
        super().__init__()
        self.network = network
        self.policy = policy

    def compose(self) -> ComposeResult:
        net, pol = self.network, self.policy
        types = [(f"{t.label} ({t.value})", t.slug) for t in AddressType]
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Network and host policies"
            dialog.border_subtitle = "Enter applies · Esc cancels"
            yield from self.actions(
                Button("Apply now", variant="primary", id="apply", compact=True),
                Button("Restart with these", id="restart", compact=True),
                Button("Cancel", id="cancel", compact=True),
            )
            with VerticalScroll(id="fields"):
                yield Static("Network", classes="section")
                yield self._type_boxes("Supports (F1, T1-T4)", "supports", net.supports)
                yield self._type_boxes("Offers on attach (F1)", "offer", set(net.on_attach))
                yield self._choice("Default type (B5)", "default", types, net.default_type.slug)
                yield self._row(
                    "Grace period (T4)",
                    Input(format_duration(net.grace_period), id="grace", compact=True),
                )
                yield self._row(
                    "Signalling delay (D11)",
                    Input(format_duration(net.signalling_delay), id="signalling", compact=True),
                )
                yield self._row(
                    "Gateway to gateway (C3)",
                    Input(
                        format_duration(net.inter_gateway_delay), id="inter-gateway", compact=True
                    ),
                )
                yield self._choice(
                    "Same-gateway move (T3)",
                    "same-gateway",
                    [
                        ("keeps Non-persistent prefixes", SameGatewayMove.KEEP.value),
                        ("replaces them with new ones", SameGatewayMove.REPLACE.value),
                    ],
                    net.same_gateway_move.value,
                )
                yield self._choice(
                    "Back inside grace (T4)",
                    "graceful-return",
                    [
                        ("a new prefix; the old ends its grace", GracefulReturn.REPLACE.value),
                        ("the old prefix is valid again", GracefulReturn.REVIVE.value),
                    ],
                    net.graceful_return.value,
                )
                yield self._choice(
                    "Prefix types (RFC 8653 §5)",
                    "prefix-types",
                    [
                        ("mixed, in order of request", PrefixTypes.MIXED.value),
                        ("a block per type", PrefixTypes.BLOCKS.value),
                        ("blocks dealt afresh", PrefixTypes.SHUFFLED.value),
                    ],
                    net.prefix_types.value,
                )
                yield self._row(
                    "Shuffle every",
                    Input(format_duration(net.shuffle_every), id="shuffle-every", compact=True),
                )
                yield self._row(
                    "Legacy network (B7)",
                    TickBox("no on-demand service", net.legacy, id="legacy", compact=True),
                )
                yield Static("Host", classes="section")
                yield self._choice(
                    "Allocation (D7, D9)",
                    "allocation",
                    [
                        ("reuse an address of the type", AllocationPolicy.REUSE.value),
                        ("a fresh prefix per socket", AllocationPolicy.FRESH.value),
                    ],
                    pol.allocation.value,
                )
                yield self._choice(
                    "No fresh prefix (A6, D9)",
                    "fresh-fails",
                    [
                        ("setsc() fails, ON_NET or not", FreshFailurePolicy.FAIL.value),
                        ("a held one, unless ON_NET", FreshFailurePolicy.REUSE.value),
                    ],
                    pol.when_fresh_fails.value,
                )
                yield self._choice(
                    "Last socket closes (D8)",
                    "last-close",
                    [
                        ("keep the address", LastClosePolicy.KEEP.value),
                        ("release it", LastClosePolicy.RELEASE.value),
                    ],
                    pol.on_last_close.value,
                )
                yield self._choice(
                    "No type asked (D10)",
                    "host-default",
                    [("the serving gateway's; else the network decides", NETWORK_DECIDES)]
                    + [(f"prefer {t.label}", t.slug) for t in AddressType],
                    pol.default_type.slug if pol.default_type else NETWORK_DECIDES,
                )
                yield self._row(
                    "Permissions (S1)",
                    Input(
                        show_permissions(pol.permissions),
                        placeholder="fixed: web-server vpn-client; ... (empty: all may)",
                        id="permissions",
                        compact=True,
                    ),
                )
                yield self._row(
                    "Legacy stack (B2)",
                    TickBox("no setsc()", pol.legacy_stack, id="legacy-stack", compact=True),
                )
                yield self._choice(
                    "Legacy stack, ON_NET (B2)",
                    "legacy-on-net",
                    [
                        ("EINVAL (odplay's reading)", LegacyOnNetPolicy.EINVAL.value),
                        ("accepted, ignored (Linux)", LegacyOnNetPolicy.IGNORE.value),
                    ],
                    pol.legacy_on_net.value,
                )
                yield from self._rfc8653_rows(pol)
                yield self._type_boxes("Asked at boot (D10)", "boot", set(pol.boot_types))
                yield Static(
                    "Boot addresses are asked for at the first attachment: "
                    "use Restart with these to see them.",
                    classes="hint",
                )

    def _rfc8653_rows(self, pol: HostPolicy) -> ComposeResult:
        """RFC 8653's additions: the other API (Appendix A) and address rotation (Section 5)."""
        yield self._choice(
            "API (RFC 8653 App. A)",
            "api",
            [
                ("setsc(), which blocks", SocketApi.SETSC.value),
                ("the OnDemand socket option", SocketApi.SOCKOPT.value),
            ],
            pol.api.value,
        )
        yield self._choice(
            "OnDemand, connect first",
            "sockopt-connect",
            [
                ("connect() waits for the prefix", PendingConnect.WAIT.value),
                ("connect() goes now, another source", PendingConnect.NOW.value),
            ],
            pol.sockopt_connect.value,
        )
        yield self._row(
            "Rotation (RFC 8653 §5)",
            Input(
                show_rotation(pol.rotation),
                placeholder="non-persistent: 20s; session-lasting: 60s (empty: never)",
                id="rotation",
                compact=True,
            ),
        )
        yield self._row(
            "…or after bytes sent",
            Input(
                "; ".join(f"{t.slug}: {show_bytes(n)}" for t, n in pol.rotation_bytes.items()),
                placeholder="non-persistent: 5MB (empty: never)",
                id="rotation-bytes",
                compact=True,
            ),
        )

    def _choice(
        self, label: str, widget_id: str, options: list[tuple[str, str]], value: str
    ) -> Horizontal:
        select = Select(options, value=value, allow_blank=False, id=widget_id, compact=True)
        return self._row(label, select)

    def _row(self, label: str, widget: Any) -> Horizontal:
        return Horizontal(Label(label, classes="field-label"), widget, classes="field-row")

    def _type_boxes(self, label: str, prefix: str, chosen: set[AddressType]) -> Horizontal:
        boxes = [
            TickBox(t.label, t in chosen, id=f"{prefix}-{t.slug}", compact=True)
            for t in AddressType
        ]
        # Two a line: the four types side by side do not fit an 80-column terminal.
        grid = Horizontal(*boxes, classes="boxes")
        return Horizontal(Label(label, classes="field-label"), grid, classes="field-row")

    def on_mount(self) -> None:
        self.say_problem("")

    # ------------------------------------------------------------------ reading the fields

    def _checked(self, prefix: str) -> list[AddressType]:
        return [t for t in AddressType if self.query_one(f"#{prefix}-{t.slug}", Checkbox).value]

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        return str(widget.value)  # type: ignore[attr-defined]

    def read(self) -> SettingsResult:
        """The settings as typed; raises ValueError saying which field is wrong."""
        network = copy.deepcopy(self.network)
        policy = copy.deepcopy(self.policy)
        network.supports = set(self._checked("supports"))
        network.on_attach = self._checked("offer")
        network.default_type = parse_address_type(self._value("default"))
        fields = (
            ("grace", "grace_period", MAX_SIM_TIME_MS, "The grace period"),
            ("signalling", "signalling_delay", MAX_DELAY_MS, "The signalling delay"),
            ("inter-gateway", "inter_gateway_delay", MAX_DELAY_MS, "A delay"),
        )
        for widget_id, name, limit, what in fields:
            try:
                setattr(network, name, parse_limited(self._value(widget_id), limit, what))
            except ValueError as exc:
                raise ValueError(f"{what}: {exc}") from None
        network.legacy = self.query_one("#legacy", Checkbox).value
        network.same_gateway_move = SameGatewayMove(self._value("same-gateway"))
        network.graceful_return = GracefulReturn(self._value("graceful-return"))
        network.prefix_types = PrefixTypes(self._value("prefix-types"))
        try:
            every = parse_limited(self._value("shuffle-every"), MAX_SIM_TIME_MS, "A period")
        except ValueError as exc:
            raise ValueError(f"Shuffle every: {exc}") from None
        if not every:
            raise ValueError("Shuffle every: a period is more than 0")
        network.shuffle_every = every
        policy.allocation = AllocationPolicy(self._value("allocation"))
        policy.on_last_close = LastClosePolicy(self._value("last-close"))
        policy.when_fresh_fails = FreshFailurePolicy(self._value("fresh-fails"))
        default = self._value("host-default")
        policy.default_type = None if default == NETWORK_DECIDES else parse_address_type(default)
        try:
            policy.permissions = parse_permissions(self._value("permissions"))
        except ValueError as exc:
            raise ValueError(f"Permissions: {exc}") from None
        policy.legacy_stack = self.query_one("#legacy-stack", Checkbox).value
        policy.legacy_on_net = LegacyOnNetPolicy(self._value("legacy-on-net"))
        policy.api = SocketApi(self._value("api"))
        policy.sockopt_connect = PendingConnect(self._value("sockopt-connect"))
        try:
            policy.rotation = parse_rotation(self._value("rotation"))
            policy.rotation_bytes = parse_rotation_bytes(self._value("rotation-bytes"))
        except ValueError as exc:
            raise ValueError(f"Rotation: {exc}") from None
        policy.boot_types = self._checked("boot")
        result = SettingsResult(network, policy)
        for name in NETWORK_FIELDS:
            if getattr(network, name) != getattr(self.network, name):
                result.network_changes[name] = getattr(network, name)
        for name in POLICY_FIELDS:
            if getattr(policy, name) != getattr(self.policy, name):
                result.policy_changes[name] = getattr(policy, name)
        return result

    def _validate(self) -> SettingsResult | None:
        try:
            result = self.read()
        except ValueError as exc:
            self.say_problem(str(exc))
            self.query_one("#apply", Button).disabled = True
            self.query_one("#restart", Button).disabled = True
            return None
        self.say_problem("")
        self.query_one("#apply", Button).disabled = False
        self.query_one("#restart", Button).disabled = False
        return result

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        self._validate()

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        result = self._validate()
        if result is not None:
            self.dismiss(result)

    @on(Button.Pressed, "#restart")
    def _restart(self) -> None:
        result = self._validate()
        if result is not None:
            result.restart = True
            self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
