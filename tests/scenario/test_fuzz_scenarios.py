"""Scenario files from hell: the shipped scenarios, mutated, fed to `odplay validate` and `run`.

Every mutation must end in exit 0, 1 or 2 with a message, never a traceback: a file that cannot
be loaded or run names itself (and, where there is one, the line and field). The mutations are
a fixed function of a seed, so a failure reproduces: the failing case's name says which
scenario, which mutation and which seed. A hang or a runaway cannot pass either: the model's
own limits (events, simulated time, file size, nesting, expansion) must stop every run, and a
guard alarm turns a hang into a failure instead of a stuck CI.

CI tries `ODPLAY_FUZZ_MUTATIONS` mutations (default 600); `python3 dev.py soak` tries more.
"""

from __future__ import annotations

import os
import random
import re
import resource
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import CliRunner

from odplay.cli import app
from odplay.scenario.catalogue import shipped_scenarios

MUTATIONS = int(os.environ.get("ODPLAY_FUZZ_MUTATIONS", "600"))
SEED = 20261127
#: A safety net, not a timing check: only a hang comes near it.
HANG_GUARD_SECONDS = 120
#: How much the whole batch may add to the test process's peak memory.
MEMORY_BOUND_MB = 400

Mutation = Callable[[random.Random, list[str]], list[str] | bytes]

_NUMBER = re.compile(r"(?<![\w.:])-?\d+(?:\.\d+)?(?:ms|s|m|h)?(?![\w:])")
_IPV6 = re.compile(r"[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:/\d+)?")
_VALUE = re.compile(r"^(\s*-?\s*[\w.]+:\s)(.+)$")
_NAME = re.compile(r"\b(app|ap|gw|fd|sock|www)[\w.-]*\b")


def _pick_line(rng: random.Random, lines: list[str], pattern: re.Pattern[str]) -> int | None:
    hits = [i for i, line in enumerate(lines) if pattern.search(line)]
    return rng.choice(hits) if hits else None


def delete_line(rng: random.Random, lines: list[str]) -> list[str]:
    del lines[rng.randrange(len(lines))]
    return lines


def duplicate_line(rng: random.Random, lines: list[str]) -> list[str]:
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return lines


def swap_lines(rng: random.Random, lines: list[str]) -> list[str]:
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def shift_indent(rng: random.Random, lines: list[str]) -> list[str]:
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["  ", " ", "\t"]) + lines[i] if rng.random() < 0.5 else lines[i][1:]
    return lines


def wrong_type(rng: random.Random, lines: list[str]) -> list[str]:
    i = _pick_line(rng, lines, _VALUE)
    if i is not None:
        wrong = rng.choice(["[]", "{}", "true", "null", "'text'", "[1, 2]", "{a: 1}", "~", '""'])
        lines[i] = _VALUE.sub(lambda m: m.group(1) + wrong, lines[i])
    return lines


def bad_number(rng: random.Random, lines: list[str]) -> list[str]:
    i = _pick_line(rng, lines, _NUMBER)
    if i is not None:
        bad = rng.choice(
            [
                str(10**30),
                str(-(10**18)),
                "1e999",
                ".nan",
                "-.inf",
                "99999999999h",
                "0x7fffffffffffffff",
                "-0",
                "3.5ms",
                "1_000_000_000_000",
                "525600h",  # a year
            ]
        )
        lines[i] = _NUMBER.sub(bad, lines[i], count=1)
    return lines


def bad_ipv6(rng: random.Random, lines: list[str]) -> list[str]:
    i = _pick_line(rng, lines, _IPV6)
    if i is not None:
        bad = rng.choice(
            [
                "2001:db8::g",
                ":::",
                "1:2:3:4:5:6:7:8:9",
                "fe80::1%eth0",
                "2001:db8::/129",
                "::ffff:300.1.1.1",
                "2001:db8:::1/64",
                "2001:db8::1/-1",
            ]
        )
        lines[i] = _IPV6.sub(bad, lines[i], count=1)
    return lines


def unknown_reference(rng: random.Random, lines: list[str]) -> list[str]:
    i = _pick_line(rng, lines, _NAME)
    if i is not None:
        ghost = rng.choice(["ghost", "ap99", "gw9", "nosuch-app", "x" * 65, "ümlaut"])
        lines[i] = _NAME.sub(ghost, lines[i], count=1)
    return lines


def deep_nesting(rng: random.Random, lines: list[str]) -> list[str]:
    depth = rng.choice([45, 200, 5000])
    nest = rng.choice([("[" * depth) + ("]" * depth), ("{a: " * depth) + "1" + ("}" * depth)])
    lines.insert(rng.randrange(len(lines) + 1), f"deep: {nest}")
    return lines


def alias_bomb(rng: random.Random, lines: list[str]) -> list[str]:
    """A 'billion laughs': a few lines that expand to billions of values."""
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        bomb.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    where = rng.choice(["top", "applications"])
    if where == "applications":
        bomb.append("applications: *a9")
    return bomb + lines


def absurd_size(rng: random.Random, lines: list[str]) -> list[str]:
    """A million applications, a year of simulated time, or time in microsecond steps."""
    choice = rng.randrange(4)
    if choice == 0:  # more applications than fit in the size limit
        apps = ["applications:"] + [f"  - {{name: a{n}, kind: web-browser}}" for n in range(60_000)]
        return apps + [line for line in lines if not line.startswith("applications:")]
    if choice == 1:  # more steps than odplay takes
        return [*lines, *["  - after: 1ms"] * 6000]
    if choice == 2:  # a year
        return [*lines, "  - at: 8760h", "  - after: 525600m"]
    return [*lines, "  - after: 1us", "  - at: 0.001ms"]  # finer than odplay's millisecond


