"""`odplay kernel`: a scenario played on the model and on this machine's Linux IPv6 stack.

The model runs first (odplay.sim, untouched); what its applications and its network did is
captured (`capture.py`) and replayed, at the same times, on network namespaces joined by
user-space delayed links (`lab.py`, `wire.py`, `topology.py`), with real sockets on the host
(`replay.py`). Every claim of the model the kernel can decide is checked; what the harness has
to force (setsc(), which no kernel has; breaks, which Linux never makes) is listed apart.

Needs root, /dev/net/tun and pyroute2 (`pip install 'odplay[kernel]'`); `preflight.py` says which
is missing. Nothing here imports Textual, and nothing in the model imports this package.
"""

from __future__ import annotations
