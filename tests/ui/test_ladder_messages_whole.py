"""The ladder never cuts a message: one longer than its column wraps onto lines of its own, and
the ladder's column is wide enough at 160x48 for a bind() to read on one line."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from odplay.session.views import ladder_row
from odplay.ui.widgets.message_ladder import (
    MESSAGE_COLUMN,
    MIN_MESSAGE,
    LadderLines,
    message_of,
    wrap,
    wrap_count,
)
from tests.ui.conftest import drive, flow_app

BIND = "app1: bind(6, [IPnp2]:49155) → 0"


@pytest.mark.parametrize("width", [1, 5, 16, 40])
def test_wrap_keeps_every_character_and_no_line_is_wider_than_asked(width: int) -> None:
    message = "app4: setsc() returned EAI_REQUIREDIPNOTSUPPORTED; tries again with  two spaces"
    lines = wrap(message, width)
    assert all(len(line) <= width for line in lines)
    # Broken at a space, the space goes; a word broken where it must keeps every character.
    assert "".join(lines).replace(" ", "") == message.replace(" ", "")
    assert wrap("short", 40) == ["short"]


def test_counting_a_message_s_lines_agrees_with_wrapping_it() -> None:
    """wrap_count (how the ladder counts lines as the trace grows) = len(wrap) (how it draws)."""
    words = ["a", "bb", "EAI_REQUIREDIPNOTSUPPORTED", "2001:db8:1:1:b3b1:2c80:1667:cdd6", "→", ""]
    words += ["x" * 40, "漢字"]
    for n in range(3000):
        message = " ".join(words[(n * 7 + i * 3) % len(words)] for i in range(n % 11 + 1))
        for width in (1, 2, 5, 16, 33, 50):
            assert wrap_count(message, width) == len(wrap(message, width)), (message, width)


def _ladder_lines(lines: LadderLines) -> list[str]:
    return [text.plain for index in range(lines.row_count) for text in lines.row_lines(index)]


@pytest.mark.parametrize("size", [(80, 24), (140, 40), (160, 48)])
def test_every_message_of_the_4_2_flow_is_whole_in_the_ladder_F1_F9(size: tuple[int, int]) -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*["n"] * 8, "4")
        await pilot.pause()
        lines = app.query_one(LadderLines)
        assert lines.message_width >= MIN_MESSAGE
        # The panel is as wide as the lines: nothing is out of sight to the right.
        assert lines.content_width() <= lines.scrollable_content_region.width
        assert lines.line_count == sum(len(lines.row_lines(i)) for i in range(lines.row_count))
        for index in range(lines.row_count):
            message = message_of(ladder_row(lines.entries[index], app.session.world))
            parts = [text.plain[MESSAGE_COLUMN:].rstrip() for text in lines.row_lines(index)]
            assert all(len(part) <= lines.message_width for part in parts)
            assert "".join(parts).replace(" ", "") == message.replace(" ", "")
        # The refusal (F8) reads in full: its status is never broken across lines.
        status = "EAI_REQUIREDIPNOTSUPPORTED"
        refused = [
            [text.plain for text in lines.row_lines(index)]
            for index in range(lines.row_count)
            if status in lines.entries[index].text
        ]
        assert len(refused) >= 2  # the gateway's refusal, and setsc()'s answer
        assert all(any(status in line for line in row) for row in refused)
        if size == (160, 48):
            assert any(BIND in line for line in _ladder_lines(lines))

    drive(app, body, size=size)


def test_a_click_on_a_wrapped_message_s_second_line_selects_that_message() -> None:
    app = flow_app()

    async def body(pilot: Pilot[None]) -> None:
        await pilot.press(*["n"] * 4, "4")
        await pilot.pause()
        lines = app.query_one(LadderLines)
        wrapped = next(i for i in range(lines.row_count) if len(lines.row_lines(i)) > 1)
        lines.cursor = 0
        await pilot.pause()
        lines.scroll_to(y=lines.row_line(wrapped), animate=False, immediate=True)
        await pilot.pause()
        top = lines.content_region.y + lines._heading_lines
        await pilot.click(offset=(lines.content_region.x + 50, top + 1))
        await pilot.pause()
        assert lines.cursor == wrapped

    drive(app, body, size=(80, 24))
