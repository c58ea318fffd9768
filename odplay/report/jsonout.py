"""A run as JSON: the trace, the final state and the checks, for tools and for diffing runs."""

from __future__ import annotations

import json
import re
from typing import Any

from odplay.scenario.runner import RunResult


def run_to_jsonable(result: RunResult, source: str) -> dict[str, Any]:
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
        "trace": [e.to_jsonable() for e in result.sim.trace],
        "state": result.sim.snapshot(),
    }


#: JSON escapes C0 controls itself; DEL and the C1 controls it would print raw.
_C1 = re.compile("[\x7f-\x9f]")


def dumps(data: dict[str, Any]) -> str:
    """Readable JSON (non-ASCII text as it is) in which no control character is raw."""
    text = json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
