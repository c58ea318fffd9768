"""The reach action (`i`): a correspondent opens a connection to the host in free play (C2)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from odplay.session.session import Session
from odplay.session.views import reach_targets
from odplay.sim import commands as cmd
from odplay.sim.apps import spec_for
from odplay.ui.app import PlaygroundApp
from odplay.ui.dialogs.reach_dialog import ReachDialog
from odplay.ui.palette import palette_entries
from tests.conftest import ALL_TYPES, network
from tests.ui.conftest import FakeClock, drive, free_app


def _serving_session() -> Session:
    """Free play with a web server listening at its published Fixed address."""
    session = Session.free(network(supports=set(ALL_TYPES)))
    assert session.call(cmd.Launch(spec_for("web", "web-server"))).ok
    session.run_while(lambda: not session.world.network.dns)
    return session


async def _reach(pilot: Pilot[None], app: PlaygroundApp, label_part: str) -> str:
    await pilot.press("i")
    dialog = app.screen
    assert isinstance(dialog, ReachDialog)
    options = dialog.query_one("#targets", OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = next(i for i, label in enumerate(labels) if label_part in label)
    options.highlighted = index
    await pilot.press("enter")
    await pilot.pause()
    last = app.session.trace[-1]
    assert last.kind == "reach"
    return last.text


def test_C2_the_reach_key_gets_through_to_a_published_fixed_address_with_its_path() -> None:
    session = _serving_session()
    app = free_app(FakeClock(), session)

    async def body(pilot: Pilot[None]) -> None:
        text = await _reach(pilot, app, "www.mh.example:443")
        assert "reaches www.mh.example:443" in text and "RTT" in text
        assert app.session.trace[-1].data["ok"] is True

    drive(app, body)


def test_C2_a_detached_host_is_not_reached_even_at_its_fixed_address() -> None:
    session = _serving_session()
    assert session.do(cmd.Detach()).ok
    app = free_app(FakeClock(), session)

    async def body(pilot: Pilot[None]) -> None:
        text = await _reach(pilot, app, "www.mh.example:443")
        assert "cannot reach" in text and "detached" in text
        assert app.session.trace[-1].data["ok"] is False

    drive(app, body)


def test_C2_an_address_can_be_reached_by_its_name_as_well_as_by_dns() -> None:
    session = _serving_session()
    fixed = next(a for a in session.world.stack.addresses.values() if a.name.startswith("IPfx"))
    app = free_app(FakeClock(), session)

    async def body(pilot: Pilot[None]) -> None:
        text = await _reach(pilot, app, f"[{fixed.name}]:443")
        assert f"reaches {fixed.name}:443" in text

    drive(app, body)


def test_C2_the_targets_say_whether_something_listens() -> None:
    session = _serving_session()
    labels = [t.label for t in reach_targets(session.world)]
    assert any("www.mh.example:443" in label and "web listens" in label for label in labels)
    session.do(cmd.Quit(session.running_apps()[0]))
    labels = [t.label for t in reach_targets(session.world)]
    assert all("listens there" in label or "no longer held" in label for label in labels)


def test_C2_the_palette_offers_the_reach_action() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        titles = [title for title, _, _ in palette_entries(app)]
        assert "Reach the host from a correspondent…" in titles

    drive(app, body)


def test_C2_with_nothing_to_reach_the_dialog_says_so() -> None:
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        app.push_screen(ReachDialog([], ["cn1"]))
        await pilot.pause()
        note = app.screen.query_one(".note", Static)
        assert note.display and note.region.height >= 1
        assert "Nothing to reach" in str(note.render())

    drive(app, body)
