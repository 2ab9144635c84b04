"""The cramp diary: a private SQLite store of episodes, with its parsing, statistics, red
flags, import and export, report and pages. Imported only by the `log` commands."""
