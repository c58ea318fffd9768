"""Open the playground from the command line: free play, or a scenario to step through.

A scenario that cannot be loaded does not stop the app: it opens in free play and shows the
problems, each with its file, line and field.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from odplay.session.api import ScenarioError, Session
from odplay.ui.app import PlaygroundApp

NEEDS_A_TERMINAL = (
    "odplay: the playground needs a terminal. For a headless run: odplay run 4.2-message-flow"
)


def open_playground(
    scenario: str | None,
    predict: bool = False,
    served: bool = False,
    files: Path | None = None,
) -> int:
    """Run the app until the learner quits; returns the exit code.

    `served` (a browser tab of `odplay serve`): every file stays in `files` (the current folder
    if None) and nothing may touch the machine; `files` alone confines files all the same.
    """
    # Under `odplay serve` the app talks to a browser through textual-serve's web driver,
    # over pipes: that is a terminal of sorts too.
    in_browser = "TEXTUAL_DRIVER" in os.environ
    if not in_browser and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(NEEDS_A_TERMINAL, file=sys.stderr)
        return 2
    session: Session | None = None
    error: ScenarioError | None = None
    name: str | None = None
    if scenario:
        # Here, not at the top: the catalogue brings the scenario schema (its models and
        # ruamel.yaml) with it, which free play never needs and which would delay its first frame.
        from odplay.session.scenarios import resolve

        try:
            path = resolve(scenario)
            session, name = Session.load(path), path.stem
        except ScenarioError as exc:
            error = exc
    from odplay.config import load_config

    config, problem = load_config()
    app = PlaygroundApp(
        session,
        load_error=error,
        predicting=predict,
        config=config,
        config_problem=problem,
        served=served,
        files=files,
    )
    app.scenario_name = name  # what an exported step's file is named after
    app.run()
    return app.return_code or 0
