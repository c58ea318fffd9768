"""Scenario files: the YAML schema, a loader that reports errors by file, line and field, and the
runner that plays a scenario on the model and checks its expectations."""
