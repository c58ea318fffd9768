"""The playground: a Textual app over :class:`odplay.session.api.Session`.

Only this package imports Textual. The model, the scenarios and the headless commands never do
(an import-linter contract and a test of a real headless run keep it so), which is why the
playground and `odplay run` cannot disagree: both drive the same core.
"""
