"""The `cramp` entry point: a page already rendered for the same everything is written as it is,
without loading the framework; anything else runs the full command (crampcli.cli.app), which
stores its page for next time when the run shows the page can be kept.

The key of a page is everything its bytes depend on, left out of nothing: the arguments, the
environment variables the output reads (colour, terminal, locale and encoding, pager, Python's
own, CRAMPCLI_*, XDG_*, HOME, TZ...), which standard streams are terminals and the terminal's
size, the streams' encodings, the interpreter and the version, and today's date for the tip of
the day. The entry then stamps the files the page was made from: the content folder and its
files, the user's own content and profile (or their absence), and the code of crampcli and of
the libraries it loaded. Only the commands that read nothing but these and write nothing are
answered here (see COMMANDS); an argument of any other shape is a miss.

Only os, sys, time and zlib are imported on a hit.
"""

import os
import sys

import crampcli
from crampcli import __version__, paths
from crampcli.startup import store as pagecache

FORMAT = "2"  # bumped when the key's layout changes
# Which copy of crampcli runs: two checkouts (or an install and a checkout) of one version with
# the same interpreter must not serve each other's pages.
PACKAGE = os.path.dirname(os.path.abspath(crampcli.__file__))
# A file system's clock can lag the clock read here by a tick: a change this close before the
# run started counts as made during it.
CLOCK_SLACK_NS = 10_000_000
_SECOND = 1_000_000_000

# What each covered command takes: (how many arguments, flags, options that take a value).
# --guide, --random, --no-timer and --bell are not here: they prompt, count down or pick at random.
_VIEW_FLAGS = frozenset({"--json", "--plain", "--no-pager"})
_PROFILE_FLAGS = _VIEW_FLAGS | {"--hide-unsuitable", "--strict"}
_VIEW_OPTIONS = frozenset({"--color"})
_PROFILE_OPTIONS = _VIEW_OPTIONS | {"--profile"}
COMMANDS: dict[str, tuple[int, frozenset[str], frozenset[str]]] = {
    "relief": (1, _PROFILE_FLAGS | {"--night", "--all"}, _PROFILE_OPTIONS),
    "prevent": (1, _PROFILE_FLAGS, _PROFILE_OPTIONS),
    "foods": (1, _PROFILE_FLAGS, _PROFILE_OPTIONS),
    "remedies": (1, _PROFILE_FLAGS, _PROFILE_OPTIONS),
    "causes": (0, _VIEW_FLAGS, _VIEW_OPTIONS),
    "sources": (0, _VIEW_FLAGS, _VIEW_OPTIONS),
    "disclaimer": (0, _VIEW_FLAGS, _VIEW_OPTIONS),
    "when-to-see-doctor": (0, _VIEW_FLAGS | {"--strict"}, _PROFILE_OPTIONS),
    "doctor": (0, _VIEW_FLAGS | {"--strict"}, _PROFILE_OPTIONS),
    "tip": (0, _PROFILE_FLAGS | {"--oneline"}, _PROFILE_OPTIONS | {"--date", "--topic"}),
}
_ROOT_FLAGS = _VIEW_FLAGS
_ROOT_OPTIONS = _VIEW_OPTIONS

# Environment variables that may change a page, by name and by prefix. PYTHON* covers the
# encoding (PYTHONIOENCODING, PYTHONUTF8) and which code runs (PYTHONPATH); _PYTHON_* the
# interpreter's build settings sysconfig reads; PYDANTIC_* what newer typer's pydantic reads.
_ENV_NAMES = frozenset(
    {
        "HOME",
        "USER",
        "LOGNAME",
        "TZ",
        "LANG",
        "LANGUAGE",
        "COLUMNS",
        "LINES",
        "TERM",
        "COLORTERM",
        "TERM_PROGRAM",
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
        "JUPYTER_COLUMNS",
        "JUPYTER_LINES",
        "PAGER",
        "LESS",
        "MANPAGER",
    }
)
_ENV_PREFIXES = ("CRAMPCLI_", "CRAMP_", "XDG_", "LC_", "PYTHON", "_PYTHON_", "TYPER_", "CLICK_", "PYDANTIC_")
# Shell completion runs through these: never a page.
_ENV_REFUSED = ("_CRAMP", "_TYPER")
# Variables naming a file or folder the page is made from: a relative one depends on the folder we are in.
_ENV_PATHS = ("CRAMPCLI_CONTENT_DIR", "CRAMPCLI_CONFIG", "CRAMPCLI_USER_CONTENT", "XDG_CONFIG_HOME", "HOME")
_UNKEYED = frozenset({pagecache.TRACE})  # says what the cache did; changes no page


def main() -> int | None:
    """The console script: the stored page when there is one, else the full command."""
    try:
        try:
            request = describe(sys.argv)
            page = pagecache.lookup(request[0]) if request is not None else None
        except Exception:  # any doubt: the full path decides
            request, page = None, None
        if page is not None and serve(page):
            pagecache.trace("hit")
            return 0
    except KeyboardInterrupt:  # as the full path says it
        sys.stderr.write("cramp: interrupted\n")
        return 130
    return run_full(request)


