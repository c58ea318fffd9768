"""The loader reads YAML through libyaml's parser (ruamel.yaml.clib) where it is installed, and
through ruamel's Python parser where not: both must give the same document, and neither may be
crashed by a hostile file (a million levels of nesting would overflow the C stack of ruamel's
own C composer, which is why only libyaml's events are used)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from odplay.scenario import loader
from odplay.scenario.catalogue import shipped_scenarios

needs_libyaml = pytest.mark.skipif(
    loader.CParser is None, reason="ruamel.yaml.clib is not installed here"
)


def _shape(node: Node) -> Any:
    where = (node.start_mark.line, node.start_mark.column, str(node.tag))
    if isinstance(node, MappingNode):
        return (*where, [(_shape(k), _shape(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return (*where, [_shape(item) for item in node.value])
    return (*where, node.value)


@needs_libyaml
@pytest.mark.parametrize("item", shipped_scenarios(), ids=lambda item: item.name)
def test_libyaml_and_ruamel_compose_the_same_document(item: Any) -> None:
    text = item.path.read_text(encoding="utf-8")
    python = YAML(typ="safe", pure=True).compose(text)
    libyaml = loader._LibyamlEvents(text).compose()
    assert python is not None and libyaml is not None
    assert _shape(libyaml) == _shape(python)


@needs_libyaml
def test_ipv6_literals_and_yaml_1_2_scalars_resolve_as_ruamel_resolves_them() -> None:
    text = "a: 2001:db8:1:2\nb: yes\nc: 0o17\nd: 012\ne: ~\n"
    yaml = YAML(typ="safe", pure=True)
    expected = yaml.load(text)
    root = loader._LibyamlEvents(text).compose()
    assert yaml.constructor.construct_document(root) == expected
    assert expected == {"a": "2001:db8:1:2", "b": "yes", "c": 15, "d": 12, "e": None}


@pytest.mark.parametrize("depth", [1_000, 900_000])
def test_a_file_nested_past_any_stack_is_refused_not_crashed(depth: int) -> None:
    """In a child process: a crash of the C stack would take the test runner with it."""
    code = (
        "from odplay.scenario.loader import parse_scenario\n"
        "from odplay.scenario.errors import ScenarioError\n"
        f"text = 'title: t\\nsteps: ' + '[' * {depth} + ']' * {depth} + '\\n'\n"
        "try:\n"
        "    parse_scenario(text, 's.yaml')\n"
        "except ScenarioError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "nested" in done.stdout


@pytest.mark.parametrize(
    "text",
    [
        "a: {name: x, address: 2001:db8::1}\n",  # YAML 1.2 syntax that libyaml (1.1) refuses
        "a: x\x85b: 2\n",  # NEL: a line break to libyaml, a character to YAML 1.2
        "a: 1\nb:\t2\n",  # a tab ruamel refuses and libyaml takes
        "title: t\nsteps: [\n",  # an error: worded by ruamel whichever parser was tried first
    ],
)
def test_what_libyaml_reads_otherwise_is_read_as_ruamel_reads_it(text: str) -> None:
    def outcome(compose: Any) -> Any:
        try:
            return _shape(compose())
        except Exception as exc:  # the error itself is what must agree
            return (type(exc).__name__, str(exc))

    yaml = YAML(typ="safe", pure=True)
    expected = outcome(lambda: YAML(typ="safe", pure=True).compose(text))
    assert outcome(lambda: loader._compose(yaml, text)) == expected
