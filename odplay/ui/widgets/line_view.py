"""A scrolling list of lines with a sticky heading and a row cursor, drawn by the Line API.

The ladder and the host's tables are built on it. Only the lines on screen are ever rendered,
and each is cached until its content changes, so a table of thousands of sockets or a trace of
hundreds of thousands of messages costs what the screen shows (the toolong way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

_BOLD = Style(bold=True)


@dataclass(frozen=True, slots=True)
class _Pass:
    """What every line drawn in one pass over a LineView shares."""

    base: Style
    scroll_x: int
    scroll_y: int
    width: int
    total: int  # the widest line's width
    heading: Text | None
    heading_lines: int
    line_count: int
    row_count: int

    @classmethod
    def of(cls, view: LineView) -> _Pass:
        scroll_x, scroll_y = (round(v) for v in view.scroll_offset)
        heading = view.heading()
        return cls(
            view.rich_style,
            scroll_x,
            scroll_y,
            view.size.width,
            view.content_width(),
            heading,
            0 if heading is None else 1,
            view.line_count,
            view.row_count,
        )


class LineView(ScrollView, can_focus=True):
    """Subclasses say how many rows there are, how wide, and how to draw row `index`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="odplay.lines.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="odplay.lines.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="odplay.lines.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="odplay.lines.page-down"),
        Binding("home", "first", "First", show=False, id="odplay.lines.first"),
        Binding("end", "last", "Last", show=False, id="odplay.lines.last"),
        Binding("left", "scroll_left", "Left", show=False, id="odplay.lines.left"),
        Binding("right", "scroll_right", "Right", show=False, id="odplay.lines.right"),
    ]

    class Selected(Message):
        """The cursor moved to another row."""

        def __init__(self, view: LineView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> LineView:
            return self.view

    cursor: reactive[int] = reactive(-1, init=False)

    def __init__(self, empty_text: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.empty_text = empty_text  # what to say while there are no rows
        self._cache: dict[int, tuple[object, int, list[Strip]]] = {}
        self._pass: _Pass | None = None  # while a pass over the lines is drawing them

    # ------------------------------------------------------------------ for subclasses

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def content_width(self) -> int:
        """How wide the widest line is; the view scrolls sideways when it is wider."""
        return self.size.width

    def heading(self) -> Text | None:
        """A sticky first line, or None."""
        return None

    def row_key(self, index: int) -> object:
        """Identifies what row `index` shows: its cached line is reused while this is equal."""
        raise NotImplementedError

    def row_text(self, index: int) -> Text:
        raise NotImplementedError

    # A row is one line unless a subclass wraps it (the ladder): these map rows to lines.

    @property
    def line_count(self) -> int:
        """How many lines the rows take."""
        return self.row_count

    def row_line(self, index: int) -> int:
        """The first line of row `index` (`row_count`: `line_count`)."""
        return index

    def line_row(self, line: int) -> tuple[int, int]:
        """The row that `line` belongs to, and which of its lines it is."""
        return line, 0

    def row_lines(self, index: int) -> list[Text]:
        """Row `index` as the lines it takes."""
        return [self.row_text(index)]

    # ------------------------------------------------------------------ drawing

    @property
    def _heading_lines(self) -> int:
        return 1 if self.heading() is not None else 0

    def update_size(self) -> None:
        self.virtual_size = Size(self.content_width(), self.line_count + self._heading_lines)

    def forget(self) -> None:
        """Drop every cached line (the rows moved, or the data behind them changed)."""
        self._cache.clear()

    def _line(self, text: Text, base: Style, width: int) -> Strip:
        segments = Segment.apply_style(text.render(self.app.console), base)
        return Strip(segments).extend_cell_length(width, base)

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass shares is worked out once (the widget's style alone
        # walks its ancestors): a full frame draws every line of every panel on screen.
        self._pass = _Pass.of(self)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        drawing = self._pass or _Pass.of(self)
        base, scroll_x, width = drawing.base, drawing.scroll_x, drawing.width
        if drawing.heading is not None and y == 0:
            top = self._line(drawing.heading, base, drawing.total).apply_style(_BOLD)
            return top.crop_extend(scroll_x, scroll_x + width, base)
        line = drawing.scroll_y + y - drawing.heading_lines
        if line == 0 and drawing.row_count == 0 and self.empty_text:
            empty = Text(f" {self.empty_text}")
            empty.stylize("dim italic")  # a span: rendering to segments drops a Text's own style
            return self._line(empty, base, drawing.total).crop_extend(
                scroll_x, scroll_x + width, base
            )
        if not 0 <= line < drawing.line_count:
            return Strip.blank(width, base)
        index, part = self.line_row(line)
        key = self.row_key(index)
        cached = self._cache.get(index)
        total = drawing.total
        if cached is not None and cached[0] == key and cached[1] == total:
            strips = cached[2]
        else:
            if len(self._cache) > 4096:
                self._cache.clear()
            strips = [self._line(text, base, total) for text in self.row_lines(index)]
            self._cache[index] = (key, total, strips)
        strip = strips[min(part, len(strips) - 1)]
        if index == self.cursor:
            cursor = self._cursor_style()
            strip = Strip([Segment(s.text, (s.style or Style()) + cursor) for s in strip])
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _cursor_style(self) -> Style:
        """The theme's cursor colour, as DataTable shows it; paler when unfocused. Without
        colour (NO_COLOR), reverse video: the selected row still stands out."""
        if self.app.no_color:
            return Style(reverse=True, bold=self.has_focus)
        variables = self.app.theme_variables
        key = "block-cursor-background" if self.has_focus else "block-cursor-blurred-background"
        # The blurred colour is translucent: blend it over what is behind the widget.
        colour = self.background_colors[1] + Color.parse(variables.get(key, "#0178D4"))
        return Style(bgcolor=colour.rich_color, bold=self.has_focus)

    def on_resize(self, event: events.Resize) -> None:
        self.update_size()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ the cursor

    @property
    def following(self) -> bool:
        """True when the cursor is on the last row, or nowhere yet."""
        return self.cursor < 0 or self.cursor >= self.row_count - 1

    def show_cursor(self) -> None:
        """Scroll so that the cursor's row is on screen."""
        height = max(1, self.scrollable_content_region.height - self._heading_lines)
        top = round(self.scroll_offset.y)
        first = self.row_line(self.cursor) if self.cursor >= 0 else 0
        last = self.row_line(self.cursor + 1) - 1 if self.cursor >= 0 else 0
        if first < top:
            self.scroll_to(y=max(0, first), animate=False, immediate=True)
        elif last >= top + height:
            # Its last line at the bottom, or its first at the top if it is taller than the view.
            self.scroll_to(y=min(first, last - height + 1), animate=False, immediate=True)

    def watch_cursor(self) -> None:
        self.show_cursor()
        self.refresh()
        self.post_message(self.Selected(self))

    def _move_to(self, row: int) -> None:
        if self.row_count:
            self.cursor = max(0, min(self.row_count - 1, row))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.size.height - 2))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        # event.y counts from the widget's outer edge, border and padding included: a bordered
        # panel took the row below the one clicked. The content offset is what was clicked.
        offset = event.get_content_offset(self)
        if offset is None:  # the border or the scrollbar
            return
        line = round(self.scroll_offset.y) + offset.y - self._heading_lines
        if 0 <= line < self.line_count:
            self._move_to(self.line_row(line)[0])
