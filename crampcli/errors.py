"""The one exception family the CLI turns into a message and an exit code."""

from collections.abc import Sequence


class CrampError(Exception):
    """A problem to tell the user about; never shown as a traceback."""

    exit_code = 1


class UsageError(CrampError):
    """The user asked for something that does not exist or is malformed."""

    exit_code = 2


class ContentError(CrampError):
    """A content or user file is missing, unreadable or invalid."""

    exit_code = 1

    def __init__(self, message: str, problems: Sequence[object] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])
