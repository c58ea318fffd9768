"""How the playground colours what the views say: tones, lanes, rule IDs. Rich styles only."""

from __future__ import annotations

from rich.text import Text

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


def rule_chips(rules: tuple[str, ...] | list[str]) -> Text:
    """`F5 T3` as text whose IDs stand out; unknown IDs are shown as they are."""
    text = Text()
    for index, rule in enumerate(rules):
        if index:
            text.append(" ")
        text.append(rule, style=RULE_STYLE if rule in RULES else "")
    return text


def explain_rules(rules: tuple[str, ...] | list[str]) -> Text:
    """Each rule's ID, section and title, then odplay's explanation: one paragraph per rule."""
    text = Text()
    for rule_id in rules:
        rule = RULES.get(rule_id)
        if rule is None:
            continue
        if text:
            text.append("\n")
        text.append(f"{rule.id} ", style=RULE_STYLE)
        text.append(f"§{rule.section} {rule.title}. ", style="bold")
        text.append(rule.explanation)
        if rule.choice:
            text.append(f" Setting: {rule.choice}.", style="italic")
    return text
