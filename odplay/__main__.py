"""`python -m odplay` runs the same Typer app as the `odplay` console script."""

from odplay.cli import main

main()
