"""The scenario models' own field checking (odplay.scenario.validation and .models).

A scenario file's values are read as pydantic v2's lax mode read them before (the messages the
loader turns into `file:line:column: field:` are pydantic's, word for word), every verb's and
subject's fields can be checked, and `odplay run` reads, validates and runs a scenario without
importing pydantic at all: that is most of its start-up goal (benchmarks/, startup).
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from odplay.scenario import registry
from odplay.scenario.errors import ScenarioError
from odplay.scenario.fields import (
    AfterValidator,
    BeforeValidator,
    Field,
    Name,
    Port,
    Strict,
    field_validator,
    model_validator,
)
from odplay.scenario.loader import parse_scenario
from odplay.scenario.schema import ActionModel, ExpectModel, ScenarioModel
from odplay.scenario.validation import ValidationError
from tests.conftest import loaded_by_a_run_of_the_4_2_flow


def _double(value: Any) -> Any:
    if value == "bad":
        raise ValueError("bad is refused")
    return value * 2 if isinstance(value, int | str) else value


class Inner(Strict):
    name: Name


class Sample(Strict):
    count: int = 0
    flag: bool = False
    name: Name = "x"
    port: Port | None = None
    items: Annotated[list[int], Field(min_length=1, max_length=3)] = Field(default_factory=list)
    table: dict[str, list[str]] | None = None
    inner: Inner | None = None
    doubled: Annotated[int, BeforeValidator(_double)] = 0
    checked: Annotated[str, AfterValidator(_double)] = ""
    choice: Annotated[int, Field(ge=-5, le=5)] | Annotated[str, Field(pattern="^(a|b)$")] = 0
    from_: Annotated[str | None, Field(alias="from")] = None


def _errors(data: Any) -> list[tuple[tuple[Any, ...], str, str]]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return [(e["loc"], e["type"], e["msg"]) for e in caught.value.errors()]


@pytest.mark.parametrize(
    ("value", "read"),
    [(True, 1), (2.0, 2), ("12", 12), (" -3 ", -3), ("1_000", 1000), ("7.00", 7), (10**30, 10**30)],
)
def test_an_integer_is_read_as_pydantic_read_it(value: Any, read: int) -> None:
    assert Sample.model_validate({"count": value}).count == read


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        (
            "abc",
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            "0x10",
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            2.5,
            "int_from_float",
            "Input should be a valid integer, got a number with a fractional part",
        ),
        (float("inf"), "finite_number", "Input should be a finite number"),
        (
            1e20,
            "int_parsing_size",
            "Unable to parse input string as an integer, exceeded maximum size",
        ),
        (
            "9" * 4301,
            "int_parsing_size",
            "Unable to parse input string as an integer, exceeded maximum size",
        ),
        (None, "int_type", "Input should be a valid integer"),
        ([1], "int_type", "Input should be a valid integer"),
    ],
)
def test_a_bad_integer_is_refused_with_pydantics_words(value: Any, kind: str, message: str) -> None:
    assert _errors({"count": value}) == [(("count",), kind, message)]


def test_booleans_strings_and_bounds() -> None:
    assert Sample.model_validate({"flag": "Yes"}).flag is True
    assert Sample.model_validate({"flag": 0}).flag is False
    assert _errors({"flag": 2}) == [
        (("flag",), "bool_parsing", "Input should be a valid boolean, unable to interpret input")
    ]
    assert _errors({"flag": None}) == [(("flag",), "bool_type", "Input should be a valid boolean")]
    assert _errors({"name": 3}) == [(("name",), "string_type", "Input should be a valid string")]
    # Bytes (YAML's !!binary) never pass for text: the loader escapes control characters in
    # strings only, and bytes would carry them past it.
    assert _errors({"name": b"\x1b[2J"}) == [
        (("name",), "string_type", "Input should be a valid string")
    ]
    assert _errors({"name": ""}) == [
        (("name",), "string_too_short", "String should have at least 1 character")
    ]
    assert _errors({"name": "n" * 65}) == [
        (("name",), "string_too_long", "String should have at most 64 characters")
    ]
    assert _errors({"port": 70000}) == [
        (("port",), "less_than_equal", "Input should be less than or equal to 65535")
    ]
    assert _errors({"port": -1}) == [
        (("port",), "greater_than_equal", "Input should be greater than or equal to 0")
    ]


def test_lists_mappings_and_nested_models_say_where() -> None:
    assert Sample.model_validate({"items": (1, "2")}).items == [1, 2]
    assert _errors({"items": []}) == [
        (("items",), "too_short", "List should have at least 1 item after validation, not 0")
    ]
    # Too long is said alone, before any item is looked at.
    assert _errors({"items": ["x", 1, 2, 3]}) == [
        (("items",), "too_long", "List should have at most 3 items after validation, not 4")
    ]
    assert _errors({"items": [1, "x"]})[0][0] == ("items", 1)
    assert _errors({"items": "12"}) == [(("items",), "list_type", "Input should be a valid list")]
    assert _errors({"table": {1: ["a"], "k": "x"}}) == [
        (("table", 1, "[key]"), "string_type", "Input should be a valid string"),
        (("table", "k"), "list_type", "Input should be a valid list"),
    ]
    assert _errors({"inner": {}}) == [(("inner", "name"), "missing", "Field required")]
    assert _errors({"inner": "x"}) == [
        (("inner",), "model_type", "Input should be a valid dictionary or instance of Inner")
    ]


def test_unknown_and_non_text_keys_come_after_the_fields_errors() -> None:
    assert _errors({"zz": 1, "count": "x", 5: 2, "from_": "a"}) == [
        (
            ("count",),
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (("zz",), "extra_forbidden", "Extra inputs are not permitted"),
        ((5,), "invalid_key", "Keys should be strings"),
        (("from_",), "extra_forbidden", "Extra inputs are not permitted"),
    ]
    made = Sample.model_validate({"from": "peer"})
    assert made.from_ == "peer" and made.model_fields_set == {"from_"}


def test_validators_and_unions() -> None:
    assert Sample.model_validate({"doubled": 4}).doubled == 8
    assert Sample.model_validate({"checked": "ab"}).checked == "abab"
    assert _errors({"checked": "bad"}) == [
        (("checked",), "value_error", "Value error, bad is refused")
    ]
    assert Sample.model_validate({"choice": "a"}).choice == "a"
    assert Sample.model_validate({"choice": "3"}).choice == 3  # no member takes "3" as it is
    assert [kind for _, kind, _ in _errors({"choice": "c"})] == [
        "int_parsing",
        "string_pattern_mismatch",
    ]


class Hooked(Strict):
    low: int = 0
    high: int = 0

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, data: Any) -> Any:
        if data == "default":
            return {}
        return data

    @field_validator("high")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 0:
            raise ValueError("high is not negative")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Hooked:
        if self.low > self.high:
            raise ValueError("low is above high")
        return self


def test_model_and_field_validators_run_as_pydantics_did() -> None:
    assert Hooked.model_validate("default") == Hooked()
    with pytest.raises(ValidationError) as caught:
        Hooked.model_validate({"high": -1})
    assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [
        (("high",), "Value error, high is not negative")
    ]
    with pytest.raises(ValidationError) as caught:
        Hooked.model_validate({"low": 2, "high": 1})
    assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [
        ((), "Value error, low is above high")
    ]


def test_a_model_is_frozen_and_copied_with_changes() -> None:
    made = Sample.model_validate({"count": 1})
    with pytest.raises(AttributeError):
        made.count = 2  # type: ignore[misc]
    changed = made.model_copy(update={"flag": True})
    assert (changed.count, changed.flag, changed.model_fields_set) == (1, True, {"count", "flag"})
    assert made != changed and made == Sample.model_validate({"count": "1"})
    assert list(Sample.model_fields)[:3] == ["count", "flag", "name"]
    assert Sample.model_fields["from_"].alias == "from"
    built = Sample.model_construct({"count"}, count=5)
    assert (built.count, built.items, built.model_fields_set) == (5, [], {"count"})


def test_a_pydantic_field_is_refused_rather_than_ignored() -> None:
    pydantic = pytest.importorskip("pydantic")

    fields = {"__annotations__": {"port": Annotated[int, pydantic.Field(ge=0)]}, "port": 0}
    Mistaken = type("Mistaken", (Strict,), fields)
    with pytest.raises(TypeError, match="use Field"):
        Mistaken.model_validate({"port": 1})


def test_every_verbs_and_subjects_fields_can_be_checked() -> None:
    """A word whose fields cannot be compiled would fail only when a file first uses it."""
    for verb in registry.verbs().values():
        if isinstance(verb.value, type) and issubclass(verb.value, Strict):
            assert verb.value._schema().keys, verb.name
    for subject in registry.subjects().values():
        assert subject.name in subject.fields._schema().keys, subject.name
    for model in (ActionModel, ExpectModel, ScenarioModel):
        assert model._schema().keys


def test_a_bad_value_in_a_file_is_still_reported_at_its_place() -> None:
    text = "title: t\nseed: -1\nsteps:\n  - at: 0s\n    do:\n      - bind: {socket: s1, port: x}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert str(caught.value) == (
        "s.yaml:2:1: seed: Input should be greater than or equal to 0\n"
        "s.yaml:6:28: steps[0].do[0].bind.port: Input should be a valid integer, unable to "
        "parse string as an integer"
    )


def test_odplay_run_imports_no_pydantic() -> None:
    """The start-up goal rests on this: the run path reads, checks and runs without it."""
    assert loaded_by_a_run_of_the_4_2_flow(("pydantic", "rich")) == []
