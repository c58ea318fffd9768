"""Scenario files: the YAML schema, a loader that reports errors by file, line and field, and the
runner that plays a scenario on the model and checks its expectations.

The language's words live one per module: `verbs/` (what a step can `do`) and `subjects/` (what
it can `expect`), read through `registry`; `docs` writes docs/scenario-language.md from them."""
