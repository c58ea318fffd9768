"""A learner's session with the model: time, stepping, and actions, with no UI in it.

The playground is a view over :class:`~odplay.session.session.Session`; its tests and the
screenshot command drive the same object. What a viewer may use of it, and of the model beneath
it, is gathered in :mod:`odplay.session.api` (and, heavier, :mod:`odplay.session.scenarios`).
Nothing here imports Textual.
"""
