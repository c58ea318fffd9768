"""The model: a deterministic, sans-IO simulation of a mobile host, its IP stack and the network.

Nothing here sleeps, reads a clock or does I/O, and nothing imports Textual: the headless runner,
the tests and the playground all drive the same :class:`~odplay.sim.simulation.Simulation`.
"""
