"""`python -m crampcli` runs the `cramp` command."""

from crampcli.cli.app import main

main()