def serve(page: bytes) -> bool:
    """Write page to stdout; False when nothing could be written (the full path then says why)."""
    try:
        sys.stdout.flush()
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return False
    view = memoryview(page)
    try:
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    except BrokenPipeError:
        return True  # the reader has gone (`| head`), as the full path treats it: done, quietly
    except OSError as error:
        if len(view) == len(page):
            return False
        sys.stderr.write(f"cramp: cannot write the output: {error.strerror or error}\n")
        sys.stderr.flush()
        os._exit(1)
    return True


Request = tuple[str, dict[str, str]]  # (key, the options given)


def describe(argv: list[str]) -> Request | None:
    """The key of this run's page and the options given; None when the run is not covered."""
    if not sys.platform.startswith("linux") or None in (sys.stdin, sys.stdout, sys.stderr) or not pagecache.folder():
        return None  # elsewhere the user's folders come from platformdirs: the full path knows them
    parsed = parse(argv[1:])
    if parsed is None:
        return None
    command, values = parsed
    environment = []
    relative = False
    for name, value in os.environ.items():
        if name.startswith(_ENV_REFUSED):
            return None
        if (name in _ENV_NAMES or name.startswith(_ENV_PREFIXES)) and name not in _UNKEYED:
            environment.append(f"{name}={value}")
            relative |= name in _ENV_PATHS and bool(value) and not value.startswith(("/", "~"))
    terminals: list[object] = [os.isatty(fd) for fd in (0, 1, 2)]
    if terminals[1]:
        if "PATH" in os.environ:  # whether a pager can be found
            environment.append(f"PATH={os.environ['PATH']}")
        size = os.get_terminal_size(1)
        terminals.extend((size.columns, size.lines))
    profile = values.get("--profile")
    relative |= profile is not None and profile != "none" and not profile.startswith(("/", "~"))
    environment.sort()
    parts = [
        FORMAT,
        __version__,
        PACKAGE,
        sys.version,
        sys.executable,
        repr(sys.flags),
        os.path.basename(argv[0]),
        str(len(argv)),
        *argv[1:],
        str(len(environment)),
        *environment,
        repr(terminals),
        f"{sys.stdout.encoding}:{sys.stdout.errors}:{sys.stderr.encoding}:{sys.stderr.errors}",
        os.getcwd() if relative else "",
        today() if command == "tip" and "--date" not in values else "",
    ]
    return "\0".join(parts), values


def keyed_variable(name: str) -> bool:
    """Whether the key holds this environment variable: its value when set, its absence when not
    (the key lists every such variable that is set). PATH only on a terminal, where it decides
    whether a pager is found; the completion variables, since a run with one is never covered."""
    if name in _UNKEYED:
        return False
    if name == "PATH":
        return os.isatty(1)
    return name in _ENV_NAMES or name.startswith(_ENV_PREFIXES) or name.startswith(_ENV_REFUSED)


def parse(args: list[str]) -> tuple[str, dict[str, str]] | None:
    """(command, {option: value}) for a covered command line, else None. Flags count as options
    with an empty value; the full path still checks every value."""
    values: dict[str, str] = {}
    command = ""
    arguments = 0
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        spec = COMMANDS.get(command)
        flags, options = (spec[1], spec[2]) if spec else (_ROOT_FLAGS, _ROOT_OPTIONS)
        if token.startswith("-"):
            name, equals, value = token.partition("=")
            if name in flags and not equals:
                values[name] = ""
            elif name in options:
                if not equals:
                    if index >= len(args):
                        return None
                    value = args[index]
                    index += 1
                values[name] = value
            else:
                return None
        elif not command:
            if token not in COMMANDS:
                return None
            command = token
        else:
            arguments += 1
            if arguments > COMMANDS[command][0]:
                return None
    return (command, values) if command else None


def today() -> str:
    """The local date, as the tip of the day reads it (datetime.date.today() uses the same clock)."""
    import time

    return time.strftime("%Y-%m-%d", time.localtime())


def sources(values: dict[str, str]) -> list[str]:
    """The files and folders a page may be made from, as the full path finds them (content.builtin_dir,
    profile.store.config_file, profile.store.user_content_dir): each is stamped, present or absent."""
    packaged = paths.packaged_content_dir()
    # ~ and ~user are expanded as crampcli.content.load.builtin_dir does (an unknown user is an
    # error there, so its page is never kept).
    content = os.path.expanduser(os.environ.get("CRAMPCLI_CONTENT_DIR") or "") or paths.shipped_content_dir()
    profile_file = os.environ.get("CRAMPCLI_CONFIG")
    if profile_file:
        profile_file = os.path.expanduser(profile_file)
    else:
        config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        profile_file = os.path.join(config_home, "crampcli", "profile.toml")
    user_content = os.environ.get("CRAMPCLI_USER_CONTENT")
    user_content = (
        os.path.expanduser(user_content) if user_content else os.path.join(os.path.dirname(profile_file), "content")
    )
    found = [packaged, content, profile_file, user_content]
    chosen = values.get("--profile")
    if chosen and chosen != "none":
        found.append(os.path.expanduser(chosen))
    return [os.path.abspath(path) for path in found]


