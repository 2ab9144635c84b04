"""`python -m crampcli` runs the `cramp` command."""

from crampcli.cli import main

main()
