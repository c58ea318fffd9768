"""Text from outside odplay, made safe to show: a terminal, an SVG, a Mermaid file, Markdown.

Every string a scenario file, a dialog field, a saved run or the network supplies (titles,
`say`, names, roles, questions, choices, addresses, zone IDs, paths) is data. It is never
interpolated into Rich or Textual markup: it is shown as a `rich.text.Text` (see `plain`), and
before it reaches any output its control characters are shown visibly escaped (see `visible`):
an ESC, a BEL, a carriage return or a C1 control in a scenario's title must not be able to set
the terminal's window title, wipe the screen or rewrite a line of what odplay printed.

Tab and newline are kept where a line may wrap (`visible`); `one_line` folds them too, for
places where a newline would end a statement (Mermaid) or a table cell (Markdown).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates (not encodable, so a write
# would fail), and the two non-characters XML 1.0 forbids.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\r": "\\r", "\x1b": "\\e", "\x07": "\\a", "\x08": "\\b", "\x0b": "\\v", "\x0c": "\\f"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\e`, `\\x9b`...), tab and
    newline kept."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """`visible(text)` on one line: newlines and tabs become spaces."""
    return visible(text).replace("\n", " ").replace("\t", " ")


def plain(text: str, style: str = "") -> Text:
    """A Rich `Text` that shows `text` as it is: no markup parsed, no control byte let through."""
    from rich.text import Text  # imported here: `visible` serves commands that never draw

    return Text(visible(text), style=style)
