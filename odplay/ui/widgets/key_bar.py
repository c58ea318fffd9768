"""The bottom line: every key binding of the screen, in one strip that scrolls sideways.

It does what Textual's Footer does (follows the active bindings, remapped keys included, groups
keys that share a description, runs a binding when clicked) in two widgets instead of one per
key: with some twenty bindings the Footer alone cost a third of the time to the first frame.
"""

from __future__ import annotations

from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll
from textual.screen import Screen
from textual.widgets import Static


class KeyStrip(Static):
    """The keys as one line of text; a click runs the binding under the pointer."""

    def __init__(self) -> None:
        super().__init__("", id="keys")
        self.regions: list[tuple[int, int, str]] = []  # start, end, key to press
        self.shown = Text()  # the keys it shows

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self.regions:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


class KeyBar(HorizontalScroll, can_focus=False, can_focus_children=False):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        scrollbar-size-horizontal: 0;
    }
    KeyBar > KeyStrip { width: auto; }
    """

    def compose(self) -> ComposeResult:
        yield KeyStrip()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        variables = self.app.theme_variables
        key_style = Style.parse(f"bold {variables.get('footer-key-foreground', 'yellow')[:7]}")
        text = Text(no_wrap=True)
        regions: list[tuple[int, int, str]] = []
        shown: list[Binding] = []
        seen_actions: set[str] = set()
        disabled: set[Binding] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen_actions:
                seen_actions.add(binding.action)
                shown.append(binding)
                if not enabled:
                    disabled.add(binding)
        for group, members in groupby(shown, key=lambda b: b.group):
            bindings = list(members)
            grouped = group is not None and len(bindings) > 1
            for binding in bindings:
                # A key that waits (for long work) is shown dimmed, where it was: the bar keeps
                # its width, and redrawing it lays nothing out again.
                dim = binding in disabled
                start = text.cell_len
                key = self.app.get_key_display(binding)
                text.append(key, style="dim" if dim else key_style)
                if not grouped:
                    text.append(f" {binding.description}", style="dim" if dim else "")
                if not dim:
                    regions.append((start, text.cell_len, binding.key.split(",")[0]))
                text.append("" if grouped else "  ")
            if grouped and group is not None:
                waiting = all(binding in disabled for binding in bindings)
                text.append(f" {group.description}  ", style="dim" if waiting else "")
        palette = self.app.COMMAND_PALETTE_BINDING
        if self.app.ENABLE_COMMAND_PALETTE:
            start = text.cell_len
            text.append("^p", style=key_style)
            text.append(" palette")
            regions.append((start, text.cell_len, palette))
        strip = self.query_one(KeyStrip)
        strip.regions = regions
        # The bindings "change" at every focus change and every screen pushed or popped, and
        # mostly the keys shown stay the same: updating the strip anyway lays the whole screen
        # out again (its width is auto), which over a busy run cost tens of milliseconds each
        # time a dialog or the comparison came up (benchmarks/long_work).
        if text != strip.shown:
            same_width = text.cell_len == strip.shown.cell_len
            strip.shown = text
            strip.update(text, layout=not same_width)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.scroll_right(animate=False)
        event.stop()

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.scroll_left(animate=False)
        event.stop()
