"""Build step: the shipped scenarios, edited in `scenarios/` at the top of the repository, are
copied into the wheel as package data (`odplay/scenarios/`), so that an installed odplay finds
them with importlib.resources wherever it is installed. There is one copy in the repository and
one in each build, never two to keep in step by hand. Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


class BuildWithScenarios(build_py):
    """setuptools' build_py, then the scenarios into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "odplay" / "scenarios"
        target.mkdir(parents=True, exist_ok=True)
        for scenario in sorted(SCENARIOS.glob("*.yaml")):
            shutil.copyfile(scenario, target / scenario.name)


setup(cmdclass={"build_py": BuildWithScenarios})
