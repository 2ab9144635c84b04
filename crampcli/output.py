"""What every command shares: the output options, the content, and safe writing to stdout.

Feature commands (check, routine, log, profile...) live in their own modules and use these,
so the parsing layer stays thin and each command renders the same way.
"""

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import typer

from .errors import CrampError

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Content
    from .profile.store import Fit
    from .views import Page


# A Literal, not an Enum: creating an Enum class cost start-up time on every run.
Color = Literal["auto", "always", "never"]


class State:
    """Options of the current run that reach beyond one command's own code."""

    color: Color | None = None  # given before the command name: `cramp --color never relief`
    json: bool = False  # `cramp --json relief calf`
    plain: bool = False
    no_pager: bool = False  # --no-pager, before or after the command name
    profile: str | None = None  # --profile FILE, or "none" for the plain guide
    hide_unsuitable: bool = False
    strict: bool = False


# Options shared by every content command. Options are given as typer default values rather
# than Annotated types, here and in every command: typer builds them faster on every run.
JsonOption = typer.Option(False, "--json", help="Print one JSON object (keys in README).")
PlainOption = typer.Option(False, "--plain", help="Plain text without colour or layout.")
ColorOption = typer.Option(None, "--color", help="Colour: auto, always or never.")
NoPagerOption = typer.Option(False, "--no-pager", help="Never show long pages through a pager.")
# Options of the commands whose advice depends on who the user is.
ProfileOption = typer.Option(
    None, "--profile", metavar="FILE|none", help="Use this profile file, or none for the plain guide."
)
HideOption = typer.Option(False, "--hide-unsuitable", help="Leave out advice that your profile says does not suit you.")
StrictOption = typer.Option(
    False, "--strict", help="A broken profile or content file of yours is an error, not a warning."
)


def personalise(profile: str | None, hide_unsuitable: bool, strict: bool) -> None:
    """Record the profile options of this run; load() and fit() follow them."""
    State.profile, State.hide_unsuitable, State.strict = profile, hide_unsuitable, strict


def load() -> "Content":
    """The guide's content with the user's own files merged in, loaded once per run."""
    global _loaded
    if _loaded is None:
        from .content import load_guide
        from .profile.store import user_content_dir

        user_folder = None if State.profile == "none" else user_content_dir()
        _loaded, warnings = load_guide(user_folder, State.strict)
        for warning in warnings:
            warn(warning)
    return _loaded


def fit() -> "Fit":
    """How to show advice to this user: their conditions, emergency number and units."""
    from .profile.store import NO_FIT, Fit, read_profile

    if State.profile == "none":
        return NO_FIT
    from pathlib import Path

    from .profile.store import config_file

    path = Path(State.profile).expanduser() if State.profile else config_file()
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


def warn(message: str) -> None:
    from .render import safe, unicode_ok

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"cramp: warning: {safe(cut(message), unicode_ok(sys.stderr))}\n")


def note(message: str) -> None:
    """One line on stderr about what the command did with the words it was given."""
    from .render import safe, unicode_ok

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"cramp: {safe(cut(message), unicode_ok(sys.stderr))}\n")


def emit(page: "Page", json_output: bool, plain: bool, color: Color | None) -> None:
    from . import render

    chosen = color or State.color
    mode = render.pick_mode(json_output or State.json, plain or State.plain, chosen)

    def write() -> None:
        text = render.page_text(page, mode, load().disclaimer, sys.stdout)
        pager = pager_command(text, mode) if page.kind in PAGED_KINDS else None
        if pager is None:
            render.write(sys.stdout, text)
        else:
            page_through(pager, text)

    guarded_output(write)


# The one list of what may go through the pager: pages read at leisure. Never a confirmation,
# a warning, a result of the check, or anything shown after a change (the next command typed
# would go into the pager).
PAGED_KINDS = frozenset(
    {"prevent", "foods", "causes", "remedies", "search", "sources", "when-to-see-doctor", "routines", "relief"}
    | {"diary-list", "diary-stats", "diary-report", "content-paths"}
)


def emit_text(text: str) -> None:
    """Text that is not a page of advice (help): through the pager when long, on a terminal."""
    from . import render

    def write() -> None:
        pager = pager_command(text, "plain")
        if pager is None:
            render.write(sys.stdout, text)
        else:
            page_through(pager, text)

    guarded_output(write)


