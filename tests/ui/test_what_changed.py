"""Per step, "what changed": the rows the step just taken added (+), changed (~) or took away
(−, shown dimmed until the next step) are marked in each table, and listed in the explanation.
The 4.2 flow's move (step 5, F5/F7/T3): PREFnp2 appears, PREFnp1 is withdrawn, IPnp2 appears,
IPnp1 goes."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from odplay.session.changes import APPEARED, CHANGED, WENT, prefix_identity, table_changes
from odplay.session.views import Row, Tone
from odplay.ui.app import PlaygroundApp
from odplay.ui.widgets.address_table import AddressTable
from odplay.ui.widgets.prefix_table import PrefixTable
from tests.ui.conftest import drive, flow_app


def test_a_prefix_changes_when_what_it_is_changes_not_when_its_lifetime_counts_down() -> None:
    def prefix(valid: str, state: str, tone: Tone = Tone.NORMAL) -> Row:
        return Row(("PREFgr1", "Graceful-repl.", "2001:db8::/64", "gw1", valid, valid, state), tone)

    before = {"PREFgr1": prefix("10s", "valid"), "PREFnp1": prefix("∞", "valid")}
    ticked = {"PREFgr1": prefix("9s", "valid"), "PREFnp9": prefix("∞", "valid")}
    changes = table_changes(before, ticked, prefix_identity)
    assert (changes.appeared, changes.changed, changes.went) == (("PREFnp9",), (), ("PREFnp1",))
    graced = {"PREFgr1": prefix("9s", "grace: 9.0s left", Tone.WARN)}
    assert table_changes(before, graced, prefix_identity).changed == ("PREFgr1",)
    assert table_changes(before, before, prefix_identity).marks() == {}


def _explanation(app: PlaygroundApp) -> str:
    return str(app.query_one("#explanation", Static).render())


def test_the_move_marks_its_rows_in_each_table_and_lists_them_F5_F7_T3() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*["n"] * 5)
        await pilot.pause()
        prefixes, addresses = app.query_one(PrefixTable), app.query_one(AddressTable)
        assert prefixes.marks == {"PREFnp2": APPEARED, "PREFnp1": CHANGED}
        assert addresses.marks == {"IPnp2": APPEARED, "IPnp1": WENT}
        # The address that went is still on screen, dimmed, with its mark.
        gone = addresses.keys.index("IPnp1")
        assert addresses.row_text(gone).plain.startswith(f"{WENT}IPnp1")
        assert prefixes.row_text(prefixes.keys.index("PREFnp2")).plain.startswith("+PREFnp2")
        said = _explanation(app)
        assert "Changed by this step:" in said
        assert "Prefixes +PREFnp2 ~PREFnp1" in said and "Addresses +IPnp2 −IPnp1" in said
        assert "~app1 fd 3" in said  # its socket broke (T3)
        # The next step marks its own changes: IPnp1 is gone from the table now.
        await pilot.press("n")
        await pilot.pause()
        assert "IPnp1" not in addresses.keys and "PREFnp2" not in prefixes.marks
        # The marks drawn are this step's: the row's cells did not change, its mark did.
        assert prefixes.row_text(prefixes.keys.index("PREFnp1")).plain.startswith(" PREFnp1")
        # A step back shows the run as it was: nothing marked.
        await pilot.press("b")
        await pilot.pause()
        assert prefixes.marks == addresses.marks == {}
        assert "Changed by this step" not in _explanation(app)
        # Playing, nothing is marked (every tick would be a step).
        await pilot.press("space")
        await pilot.pause()
        assert prefixes.marks == {} and "Changed by this step" not in _explanation(app)

    drive(app, body, size=(150, 44))
