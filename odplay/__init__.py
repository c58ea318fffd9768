"""odplay: a runnable model of On-Demand Mobility Management.

The draft is draft-ietf-dmm-ondemand-mobility-16; RFC 8653 published it without its API and
worked examples.

The model lives in :mod:`odplay.sim`, scenario files in :mod:`odplay.scenario`, and the headless
commands in :mod:`odplay.cli`. None of them imports Textual.
"""

from __future__ import annotations


def version() -> str:
    """odplay's version, from the installed package's metadata (pyproject.toml's `version`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("odplay")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
