"""One module per verb a scenario step can `do`; each holds one `VERB` entry (see
odplay.scenario.registry). Modules named `_...` are helpers shared by several verbs."""
