"""One module per subject a scenario step can `expect`; each holds one `SUBJECT` entry (see
odplay.scenario.registry). Modules named `_...` are helpers shared by several subjects."""
