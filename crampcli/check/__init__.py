"""The check: questions about a cramp, red flags and what to do next."""
