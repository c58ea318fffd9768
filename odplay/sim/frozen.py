"""`Frozen`: immutable records with slots, as `@dataclass(frozen=True, slots=True)` makes them, for
a fraction of the cost of defining them.

A frozen dataclass compiles six methods for each class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`) and builds the class a second time to give it slots:
about a millisecond a class, which every `odplay run` paid at start-up for each of the model's
commands (benchmarks/startup.py). A `Frozen` subclass gets its slots as it is made and only its
`__init__` compiled (it takes the class's own arguments); the other methods are shared ones that
read the class's fields, and behave as the dataclass's do: the same repr, equality and hash of
the fields in order, `dataclasses.FrozenInstanceError` on assignment, pickling by the fields'
values, `__match_args__`. A class body's annotated attributes are its fields, a value its
default; annotations are never evaluated.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # frozen_default is typing's from Python 3.12; 3.11's takes it all the same
    from typing_extensions import dataclass_transform
else:
    from typing import dataclass_transform


def _fields_of(bases: tuple[type, ...], annotations: dict[str, Any]) -> tuple[str, ...]:
    inherited = [name for base in bases for name in getattr(base, "__match_args__", ())]
    own = [
        name
        for name, annotation in annotations.items()
        if "ClassVar" not in str(annotation) and name not in inherited
    ]
    return (*inherited, *own)


def _init(cls: type, fields: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    """The class's `__init__`, compiled as a dataclass's is: its fields in order, then
    `__post_init__` when the class has one."""
    params = ", ".join(f"{n}=__default_{n}" if n in defaults else n for n in fields)
    body = [f"    __set(self, {n!r}, {n})" for n in fields]
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {params}) -> None:\n" + ("\n".join(body) or "    pass")
    namespace: dict[str, Any] = {f"__default_{n}": v for n, v in defaults.items()}
    namespace["__set"] = object.__setattr__
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


@dataclass_transform(frozen_default=True)
class _FrozenMeta(type):
    """Makes each class's slots from its annotated attributes, and its `__init__`."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        fields = _fields_of(bases, namespace.get("__annotations__", {}))
        own = [n for n in fields if n in namespace.get("__annotations__", {})]
        defaults = {n: d for b in bases for n, d in getattr(b, "__frozen_defaults__", {}).items()}
        for field in own:
            if field in namespace:
                default = namespace.pop(field)
                if isinstance(default, list | dict | set):
                    raise ValueError(f"mutable default {type(default)} for field {field}")
                defaults[field] = default
        namespace["__slots__"] = tuple(own)
        namespace["__match_args__"] = fields
        namespace["__frozen_defaults__"] = defaults
        cls = super().__new__(mcs, name, bases, namespace)
        if "__init__" not in namespace:
            type.__setattr__(cls, "__init__", _init(cls, fields, defaults))
        return cls


class Frozen(metaclass=_FrozenMeta):
    """The base of a frozen record: see the module's docstring."""

    __match_args__: ClassVar[tuple[str, ...]] = ()
    __frozen_defaults__: ClassVar[dict[str, Any]] = {}

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__match_args__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return list(self._values())

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(self.__match_args__, state, strict=False):
            object.__setattr__(self, name, value)
