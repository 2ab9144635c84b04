"""The `cramp` command group: which commands there are, built lazily, and errors as exit codes.

Each command lives in a module of its own and parses, asks the guide and hands a page to
render. Start-up is kept light: rich, PyYAML and the diary's storage are imported only by
the code paths that need them (ruff's TID253 keeps them out of module level).
"""

import gc
import importlib
from collections.abc import Callable
from typing import Any, NoReturn, Optional

import typer
import typer.core
import typer.main

from crampcli import __version__
from crampcli.cli.options import ColorOption, JsonOption, NoPagerOption, PlainOption
from crampcli.cli.run import start_run
from crampcli.errors import CrampError
from crampcli.output.page import Color
from crampcli.output.write import fail, report

# The root group builds a command only when it runs, and maps errors to exit codes.
# typer turns every registered command into a click command before running any of them; with
# a dozen commands that took about 17 ms here, more than the rest of `cramp relief calf`.
# LazyTyper keeps the registrations and CrampGroup builds just the one asked for (help and
# completion still see them all). Commands registered by import path load only when used.
Builder = Callable[[], Any]  # returns a click command


class LazyTyper(typer.Typer):
    """typer.Typer whose commands and sub-apps, registered with command_at, are built on first use."""

    def __init__(self, **settings: Any) -> None:
        group = type("CrampGroup", (CrampGroup,), {"owner": self})  # lets the group find this app
        super().__init__(cls=group, **settings)
        self.lazy: dict[str, Builder] = {}

    def command_at(self, name: str, target: str, **settings: Any) -> None:
        """Register `module:attribute` (a command function or a typer app) without importing it yet."""

        def build() -> Any:
            module, attribute = target.split(":")
            found = getattr(importlib.import_module(module), attribute)
            if isinstance(found, typer.Typer):
                return finished(named(typer.main.get_command(found), name), name)
            single = one_command_app()
            single.command(name, **settings)(found)
            return finished(typer.main.get_command(single), name)

        self.lazy[name] = build


def one_command_app() -> typer.Typer:
    """A holder for one command, with the root's settings (plain help, no completion flags)."""
    return typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def named(command: Any, name: str) -> Any:
    command.name = name
    return command


def finished(command: Any, path: str) -> Any:
    """The command (and its sub-commands) with a summary that is never cut off with '...' in
    a list of commands, and help that ends with examples."""
    from crampcli.cli.examples import examples_text

    command.short_help = summary(command.help or "")
    examples = examples_text(path)
    if examples and "Examples:" not in (command.epilog or ""):
        command.epilog = f"{command.epilog}\n\n{examples}" if command.epilog else examples
    for sub_name, sub in getattr(command, "commands", {}).items():
        finished(sub, f"{path} {sub_name}")
    if getattr(command, "commands", None) and " " not in path:
        bare_shows_screen(command, f"cramp {path}")
    return command


