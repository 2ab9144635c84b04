"""`python -m crampcli` runs the `cramp` command."""

from .cli import main

main()
