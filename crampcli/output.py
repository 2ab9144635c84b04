"""What every command shares: the output options, the content, and safe writing to stdout.

Feature commands (check, routine, log, profile...) live in their own modules and use these,
so the parsing layer stays thin and each command renders the same way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from .errors import CrampError

if TYPE_CHECKING:
    from .model import Content
    from .views import Page


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class State:
    """Options given before the command name, such as `cramp --color never relief`."""

    color: Color | None = None


# Options shared by every content command.
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object (keys in README).")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Plain text without colour or layout.")]
ColorOption = Annotated[Optional[Color], typer.Option("--color", help="Colour: auto, always or never.")]


def load() -> Content:
    """The built-in content, loaded once per run."""
    global _loaded
    if _loaded is None:
        from .content import load_content

        _loaded = load_content()
    return _loaded


_loaded: Content | None = None


def start_run(color: Color | None) -> None:
    """Called once per invocation, before the command: forget what an earlier run in this process held."""
    global _loaded
    _loaded = None
    State.color = color


def emit(page: Page, json_output: bool, plain: bool, color: Color | None) -> None:
    from . import render

    chosen = color or State.color
    mode = render.pick_mode(json_output, plain, chosen.value if chosen else None)
    guarded_output(lambda: render.show(page, mode, load().disclaimer))


def guarded_output(write: Callable[[], None]) -> None:
    """Run write; a closed pipe ends quietly, any other output failure is a clear error."""
    try:
        write()
    except BrokenPipeError:
        park_stdout()  # the reader has gone (`| head`): nothing left to say
        raise typer.Exit(0) from None
    except OSError as error:
        raise CrampError(f"cannot write the output: {error.strerror or error}") from None


def report(message: str) -> None:
    """An error message on stderr; stdout is parked so Python's last flush is quiet."""
    from .render import safe, unicode_ok

    try:
        sys.stderr.write(f"cramp: {safe(message, unicode_ok(sys.stderr))}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    park_stdout()


def fail(message: str, code: int) -> NoReturn:
    report(message)
    raise SystemExit(code)


def park_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


