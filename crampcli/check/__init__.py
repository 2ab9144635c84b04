"""`cramp check` in a terminal: asking the lists of warning signs."""
