"""crampcli: a command-line self-care guide for leg cramps."""

__version__ = "0.1.0"
