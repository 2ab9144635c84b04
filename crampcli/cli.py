"""The `cramp` command: parse arguments, ask the guide, hand the page to render.

Kept thin on purpose, and light at start-up: rich, PyYAML and the diary's storage are imported
only by the code paths that need them (ruff's TID253 keeps them out of module level).
"""

from typing import Annotated

import typer

from . import __version__
from .errors import CrampError
from .lazyapp import LazyTyper
from .output import (
    ColorOption,
    fail,
    start_run,
)

EXAMPLES = """Examples:

\b
  cramp relief calf            what to do right now for a calf cramp
  cramp relief --night         a cramp that woke you up
  cramp when-to-see-doctor     red flags, most urgent first
  cramp prevent stretching     keep cramps away
  cramp foods magnesium        foods, amounts and daily needs
  cramp tip --oneline          a tip of the day for your shell start-up
  cramp search pickle          find anything in the guide

\b
Add --plain for plain text, --json for one JSON object."""


app = LazyTyper(
    name="cramp",
    help="A self-care guide for leg cramps. Not medical advice: see a doctor for your own situation.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def version_callback(value: bool) -> None:
    if value:
        print(f"cramp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    color: ColorOption = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    start_run(color)


# Every command lives in a module of its own, registered by import path so that a run
# imports (and builds) only the command it runs.
app.command_at(
    "relief",
    "crampcli.relief_cli:relief",
    epilog="Areas: calf, hamstring, quadriceps, foot (aliases such as charley-horse, back-of-thigh, toes).",
)
for _name in ("prevent", "foods", "causes", "remedies"):
    app.command_at(_name, f"crampcli.browse_cli:{_name}")
app.command_at("when-to-see-doctor", "crampcli.browse_cli:when_to_see_doctor")
app.command_at("doctor", "crampcli.browse_cli:when_to_see_doctor", help="Same as when-to-see-doctor.")
app.command_at("tip", "crampcli.tip_cli:tip")
for _name in ("search", "sources", "disclaimer"):
    app.command_at(_name, f"crampcli.browse_cli:{_name}")
app.command_at("check", "crampcli.check_cli:check")
app.command_at("profile", "crampcli.profile_cli:app")
app.command_at("content", "crampcli.content_cli:app")
app.command_at("routine", "crampcli.routine_cli:routine")
app.command_at("log", "crampcli.diary_cli:app")


def main() -> None:
    """The console-script entry point: every failure becomes a message and an exit code."""
    try:
        app()
    except CrampError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
