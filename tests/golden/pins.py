"""The pinned `--json` output of every shipped scenario, and the command that rewrites it.

`odplay run --json` and `odplay compare --json` of each shipped scenario are kept in
`tests/golden/<command>/<scenario>.json`. A change that means to alter what a run does or says
rewrites them with `python3 dev.py golden`, so that the review shows each difference; a change
that does not mean to, such as a restructuring, leaves them byte for byte as they were.

What varies by where or with which version odplay runs is left out before pinning: the
scenario's path (only its file name is kept) and any `version` field.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from odplay.cli import app

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parents[1]
COMMANDS = ("run", "compare")


def shipped() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.yaml"))


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "version":
                continue
            if key == "file" and isinstance(item, str):
                item = Path(item).name
            out[key] = _normalise(item)
        return out
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    return value


def current(command: str, scenario: Path) -> str:
    """What `odplay COMMAND --json SCENARIO` prints now, normalised, as pinned text."""
    result = CliRunner().invoke(app, [command, "--json", str(scenario)])
    if result.exit_code not in (0, 1):
        raise AssertionError(f"odplay {command} {scenario.name}: exit {result.exit_code}")
    data = _normalise(json.loads(result.stdout))
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def pinned_path(command: str, scenario: Path) -> Path:
    return GOLDEN / command / f"{scenario.stem}.json"


def regenerate() -> list[Path]:
    """Rewrite every pinned file; return the ones whose text changed."""
    changed = []
    for command in COMMANDS:
        (GOLDEN / command).mkdir(exist_ok=True)
        for scenario in shipped():
            target = pinned_path(command, scenario)
            text = current(command, scenario)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                changed.append(target)
        wanted = {pinned_path(command, s).name for s in shipped()}
        for stale in (GOLDEN / command).glob("*.json"):
            if stale.name not in wanted:
                stale.unlink()
                changed.append(stale)
    return changed


if __name__ == "__main__":
    for path in regenerate():
        print(f"rewrote {path.relative_to(ROOT)}")
    sys.exit(0)
