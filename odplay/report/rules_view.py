"""The rule catalogue beside RFC 8653, for the command line: `odplay rules --json` (every rule
with its standing in the RFC) and `odplay rules --rfc` (a Rich table of the rules the RFC does
not keep as they are). No model, no UI: this reads only odplay.rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odplay.report.jsonout import envelope
from odplay.rfc8653 import RfcStatus
from odplay.rules import RULES

if TYPE_CHECKING:
    from rich.table import Table

#: The order `--rfc` lists the differences in: the biggest change first.
_ORDER = (RfcStatus.DRAFT_ONLY, RfcStatus.CHANGED, RfcStatus.WEAKENED, RfcStatus.CLARIFIED)
#: How each status stands out in the table (the word itself is always printed).
_STYLE = {
    RfcStatus.DRAFT_ONLY: "bold red",
    RfcStatus.CHANGED: "yellow",
    RfcStatus.WEAKENED: "yellow",
    RfcStatus.CLARIFIED: "cyan",
    RfcStatus.KEPT: "green",
}


def rules_to_jsonable(rule_ids: list[str]) -> dict[str, Any]:
    """The `odplay.rules` format: each rule's ID, draft section, title and RFC 8653 standing."""
    return envelope(
        "odplay.rules",
        {
            "rules": [
                {
                    "id": rule.id,
                    "section": rule.section,
                    "title": rule.title,
                    "rfc8653": {
                        "status": rule.rfc8653.status.value,
                        "section": rule.rfc8653.section or None,
                        "note": rule.rfc8653.note,
                    },
                }
                for rule in (RULES[r] for r in rule_ids)
            ],
        },
    )


def rfc_table(rule_ids: list[str]) -> Table:
    """The rules among `rule_ids` that RFC 8653 does not keep unchanged, draft-only first."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text("draft-16 and RFC 8653: the rules that differ"),
        title_justify="left",
        title_style="bold",
        expand=True,
        show_lines=True,
    )
    table.add_column("rule", no_wrap=True, style="bold green")
    table.add_column("draft-16", no_wrap=True)
    table.add_column("title")
    table.add_column("RFC 8653", no_wrap=True)
    table.add_column("RFC section", no_wrap=True)
    table.add_column("what changed", ratio=1)
    rules = [RULES[r] for r in rule_ids if RULES[r].rfc8653.status in _ORDER]
    rules.sort(key=lambda rule: _ORDER.index(rule.rfc8653.status))
    for rule in rules:
        standing = rule.rfc8653
        table.add_row(
            Text(rule.id),
            Text(rule.section),
            Text(rule.title),
            Text(standing.status.value, style=_STYLE[standing.status]),
            Text(standing.section or "none"),
            Text(standing.note),
        )
    return table


def kept_line(rule_ids: list[str]) -> str:
    """The rules the RFC keeps as they are, in one line under the table."""
    kept = [r for r in rule_ids if RULES[r].rfc8653.status is RfcStatus.KEPT]
    if not kept:
        return "No rule here is kept unchanged."
    names = " ".join(kept)
    return f"Kept as they are ({len(kept)}): {names}. odplay rules ID gives each one's section."
