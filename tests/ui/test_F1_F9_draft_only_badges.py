"""The playground says which rules and names only draft-16 has: a "draft-16 only" badge in the
explanation panel (words, not only colour), `*` after a rule ID in the ladder with a header that
says what it means, the RFC's verdict on a rule it changed, a glossary at the end of the help,
and RFC 8653's own errata beside the draft's."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Markdown, Static

from odplay.glossary import NAMES, TERMS
from odplay.rfc8653 import RFC_ERRATA
from odplay.ui.screens.errata_screen import ErrataScreen
from odplay.ui.screens.help_screen import HELP, HelpScreen
from odplay.ui.style import explain_rules, rule_chips
from odplay.ui.widgets.message_ladder import HEADER, LadderLines
from tests.ui.conftest import drive, flow_app, free_app


def test_a_draft_only_rule_carries_the_badge_and_what_the_rfc_has_instead() -> None:
    text = explain_rules(["F8"]).plain
    assert text.startswith("F8 §4.2 An unsupported type.  draft-16 only  A new application")
    assert "RFC 8653: The RFC has no worked example" in text and "D4 (Section 3.4)" in text


def test_a_kept_rule_has_no_badge_and_a_changed_one_says_how() -> None:
    assert "draft-16 only" not in explain_rules(["T1"]).plain
    assert "RFC 8653" not in explain_rules(["T1"]).plain
    weakened = explain_rules(["B2"]).plain
    assert "draft-16 only" not in weakened
    assert "RFC 8653 section 4.1, weakened: New applications should" in weakened
    assert "RFC 8653 Appendix A, changed: setsc() survives only" in explain_rules(["A1"]).plain


def test_the_ladder_marks_draft_only_ids_and_its_header_says_so() -> None:
    assert rule_chips(["F8", "D4", "A3", "Q9"]).plain == "F8* D4 A3* Q9"
    assert "rules *=draft" in HEADER


def test_the_4_2_flow_shows_the_badge_at_each_step_and_stars_in_the_ladder() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        for _ in range(8):
            await pilot.press("n")
        await pilot.pause()
        text = str(app.query_one("#explanation", Static).render())
        assert "Step 8 of 9 F8*" in text and "draft-16 only" in text
        lines = app.query_one("#ladder-lines", LadderLines)
        rows = [lines.row_text(index).plain for index in range(lines.row_count)]
        assert any("F8*" in row for row in rows)

    drive(app, body)


def test_the_help_ends_with_the_glossary_of_both_documents_names() -> None:
    assert HELP.index("## Glossary") < HELP.index("### Names: draft-16 and RFC 8653")
    for name in ("FIXED_IPV6_ADDRESS", "FIXED_IP_ADDRESS", "EAI_REQUIREDIPFAILED", "OnDemand"):
        assert name in HELP
    for term, _meaning in TERMS:
        assert f"| {term} |" in HELP
    assert len(NAMES) >= 10
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(Markdown).source == HELP

    drive(app, body)


def test_the_errata_screen_shows_rfc8653s_own_beside_the_drafts() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ErrataScreen)
        shown = app.screen.query_one("#rfc-errata", Static)
        text = " ".join(str(line.text) for line in shown.render_lines(shown.region.reset_offset))
        assert RFC_ERRATA[0].where in text and "On-Demand flag" in text

    drive(app, body)