def bare_shows_screen(group: Any, path: str) -> None:
    """A group run with nothing after it (`cramp log`) shows its short usage screen, exit 0."""
    parse = group.parse_args

    def parse_args(ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            from crampcli.cli.usage import group_screen

            write_screen(group_screen(group, ctx, path))
        return list(parse(ctx, args))

    group.parse_args = parse_args


def first_screen() -> str:
    from crampcli.cli.usage import FIRST_SCREEN

    return FIRST_SCREEN


def write_screen(text: str) -> NoReturn:
    """A usage screen on stdout, exit 0: it fits one screen, so no pager."""
    import sys

    from crampcli.cli.run import guarded_output
    from crampcli.output.write import write
    from crampcli.text import safe, unicode_ok

    guarded_output(lambda: write(sys.stdout, safe(text, unicode_ok(sys.stdout))))
    raise typer.Exit(0)


def summary(help_text: str) -> str:
    """The first sentence of a command's help, for the list of commands (wrapped, not cut)."""
    first = help_text.strip().split("\n\n")[0]
    first = " ".join(first.replace("\b", "").split())
    end = first.find(". ")
    return first[: end + 1] if end > 0 else first


class CrampGroup(typer.core.TyperGroup):
    """The root command group: lazy sub-commands, and the project's errors as exit codes."""

    owner: LazyTyper | None = None  # set by the app that builds this group

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built: dict[str, Any] = {}

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as error:  # an unknown command: suggest the close ones
            import difflib

            close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=2) if args else []
            guess = clear_guess(args[0], self.list_commands(ctx)) if args else None
            if guess is not None:  # run it, as git's help.autocorrect can: only what writes nothing
                from crampcli.output.write import note

                note(f"'{args[0][:40]}' is not a command; running 'cramp {guess}'")
                return guess, self.get_command(ctx, guess), args[1:]
            message = str(getattr(error, "message", ""))
            if close and "Did you mean" not in message and hasattr(error, "message"):
                error.message = message.rstrip(".") + ". Did you mean " + " or ".join(map(repr, close)) + "?"
            raise

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(self.owner.lazy if self.owner else {})]

    def get_command(self, ctx: Any, name: str) -> Any:
        if name in self.commands:
            return self.commands[name]
        if name not in self._built:
            builders = self.owner.lazy if self.owner else {}
            if name not in builders:
                return None
            self._built[name] = builders[name]()
        return self._built[name]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            write_screen(first_screen())
        if args[:1] == ["--show-completion"] and args[1:2] and args[1] in COMPLETION_SHELLS:
            show_completion(args[1])
        if args[:1] == ["--install-completion"] and args[1:2] and args[1] in COMPLETION_SHELLS:
            install_completion(args[1])
        # --no-pager is the whole run's, wherever it is typed: moved to the front, the root
        # parses it, and no command needs an option of its own for it.
        end = args.index("--") if "--" in args else len(args)
        if "--no-pager" in args[1:end]:
            args = ["--no-pager", *(a for a in args[:end] if a != "--no-pager"), *args[end:]]
        return list(super().parse_args(ctx, args))

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except typer.TyperException as error:  # a bad option before the command name
            tame(error)
            raise
        except OSError as error:  # --help or --version written to a full disk
            report_os_error(error)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CrampError as error:
            report(str(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            report("interrupted")
            raise typer.Exit(130) from None
        except EOFError:  # Ctrl-D at a question: typer would print "Aborted!"
            report("no answer (end of input); nothing was done")
            raise typer.Exit(1) from None
        except typer.TyperException as error:  # the parser's own usage errors quote what was typed
            tame(error)
            raise
        except OSError as error:
            report_os_error(error)


# Commands that only read: a mistyped name with one clear match runs one of these. A command
# that writes (log, profile, content) never runs by guess.
READ_ONLY = frozenset(
    {"relief", "prevent", "foods", "causes", "remedies", "when-to-see-doctor", "doctor", "tip", "search"}
    | {"sources", "disclaimer", "routine", "check", "help"}
)


def clear_guess(typed: str, names: list[str]) -> str | None:
    """The one read-only command typed is a slip of (two letters swapped, one missing or extra
    or wrong), when no other command is nearly as close."""
    import difflib

    if typed.startswith("-") or len(typed) < 4:
        return None
    scores = sorted(((difflib.SequenceMatcher(None, typed, n).ratio(), n) for n in names), reverse=True)
    (best, name), runner_up = scores[0], (scores[1][0] if len(scores) > 1 else 0.0)
    if name in READ_ONLY and best >= 0.8 and best - runner_up >= 0.2:
        return name
    return None


COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def show_completion(shell: str) -> NoReturn:
    """The completion script for the shell named after --show-completion; typer's flag takes
    no value and would guess the shell from the running processes instead."""
    from typer._completion_shared import get_completion_script

    print(get_completion_script(prog_name="cramp", complete_var="_CRAMP_COMPLETE", shell=shell))
    raise typer.Exit(0)


def install_completion(shell: str) -> NoReturn:
    """Completion installed for the shell named after --install-completion, as typer's own flag
    does for the shell it guesses (which took `zsh` run from bash to mean bash)."""
    from typer._completion_shared import install

    installed, path = install(shell=shell, prog_name="cramp", complete_var="_CRAMP_COMPLETE")
    print(f"{installed} completion installed in {path}")
    print("Completion will take effect once you restart the terminal")
    raise typer.Exit(0)


def tame(error: typer.TyperException) -> None:
    """The parser's message with the typed value made safe: control characters shown as '?',
    ASCII where stderr takes nothing else (click would write UTF-8 there all the same), and a
    long value cut, so a 1 MB argument does not come back as a 1 MB message."""
    import re
    import sys

    from crampcli.text import safe, unicode_ok

    cut = re.sub(r"\S{64,}", lambda m: m[0][:40] + "..." + m[0][-2:], error.message)
    error.message = safe(cut, unicode_ok(sys.stderr))
    error.show = lambda file=None: one_line(error)  # type: ignore[attr-defined]


def one_line(error: typer.TyperException) -> None:
    """A usage error as one line, like every other message: `cramp: No such option: --x (see
    cramp relief -h)`, instead of the parser's usage block and 'Error:' line."""
    message = getattr(error, "format_message", lambda: str(error))()
    message = " ".join(str(message).split())
    context = getattr(error, "ctx", None)
    hint = f" (see {context.command_path} -h)" if context is not None else ""
    report(message + hint)


def report_os_error(error: OSError) -> NoReturn:
    """A file or stream that failed where no command expected it: a message, never a traceback."""
    import errno

    from crampcli.output.write import park_stdout

    if isinstance(error, BrokenPipeError):
        park_stdout()  # the reader has gone (`| head`): nothing left to say
        raise typer.Exit(0) from None
    reason = error.strerror or str(error)
    if error.filename is not None:
        name = str(error.filename)
        shown = name if len(name) <= 60 else name[:57] + "..."
        report(f"cannot use {shown!r}: {reason}")
    elif error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO):
        report(f"cannot write the output: {reason}")
    else:
        report(f"input or output failed: {reason}")
    raise typer.Exit(1) from None


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
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    no_pager: bool = NoPagerOption,
    version: bool = typer.Option(
        False, "--version", "-V", callback=version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    start_run(color, json_output, plain, no_pager)


# Every command lives in a module of its own, registered by import path so that a run
# imports (and builds) only the command it runs.
app.command_at(
    "relief",
    "crampcli.guide.relief:relief",
    epilog="Areas: calf, hamstring, quadriceps, foot (aliases such as charley-horse, back-of-thigh, toes).",
)
for _name in ("prevent", "foods", "causes", "remedies"):
    app.command_at(_name, f"crampcli.guide.browse:{_name}")
app.command_at("when-to-see-doctor", "crampcli.guide.browse:when_to_see_doctor")
app.command_at("doctor", "crampcli.guide.browse:when_to_see_doctor", help="Same as when-to-see-doctor.")
app.command_at("tip", "crampcli.guide.tip:tip")
for _name in ("search", "sources", "disclaimer"):
    app.command_at(_name, f"crampcli.guide.browse:{_name}")
app.command_at("check", "crampcli.check.cli:check")
app.command_at("profile", "crampcli.profile.cli:app")
app.command_at("content", "crampcli.guide.own_content:app")
app.command_at("routine", "crampcli.guide.routine:routine")
app.command_at("log", "crampcli.diary.cli:app")
app.command_at("help", "crampcli.cli.app:help_command")


def help_command(
    command: Optional[list[str]] = typer.Argument(
        None, metavar="[COMMAND]...", help="The command, e.g. relief or log add.", show_default=False
    ),
    everything: bool = typer.Option(False, "--all", help="Every command and option in full."),
) -> None:
    """Every command on one screen; --all for every option, or the help of one command."""
    from crampcli.cli.run import emit_text
    from crampcli.cli.usage import help_screen

    root = typer.main.get_command(app)
    with root.make_context("cramp", [], resilient_parsing=True) as ctx:
        if command:
            app([*command, "--help"], prog_name="cramp")
        elif everything:
            emit_text(root.get_help(ctx) + "\n")
        else:
            emit_text(help_screen(root, ctx))


def main() -> None:
    """The console-script entry point: every failure becomes a message and an exit code."""
    open_closed_streams()
    # What start-up imported lives until exit, so the collector need not walk it again: a
    # short run otherwise spends about a tenth of its instructions (most of it at exit)
    # re-scanning the framework's objects for cycles. New objects are still collected.
    gc.freeze()
    try:
        app()
    except CrampError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)


def open_closed_streams() -> None:
    """A stream closed before the start (cramp <&- or 2>&-) is None in Python, and its first use
    raised AttributeError. Closed stdin reads as empty, like /dev/null (so nothing is asked);
    closed stderr takes no messages; closed stdout is an error, as for other commands (exit 1)."""
    import os
    import sys

    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - open for the whole run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        fail("cannot write the output: standard output is closed", 1)
