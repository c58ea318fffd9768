"""`Model`: the base of every scenario model, a class whose annotated attributes are its fields.

A model is read from a scenario file's mapping (`Model.model_validate(mapping)`), each field
checked as odplay.scenario.validation says; unknown keys are refused, and an instance never
changes once made (`model_copy(update=...)` makes a changed one). Its API is the part of
pydantic's BaseModel odplay uses, under the same names: `model_fields`, `model_fields_set`,
`model_validate`, `model_construct`, `model_copy`.

A class's fields are worked out the first time it is used, not when it is defined: the
registry's entries are defined at start-up, and most are never used by a given run.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin

from odplay.scenario.validation import (
    MISSING,
    Check,
    Checked,
    Error,
    FieldInfo,
    ValidationError,
    _fail,
    _Hook,
    _Invalid,
    _key_loc,
    _Private,
    _run,
    compile_type,
    refuse_foreign,
)

_FIELDS_SET = "__fields_set__"


class _Schema:
    """A model's fields, compiled: by the key the file uses, the field's name and check."""

    __slots__ = ("after", "before", "fields", "keys", "privates")

    def __init__(self, model: type[Model]) -> None:
        self.fields = model._declared()
        hooks: list[tuple[str, tuple[str, ...], str]] = []
        self.privates: dict[str, Callable[[], Any]] = {}
        for klass in reversed(model.__mro__):
            hooks += klass.__dict__.get("__hooks__", [])
            self.privates.update(klass.__dict__.get("__privates__", {}))
        methods = {
            kind: [(f, getattr(model, n)) for k, f, n in hooks if k == kind]
            for kind in ("before", "after", "field")
        }
        self.before = [method for _, method in methods["before"]]
        self.after = [method for _, method in methods["after"]]
        self.keys: dict[str, tuple[str, Check, FieldInfo, list[Any]]] = {}
        for name, info in self.fields.items():
            on_field = [method for names, method in methods["field"] if name in names]
            check = compile_type(info.annotation, info)
            self.keys[info.alias or name] = (name, check, info, on_field)


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    value = info.default
    return copy.deepcopy(value) if isinstance(value, list | dict | set) else value


#: Annotations, as written (`from __future__ import annotations` keeps them as text), by module
#: and text: the same few (`Name | None`, `Delay`) recur in every model.
_evaluated: dict[tuple[str, str], Any] = {}


def _annotations(model: type) -> dict[str, Any]:
    """A model's fields' annotations, its bases' first, evaluated where each was written.

    typing.get_type_hints does the same, several times slower: start-up reads every verb's and
    subject's fields."""
    found: dict[str, Any] = {}
    for klass in reversed(model.__mro__):
        for name, annotation in inspect.get_annotations(klass).items():
            if name.startswith("_"):
                continue  # a private attribute, or the machinery's own
            if isinstance(annotation, str):
                key = (klass.__module__, annotation)
                if key not in _evaluated:
                    namespace = vars(sys.modules[klass.__module__])
                    try:
                        _evaluated[key] = eval(annotation, namespace, dict(vars(klass)))
                    except NameError as exc:
                        raise TypeError(
                            f"{model.__name__}.{name}: its type cannot be found: {exc}"
                        ) from None
                annotation = _evaluated[key]
            found[name] = annotation
    return found