def stamps_of(paths: list[str]) -> list[tuple[str, str]]:
    """Each path's stamp, and for a folder the stamp of everything in it (one level down)."""
    stamped: list[tuple[str, str]] = []
    for path in paths:
        stamped.append((path, pagecache.stamp(path)))
        if os.path.isdir(path):
            try:
                names = sorted(os.listdir(path))
            except OSError:
                continue
            stamped.extend((os.path.join(path, name), pagecache.stamp(os.path.join(path, name))) for name in names)
    return stamped


def code_files() -> list[str]:
    """The code the page was made by: every module of crampcli this run loaded (an edit to one
    that the run did not load cannot change the page without an edit to one that did), and every
    module loaded from outside the standard library (an edit to rich/style.py, or an upgrade of
    rich, may change how colour is written), with the folder of each top-level package, which an
    upgrade replaces. The standard library is the interpreter's, which the key names already."""
    standard = os.path.join(os.path.dirname(os.path.abspath(os.__file__)), "")
    found: list[str] = []
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None)
        if not isinstance(where, str):
            continue
        where = os.path.abspath(where)
        ours = name == "crampcli" or name.startswith("crampcli.")
        if ours or "site-packages" in where or "dist-packages" in where or not where.startswith(standard):
            found.append(where)
            if not ours and "." not in name and where.endswith("__init__.py"):
                found.append(os.path.dirname(where))
    return found


def changed_since(stamps: list[tuple[str, str]], started_ns: int, ended_ns: int | None = None) -> str | None:
    """The first stamped file changed (modified, or its inode changed) while the run went on,
    from started_ns to ended_ns (now when not given), else None. A file system that keeps whole
    seconds is compared by the second: an edit in the second the run started shows no later
    time than one just before it. A time past the end is a clock that disagrees with this one
    (a file from the future, faketime), which says nothing about this run."""
    if ended_ns is None:
        import time

        ended_ns = time.time_ns()
    first, last = started_ns - CLOCK_SLACK_NS, ended_ns + CLOCK_SLACK_NS
    for path, recorded in stamps:
        times = pagecache.changed_times(recorded)
        if times is None:
            continue
        if times[0] % _SECOND or times[1] % _SECOND:
            if any(first <= moment <= last for moment in times):
                return path
        elif any(first // _SECOND <= moment // _SECOND <= last // _SECOND for moment in times):
            return path
    return None


def run_full(request: Request | None) -> int | None:
    """The full command; its page is stored when the run shows the page can be kept."""
    if request is None:
        from crampcli.cli.app import main as full

        full()
        return 0
    import time

    started = time.time_ns()  # before any stamp is taken or any code of the page is loaded
    from crampcli.startup import watch as pagewatch

    key, values = request
    paths = sources(values)
    before = stamps_of(paths)
    watch = pagewatch.Watch(paths, os.path.dirname(pagecache.folder() or "") or None, keyed_variable)
    watch.start()
    try:
        from crampcli.cli.app import main as full

        full()
    except SystemExit as exit:
        page = watch.stop()
        if exit.code in (0, None):
            keep(key, paths, before, page, watch.doubts, started)
        else:
            pagecache.trace(f"not stored: exit status {exit.code}")
        raise
    except BaseException:
        watch.stop()
        raise
    keep(key, paths, before, watch.stop(), watch.doubts, started)
    return 0


def keep(
    key: str, paths: list[str], before: list[tuple[str, str]], page: bytes, doubts: list[str], started: int
) -> None:
    """Store the page when nothing casts doubt on it. The code is stamped after the run, so a
    file of it (or any other stamped file) changed since the run started may not be what made
    the page: that is a doubt too."""
    try:
        again = describe(sys.argv)
        if again is None or again[0] != key:
            doubts.append("the key changed during the run (the date, the terminal)")
        if stamps_of(paths) != before:
            doubts.append("a file the page is made from changed during the run")
        if not page:
            doubts.append("nothing was written to stdout")
        stamped = before + [(path, pagecache.stamp(path)) for path in code_files()]
        changed = changed_since(stamped, started)
        if changed is not None:
            doubts.append(f"{changed} changed since the run started")
        if doubts:
            pagecache.trace("not stored: " + "; ".join(doubts))
            return
        pagecache.trace("stored" if pagecache.store(key, stamped, page) else "not stored: the cache refused it")
    except Exception as error:  # the page is out already; keeping it is only a saving
        pagecache.trace(f"not stored: {error!r}")
