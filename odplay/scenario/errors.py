"""How a problem in a scenario file is reported: file, line, column, field, and what is wrong."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One problem. (A NamedTuple: immutable, and cheaper to define than a dataclass; the
    scenario loader is on `odplay run`'s start-up path.)"""

    file: str
    line: int  # 1-based; 0 when the problem is the file as a whole
    column: int  # 1-based
    field: str  # e.g. steps[3].do[0].move
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ScenarioError(Exception):
    """A scenario file that cannot be used; `problems` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
