"""How a run is shown headless: a Rich timeline with the final tables, or JSON."""
