"""The scenario language's field checking: declared models, validated without pydantic.

A verb's or a subject's fields are a class of annotated attributes, as a dataclass's are:

    class BindAction(SocketRef):
        address: str = "setsc"
        port: Port = 0              # Port = Annotated[int, Field(ge=0, le=65535)]

`Strict` (odplay.scenario.fields) is the base: unknown keys are refused, instances are frozen.
The annotations may be int, bool, str, a `Strict` model, an enum, Any, list[...], dict[...],
`X | None`, a union, and `Annotated[...]` with `Field(...)` bounds (ge, le, min_length,
max_length, pattern, alias) or a `BeforeValidator`/`AfterValidator` function that raises
ValueError with the learner's message. `field_validator` and `model_validator` work as their
pydantic namesakes do.

Why not pydantic: importing it and building the scenario's validators cost about 200 ms of
`odplay run`'s start-up (more than the rest of the run together; benchmarks/, startup). The
rules here are pydantic v2's lax mode, message for message, for everything a YAML file can
hold ("12" is an integer, `yes` a boolean, a missing key `Field required`, an unknown one
`extra_forbidden`...), so that a file is accepted or refused, and said to be wrong, as before;
the loader turns each error's location into a line and column.
"""

from __future__ import annotations

import enum
import math
import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, NoReturn, get_args, get_origin

__all__ = [
    "AfterValidator",
    "BeforeValidator",
    "Checked",
    "Field",
    "FieldInfo",
    "PrivateAttr",
    "ValidationError",
    "field_validator",
    "model_validator",
]

#: A location below a model: ("steps", 0, "do", 1, "move").
Loc = tuple[Any, ...]
#: One error: where, its kind (pydantic's name for it), the message.
Error = tuple[Loc, str, str]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FieldInfo:
    """A field as declared: its annotation (whole, with `Annotated` bounds) and its default.

    Made by `Field(...)`, either as the default (`rules: list[str] = Field(default_factory=
    list)`) or as a bound inside `Annotated[int, Field(ge=0)]`."""

    __slots__ = (
        "alias",
        "annotation",
        "default",
        "default_factory",
        "ge",
        "le",
        "max_length",
        "min_length",
        "pattern",
    )

    def __init__(
        self,
        default: Any = MISSING,
        *,
        default_factory: Callable[[], Any] | None = None,
        alias: str | None = None,
        ge: int | None = None,
        le: int | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        annotation: Any = None,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.alias = alias
        self.ge, self.le = ge, le
        self.min_length, self.max_length = min_length, max_length
        self.pattern = pattern
        self.annotation = annotation

    def is_required(self) -> bool:
        return self.default is MISSING and self.default_factory is None

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldInfo) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(tuple(map(id, self._key())))

    def __repr__(self) -> str:
        shown = [f"{n}={getattr(self, n)!r}" for n in self.__slots__ if getattr(self, n)]
        return f"Field({', '.join(shown)})"


