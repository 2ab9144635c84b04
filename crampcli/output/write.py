"""Writing a page out: as JSON, plain text or colour, through a pager when it is long; and
messages on stderr. Nothing here reads the run's options: the caller passes them."""

import contextlib
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

from crampcli.errors import CrampError
from crampcli.output.colour import rich_text
from crampcli.output.layout import is_terminal, plain_text, plain_width
from crampcli.output.page import Mode, Page
from crampcli.safefile import expand_option
from crampcli.text import cut, safe, shorten, unicode_ok

if TYPE_CHECKING:
    from pathlib import Path

    from crampcli.content.model import Disclaimer


def show(page: "Page", mode: Mode, disclaimer: "Disclaimer", stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    write(out, page_text(page, mode, disclaimer, out))


def page_text(page: "Page", mode: Mode, disclaimer: "Disclaimer", out: TextIO) -> str:
    """The page as it is written to out: JSON, plain text or text with colour, laid out for out."""
    if mode == "json":
        return json_text(page, disclaimer)
    if page.kind != "disclaimer" and is_terminal(out):
        # On a terminal a page ends with the one-line disclaimer: four lines of it pushed the
        # page over the screen and into the pager. The full text stays in `cramp disclaimer`,
        # in JSON and in files.
        from crampcli.content.record import replace

        disclaimer = replace(disclaimer, text=disclaimer.short)
    if mode == "plain":
        return plain_text(page, disclaimer, plain_width(out), unicode_ok(out))
    return rich_text(page, disclaimer, out)


def write(out: TextIO, text: str) -> None:
    out.write(text)
    out.flush()


# The version of every --json object's format (its "version" key; docs/manual.md, "JSON
# shapes"). It goes up when a key is removed or renamed or its meaning changes, not when a key
# is added. The schemas under crampcli/schemas describe this version.
JSON_VERSION = 1


def json_text(page: "Page", disclaimer: "Disclaimer") -> str:
    """One JSON object, indented, in ASCII: every other character is a \\u escape, so no
    terminal control or unencodable character reaches the output, whatever the locale."""
    import json  # loaded only for --json: the C encoder is a shared library

    document = {"kind": page.kind, "version": JSON_VERSION, **page.data, "disclaimer": disclaimer.text}
    return json.dumps(document, indent=2, ensure_ascii=True, default=str) + "\n"


# The one list of what may go through the pager: pages read at leisure. Never a confirmation,
# a warning, a result of the check, or anything shown after a change (the next command typed
# would go into the pager).
PAGED_KINDS = frozenset(
    {"prevent", "foods", "causes", "remedies", "search", "sources", "when-to-see-doctor", "routines", "relief"}
    | {"diary-list", "diary-stats", "diary-report", "content-paths", "help"}
)


def send(page: Page, mode: Mode, disclaimer: "Disclaimer", out: TextIO, no_pager: bool) -> None:
    """The page to out, through a pager when pager_command() says so."""
    send_text(page_text(page, mode, disclaimer, out), page.kind, mode, out, no_pager)


def send_text(text: str, kind: str, mode: Mode, out: TextIO, no_pager: bool) -> None:
    """Text of one kind of page to out, through a pager when its kind may be paged and
    pager_command() says so."""
    pager = pager_command(text, mode, no_pager) if kind in PAGED_KINDS else None
    if pager is None:
        write(out, text)
    else:
        page_through(pager, text)


def pager_command(text: str, mode: str, no_pager: bool) -> str | None:
    """The pager to show text through, or None to write it straight out. The one place that
    decides, so that whatever replays pages can ask it too.

    As git does it: only when stdout is a terminal (not TERM=dumb) and the page is not JSON; $CRAMP_PAGER,
    then $PAGER, else less; an empty value or `cat` means none; --no-pager means none. A page
    that fits the terminal is written straight out, as `less -F` would (and no pager starts).
    """
    if mode == "json" or no_pager or not stdout_is_terminal() or os.environ.get("TERM") == "dumb":
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


def report(message: str) -> None:
    """An error message on stderr; stdout is parked so Python's last flush is quiet."""
    from crampcli.text import unicode_ok

    try:
        sys.stderr.write(f"cramp: {safe(cut(message), unicode_ok(sys.stderr))}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # AttributeError: stderr closed before the start
        pass
    park_stdout()


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
    names the folder (exit 1, as for other files), before anything is read or written; a
    '~user' that names no one is a usage error (exit 2)."""
    from pathlib import Path

    if given in ("", "-"):
        return None
    given = expand_option(given, "--output")
    path = Path(given)
    if path.is_dir():
        raise CrampError(f"cannot write {shorten(given, 200)}: it is a folder; name a file in it")
    if given.endswith(("/", os.sep)):
        raise CrampError(f"cannot write {shorten(given, 200)}: no such folder")
    if not path.parent.is_dir():
        raise CrampError(f"cannot write {shorten(given, 200)}: no such folder {shorten(str(path.parent), 200)}")
    return path


def note(message: str) -> None:
    """One line on stderr about what the command did with the words it was given."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"cramp: {safe(cut(message), unicode_ok(sys.stderr))}\n")


def warn(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"cramp: warning: {safe(cut(message), unicode_ok(sys.stderr))}\n")
