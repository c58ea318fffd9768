"""One meaning per word: the same socket reads the same in `odplay run`'s tables, the
playground's tables and the socket workbench's list, and every table has its legend.

A socket's local address is `IPsl1` bound, `(IPnp1)` not bound and picked by the stack as its
source (R3, B3), `given IPnp1` made by setsc() and not bound yet (A1), `::` bound to any
address, `-` none; an address is used by the sockets whose local address it is (D8). The words
live in odplay/report/words.py and nowhere else.
"""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, RichLog, Select

from odplay.constants import FIXED, NON_PERSISTENT, SESSION_LASTING, Status
from odplay.glossary import TERMS
from odplay.report import words
from odplay.report.timeline import state_tables
from odplay.session.api import Bind, Connect, Listen, Session, SetPolicy, Setsc, SocketCall
from odplay.session.views import LEGENDS, address_table, socket_table
from odplay.ui.dialogs.socket_dialog import SocketDialog
from tests.ui.conftest import drive, free_app

#: fd → the local address every view must show for it.
EXPECTED = {3: "IPsl1", 4: "(IPnp1)", 5: "given IPnp1", 6: "::", 7: "-"}


def _every_kind_of_socket() -> Session:
    session = Session.free()  # attached at ap1: PREFsl1 and PREFnp1 from gw1
    fds = [session.call(SocketCall(owner)).value for owner in "abcde"]
    assert fds == [3, 4, 5, 6, 7]
    session.call(Setsc(3, int(SESSION_LASTING)))
    session.call(Bind(3, "IPsl1"))  # bound to it
    session.call(Connect(4, "www.example.org"))  # never bound: the stack picks its source
    session.call(Setsc(5, int(NON_PERSISTENT)))  # given by setsc(), not bound yet
    session.call(Listen(6, 8080))  # listens on every address: bound to ::
    return session  # 7: nothing


def _run_rows(session: Session) -> tuple[dict[str, list[str]], str]:
    """`odplay run`'s final tables as text: each row's cells by its first cell, and the text."""
    out = io.StringIO()
    Console(file=out, width=250, color_system=None).print(state_tables(session.sim))
    text = out.getvalue()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) > 3:
            rows[cells[0]] = cells
    return rows, text


def test_the_local_address_reads_the_same_in_run_and_in_the_playground() -> None:
    session = _every_kind_of_socket()
    run, _ = _run_rows(session)
    table = socket_table(session.world)
    for fd, local in EXPECTED.items():
        row = table[str(fd)].cells
        assert row[5] == local, (fd, row)
        assert run[str(fd)][5] == local, (fd, run[str(fd)])
        assert run[str(fd)][6] == row[6]  # the state, in the same words


def test_used_by_reads_the_same_in_run_and_in_the_playground() -> None:
    session = _every_kind_of_socket()
    run, _ = _run_rows(session)
    addresses = address_table(session.world)
    assert addresses["IPsl1"].cells[3] == run["IPsl1"][3] == "3 a"
    # fd 5 was only given IPnp1 by setsc(): it is not a user (D8, R3).
    assert addresses["IPnp1"].cells[3] == run["IPnp1"][3] == "4 b"


def test_every_table_has_its_legend_in_run_and_in_the_playground() -> None:
    _, text = _run_rows(_every_kind_of_socket())
    for legend in (words.RUN_PREFIX_LEGEND, words.ADDRESS_LEGEND, words.SOCKET_LEGEND):
        assert " ".join(legend.split()) in " ".join(text.split())
    app = free_app()

    async def body(pilot: Pilot[None]) -> None:
        for panel, legend in LEGENDS.items():
            assert str(app.query_one(f"#{panel}").border_subtitle) == legend

    drive(app, body)
    # The short form names every symbol the long one explains.
    for symbol in ("IPsl1", "(IPnp1)", "given", "-"):
        assert symbol in words.SOCKET_KEY and symbol in words.SOCKET_LEGEND


def test_the_glossary_says_what_the_legends_say() -> None:
    terms = dict(TERMS)
    for symbol in ("IPsl1", "(IPnp1)", "given IPsl1", "::", "- none"):
        assert symbol in terms[words.LOCAL_ADDRESS]
    assert "bound to it or sending from it" in terms[words.USED_BY]
    assert "binding update" in terms["signalling message"]


def test_the_workbench_lists_each_socket_in_the_table_s_words() -> None:
    app = free_app(session=_every_kind_of_socket())

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        options = dialog.query_one("#socket", Select)._options
        labels = {value: str(prompt) for prompt, value in options}
        table = socket_table(app.session.world)
        for fd, local in EXPECTED.items():
            assert labels[fd].endswith(f"local address {local}"), labels[fd]
            assert table[str(fd)].cells[6] in labels[fd]

    drive(app, body, size=(100, 36))


def test_a_refused_setsc_reads_EPERM_by_name_in_the_workbench_as_in_the_ladder_S1() -> None:
    session = Session.free()
    session.do(SetPolicy("permissions", {FIXED: frozenset({"someone-else"})}))
    app = free_app(session=session)

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press("k")
        dialog = app.screen
        assert isinstance(dialog, SocketDialog)
        dialog.query_one("#do-socket", Button).press()
        await pilot.pause()
        dialog.query_one("#type", Select).value = int(FIXED)
        await pilot.pause()
        dialog.query_one("#do-setsc", Button).press()
        await pilot.pause()
        # The log wraps long lines; joined, it holds the ladder's entry word for word.
        log = "".join(str(line.text) for line in dialog.query_one("#results", RichLog).lines)
        ladder = [e.text for e in app.session.trace if "EPERM" in e.text]
        assert len(ladder) == 1 and ladder[0] in log
        assert ladder[0].startswith("setsc(3) → EPERM")
        assert f"→ {int(Status.EPERM)}" not in log and "(EPERM)" not in log

    drive(app, body, size=(100, 36))
