"""odplay: a runnable model of On-Demand Mobility Management.

The draft is draft-ietf-dmm-ondemand-mobility-16, published as RFC 8653.

The model lives in :mod:`odplay.sim`, scenario files in :mod:`odplay.scenario`, and the headless
commands in :mod:`odplay.cli`. None of them imports Textual.
"""

__version__ = "0.1.0"
