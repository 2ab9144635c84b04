"""The run: its settings (the options given before and after the command name), what is
loaded once per run (the content, the user's profile), and writing its page. The one owner of
those settings: the output layer gets them as arguments."""

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from crampcli.errors import CrampError
from crampcli.output.colour import pick_mode
from crampcli.output.page import Color
from crampcli.output.write import park_stdout, send, send_text, warn
from crampcli.safefile import expand_option

if TYPE_CHECKING:
    from crampcli.content.model import Content
    from crampcli.output.page import Page
    from crampcli.profile.store import Fit


class State:
    """Options of the current run that reach beyond one command's own code."""

    color: Color | None = None  # given before the command name: `cramp --color never relief`
    json: bool = False  # `cramp --json relief calf`
    plain: bool = False
    no_pager: bool = False  # --no-pager, before or after the command name
    profile: str | None = None  # --profile FILE, or "none" for the plain guide
    hide_unsuitable: bool = False
    strict: bool = False


def personalise(profile: str | None, hide_unsuitable: bool, strict: bool) -> None:
    """Record the profile options of this run; load() and fit() follow them."""
    State.profile, State.hide_unsuitable, State.strict = profile, hide_unsuitable, strict


def load() -> "Content":
    """The guide's content with the user's own files merged in, loaded once per run."""
    global _loaded
    if _loaded is None:
        from crampcli.content.load import load_guide
        from crampcli.profile.store import user_content_dir

        user_folder = None if State.profile == "none" else user_content_dir()
        _loaded, warnings = load_guide(user_folder, State.strict)
        for warning in warnings:
            warn(warning)
    return _loaded


def fit() -> "Fit":
    """How to show advice to this user: their conditions, emergency number and units."""
    from crampcli.profile.store import NO_FIT, Fit, read_profile

    if State.profile == "none":
        return NO_FIT
    from pathlib import Path

    from crampcli.profile.store import config_file

    path = Path(expand_option(State.profile, "--profile")) if State.profile else config_file()
    if State.profile and not path.exists():
        raise CrampError(f"no profile at {path}")
    try:
        profile = read_profile(path)
    except CrampError as error:
        if State.strict:
            raise
        warn(f"{error}; showing the guide without your profile")
        return NO_FIT
    content = load()
    names = {c.id: c.name for c in content.conditions}
    unknown = [c for c in profile.conditions if c not in names]
    for condition in unknown:
        warn(f"{path}: unknown condition {condition[:40]!r} is ignored")
    return Fit(
        frozenset(c for c in profile.conditions if c in names),
        names,
        State.hide_unsuitable,
        profile.emergency_number,
        profile.units,
    )


_loaded: "Content | None" = None


def start_run(color: Color | None, json_output: bool = False, plain: bool = False, no_pager: bool = False) -> None:
    """Called once per invocation, before the command, with the options given before its name:
    forget what an earlier run in this process held."""
    global _loaded
    _loaded = None
    State.color, State.json, State.plain, State.no_pager = color, json_output, plain, no_pager
    State.profile, State.hide_unsuitable, State.strict = None, False, False


def wants_json(json_output: bool) -> bool:
    """--json after the command name, or before it."""
    return json_output or State.json


def emit(page: "Page", json_output: bool, plain: bool, color: Color | None) -> None:
    """Write the page as this run's options ask, to this run's stdout."""
    mode = pick_mode(json_output or State.json, plain or State.plain, color or State.color)
    disclaimer = load().disclaimer
    guarded_output(lambda: send(page, mode, disclaimer, sys.stdout, State.no_pager))


def emit_text(text: str, kind: str = "help") -> None:
    """Text that is not a page of advice (help), through the pager when it is long."""
    guarded_output(lambda: send_text(text, kind, "plain", sys.stdout, State.no_pager))


def guarded_output(write: Callable[[], None]) -> None:
    """Run write; a closed pipe ends quietly, any other output failure is a clear error."""
    try:
        write()
    except BrokenPipeError:
        park_stdout()  # the reader has gone (`| head`): nothing left to say
        raise typer.Exit(0) from None
    except OSError as error:
        raise CrampError(f"cannot write the output: {error.strerror or error}") from None
