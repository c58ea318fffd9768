"""Launch a mock application from the catalogue, choosing each socket's type and flags.

The catalogue is the draft's own examples (T5, G1). For each of the application's sockets the
learner picks the type setsc() asks for (or none: a legacy socket, B1), the ON_NET flag (A6),
RFC 5014 flags (R1-R3), and whether bind() follows setsc() (leaving it out shows R3).
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from odplay.constants import ON_NET, RFC5014_FLAGS, AddressType, flag_names
from odplay.session.api import CATALOG, AppSpec, SocketPlan, spec_for
from odplay.text import plain
from odplay.ui.dialogs.base import Dialog
from odplay.ui.dialogs.fields import MAX_NAME, name_problem, parse_flags
from odplay.ui.widgets.tick_box import TickBox

LEGACY = "legacy"
TYPE_CHOICES: list[tuple[str, str]] = [
    *((f"{t.label} ({t.value})", t.slug) for t in AddressType),
    ("no setsc(): legacy", LEGACY),
]


class LaunchDialog(Dialog[AppSpec | None]):
    """Returns the application to launch, or None."""

    def __init__(self, running: set[str], kind: str | None = None) -> None:
        super().__init__()
        self.running = running
        self.kind = kind if kind in CATALOG else "web-browser"

    def _summary(self) -> str:
        entry = CATALOG[self.kind]
        return f"{entry.summary} ({', '.join(entry.rules)})"

    def _free_name(self, kind: str) -> str:
        number = 1
        while f"{kind}-{number}" in self.running:
            number += 1
        return f"{kind}-{number}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Launch an application (T5, G1)"
            dialog.border_subtitle = "Enter launches · Esc cancels"
            yield from self.actions(
                Button("Launch", variant="primary", id="launch", compact=True),
                Button("Cancel", id="cancel", compact=True),
            )
            with Horizontal(classes="field-row"):
                yield Label("Application", classes="field-label")
                yield Select(
                    [(kind, kind) for kind in CATALOG],
                    value=self.kind,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Label("Name", classes="field-label")
                yield Input(
                    self._free_name(self.kind), id="name", max_length=MAX_NAME, compact=True
                )
            yield Static(plain(self._summary()), id="summary", classes="hint")
            yield Vertical(id="plans")

    async def on_mount(self) -> None:
        self.say_problem("")
        await self._show_plans()

    async def _show_plans(self) -> None:
        plans = self.query_one("#plans", Vertical)
        await plans.remove_children()
        rows = []
        for index, plan in enumerate(CATALOG[self.kind].plans):
            chosen = plan.type.slug if plan.type else LEGACY
            rows.append(
                Horizontal(
                    Label(plain(f"Socket {index + 1}: {plan.role}"), classes="field-label"),
                    Select(
                        TYPE_CHOICES,
                        value=chosen,
                        allow_blank=False,
                        id=f"type-{index}",
                        compact=True,
                    ),
                    classes="field-row",
                )
            )
            rows.append(
                Horizontal(
                    Label("", classes="field-label"),
                    TickBox(
                        "ON_NET (A6)", plan.flags & ON_NET != 0, id=f"onnet-{index}", compact=True
                    ),
                    TickBox("bind() after setsc()", plan.bind, id=f"bind-{index}", compact=True),
                    classes="field-row",
                )
            )
            rows.append(
                Horizontal(
                    Label("RFC 5014 flags", classes="field-label"),
                    Input(
                        ", ".join(flag_names(plan.flags & RFC5014_FLAGS)),
                        placeholder="e.g. home, coa (R1-R3)",
                        id=f"flags-{index}",
                        compact=True,
                    ),
                    classes="field-row",
                )
            )
        await plans.mount_all(rows)

    @on(Select.Changed, "#kind")
    async def _kind_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self.kind:
            return
        name = self.query_one("#name", Input)
        if name.value == self._free_name(self.kind):
            name.value = self._free_name(event.value)
        self.kind = event.value
        self.query_one("#summary", Static).update(plain(self._summary()))
        await self._show_plans()
        self._validate()

    @on(Input.Changed)
    def _typed(self) -> None:
        self._validate()

    def _validate(self) -> str:
        problem = name_problem(self.query_one("#name", Input).value.strip(), self.running)
        if not problem:
            for index in range(len(CATALOG[self.kind].plans)):
                try:
                    parse_flags(
                        self.query_one(f"#flags-{index}", Input).value, allow_on_demand=False
                    )
                except ValueError as exc:
                    problem = f"Socket {index + 1}: {exc}"
                    break
        self.say_problem(problem)
        self.query_one("#launch", Button).disabled = bool(problem)
        return problem

    def _spec(self) -> AppSpec:
        name = self.query_one("#name", Input).value.strip()
        plans: list[SocketPlan] = []
        for index, plan in enumerate(CATALOG[self.kind].plans):
            type_choice = self.query_one(f"#type-{index}", Select).value
            flags = parse_flags(
                self.query_one(f"#flags-{index}", Input).value, allow_on_demand=False
            )
            if self.query_one(f"#onnet-{index}", Checkbox).value:
                flags |= ON_NET
            type_ = None if type_choice == LEGACY else _type_of(str(type_choice))
            plans.append(
                replace(
                    plan,
                    type=type_,
                    flags=flags,
                    bind=self.query_one(f"#bind-{index}", Checkbox).value,
                )
            )
        return spec_for(name, self.kind, tuple(plans))

    @on(Button.Pressed, "#launch")
    @on(Input.Submitted)
    def _launch(self) -> None:
        if not self._validate():
            self.dismiss(self._spec())

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def _type_of(slug: str) -> AddressType:
    return next(t for t in AddressType if t.slug == slug)
