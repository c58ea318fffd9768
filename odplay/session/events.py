"""What a session tells its viewers: one frozen dataclass per kind of change, and the hub.

A viewer subscribes to the kinds it cares about (`session.subscribe(RunMoved, redraw)`) and is
called after the change is complete, in the order the changes happened. The session publishes
whatever changes it, whoever asked: the viewer, a test, or a dialog acting through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True, slots=True)
class RunMoved:
    """The run changed: steps were taken or undone, a command applied, or the clock ran on."""

    position: int
    clock: int


@dataclass(frozen=True, slots=True)
class RunRestarted:
    """The run started over (the same settings, or new ones): what was shown no longer holds."""


@dataclass(frozen=True, slots=True)
class PaceChanged:
    """Time was set playing or paused, or its speed changed."""

    playing: bool
    speed: float


@dataclass(frozen=True, slots=True)
class LeftScript:
    """The learner acted during a scenario: the recorded future is gone, this is free play now."""

    step: int  # the scenario step the learner was in (0: before the first)


Event = RunMoved | RunRestarted | PaceChanged | LeftScript
E = TypeVar("E", RunMoved, RunRestarted, PaceChanged, LeftScript)


class Events:
    """Listeners by the kind of event they take."""

    def __init__(self) -> None:
        self._listeners: dict[type[Any], list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[E], listener: Callable[[E], None]) -> Callable[[], None]:
        """Call `listener` with every event of `kind`; returns what unsubscribes it."""
        listeners = self._listeners.setdefault(kind, [])
        listeners.append(listener)

        def unsubscribe() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return unsubscribe

    def publish(self, event: Event) -> None:
        # A copy: a listener may unsubscribe itself (a viewer swapping sessions) while called.
        for listener in list(self._listeners.get(type(event), ())):
            listener(event)
