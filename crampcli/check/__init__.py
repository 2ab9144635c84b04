"""The check: the warning-sign questions about a cramp (asked in a terminal or given as
options), the level they reach, and what to do next."""
