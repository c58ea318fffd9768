"""A learner's session with the model: time, stepping, and actions, with no UI in it.

The playground is a view over :class:`~odplay.session.session.Session`; its tests and the
screenshot command drive the same object. Nothing here imports Textual.
"""
