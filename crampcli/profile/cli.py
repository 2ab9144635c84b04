"""`cramp profile`: show, change and clear who the guide is for."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from crampcli.cli.options import ColorOption, JsonOption, PlainOption, complete_settings
from crampcli.cli.run import emit, load
from crampcli.errors import CrampError, UsageError
from crampcli.output.page import Color

app = typer.Typer(
    help="Your profile: conditions that change which advice suits you, your emergency number, your units.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

SETTINGS_HELP = """\b
Settings:
  conditions=pregnancy,diabetes   your conditions (replaces the list)
  diabetes=yes | diabetes=no      add or remove one condition
  emergency-number=112            the number shown in emergency advice
  units=metric | units=us         how food servings are shown
Conditions: see `cramp profile show`."""


def condition_names() -> dict[str, str]:
    """Every id, name and alias of a condition, mapped to its id."""
    from crampcli.content.names import normalise

    names: dict[str, str] = {}
    for condition in load().conditions:
        for name in (condition.id, condition.name, *condition.aliases):
            names[normalise(name)] = condition.id
    return names


@app.command()
def show(json_output: bool = JsonOption, plain: bool = PlainOption, color: Optional[Color] = ColorOption) -> None:
    """Where the profile lives and what it says."""
    from .store import config_file, read_profile
    from .view import profile_page

    path = config_file()
    emit(profile_page(path, read_profile(path), load().conditions), json_output, plain, color)


@app.command("set", epilog=SETTINGS_HELP)
def set_settings(
    settings: list[str] = typer.Argument(
        metavar="KEY=VALUE...", help="One or more settings.", autocompletion=complete_settings
    ),
) -> None:
    """Change settings, for example: cramp profile set diabetes=yes emergency-number=112"""
    from .store import config_file, profile_problem, read_profile, with_setting, write_profile

    path = config_file()
    problem = profile_problem(path)
    if problem:  # /dev/null reads as no profile, but is never written to
        raise CrampError(f"cannot save the profile: {problem}")
    profile = read_profile(path)  # a malformed file stops here: it is never overwritten
    names = condition_names()
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"settings look like KEY=VALUE, not {setting[:40]!r}")
        profile = with_setting(profile, key, value, names)
    write_profile(path, profile)
    say(f"Saved {path}")
    say_disclaimer()


@app.command()
def clear(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask.")) -> None:
    """Remove the profile, so the guide is shown to you as to anyone."""
    import os

    from crampcli.safefile import is_dev_null

    from .store import config_file, profile_problem, remove_profile

    path = config_file()
    if is_dev_null(path) or not os.path.lexists(path):
        say("There is no profile to clear.")
        return
    problem = profile_problem(path)
    if problem:  # said before asking: a FIFO, a device or a folder is never removed
        raise CrampError(f"cannot remove the profile: {problem}")
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("clearing the profile needs --yes when there is no terminal to ask")
        answer = input(shown(f"Remove {path}? [y/N] ")).strip().lower()
        if answer not in ("y", "yes"):
            say("Kept.")
            return
    remove_profile(path)
    say(f"Removed {path}")
    say_disclaimer()


def shown(text: str) -> str:
    """text with control characters neutralised, and in ASCII where stdout takes nothing else:
    a profile path is user text like any other (and a path that cannot be printed must not
    fail the command after the profile has changed)."""
    from crampcli.text import safe, unicode_ok

    return safe(text, unicode_ok(sys.stdout))


def say(text: str) -> None:
    print(shown(text))


def say_disclaimer() -> None:
    """The one-line disclaimer that ends every page about the user's own records and settings."""
    from crampcli.cli.run import load

    print(f"\n-- {load().disclaimer.short}")
