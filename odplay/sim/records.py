"""`Frozen` and `Record`: slotted data classes, as `@dataclass(frozen=True, slots=True)` and
`@dataclass(slots=True)` make them, for a fraction of the cost of defining them.

A dataclass compiles each generated method from source (`__init__`, `__repr__`, `__eq__`, and
for a frozen one `__hash__`, `__setattr__` and `__delattr__`) and builds the class a second time
to give it slots: half a millisecond to a millisecond a class, which every `odplay run` paid at
start-up for each of the model's commands, tables and settings (benchmarks/startup.py). Here a
class gets its slots as it is made and only its `__init__` compiled (it takes the class's own
arguments); the other methods are shared ones that read the class's fields.

They behave as the dataclasses they stand in for (tests/sim/test_records.py compares them): a
class body's annotated attributes are its fields (annotations are never evaluated; `ClassVar`
ones are not fields), a value or a `dataclasses.field(default=..., default_factory=...,
repr=...)` their default, `__post_init__` runs after `__init__`; the same repr, equality of the
fields in order between instances of one class, `__match_args__`, pickling and copying; a
`Frozen` hashes its fields and refuses changes with `dataclasses.FrozenInstanceError`, a `Record`
is mutable and unhashable. `dataclasses.fields`, `replace` and `asdict` work on both.
"""

from __future__ import annotations

import dataclasses
import reprlib
from dataclasses import MISSING, Field, FrozenInstanceError
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # frozen_default is typing's from Python 3.12; 3.11's takes it all the same
    from typing_extensions import dataclass_transform
else:
    from typing import dataclass_transform

_MUTABLE = (list, dict, set)


def _field(name: str, annotation: Any, default: Any) -> Field[Any]:
    """The field as `dataclasses.fields()` gives it, from what the class body says."""
    if isinstance(default, Field):
        made = default
    else:
        if isinstance(default, _MUTABLE):
            raise ValueError(
                f"mutable default {type(default)} for field {name} is not allowed: "
                "use default_factory"
            )
        made = dataclasses.field(default=default)
    made.name, made.type = name, annotation
    made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # a plain field
    return made


def _init(cls: type, fields: dict[str, Field[Any]], frozen: bool) -> Any:
    """The class's `__init__`, compiled as a dataclass's is: its fields in order, then
    `__post_init__` when the class has one."""
    params, body = [], []
    namespace: dict[str, Any] = {"__set": object.__setattr__, "__MISSING": MISSING}
    for name, field in fields.items():
        value = name
        if field.default_factory is not MISSING:
            namespace[f"__factory_{name}"] = field.default_factory
            params.append(f"{name}=__MISSING")
            value = f"__factory_{name}() if {name} is __MISSING else {name}"
        elif field.default is not MISSING:
            namespace[f"__default_{name}"] = field.default
            params.append(f"{name}=__default_{name}")
        else:
            params.append(name)
        assign = f"__set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}"
        body.append(f"    {assign}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}) -> None:\n" + ("\n".join(body) or "    pass")
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _make(meta: type[type], name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
    """The class, with its fields (its bases' first) as slots, and its `__init__`."""
    fields: dict[str, Field[Any]] = {}
    for base in reversed(bases):
        fields.update(getattr(base, "__dataclass_fields__", {}))
    own = []
    for field, annotation in namespace.get("__annotations__", {}).items():
        if "ClassVar" in str(annotation):
            continue
        fields[field] = _field(field, annotation, namespace.pop(field, MISSING))
        own.append(field)
    namespace["__slots__"] = tuple(own)
    namespace["__match_args__"] = tuple(fields)
    namespace["__dataclass_fields__"] = fields
    namespace["__shown__"] = tuple(n for n, f in fields.items() if f.repr)
    namespace["__compared__"] = tuple(n for n, f in fields.items() if f.compare)
    cls: type = type.__new__(meta, name, bases, namespace)
    if "__init__" not in namespace:
        type.__setattr__(cls, "__init__", _init(cls, fields, issubclass(meta, _FrozenMeta)))
    return cls


@dataclass_transform(frozen_default=True)
class _FrozenMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        return _make(mcs, name, bases, namespace)


@dataclass_transform()
class _RecordMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        return _make(mcs, name, bases, namespace)


class _Shared:
    """What both kinds share: reading the fields, showing and comparing them."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]] = {}
    __shown__: ClassVar[tuple[str, ...]] = ()
    __compared__: ClassVar[tuple[str, ...]] = ()

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__compared__)

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__shown__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented


class Frozen(_Shared, metaclass=_FrozenMeta):
    """An immutable record: see the module's docstring."""

    def __hash__(self) -> int:
        return hash(self._compared())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        names: tuple[str, ...] = self.__match_args__
        return [getattr(self, name) for name in names]

    def __setstate__(self, state: list[Any]) -> None:
        names: tuple[str, ...] = self.__match_args__
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)


class Record(_Shared, metaclass=_RecordMeta):
    """A mutable record: see the module's docstring."""

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as a dataclass
