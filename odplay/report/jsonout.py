"""odplay's JSON: one convention for every command's `--json` output.

Every output is one JSON object (never a bare list) that starts with `format`: the name of what
it holds and the version of that format (raised when a field changes meaning or goes), then
`odplay`: the version of odplay that wrote it. With several inputs, a command prints one such
object per line (JSON Lines). Steps are the scenario's own: a step's number counts from 1 as the
file lists them, with the simulated time the step is `at`. The schemas are in
`odplay/schemas/` (shipped with the package) and described in docs/json-output.md.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from odplay import version

if TYPE_CHECKING:
    # Only for annotations: `odplay rules --json` uses the envelope without loading the model.
    from odplay.scenario.runner import RunResult

#: The version of each output format; a test checks every output against its schema.
FORMATS = {"odplay.run": 1, "odplay.compare": 1, "odplay.rules": 1, "odplay.kernel": 1}


def envelope(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` under the convention's two leading fields."""
    return {
        "format": {"name": name, "version": FORMATS[name]},
        "odplay": {"version": version()},
        **body,
    }


def _trace_entry(entry: Any, starts: list[int], times: list[int]) -> dict[str, Any]:
    """A trace entry, its step said in the scenario's terms: which step's window it falls in
    (1-based; 0 before the first; a window begins with its step's say, see
    odplay.scenario.runner) and the `at` time of that step."""
    number = bisect_right(starts, entry.number)
    return {
        "index": entry.number,
        "step": number,
        "step_at_ms": times[number - 1] if number else 0,
        "time_ms": entry.time,
        "actor": entry.actor,
        "target": entry.target,
        "kind": entry.kind,
        "text": entry.text,
        "rules": list(entry.rules),
        "data": entry.data,
    }


def _state(snapshot: dict[str, Any], starts: list[int]) -> dict[str, Any]:
    """The final state, its step said as the scenario's step, as the trace's are."""
    return {**snapshot, "step": bisect_right(starts, snapshot["step"])}


def run_to_jsonable(result: RunResult, source: str) -> dict[str, Any]:
    return envelope("odplay.run", run_body(result, source, result.step_entries, result.step_times))


def run_body(result: RunResult, source: str, starts: list[int], times: list[int]) -> dict[str, Any]:
    """The run's JSON body; `starts` are the trace entries each step's window begins at."""
    return {
        "scenario": {"file": source, "title": result.scenario.title, "seed": result.scenario.seed},
        "ok": result.ok,
        "checks": [
            {
                "step": c.step + 1,
                "subject": c.subject,
                "ok": c.ok,
                "expected": c.expected,
                "seen": c.seen,
            }
            for c in result.checks
        ],
        "predictions": [
            {
                "step": p.step + 1,
                "question": p.question,
                "choices": list(p.choices),
                "answer": p.answer,
                "rules": list(p.rules),
            }
            for p in result.predictions
        ],
        "trace": [_trace_entry(e, starts, times) for e in result.sim.trace],
        "state": _state(result.sim.snapshot(), result.step_starts),
    }


#: JSON escapes C0 controls itself; DEL and the C1 controls it would print raw.
_C1 = re.compile("[\x7f-\x9f]")


def dumps(data: dict[str, Any]) -> str:
    """Readable JSON (non-ASCII text as it is) in which no control character is raw."""
    text = json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