def pager_command(text: str, mode: str) -> str | None:
    """The pager to show text through, or None to write it straight out. The one place that
    decides, so that whatever replays pages can ask it too.

    As git does it: only when stdout is a terminal (not TERM=dumb) and the page is not JSON; $CRAMP_PAGER,
    then $PAGER, else less; an empty value or `cat` means none; --no-pager means none. A page
    that fits the terminal is written straight out, as `less -F` would (and no pager starts).
    """
    if mode == "json" or State.no_pager or not stdout_is_terminal() or os.environ.get("TERM") == "dumb":
        return None  # TERM=dumb: a terminal that cannot show a pager (less would ask for Return)
    try:
        rows = os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return None
    if text.count("\n") < rows:
        return None
    for variable in ("CRAMP_PAGER", "PAGER"):
        if variable in os.environ:
            chosen = os.environ[variable].strip()
            return None if chosen in ("", "cat") else chosen
    import shutil

    return "less" if shutil.which("less") else None


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def page_through(command: str, text: str) -> None:
    """text through the pager command (run by the shell, as git runs it), with LESS=FRX when
    LESS is not set: quit at once if it fits, keep the colour, leave the screen as it is."""
    import signal
    import subprocess

    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    environment.setdefault("LV", "-c")  # lv, another pager, keeps colour with -c
    try:  # a command line, run by the shell as git runs it
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
    except OSError:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    assert pager.stdin is not None
    # Ctrl-C belongs to the pager while it runs (less uses it); cramp waits for it to end.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end of the page
            pager.stdin.write(text.encode(encoding, "replace"))
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


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
        sys.stderr.write(f"cramp: {safe(cut(message), unicode_ok(sys.stderr))}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # AttributeError: stderr closed before the start
        pass
    park_stdout()


def cut(message: str) -> str:
    """Whatever a message quotes (a huge key in a broken file), it stays a message."""
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + " ... (cut)"


MAX_MESSAGE = 8000  # the longest real one lists 20 content problems


def fail(message: str, code: int) -> NoReturn:
    report(message)
    raise SystemExit(code)


def park_stdout() -> None:
    """Point stdout at /dev/null, after writing out what it holds if it still can: a failed
    write (a closed pipe, a full disk) leaves data in the buffer that exit would retry."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stdout.flush()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def output_file(given: str) -> "Path | None":
    """The value of an --output option: '-' (or nothing) for standard output, else a file in a
    folder that exists. A folder, or a file in a folder that is not there, is an error that
    names the folder (exit 1, as for other files), before anything is read or written."""
    from pathlib import Path

    from .guide import shorten

    if given in ("", "-"):
        return None
    path = Path(given).expanduser()
    if path.is_dir():
        raise CrampError(f"cannot write {shorten(given, 200)}: it is a folder; name a file in it")
    if given.endswith(("/", os.sep)):
        raise CrampError(f"cannot write {shorten(given, 200)}: no such folder")
    if not path.parent.is_dir():
        raise CrampError(f"cannot write {shorten(given, 200)}: no such folder {shorten(str(path.parent), 200)}")
    return path


def complete_from(names: str) -> Callable[[str], list[str]]:
    """A shell-completion callback offering the ids of one kind of item; its aliases only when
    no id starts with what was typed (4 areas to choose from, not 30 names)."""

    def complete(incomplete: str) -> list[str]:
        try:
            content = load()
        except CrampError:
            return []
        items: tuple[Any, ...] = {
            "areas": content.relief.areas,
            "topics": content.topics,
            "nutrients": content.nutrients,
            "remedies": content.remedies,
            "conditions": content.conditions,
        }[names]
        typed = incomplete.lower()
        ids = [item.id for item in items if item.id.startswith(typed)]
        return ids or [alias for item in items for alias in item.aliases if alias.startswith(typed)]

    return complete


def complete_words(module: str, name: str) -> Callable[[str], list[str]]:
    """A shell-completion callback for a comma-separated list of fixed words (module.name holds
    them, imported only when completing): 'heat,co' offers 'heat,cold'."""

    def complete(incomplete: str) -> list[str]:
        import importlib

        words: tuple[str, ...] = getattr(importlib.import_module(module), name)
        done, _, typed = incomplete.rpartition(",")
        before = done + "," if done else ""
        given = set(done.split(","))
        return [before + word for word in words if word.startswith(typed.lower()) and word not in given]

    return complete


def complete_settings(incomplete: str) -> list[str]:
    """`profile set` keys (KEY=), then the values a key takes: conditions by id, yes/no, units."""
    try:
        conditions = [c.id for c in load().conditions]
    except CrampError:
        conditions = []
    key, sep, typed = incomplete.partition("=")
    if not sep:
        keys = ["conditions=", "emergency-number=", "units=", *(f"{c}=" for c in conditions)]
        return [k for k in keys if k.startswith(key.lower())]
    values = {"units": ["metric", "us"], "conditions": conditions}.get(key, ["yes", "no"] if key in conditions else [])
    if key == "conditions":
        done, _, last = typed.rpartition(",")
        before = done + "," if done else ""
        return [f"{key}={before}{c}" for c in conditions if c.startswith(last) and c not in done.split(",")]
    return [f"{key}={v}" for v in values if v.startswith(typed)]