#: What markup and terminal control are made of, as YAML double-quoted escapes.
HOSTILE_PIECES = ["[", "]", "/", "@", "=", "[/]", "[@click=app.quit]", "\\e", "\\a", "\\r", "\\x9b"]
_TEXT_FIELD = re.compile(r"^(\s*(?:- )?(?:title|summary|say|question|name|role|peer|publish): ).+$")


def hostile_text(rng: random.Random, lines: list[str]) -> list[str]:
    """A free-text field or a name rewritten with markup and control characters."""
    index = _pick_line(rng, lines, _TEXT_FIELD)
    if index is None:
        return lines
    value = "".join(rng.choice([*HOSTILE_PIECES, "a", "1", " "]) for _ in range(rng.randint(1, 9)))
    match = _TEXT_FIELD.match(lines[index])
    assert match is not None
    return [*lines[:index], f'{match.group(1)}"{value}"', *lines[index + 1 :]]


def binary_junk(rng: random.Random, lines: list[str]) -> bytes:
    data = "\n".join(lines).encode()
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.choice([1, 8, 200])) + data[at:]


def truncate(rng: random.Random, lines: list[str]) -> bytes:
    data = "\n".join(lines).encode()
    return data[: rng.randrange(len(data) + 1)]


def empty(rng: random.Random, lines: list[str]) -> bytes:
    return rng.choice([b"", b"\n", b"   \n\t\n", b"\xef\xbb\xbf", b"---\n", b"...\n", b"# only\n"])


MUTATORS: dict[str, Mutation] = {
    f.__name__: f
    for f in (
        delete_line,
        duplicate_line,
        swap_lines,
        shift_indent,
        wrong_type,
        bad_number,
        bad_ipv6,
        unknown_reference,
        hostile_text,
        deep_nesting,
        alias_bomb,
        absurd_size,
        binary_junk,
        truncate,
        empty,
    )
}
#: The slow ones are drawn less often: each makes a big file.
WEIGHTS = {
    name: (1 if name in {"absurd_size", "alias_bomb", "deep_nesting"} else 6) for name in MUTATORS
}


def mutants(count: int, seed: int = SEED) -> Iterator[tuple[str, bytes]]:
    """`count` mutated scenario files: (a name that says how to make it again, the bytes)."""
    sources = [(s.name, s.path.read_text().splitlines()) for s in shipped_scenarios()]
    names = list(MUTATORS)
    weights = [WEIGHTS[n] for n in names]
    for number in range(count):
        rng = random.Random(seed * 100_003 + number)
        stem, lines = rng.choice(sources)
        applied = []
        result: list[str] | bytes = list(lines)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name = rng.choices(names, weights)[0]
            applied.append(name)
            result = MUTATORS[name](rng, result if isinstance(result, list) else [])
            if isinstance(result, bytes):
                break
        data = result if isinstance(result, bytes) else "\n".join(result).encode() + b"\n"
        yield f"m{number:04d}-{stem}-{'+'.join(applied)}", data


class Hung(Exception):
    pass


#: What may never reach a terminal raw: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _guard(signum: int, frame: FrameType | None) -> None:
    raise Hung(f"no answer within {HANG_GUARD_SECONDS}s")


def test_mutated_scenarios_never_crash_odplay(tmp_path: Path) -> None:
    runner = CliRunner()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcomes: dict[int, int] = {}
    problems: list[str] = []
    previous = signal.signal(signal.SIGALRM, _guard)
    try:
        for name, data in mutants(MUTATIONS):
            path = tmp_path / f"{name}.yaml"
            path.write_bytes(data)
            commands = [["validate", str(path)], ["run", "-q", str(path)]]
            if name.startswith("hostile_text"):
                commands.append(["run", str(path)])  # the whole timeline and tables too
            for command in commands:
                signal.alarm(HANG_GUARD_SECONDS)
                try:
                    result = runner.invoke(app, command)
                finally:
                    signal.alarm(0)
                outcomes[result.exit_code] = outcomes.get(result.exit_code, 0) + 1
                said = result.stdout + result.stderr
                where = f"{name} ({command[0]})"
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    problems.append(f"{where}: {type(result.exception).__name__}")
                elif result.exit_code not in (0, 1, 2):
                    problems.append(f"{where}: exit {result.exit_code}")
                elif "Traceback" in said:
                    problems.append(f"{where}: a traceback")
                elif RAW_CONTROL.search(said):
                    problems.append(f"{where}: a raw control character reached the output")
                elif "Warning:" in said:
                    problems.append(f"{where}: a Python warning: {said[:200]}")
                elif result.exit_code == 2 and str(path) not in result.stderr:
                    problems.append(f"{where}: exit 2 without naming the file: {said[:200]}")
                elif not said.strip():
                    problems.append(f"{where}: said nothing")
            path.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert not problems, "\n".join(problems[:20])
    assert grown_mb < MEMORY_BOUND_MB, f"the batch grew the peak memory by {grown_mb:.0f} MB"
    # Most mutants must be refused, and the refusals must be input errors (2), not verdicts.
    assert outcomes.get(2, 0) > MUTATIONS // 2, outcomes


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_each_kind_of_mutation_is_refused_clearly(name: str, tmp_path: Path) -> None:
    """One mutant of each kind that the loader must refuse, with file and line when it can."""
    rng = random.Random(SEED)
    lines = (Path(__file__).parents[2] / "scenarios" / "4.2-message-flow.yaml").read_text()
    mutated = MUTATORS[name](rng, lines.splitlines())
    data = mutated if isinstance(mutated, bytes) else "\n".join(mutated).encode()
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert re.search(re.escape(str(path)) + r"(:\d+)?", result.stderr), result.stderr
