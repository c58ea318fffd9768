"""The project's rule: a string built at run time never reaches markup.

Rich and Textual parse a plain `str` as markup in many places (a Static's or a Label's content,
an Option's prompt, a toast, `console.print`, a table cell). A string built with an f-string,
`%`, `+` or `.format()` may carry a name or a title from a scenario file, and then `[/]` ends
the app and `[@click=...]` runs an action. So in those places odplay passes a `rich.text.Text`
(for words from outside: `odplay.text.plain`), never a built string. This test reads every
module of odplay and fails on any call that breaks the rule, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "odplay"
#: Callables that read a `str` argument as markup.
MARKUP_READERS = frozenset(
    {
        "Static",
        "Label",
        "Option",
        "Button",
        "Checkbox",
        "RadioButton",
        "Markdown",
        "Hit",
        "DiscoveryHit",
        "Panel",
        "notify",
        "update",
        "print",
        "log",
        "add_row",
        "from_markup",
        "render_markup",
    }
)


#: Keywords that name or style a widget and are never shown as text.
NOT_SHOWN = frozenset({"markup", "id", "classes", "name", "style", "severity"})


def _built_string(node: ast.expr) -> bool:
    """An expression that makes a new string from parts at run time."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _built_string(node.left) or _built_string(node.right) or _is_str(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_str(node.func.value)
    return False


def _is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def violations(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        markup_off = any(
            k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
        if _name(node.func) in MARKUP_READERS and not markup_off:
            arguments = [*node.args, *(k.value for k in node.keywords if k.arg not in NOT_SHOWN)]
            if any(_built_string(a) for a in arguments):
                found.append(f"{filename}:{node.lineno}: {_name(node.func)}() given a built str")
        for keyword in node.keywords:
            if keyword.arg == "markup" and not isinstance(keyword.value, ast.Constant):
                found.append(f"{filename}:{node.lineno}: markup= set from a run-time value")
    return found


def test_no_built_string_reaches_markup() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ('Static(f"{title}")', True),
        ('self.notify("Saved " + path)', True),
        ('console.print("{}".format(name))', True),
        ('table.add_row(name, f"{x}ms")', True),
        ('self.notify(f"{path}", markup=False)', False),
        ('Static(plain(f"{title}"))', False),
        ('Static("a fixed sentence")', False),
        ('Label(Text(f"Socket {n}"))', False),
        ("Static(x, markup=flag)", True),
    ],
)
def test_the_rule_itself(source: str, bad: bool) -> None:
    assert bool(violations(source, "x.py")) is bad
