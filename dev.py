#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only python3: make `.venv`, install odplay, run a task.

    python3 dev.py play      # the main job: the playground, free play on the built-in network
    python3 dev.py test      # ruff, mypy, the import contract, then pytest
    python3 dev.py bench     # the side-by-side benchmarks in benchmarks/
    python3 dev.py soak      # the abuse tests at length (model, scenario files, the app)
    python3 dev.py golden    # rewrite the pinned `--json` output of the shipped scenarios
    python3 dev.py odplay ARGS...   # any odplay command inside the environment

The environment is rebuilt only when pyproject.toml changes (a hash is kept beside it), so the
second run starts at once. Only the standard library is used here, on purpose.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".odplay-installed"


def _pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    """Create the virtual environment and install odplay with its dev extras, once per pyproject."""
    wanted = _pyproject_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing odplay and its dependencies into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*cmd: str) -> int:
    return subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=ROOT).returncode


def task_test(extra: list[str]) -> int:
    """Every check CI runs: lint, types, the no-textual import contract, then the test suite."""
    steps: list[tuple[str, ...]] = [
        ("ruff", "check", "odplay", "tests", "benchmarks", "dev.py"),
        ("ruff", "format", "--check", "odplay", "tests", "benchmarks", "dev.py"),
        ("mypy",),
        ("lint-imports",),
    ]
    for step in steps:
        print(f"dev.py: {' '.join(step)}", file=sys.stderr, flush=True)
        code = run(*step)
        if code:
            return code
    return run("python", "-m", "pytest", *extra)


#: The long run of the abuse tests: the same tests CI runs, with far more examples.
SOAK = {
    "ODPLAY_STATEFUL_EXAMPLES": "3000",
    "ODPLAY_FUZZ_MUTATIONS": "10000",
    "ODPLAY_MONKEY_EVENTS": "5000",
}
SOAK_TESTS = (
    "tests/sim/test_stateful.py",
    "tests/scenario/test_fuzz_scenarios.py",
    "tests/ui/test_monkey.py",
)


def task_soak(extra: list[str]) -> int:
    """The stateful model test, the scenario fuzzer and the monkey, each run at length."""
    env = {**os.environ, **SOAK}
    cmd = [str(BIN / "python"), "-m", "pytest", *SOAK_TESTS, *extra]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2
    task, rest = argv[0], argv[1:]
    ensure_env()
    if task == "play":
        return run("odplay", "play", *rest)
    if task == "test":
        return task_test(rest)
    if task == "soak":
        return task_soak(rest)
    if task == "golden":
        return run("python", "-m", "tests.golden.pins")
    if task == "bench":
        return run("python", "-m", "benchmarks", *rest)
    if task == "odplay":
        return run("odplay", *rest)
    print(f"dev.py: unknown task {task!r}; try play, test, bench, soak, golden or odplay", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