def Field(
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    alias: str | None = None,
    ge: int | None = None,
    le: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> Any:
    """A field's default, alias or bounds; see FieldInfo."""
    return FieldInfo(
        default,
        default_factory=default_factory,
        alias=alias,
        ge=ge,
        le=le,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
    )


# NamedTuples, not dataclasses, here and below: a frozen dataclass costs start-up ten times as
# much to define (benchmarks/, startup).


class BeforeValidator(NamedTuple):
    """`Annotated[T, BeforeValidator(f)]`: f turns the file's value into one T accepts, or
    raises ValueError with the message the learner sees."""

    func: Callable[[Any], Any]


class AfterValidator(NamedTuple):
    """`Annotated[T, AfterValidator(f)]`: f checks (or changes) the value once T accepted it."""

    func: Callable[[Any], Any]


class _Private:
    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory


def PrivateAttr(default_factory: Callable[[], Any]) -> Any:
    """An attribute that is no field: set by code (the loader), never read from the file."""
    return _Private(default_factory)


class _Hook(NamedTuple):
    kind: str  # "field", "before" or "after"
    fields: tuple[str, ...]
    func: Any


def field_validator(*fields: str) -> Callable[[Any], Any]:
    """A class method that checks the named fields once their types have accepted them."""
    return lambda func: _Hook("field", fields, func)


def model_validator(*, mode: str) -> Callable[[Any], Any]:
    """`mode="before"`: a class method given the raw mapping; `mode="after"`: a method of the
    built instance that returns it. Either raises ValueError with the message."""
    if mode not in ("before", "after"):
        raise ValueError(f"mode is before or after, not {mode!r}")
    return lambda func: _Hook(mode, (), func)


class ValidationError(ValueError):
    """What is wrong with a value: one error per place, as pydantic's `errors()` gives them."""

    def __init__(self, title: str, errors: list[Error]) -> None:
        self.title = title
        self._errors = errors
        lines = [f"{len(errors)} validation error(s) for {title}"]
        for loc, _kind, msg in errors:
            lines += [".".join(map(str, loc)) or "(the whole)", f"  {msg}"]
        super().__init__("\n".join(lines))

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        return [{"type": kind, "loc": loc, "msg": msg} for loc, kind, msg in self._errors]


class _Invalid(Exception):
    """Raised inside the checks; each container adds its key to the errors' locations."""

    def __init__(self, errors: list[Error]) -> None:
        self.errors = errors


def _fail(kind: str, message: str) -> NoReturn:
    raise _Invalid([((), kind, message)])


def _below(key: Any, errors: list[Error]) -> list[Error]:
    return [((key, *loc), kind, msg) for loc, kind, msg in errors]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# A check is `check(value, strict) -> value`, raising _Invalid. `strict` is a union's first
# pass, which (as pydantic's "smart" unions do) takes a value as it is before converting it.
Check = Callable[[Any, bool], Any]

_INT_TEXT = re.compile(r"^[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?$")
_I64 = 2**63
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def _to_int(value: Any, strict: bool) -> int:
    if isinstance(value, int) and not (strict and isinstance(value, bool)):
        return int(value)
    if strict:
        _fail("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not math.isfinite(value):
            _fail("finite_number", "Input should be a finite number")
        if not value.is_integer():
            _fail(
                "int_from_float",
                "Input should be a valid integer, got a number with a fractional part",
            )
        if not -_I64 < value < _I64:
            _fail(
                "int_parsing_size",
                "Unable to parse input string as an integer, exceeded maximum size",
            )
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not _INT_TEXT.match(text):
            _fail(
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
            )
        digits = text.split(".")[0].replace("_", "")
        if len(digits.lstrip("+-")) > 4300:
            _fail(
                "int_parsing_size",
                "Unable to parse input string as an integer, exceeded maximum size",
            )
        return int(digits)
    _fail("int_type", "Input should be a valid integer")


def _to_bool(value: Any, strict: bool) -> bool:
    if isinstance(value, bool):
        return value
    if not strict:
        if isinstance(value, str):
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
            _fail("bool_parsing", "Input should be a valid boolean, unable to interpret input")
        number = value if isinstance(value, int) else None
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is not None and -_I64 <= number < _I64:
            if number in (0, 1):
                return number == 1
            _fail("bool_parsing", "Input should be a valid boolean, unable to interpret input")
    _fail("bool_type", "Input should be a valid boolean")


def _to_str(value: Any, strict: bool) -> str:
    # Bytes (YAML's !!binary) are refused: a string reaches the run only through the loader,
    # which shows its control characters as escapes (odplay.text), and bytes would pass by it.
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        return value
    _fail("string_type", "Input should be a valid string")


def _bounded(check: Check, info: FieldInfo | None) -> Check:
    """The type's own check, then the Field's bounds, each refusing with pydantic's message."""
    if info is None or all(
        getattr(info, n) is None for n in ("ge", "le", "min_length", "max_length", "pattern")
    ):
        return check
    ge, le = info.ge, info.le
    shortest, longest = info.min_length, info.max_length
    pattern = re.compile(info.pattern) if info.pattern is not None else None

    def bounded(value: Any, strict: bool) -> Any:
        value = check(value, strict)
        if isinstance(value, str):
            if shortest is not None and len(value) < shortest:
                _fail(
                    "string_too_short",
                    f"String should have at least {_plural(shortest, 'character')}",
                )
            if longest is not None and len(value) > longest:
                _fail(
                    "string_too_long", f"String should have at most {_plural(longest, 'character')}"
                )
            if pattern is not None and not pattern.search(value):
                _fail("string_pattern_mismatch", f"String should match pattern '{info.pattern}'")
        elif isinstance(value, int):
            if le is not None and value > le:
                _fail("less_than_equal", f"Input should be less than or equal to {le}")
            if ge is not None and value < ge:
                _fail("greater_than_equal", f"Input should be greater than or equal to {ge}")
        return value

    return bounded


def _sequence(item: Check, info: FieldInfo | None) -> Check:
    shortest = info.min_length if info else None
    longest = info.max_length if info else None

    def check(value: Any, strict: bool) -> list[Any]:
        kinds = (list,) if strict else (list, tuple, set, frozenset)
        if not isinstance(value, kinds) or isinstance(value, str):
            _fail("list_type", "Input should be a valid list")
        if longest is not None and len(value) > longest:
            _fail(
                "too_long",
                f"List should have at most {_plural(longest, 'item')} after validation, "
                f"not {len(value)}",
            )
        out, errors = [], []
        for index, element in enumerate(value):
            try:
                out.append(item(element, strict))
            except _Invalid as exc:
                errors += _below(index, exc.errors)
        if errors:
            raise _Invalid(errors)
        if shortest is not None and len(out) < shortest:
            _fail(
                "too_short",
                f"List should have at least {_plural(shortest, 'item')} after validation, "
                f"not {len(out)}",
            )
        return out

    return check


def _tuple(items: list[Check]) -> Check:
    """A tuple of so many items, each of its own type (`tuple[int, int]`)."""

    def check(value: Any, strict: bool) -> tuple[Any, ...]:
        kinds = (tuple,) if strict else (list, tuple)
        if not isinstance(value, kinds):
            _fail("tuple_type", "Input should be a valid tuple")
        if len(value) != len(items):
            kind, bound = (
                ("too_long", "most") if len(value) > len(items) else ("too_short", "least")
            )
            _fail(
                kind,
                f"Tuple should have at {bound} {_plural(len(items), 'item')} after validation, "
                f"not {len(value)}",
            )
        out, errors = [], []
        for index, (element, item) in enumerate(zip(value, items, strict=True)):
            try:
                out.append(item(element, strict))
            except _Invalid as exc:
                errors += _below(index, exc.errors)
        if errors:
            raise _Invalid(errors)
        return tuple(out)

    return check


def _literal(allowed: tuple[Any, ...]) -> Check:
    shown = [repr(a) for a in allowed]
    expected = " or ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)

    def check(value: Any, strict: bool) -> Any:
        if any(value == a and type(value) is type(a) for a in allowed):
            return value
        _fail("literal_error", f"Input should be {expected}")

    return check


def _key_loc(key: Any) -> Any:
    """How a location names a key that is not a string: an integer as itself, else its text."""
    return int(key) if isinstance(key, int) else str(key)


def _mapping(key_check: Check, value_check: Check) -> Check:
    def check(value: Any, strict: bool) -> dict[Any, Any]:
        if not isinstance(value, dict):
            _fail("dict_type", "Input should be a valid dictionary")
        out, errors = {}, []
        for key, element in value.items():
            where = key if isinstance(key, str) else _key_loc(key)
            try:
                checked_key = key_check(key, strict)
            except _Invalid as exc:
                errors += _below(where, _below("[key]", exc.errors))
                continue
            try:
                out[checked_key] = value_check(element, strict)
            except _Invalid as exc:
                errors += _below(where, exc.errors)
        if errors:
            raise _Invalid(errors)
        return out

    return check


def _optional(inner: Check) -> Check:
    return lambda value, strict: None if value is None else inner(value, strict)


def _union(members: list[Check]) -> Check:
    def check(value: Any, strict: bool) -> Any:
        for member in members:  # first, a member that takes the value as it is
            try:
                return member(value, True)
            except _Invalid:
                pass
        if strict:
            _fail("union_tag_invalid", "Input matches no member of the union")
        errors: list[Error] = []
        for member in members:
            try:
                return member(value, False)
            except _Invalid as exc:
                errors += exc.errors
        raise _Invalid(errors)

    return check


def _run(func: Callable[..., Any], *args: Any) -> Any:
    """A validator function's result; its ValueError (or assertion) becomes an error here."""
    try:
        return func(*args)
    except ValueError as exc:
        _fail("value_error", f"Value error, {exc}")
    except AssertionError as exc:
        _fail("assertion_error", f"Assertion failed, {exc}")


def _before(func: Callable[[Any], Any], inner: Check) -> Check:
    return lambda value, strict: inner(_run(func, value), strict)


def _after(inner: Check, func: Callable[[Any], Any]) -> Check:
    return lambda value, strict: _run(func, inner(value, strict))


def _enum(kind: type[enum.Enum]) -> Check:
    def check(value: Any, strict: bool) -> Any:
        if isinstance(value, kind):
            return value
        if not strict:
            try:
                return kind(value)
            except (ValueError, TypeError):
                pass
        values = [repr(member.value) for member in kind]
        expected = " or ".join([", ".join(values[:-1]), values[-1]] if len(values) > 1 else values)
        _fail("enum", f"Input should be {expected}")

    return check


def refuse_foreign(value: Any, where: str) -> None:
    """A pydantic object (its Field, its validator) in a scenario model would be ignored here
    without a word; say so instead."""
    if type(value).__module__.partition(".")[0] == "pydantic":
        raise TypeError(
            f"{where}: pydantic's {type(value).__name__} in a scenario model; use Field, "
            "BeforeValidator, AfterValidator, field_validator or model_validator from "
            "odplay.scenario.fields"
        )


class Checked:
    """A class that checks its own values (a model, odplay.scenario.models)."""

    @classmethod
    def _check(cls, value: Any, strict: bool) -> Any:
        raise NotImplementedError


def compile_type(annotation: Any, info: FieldInfo | None = None) -> Check:
    """The check for one annotation (bounds from an enclosing Field in `info`)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extras = get_args(annotation)
        bounds = next((e for e in extras if isinstance(e, FieldInfo)), None)
        check = compile_type(base, bounds or info)
        for extra in extras:  # validators in their order, as pydantic applies them
            if isinstance(extra, BeforeValidator):
                check = _before(extra.func, check)
            elif isinstance(extra, AfterValidator):
                check = _after(check, extra.func)
            elif not isinstance(extra, FieldInfo):
                refuse_foreign(extra, repr(annotation))
                raise TypeError(
                    f"{annotation!r}: {extra!r} is no Field, BeforeValidator or AfterValidator"
                )
        return check
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        inner = (
            compile_type(members[0])
            if len(members) == 1
            else _union([compile_type(m) for m in members])
        )
        return _optional(inner) if len(members) < len(get_args(annotation)) else inner
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return _sequence(compile_type(item), info)
    if origin is tuple:
        return _tuple([compile_type(item) for item in get_args(annotation)])
    if origin is typing.Literal:
        return _literal(get_args(annotation))
    if origin is dict:
        key, value = get_args(annotation) or (Any, Any)
        return _mapping(compile_type(key), compile_type(value))
    if annotation is Any:
        return lambda value, strict: value
    if annotation is bool:
        return _to_bool
    if annotation is int:
        return _bounded(_to_int, info)
    if annotation is str:
        return _bounded(_to_str, info)
    if isinstance(annotation, type) and issubclass(annotation, Checked):
        return annotation._check
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum(annotation)
    raise TypeError(f"a scenario field cannot be of type {annotation!r}")
