"""How the playground colours what the views say: tones, lanes, rule IDs. Rich styles only.

A rule that RFC 8653 dropped (odplay/rfc8653.py) is marked in words, not only in colour: `*`
after its ID in the ladder's rules column (the header says what it means) and a "draft-16 only"
badge in the explanation panel, which also says what the RFC changed in a rule it kept in part.
"""

from __future__ import annotations

from rich.text import Text

from odplay.rfc8653 import DRAFT_ONLY_BADGE, RfcStatus
from odplay.rules import RULES
from odplay.session.views import Lane, Tone

TONE_STYLE = {
    Tone.NORMAL: "",
    Tone.GOOD: "green",
    Tone.WARN: "yellow",
    Tone.BAD: "bold red",
    Tone.DIM: "dim",
}
#: A row that just changed stands out with this, for a moment.
FRESH_STYLE = "bold on #264f36"
LANE_STYLE = {Lane.APPS: "dodger_blue1", Lane.STACK: "cyan", Lane.NETWORK: "magenta"}
RULE_STYLE = "bold green"
#: After a rule ID that only draft-16 has (the ladder's header explains it: `*=draft`).
DRAFT_ONLY_MARK = "*"
DRAFT_ONLY_STYLE = "bold black on yellow"
#: The RFC 8653 statuses the explanation panel spells out; a kept rule needs no remark.
_REMARKED = (RfcStatus.CHANGED, RfcStatus.WEAKENED, RfcStatus.CLARIFIED)


def rule_chips(rules: tuple[str, ...] | list[str]) -> Text:
    """`F5* T3` as text whose IDs stand out, `*` marking a draft-16 only rule; unknown IDs are
    shown as they are."""
    text = Text()
    for index, rule_id in enumerate(rules):
        if index:
            text.append(" ")
        rule = RULES.get(rule_id)
        text.append(rule_id, style=RULE_STYLE if rule else "")
        if rule is not None and rule.rfc8653.draft_only:
            text.append(DRAFT_ONLY_MARK, style="yellow")
    return text


def explain_rules(rules: tuple[str, ...] | list[str]) -> Text:
    """Each rule's ID, section and title, then odplay's explanation, then where RFC 8653 differs
    (a "draft-16 only" badge for a rule the RFC dropped): one paragraph per rule."""
    text = Text()
    for rule_id in rules:
        rule = RULES.get(rule_id)
        if rule is None:
            continue
        if text:
            text.append("\n")
        text.append(f"{rule.id} ", style=RULE_STYLE)
        text.append(f"§{rule.section} {rule.title}. ", style="bold")
        standing = rule.rfc8653
        if standing.draft_only:
            text.append(f" {DRAFT_ONLY_BADGE} ", style=DRAFT_ONLY_STYLE)
            text.append(" ")
        text.append(rule.explanation)
        if rule.choice:
            text.append(f" Setting: {rule.choice}.", style="italic")
        if standing.draft_only:
            text.append(f" RFC 8653: {standing.note}", style="dim")
        elif standing.status in _REMARKED:
            text.append(f" RFC 8653 {standing.where}, {standing.status.value}: ", style="dim")
            text.append(standing.note, style="dim")
    return text
