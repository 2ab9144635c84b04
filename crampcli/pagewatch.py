"""Watching one run of the full command: the bytes it wrote to stdout, and anything that makes
its page unfit to keep (a write to stderr, a read of stdin, a program started, a file written,
or a file read that the page's key does not stamp).

The page cache stores a page only when the run was a pure function of what the key holds. The
watch is the proof of that for each stored page: rather than trusting a list of what a command
reads, it sees what the run touched, through Python's audit hooks and wrapped standard streams.
"""

import io
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

# Audit events that start another program: a pager, an editor, a shell.
_SPAWNS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn"}
)
# Audit events that change the file system; the first argument is the path.
_CHANGES = frozenset(
    {
        "os.mkdir",
        "os.rename",
        "os.remove",
        "os.rmdir",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.utime",
        "os.link",
        "os.symlink",
        "shutil.copyfile",
        "shutil.copymode",
        "shutil.copystat",
        "shutil.copytree",
        "shutil.move",
        "shutil.rmtree",
    }
)
_LISTINGS = frozenset({"os.listdir", "os.scandir"})
_CODE = (".py", ".pyc", ".so", ".pth", ".pyd", ".zip")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class _Tee(io.BufferedIOBase):
    """A binary stream that passes every write on to target and keeps a copy."""

    def __init__(self, target: Any) -> None:
        super().__init__()
        self.target = target
        self.copy = bytearray()

    def write(self, data: Any) -> int:
        written: int = self.target.write(data)
        self.copy += bytes(data)
        return written

    def flush(self) -> None:
        self.target.flush()

    def fileno(self) -> int:
        return int(self.target.fileno())

    def isatty(self) -> bool:
        return bool(self.target.isatty())

    def writable(self) -> bool:
        return True

    def close(self) -> None:  # the real stream stays open: it is handed back after the run
        try:
            self.flush()
        finally:
            super().close()


def _copying(stream: TextIO) -> tuple[TextIO, _Tee]:
    """A text stream like stream (same encoding, errors, buffering) that copies what it writes."""
    tee = _Tee(stream.buffer)
    wrapper = io.TextIOWrapper(
        tee,  # type: ignore[type-var]
        encoding=stream.encoding,
        errors=stream.errors,
        newline="\n",
        line_buffering=bool(stream.line_buffering),
        write_through=getattr(stream, "write_through", False),
    )
    return wrapper, tee


class _GuardedInput:
    """stdin as it was, noting any attempt to read it."""

    def __init__(self, stream: TextIO, noted: Callable[[str], None]) -> None:
        self._stream = stream
        self._noted = noted

    def __getattr__(self, name: str) -> Any:
        if name in ("read", "readline", "readlines", "buffer", "__next__"):
            self._noted("read standard input")
        return getattr(self._stream, name)

    def __iter__(self) -> Any:
        self._noted("read standard input")
        return iter(self._stream)


class Watch:
    """One run of the full command under watch: start(), run it, stop() gives what it wrote.

    reads_allowed: files and folders (with what is inside them) the page's key stamps.
    scratch: the cache folder, where the run may keep its content cache.
    """

    def __init__(self, reads_allowed: list[str], scratch: str | None) -> None:
        self.doubts: list[str] = []
        self._allowed = [os.path.abspath(p) for p in reads_allowed]
        self._scratch = os.path.abspath(scratch) if scratch else None
        self._code = [os.path.abspath(p or os.curdir) for p in sys.path]
        self._active = False
        self._saved: tuple[TextIO, TextIO, TextIO] | None = None
        self._out: _Tee | None = None
        self._err: _Tee | None = None

    def doubt(self, reason: str) -> None:
        if reason not in self.doubts:
            self.doubts.append(reason)

    def start(self) -> None:
        saved = (sys.stdin, sys.stdout, sys.stderr)
        sys.stdout, self._out = _copying(sys.stdout)
        sys.stderr, self._err = _copying(sys.stderr)
        sys.stdin = _GuardedInput(sys.stdin, self.doubt)  # stdin in all but name
        self._saved = saved
        sys.addaudithook(self._audit)  # a hook stays for the life of the process; _active turns it off
        self._active = True

    def stop(self) -> bytes:
        """Hand the real streams back; the bytes the run wrote to stdout."""
        self._active = False
        if self._saved is None or self._out is None or self._err is None:
            return b""
        for wrapper in (sys.stdout, sys.stderr):
            try:
                wrapper.flush()
            except (OSError, ValueError):
                self.doubt("output failed")
        sys.stdin, sys.stdout, sys.stderr = self._saved
        if self._err.copy:
            self.doubt("wrote to stderr")
        return bytes(self._out.copy)

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self._active:
            return
        if event == "open":
            self._opened(args)
        elif event in _LISTINGS:
            self._read(args[0] if args and args[0] is not None else os.curdir, "listed")
        elif event in _SPAWNS:
            self.doubt(f"started a program ({event})")
        elif event in _CHANGES:
            self._changed(args[0] if args else None, event)

    def _opened(self, args: tuple[Any, ...]) -> None:
        path, mode, flags = (*args, None, None, None)[:3]
        if isinstance(path, int):
            return  # a descriptor already open: its opening was seen
        if isinstance(mode, str):
            writing = any(c in mode for c in "wax+")
        else:
            writing = isinstance(flags, int) and flags >= 0 and bool(flags & _WRITE_FLAGS)
        if writing:
            self._changed(path, "opened for writing")
        else:
            self._read(path, "read")

    def _read(self, path: Any, how: str) -> None:
        name = _absolute(path)
        if name is None:
            self.doubt(f"{how} something unnamed")
        elif not (self._within_scratch(name) or self._stamped(name) or self._is_code(name)):
            self.doubt(f"{how} {name}")

    def _changed(self, path: Any, how: str) -> None:
        if isinstance(path, int):
            return
        name = _absolute(path)
        if name is None or not (self._within_scratch(name) or f"{os.sep}__pycache__{os.sep}" in name):
            self.doubt(f"{how} {name}")

    def _within_scratch(self, name: str) -> bool:
        return self._scratch is not None and _inside(name, self._scratch)

    def _stamped(self, name: str) -> bool:
        return any(_inside(name, allowed) for allowed in self._allowed)

    def _is_code(self, name: str) -> bool:
        """What the import system reads and lists: modules, and the folders on sys.path."""
        within = any(_inside(name, folder) for folder in self._code)
        return within and (name.endswith(_CODE) or os.path.isdir(name) or "__pycache__" in name)


def _absolute(path: Any) -> str | None:
    try:
        name: str | bytes = os.fspath(path)
        return os.path.abspath(os.fsdecode(name))
    except (TypeError, ValueError):
        return None


def _inside(name: str, folder: str) -> bool:
    return name == folder or name.startswith(folder.rstrip(os.sep) + os.sep)
