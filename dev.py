#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only python3: make `.venv`, install odplay, run a task.

    python3 dev.py play      # the main job: the playground, free play on the built-in network
    python3 dev.py test      # ruff, mypy, the import contract, then pytest
    python3 dev.py bench     # the side-by-side benchmarks in benchmarks/
    python3 dev.py soak      # the abuse tests at length (model, scenario files, the app)
    python3 dev.py golden    # rewrite the pinned `--json` output of the shipped scenarios
    python3 dev.py odplay ARGS...   # any odplay command inside the environment

`play` and `odplay` install only what odplay needs to run; `test`, `bench`, `soak` and `golden`
add the development tools (pytest, mypy, ruff, Playwright...). The environment is rebuilt only
when pyproject.toml changes (a hash is kept beside it), so the second run starts at once.
Relative paths in the arguments mean what they mean where you typed the command: `play` and
`odplay` run in that folder, and the other tasks are given such paths made absolute. Only the
standard library is used here, on purpose.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HERE = Path.cwd()
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: One stamp per set of extras: what is installed, for which pyproject.toml.
STAMPS = {"runtime": VENV / ".odplay-installed-runtime", "dev": VENV / ".odplay-installed"}


def _pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _installed(extras: str) -> bool:
    wanted = _pyproject_hash()
    # The development extras include everything the runtime needs.
    kinds = ("dev",) if extras == "dev" else ("dev", "runtime")
    return any(STAMPS[k].exists() and STAMPS[k].read_text().strip() == wanted for k in kinds)


def ensure_env(extras: str = "dev") -> None:
    """Create the virtual environment and install odplay (with `extras`), once per pyproject."""
    if _installed(extras):
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    what = "odplay" if extras == "runtime" else "odplay and its development tools"
    print(f"dev.py: installing {what} into .venv", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    target = str(ROOT) if extras == "runtime" else f"{ROOT}[dev]"
    subprocess.run([*pip, "-e", target], check=True)
    STAMPS[extras].write_text(_pyproject_hash())


def _absolute(arg: str) -> str:
    """An argument that names a path relative to where the command was typed, made absolute."""
    if arg.startswith("-"):
        return arg
    path, _, rest = arg.partition("::")  # pytest's file::test form
    if path and (HERE / path).exists():
        return str((HERE / path).resolve()) + (f"::{rest}" if rest else "")
    return arg


def run(*cmd: str, here: bool = False) -> int:
    """Run a tool from .venv, in the repository (or, with `here`, where dev.py was started)."""
    return subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=HERE if here else ROOT).returncode


def task_test(extra: list[str]) -> int:
    """Every check CI runs: lint, types, the no-textual import contract, then the test suite."""
    steps: list[tuple[str, ...]] = [
        ("ruff", "check", "odplay", "tests", "benchmarks", "dev.py", "setup.py"),
        ("ruff", "format", "--check", "odplay", "tests", "benchmarks", "dev.py", "setup.py"),
        ("mypy",),
        ("lint-imports",),
    ]
    for step in steps:
        print(f"dev.py: {' '.join(step)}", file=sys.stderr, flush=True)
        code = run(*step)
        if code:
            return code
    # Both cores: a file's tests stay on one worker (their module fixtures run once). Given
    # tests of its own, the run is still parallel; `-n 0` turns it off.
    parallel = [] if any(a.startswith("-n") for a in extra) else ["-n", "2", "--dist", "loadfile"]
    return run("python", "-m", "pytest", *parallel, *map(_absolute, extra))


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
    cmd = [str(BIN / "python"), "-m", "pytest", *SOAK_TESTS, *map(_absolute, extra)]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


TASKS = ("play", "test", "bench", "soak", "golden", "odplay")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2
    task, rest = argv[0], argv[1:]
    if task not in TASKS:
        print(f"dev.py: unknown task {task!r}; try {', '.join(TASKS)}", file=sys.stderr)
        return 2
    ensure_env("runtime" if task in {"play", "odplay"} else "dev")
    if task == "play":
        return run("odplay", "play", *rest, here=True)
    if task == "odplay":
        return run("odplay", *rest, here=True)
    if task == "test":
        return task_test(rest)
    if task == "soak":
        return task_soak(rest)
    if task == "golden":
        return run("python", "-m", "tests.golden.pins")
    return run("python", "-m", "benchmarks", *map(_absolute, rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
