"""`odplay kernel`: a scenario played on the model and on this machine's Linux IPv6 stack.

The model runs first (odplay.sim, untouched); what its applications and its network did is
captured (`capture.py`) and replayed, at the same times (`replay.py`), on network namespaces
joined by user-space delayed links (`topology.py` lays them out, `lab.py` builds them with
`netns.py` and `netlink.py`, `wire.py` carries them): the applications' calls on real sockets
(`host_side.py`), the network's doings through netlink (`network_side.py`), round trips timed
by the kernel (`probe.py`). Every claim of the model the kernel can decide is a `Check`
(`checks.py`); what the harness has to force (setsc(), which no kernel has; breaks, which Linux
never makes) is listed apart, and every disagreement says why (`explain.py`). `report.py` shows
it, `command.py` is `odplay kernel`, `preflight.py` says what a machine lacks.

Needs root, /dev/net/tun and pyroute2 (`pip install 'odplay[kernel]'`); `preflight.py` says which
is missing. Nothing here imports Textual, and nothing in the model imports this package.
"""

from __future__ import annotations
