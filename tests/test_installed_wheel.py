"""odplay works from its wheel, installed anywhere, not only from a checkout.

Builds the wheel from this tree, installs it (not editable) into a folder of its own, and runs
the installed odplay from an unrelated folder: the shipped scenarios, the schemas and the help
must all come from the package. Skipped, with the reason, only where no wheel can be built (no
build backend to be had); .ci/run does the same in a fresh virtual environment on every change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHIPPED = len(list((ROOT / "scenarios").glob("*.yaml")))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(work / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"no wheel could be built here: {built.stderr.strip()[-300:]}")
    (wheel,) = (work / "dist").glob("odplay-*.whl")
    target = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    yield target


def _odplay(target: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The installed copy first on the path; its dependencies come from this environment.
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    return subprocess.run(
        [sys.executable, "-m", "odplay", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_installed_package_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed), "PYTHONSAFEPATH": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import odplay; print(odplay.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed)
    assert (installed / "odplay" / "scenarios").is_dir()


def test_version_scenarios_and_runs_work_from_anywhere(installed: Path, tmp_path: Path) -> None:
    version = _odplay(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("odplay ")
    listed = _odplay(installed, "scenarios", cwd=tmp_path)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == SHIPPED
    flow = _odplay(installed, "run", "4.2-message-flow", "-q", cwd=tmp_path)
    assert flow.returncode == 0, flow.stderr
    assert str(installed) in flow.stderr  # the packaged copy of the scenario
    shutil.copy(ROOT / "scenarios" / "graceful-replacement.yaml", tmp_path / "a-copied-file.yaml")
    copied = _odplay(installed, "run", "./a-copied-file.yaml", "-q", cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr


def test_completion_and_screenshots_work_from_anywhere(installed: Path, tmp_path: Path) -> None:
    completion = _odplay(installed, "--show-completion", "bash", cwd=tmp_path)
    assert completion.returncode == 0 and "complete" in completion.stdout
    shots = _odplay(installed, "screenshot", "--out", "shots", cwd=tmp_path)
    assert shots.returncode == 0, shots.stderr
    assert len(list((tmp_path / "shots").glob("*.svg"))) >= 5
