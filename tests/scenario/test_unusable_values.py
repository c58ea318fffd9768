"""Values that parse but cannot be used, and files that are not files, are refused at once with
exit 2 and the file, line, column and field: never a traceback, a hang or a huge allocation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from odplay.cli import app

STEP = "steps:\n  - at: 0s\n    do:\n      - attach: ap1\n"


def _validate(path: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("title: !!bool maybe\n" + STEP, ":1:8: title:", "'maybe' is not a boolean"),
        ("title: t\nseed: !!int abc\n" + STEP, ":2:7: seed:", "'abc' is not an integer"),
        ("title: t\nseed: !!float abc\n" + STEP, ":2:7: seed:", "'abc' is not a number"),
        ("title: t\nseed: " + "9" * 5000 + "\n" + STEP, ":2:7: seed:", "5000 characters"),
        (
            "title: t\nsteps:\n  - at: " + "9" * 1_000_000 + "s\n",
            ":3:5: steps[0].at:",
            "1000001 characters",
        ),
        ("title: t\nsteps:\n  - at: \u0663s\n", ":3:5: steps[0].at:", "expected a duration"),
        ("%YAML 1.1\n---\ntitle: t\n" + STEP, ":1:1:", "odplay reads YAML 1.2 only"),
        (
            "title: t\n"
            + STEP
            + "    expect:\n      - socket: x\n        reestablished: !!bool perhaps\n",
            ":8:24: steps[0].expect[0].reestablished:",
            "'perhaps' is not a boolean",
        ),
    ],
    ids=[
        "bool",
        "int",
        "float",
        "int-past-4300-digits",
        "million-digit-duration",
        "unicode-digit-duration",
        "yaml-1.1",
        "nested",
    ],
)
def test_an_unusable_value_is_refused_where_it_stands(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, err = _validate(path)
    assert code == 2
    assert f"{path}{where}" in err and says in err, err


def test_yaml_1_2_directive_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("%YAML 1.2\n---\ntitle: t\n" + STEP, encoding="utf-8")
    assert _validate(path)[0] == 0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_at_once() -> None:
    code, err = _validate("/dev/zero")
    assert code == 2 and "not a regular file" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    code, err = _validate(fifo)
    assert code == 2 and "not a regular file" in err


def test_the_size_limit_counts_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("title: t\n" + "#" * 2_100_000 + "\n" + STEP, encoding="utf-8")
    code, err = _validate(path)
    assert code == 2 and "larger than the limit" in err
