"""odplay.sim.records: a `Frozen` behaves as the `@dataclass(frozen=True, slots=True)` and a
`Record` as the `@dataclass(slots=True)` it stands in for (the model's commands, tables and
settings were those), only cheaper to define."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from dataclasses import FrozenInstanceError, dataclass, field
from typing import Any, ClassVar

import pytest

from odplay.sim import commands as cmd
from odplay.sim.records import Frozen, Record


class Point(Frozen):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    kind: ClassVar[str] = "point"


@dataclass(frozen=True, slots=True)
class PointDC:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    kind: ClassVar[str] = "point"


class Checked(Frozen):
    seen: ClassVar[list[int]] = []
    n: int

    def __post_init__(self) -> None:
        type(self).seen.append(self.n)


class Empty(Frozen):
    pass


class Row(Record):
    name: str
    users: list[str] = field(default_factory=list)
    hidden: int = field(default=0, repr=False)
    state: str = "new"


@dataclass(slots=True)
class RowDC:
    name: str
    users: list[str] = field(default_factory=list)
    hidden: int = field(default=0, repr=False)
    state: str = "new"


def _error(call: Any) -> tuple[type, str]:
    with pytest.raises(Exception) as raised:
        call()
    return type(raised.value), re.sub(r"\b(Point|Row)DC\b", r"\1", str(raised.value))


def test_a_frozen_record_reads_compares_and_hashes_as_the_dataclass_does() -> None:
    a, d = Point(1, 2, ("t",)), PointDC(1, 2, ("t",))
    assert repr(a) == repr(d).replace("PointDC", "Point") == "Point(x=1, y=2, tags=('t',))"
    assert a == Point(1, 2, ("t",)) and a != Point(1) and hash(a) == hash(d)
    assert Point(1) == Point(x=1, y=0, tags=())
    assert a != d and (a == (1, 2, ("t",))) is False  # another class is never equal
    assert Point.__match_args__ == PointDC.__match_args__ == ("x", "y", "tags")
    assert (
        Point.kind == "point"
        and not hasattr(a, "__dict__")
        and "kind" not in vars(Point)["__slots__"]
    )
    assert repr(Empty()) == "Empty()" and Empty() == Empty() and hash(Empty()) == hash(())


def test_a_frozen_record_refuses_changes_and_bad_arguments_as_the_dataclass_does() -> None:
    a, d = Point(1), PointDC(1)
    assert _error(lambda: setattr(a, "x", 2)) == _error(lambda: setattr(d, "x", 2))
    assert _error(lambda: delattr(a, "x")) == _error(lambda: delattr(d, "x"))
    assert _error(lambda: setattr(a, "x", 2))[0] is FrozenInstanceError
    # A name that is no field: the same refusal (3.11's slotted dataclass fails on its own
    # super() call there, with a TypeError about it).
    assert _error(lambda: setattr(a, "z", 2)) == (FrozenInstanceError, "cannot assign to field 'z'")
    assert _error(lambda: Point()) == _error(lambda: PointDC())  # type: ignore[call-arg]
    too_many = (lambda: Point(1, 2, (), 4), lambda: PointDC(1, 2, (), 4))  # type: ignore[call-arg]
    assert _error(too_many[0]) == _error(too_many[1])
    with pytest.raises(ValueError, match="mutable default"):

        class Bad(Frozen):
            items: list[int] = []  # noqa: RUF012


def test_a_frozen_record_copies_and_pickles_by_its_fields() -> None:
    a = Point(1, 2, ("t",))
    for again in (copy.copy(a), copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert again == a and again is not a and repr(again) == repr(a)


def test_post_init_runs_once_after_the_fields_are_set() -> None:
    Checked.seen.clear()
    Checked(3)
    assert Checked.seen == [3]


def test_commands_are_frozen_records_checked_when_built() -> None:
    narrate = cmd.Narrate("hello", ("A1",))
    assert repr(narrate) == "Narrate(text='hello', rules=('A1',), names=(), after=())"
    assert (
        narrate == cmd.Narrate("hello", ("A1",))
        and len({narrate, cmd.Narrate("hello", ("A1",))}) == 1
    )
    with pytest.raises(FrozenInstanceError):
        narrate.text = "changed"  # type: ignore[misc]
    with pytest.raises(cmd.BadCommandType, match="Attach: ap must be a string"):
        cmd.Attach(3)  # type: ignore[arg-type]


def test_a_record_is_mutable_unhashable_and_reads_as_the_dataclass_does() -> None:
    a, d = Row("r"), RowDC("r")
    assert repr(a) == repr(d).replace("RowDC", "Row") == "Row(name='r', users=[], state='new')"
    assert a.users is not Row("s").users  # a fresh list each
    a.users.append("x")
    a.state = "used"
    assert a == Row("r", ["x"], 0, "used") and a != Row("r", ["x"], 1, "used")
    assert _error(lambda: hash(a)) == _error(lambda: hash(d))
    assert _error(lambda: setattr(a, "z", 1))[0] is AttributeError
    assert not hasattr(a, "__dict__") and Row.__match_args__ == RowDC.__match_args__
    assert _error(lambda: Row()) == _error(lambda: RowDC())  # type: ignore[call-arg]
    for again in (copy.copy(a), copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert again == a and repr(again) == repr(a)
    # Pickled the same way (a checkpoint's size spaces the next): the same reduction and state.
    made, plain = Row("r").__reduce_ex__(4), RowDC("r").__reduce_ex__(4)
    assert (made[0], made[2:]) == (plain[0], plain[2:])


def test_dataclasses_functions_work_on_records() -> None:
    for made, plain in ((Row("r", ["x"]), RowDC("r", ["x"])), (Point(1, 2), PointDC(1, 2))):
        assert dataclasses.is_dataclass(made)
        assert [f.name for f in dataclasses.fields(made)] == [
            f.name for f in dataclasses.fields(plain)
        ]
        assert dataclasses.asdict(made) == dataclasses.asdict(plain)
    moved = dataclasses.replace(Point(1, 2, ("t",)), y=5)
    assert moved == Point(1, 5, ("t",))
    Checked.seen.clear()
    dataclasses.replace(Checked(1), n=2)
    assert Checked.seen == [1, 2]  # replace() builds anew: __post_init__ checks it again


def test_records_inherit_fields_and_show_a_loop_as_the_dataclass_does() -> None:
    class Base(Record):
        x: int

    class More(Base):
        y: int = 0

    assert More(1, 2).__match_args__ == ("x", "y") and repr(More(1)).endswith(
        ".<locals>.More(x=1, y=0)"
    )
    looped, plain = Row("r"), RowDC("r")
    looped.users.append(looped)  # type: ignore[arg-type]
    plain.users.append(plain)  # type: ignore[arg-type]
    assert (
        repr(looped)
        == repr(plain).replace("RowDC", "Row")
        == "Row(name='r', users=[...], state='new')"
    )
