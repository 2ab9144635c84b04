"""The command kit: the lazy command group, the shared options and the examples."""
