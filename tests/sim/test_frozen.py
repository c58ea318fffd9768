"""odplay.sim.frozen: a `Frozen` record behaves as the `@dataclass(frozen=True, slots=True)` it
stands in for (the model's commands were those), only cheaper to define."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, dataclass
from typing import Any, ClassVar

import pytest

from odplay.sim import commands as cmd
from odplay.sim.frozen import Frozen


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


def _error(call: Any) -> tuple[type, str]:
    with pytest.raises(Exception) as raised:
        call()
    return type(raised.value), str(raised.value).replace("PointDC", "Point")


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