class _ModelMeta(type):
    """Takes the validators and private attributes out of a model's class body."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        hooks, privates = [], {}
        for attr, value in list(namespace.items()):
            refuse_foreign(value, f"{name}.{attr}")
            if isinstance(value, _Hook):
                func = value.func
                if value.kind != "after" and not isinstance(func, classmethod | staticmethod):
                    func = classmethod(func)
                namespace[attr] = func
                hooks.append((value.kind, value.fields, attr))
            elif isinstance(value, _Private):
                privates[attr] = value.factory
                del namespace[attr]
        namespace["__hooks__"] = hooks
        namespace["__privates__"] = privates
        return super().__new__(mcs, name, bases, namespace)

    @property
    def model_fields(cls) -> dict[str, FieldInfo]:
        """Every field, by name, in the order declared (a base class's first)."""
        return cls._schema().fields  # type: ignore[attr-defined, no-any-return]


class Model(Checked, metaclass=_ModelMeta):
    """A scenario model: see the module's docstring."""

    __declared__: ClassVar[dict[str, FieldInfo] | None] = None

    @classmethod
    def _declared(cls) -> dict[str, FieldInfo]:
        declared = cls.__dict__.get("__declared__")
        if declared is not None:
            return dict(declared)
        fields: dict[str, FieldInfo] = {}
        for name, annotation in _annotations(cls).items():
            if annotation is ClassVar or get_origin(annotation) is ClassVar:
                continue
            default = next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), MISSING)
            refuse_foreign(default, f"{cls.__name__}.{name}")
            info = copy.copy(default) if isinstance(default, FieldInfo) else FieldInfo(default)
            info.annotation = annotation
            # An alias may stand in the annotation too: Annotated[str, Field(alias="from")].
            extras = get_args(annotation)[1:] if get_origin(annotation) is Annotated else ()
            info.alias = info.alias or next(
                (e.alias for e in extras if isinstance(e, FieldInfo) and e.alias), None
            )
            fields[name] = info
        return fields

    @classmethod
    def _schema(cls) -> _Schema:
        schema = cls.__dict__.get("__schema__")
        if schema is None:
            schema = _Schema(cls)
            type.__setattr__(cls, "__schema__", schema)
        return schema

    @classmethod
    def declare_fields(cls, fields: dict[str, FieldInfo]) -> None:
        """Make `fields` the model's own, and no others (the schema's action and expectation,
        whose fields are the registry's words)."""
        type.__setattr__(cls, "__declared__", dict(fields))
        cls.model_rebuild(force=True)

    @classmethod
    def model_rebuild(cls, *, force: bool = True) -> None:
        """Work the fields out again when next used."""
        if "__schema__" in cls.__dict__:
            type.__delattr__(cls, "__schema__")

    @classmethod
    def _check(cls, value: Any, strict: bool) -> Any:
        if isinstance(value, cls):
            return value
        schema = cls._schema()
        for before in schema.before:
            value = _run(before, value)
        if not isinstance(value, dict):
            _fail("model_type", f"Input should be a valid dictionary or instance of {cls.__name__}")
        values: dict[str, Any] = {}
        given: set[str] = set()
        errors: list[Error] = []
        for key, (name, check, info, on_field) in schema.keys.items():
            if key in value:
                try:
                    checked = check(value[key], strict)
                    for hook in on_field:
                        checked = _run(hook, checked)
                except _Invalid as exc:
                    errors += [((key, *loc), kind, msg) for loc, kind, msg in exc.errors]
                    continue
                values[name] = checked
                given.add(name)
            elif info.is_required():
                errors.append(((key,), "missing", "Field required"))
            else:
                values[name] = _default(info)
        for key in value:
            if not isinstance(key, str):
                errors.append(((_key_loc(key),), "invalid_key", "Keys should be strings"))
            elif key not in schema.keys:
                errors.append(((key,), "extra_forbidden", "Extra inputs are not permitted"))
        if errors:
            raise _Invalid(errors)
        made = cls._made(values, given)
        for after in schema.after:
            made = _run(after, made)
        return made

    @classmethod
    def _made(cls, values: dict[str, Any], given: set[str]) -> Self:
        made = object.__new__(cls)
        state = made.__dict__
        state.update(values)
        state[_FIELDS_SET] = given
        for name, factory in cls._schema().privates.items():
            state[name] = factory()
        return made

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """The model read from a mapping, checked; ValidationError says every problem."""
        try:
            made: Self = cls._check(obj, False)
        except _Invalid as exc:
            raise ValidationError(cls.__name__, exc.errors) from None
        return made

    def __init__(self, **data: Any) -> None:
        self.__dict__.update(type(self).model_validate(data).__dict__)

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """A model of values already checked: no check, the defaults for the rest."""
        fields = cls._schema().fields
        state = {n: values[n] if n in values else _default(i) for n, i in fields.items()}
        return cls._made(state, set(values) if _fields_set is None else set(_fields_set))

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with some fields changed (not checked again), as pydantic's model_copy."""
        made = object.__new__(type(self))
        made.__dict__.update(self.__dict__)
        made.__dict__.update(update or {})
        made.__dict__[_FIELDS_SET] = self.model_fields_set | set(update or {})
        return made

    @property
    def model_fields_set(self) -> set[str]:
        """The fields the file (or the caller) gave, as opposed to those left at their default."""
        given: set[str] = self.__dict__[_FIELDS_SET]
        return given

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            raise AttributeError(f"{type(self).__name__} is frozen: use model_copy(update=...)")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[name] for name in type(self).model_fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine = {k: v for k, v in self.__dict__.items() if k != _FIELDS_SET}
        theirs = {k: v for k, v in other.__dict__.items() if k != _FIELDS_SET}
        return mine == theirs

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={self.__dict__[n]!r}" for n in type(self).model_fields)
        return f"{type(self).__name__}({shown})"
