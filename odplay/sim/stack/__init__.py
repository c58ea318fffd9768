"""The mobile host's IP stack: its tables, the socket calls, and what it does when the host moves.

This is where the draft's behaviour lives. `setsc()` follows Sections 3.1, 3.4, 3.5 and 6.1
(D1-D5, A1-A6); movement follows 3.2 and the 4.2 flow (T1-T4, F5-F7); source selection for
sockets that never bound follows 5.2 and 5.4 (B3-B6, R1-R3, S1) in RFC 6724's order; send() on
TCP and UDP sockets is in datagrams.py (C1). Each part is a module here; what happens is
recorded as typed events (odplay.sim.events) and told by odplay.sim.narration.
"""

from odplay.sim.stack.core import EPHEMERAL_PORTS, Request
from odplay.sim.stack.host_stack import HostStack
from odplay.sim.stack.reachability import Reachability

__all__ = ["EPHEMERAL_PORTS", "HostStack", "Reachability", "Request"]
