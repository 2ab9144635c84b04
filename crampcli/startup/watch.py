"""Watching one run of the full command: the bytes it wrote to stdout, and anything that makes
its page unfit to keep (a write to stderr, a read of stdin, a program started, a file written,
a file read that the page's key does not stamp, or an environment variable it does not hold).

The page cache stores a page only when the run was a pure function of what the key holds. The
watch is the proof of that for each stored page: rather than trusting a list of what a command
reads, it sees what the run touched, through wrapped file, folder and process functions,
wrapped standard streams, and an audit hook (sys.addaudithook) for what no wrapper reaches:
io.FileIO and _io.open, functions bound before the run, SQLite, sockets and programs started.
The hook costs a miss about 2%; a hit never installs it.
"""

import io
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

# Functions that start another program (a pager, an editor, a shell). subprocess starts its
# children through _posixsubprocess.fork_exec, which it binds when first imported.
_SPAWNS = (
    "fork",
    "forkpty",
    "system",
    "posix_spawn",
    "posix_spawnp",
    "execv",
    "execve",
    "spawnv",
    "spawnve",
    "popen",
)
# Functions that change the file system; the first argument is the path (shutil uses these too).
_CHANGES = (
    "mkdir",
    "rename",
    "replace",
    "remove",
    "unlink",
    "rmdir",
    "chmod",
    "chown",
    "truncate",
    "utime",
    "link",
    "symlink",
    "mkfifo",
    "mknod",
)
_LISTINGS = ("listdir", "scandir")
# The sets that say which functions take a descriptor or a folder's descriptor: a wrapper is put
# in each its function is in, so code that asks (os.open in os.supports_dir_fd) is answered as
# outside a run, and goes on opening files relative to a folder it checked.
_CAPABILITIES = ("supports_dir_fd", "supports_fd", "supports_follow_symlinks", "supports_effective_ids")
_CODE = (".py", ".pyc", ".so", ".pth", ".pyd", ".zip")
_FOLDER_FLAG = getattr(os, "O_DIRECTORY", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_STANDARD_STREAMS = (0, 1, 2)
# Audit events that make a page unfit to keep whatever their arguments: programs started, the
# network, a database opened (SQLite writes through its own C code, past every wrapper).
_AUDITED_DOUBTS = {
    "subprocess.Popen": "started a program",
    "os.system": "started a program",
    "os.exec": "started a program",
    "os.posix_spawn": "started a program",
    "os.spawn": "started a program",
    "os.fork": "started a program",
    "os.forkpty": "started a program",
    "pty.spawn": "started a program",
    "socket.connect": "used the network",
    "socket.bind": "used the network",
    "socket.getaddrinfo": "used the network",
    "sqlite3.connect": "opened a database",
}


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


class _WatchedEnviron(type(os.environ)):  # type: ignore[misc]
    """os.environ as it was (the same data: a change shows in both), noting each variable read:
    get, `in` and [] all go through __getitem__."""

    def __init__(self, real: Any, noted: Callable[[str], None]) -> None:
        super().__init__(real._data, real.encodekey, real.decodekey, real.encodevalue, real.decodevalue)
        self._noted = noted

    def __getitem__(self, key: str) -> str:
        self._noted(key)
        value: str = super().__getitem__(key)
        return value


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


_watching: "Watch | None" = None  # the run the audit hook reports to; None outside a run
_hooked = False  # an audit hook cannot be removed: one is installed per process, and idles


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Every audited event of the process; only a few matter, and only during a run."""
    watch = _watching
    if watch is None:
        return
    if event == "open":
        watch._audited_open(*args[:3])
    elif event in _AUDITED_DOUBTS:
        watch.doubt(f"{_AUDITED_DOUBTS[event]} ({event})")


class Watch:
    """One run of the full command under watch: start(), run it, stop() gives what it wrote.

    It wraps, for the run, the functions through which Python code opens, lists, changes files
    and starts programs (open, os.open, os.listdir, os.fork...). The import system uses its own
    (posix, io.open_code), so loading code is not watched. An audit hook would see more, but
    every event of a run (a thousand, most of them imports) then calls it: measured at 2% of a
    whole run, where these wrappers cost next to nothing.

    reads_allowed: files and folders (with what is inside them) the page's key stamps.
    scratch: the cache folder, where the run may keep its content cache.
    keyed: whether the key holds an environment variable; reading one it does not hold (set
    or not) makes the page unfit to keep, as another value could change it.
    """

    def __init__(
        self, reads_allowed: list[str], scratch: str | None, keyed: Callable[[str], bool] = lambda name: True
    ) -> None:
        self.doubts: list[str] = []
        self._keyed = keyed  # whether the page's key holds an environment variable
        self._allowed = [os.path.abspath(p) for p in reads_allowed]
        self._scratch = os.path.abspath(scratch) if scratch else None
        self._code = tuple(os.path.join(os.path.abspath(p or os.curdir), "") for p in sys.path)
        self._active = False
        self._undo: list[tuple[Any, str, Any]] = []
        self._capable: list[tuple[set[Any], Any]] = []  # (os.supports_... set, wrapper) to take out again
        self._folders: dict[int, str] = {}  # descriptor -> name, for what the run opens with os.open
        self._judged_open = False  # os.open's wrapper judged the call the audit hook is told of
        self._saved: tuple[TextIO, TextIO, TextIO] | None = None
        self._out: _Tee | None = None
        self._err: _Tee | None = None
        self._dunders: tuple[Any, Any, Any] | None = None
        self._real_environ: Any = None

    def doubt(self, reason: str) -> None:
        if reason not in self.doubts:
            self.doubts.append(reason)

    def start(self) -> None:
        saved = (sys.stdin, sys.stdout, sys.stderr)
        sys.stdout, self._out = _copying(sys.stdout)
        sys.stderr, self._err = _copying(sys.stderr)
        sys.stdin = _GuardedInput(sys.stdin, self.doubt)  # stdin in all but name
        self._saved = saved
        import builtins

        try:
            import _posixsubprocess

            self._wrap(_posixsubprocess, "fork_exec", self._spawned)
        except ImportError:
            pass
        if "subprocess" in sys.modules:
            self._wrap(sys.modules["subprocess"], "_fork_exec", self._spawned)
        for name in _SPAWNS:
            self._wrap(os, name, self._spawned)
        for name in _CHANGES:
            self._wrap(os, name, self._changed)
        for name in _LISTINGS:
            self._wrap(os, name, self._listed)
        self._wrap(os, "write", self._wrote)  # straight to a descriptor, past the streams watched here
        self._wrap_os_open()
        self._wrap(os, "close", self._closed)
        self._wrap(builtins, "open", self._opened)
        self._wrap(io, "open", self._opened)  # what pathlib calls
        self._wrap(os, "read", self._read_descriptor)
        self._real_environ = os.environ
        os.environ = _WatchedEnviron(os.environ, self._read_variable)  # noqa: B003 - the same data, watched
        # The interpreter's own copies of the streams are stdin and stdout in all but name.
        self._dunders = (sys.__stdin__, sys.__stdout__, sys.__stderr__)
        sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr  # type: ignore[misc, assignment]
        global _watching, _hooked
        if not _hooked:
            sys.addaudithook(_audit)
            _hooked = True
        _watching = self
        self._active = True

    def _wrap(self, module: Any, name: str, check: Callable[[str, tuple[Any, ...], dict[str, Any]], None]) -> None:
        original = getattr(module, name, None)
        if original is None:
            return

        def watched(*args: Any, **kwargs: Any) -> Any:
            if self._active:
                check(name, args, kwargs)
            return original(*args, **kwargs)

        self._install(module, name, original, watched)

    def _install(self, module: Any, name: str, original: Any, watched: Any) -> None:
        setattr(module, name, watched)
        self._undo.append((module, name, original))
        for capability in _CAPABILITIES:
            capable = getattr(os, capability, None)
            if isinstance(capable, set) and original in capable:
                capable.add(watched)
                self._capable.append((capable, watched))

    def _wrap_os_open(self) -> None:
        """os.open, with the name of what it opens worked out from the folder descriptor it may be
        relative to (the audit hook's "open" event holds the bare name), and each descriptor's
        name kept, so that a file opened relative to a folder the run opened is judged by where
        it is."""
        original = os.open

        def watched(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            if not self._active:
                return original(path, flags, mode, dir_fd=dir_fd)
            name = self._name(path, dir_fd)
            writing = bool(flags & _WRITE_FLAGS)
            if writing or not (flags & _FOLDER_FLAG and self._holds_stamped(name)):
                self._judge_open(name, writing)
            self._judged_open = True
            try:
                descriptor = original(path, flags, mode, dir_fd=dir_fd)
            finally:
                self._judged_open = False
            if name is not None:
                self._folders[descriptor] = name
            return descriptor

        self._install(os, "open", original, watched)

    def stop(self) -> bytes:
        """Hand the real streams back; the bytes the run wrote to stdout."""
        global _watching
        self._active = False
        if _watching is self:
            _watching = None
        if self._dunders is not None:
            sys.__stdin__, sys.__stdout__, sys.__stderr__ = self._dunders  # type: ignore[misc]
            self._dunders = None
        for module, name, original in reversed(self._undo):
            setattr(module, name, original)
        self._undo.clear()
        for capable, watched in self._capable:
            capable.discard(watched)
        self._capable.clear()
        self._folders.clear()
        if self._real_environ is not None:
            os.environ = self._real_environ  # noqa: B003 - the real mapping back
            self._real_environ = None
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

    def _spawned(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.doubt(f"started a program ({name})")

    def _wrote(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if args and args[0] in (1, 2):
            self.doubt("wrote to a standard stream's descriptor")

    def _listed(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._read(args[0] if args and args[0] is not None else os.curdir, "listed")

    def _opened(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """open() and io.open(): a path and a mode (os.open has a wrapper of its own)."""
        path = args[0] if args else kwargs.get("file")
        if isinstance(path, int):
            return  # a descriptor already open: its opening was seen
        mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
        self._judge_open(path, writing=not isinstance(mode, str) or _mode_writes(mode))

    def _judge_open(self, path: Any, writing: bool) -> None:
        if writing:
            self._changing(path, "opened for writing")
        else:
            self._read(path, "read")

    def _closed(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if args and isinstance(args[0], int):
            self._folders.pop(args[0], None)  # the number may be given to something else next

    def _read_variable(self, name: str) -> None:
        if self._active and not self._keyed(name):
            self.doubt(f"read the environment variable {name}, which the key does not hold")

    def _read_descriptor(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if args and args[0] == 0:
            self.doubt("read standard input")

    def _audited_open(self, path: Any, mode: Any = None, flags: Any = 0) -> None:
        """The audit hook's "open" event: (path, mode, flags); mode is None for os.open."""
        if self._judged_open:
            return
        writing = bool(flags & _WRITE_FLAGS) if isinstance(flags, int) else False
        if isinstance(mode, str):
            writing = writing or _mode_writes(mode)
        if isinstance(path, int):  # a descriptor: only the standard streams' matter
            if path in _STANDARD_STREAMS:
                self.doubt("opened a standard stream's descriptor")
            return
        self._judge_open(path, writing)

    def _changed(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if name in ("rename", "replace", "link"):
            targets = zip(args[:2], (kwargs.get("src_dir_fd"), kwargs.get("dst_dir_fd")), strict=False)
        elif name == "symlink":  # the link's text names nothing touched here, but is judged as before
            targets = zip(args[:2], (None, kwargs.get("dir_fd")), strict=False)
        else:
            targets = zip(args[:1], (kwargs.get("dir_fd"),), strict=False)
        for path, dir_fd in targets:
            if not isinstance(path, int):
                self._changing(self._name(path, dir_fd), name)

    def _name(self, path: Any, dir_fd: int | None = None) -> str | None:
        """The absolute name of path: a descriptor's name as the run opened it, or a path relative
        to the folder open as dir_fd; None when it cannot be told (a folder opened before the run
        or by other means), which makes the page unfit to keep."""
        if isinstance(path, int):
            return self._folders.get(path)
        if dir_fd is None:
            return _absolute(path)
        try:
            text = os.fsdecode(os.fspath(path))
        except (TypeError, ValueError):
            return None
        if os.path.isabs(text):
            return os.path.normpath(text)
        if os.pardir in text.replace(os.sep, "/").split("/"):
            return None  # '..' from a folder reached through a link is not where its name says
        folder = self._folders.get(dir_fd)
        return None if folder is None else os.path.normpath(os.path.join(folder, text))

    def _read(self, path: Any, how: str) -> None:
        name = self._name(path)
        if name is None:
            self.doubt(f"{how} something unnamed")
        elif not (self._within_scratch(name) or self._stamped(name) or self._is_code(name)):
            self.doubt(f"{how} {name}")

    def _changing(self, path: Any, how: str) -> None:
        if isinstance(path, int):
            return
        name = _absolute(path)
        if name is None or not (self._within_scratch(name) or f"{os.sep}__pycache__{os.sep}" in name):
            self.doubt(f"{how} {name}")

    def _within_scratch(self, name: str) -> bool:
        return self._scratch is not None and _inside(name, self._scratch)

    def _holds_stamped(self, name: str | None) -> bool:
        """Whether name is the folder of a stamped file (the profile's): opened only to open that
        file relative to it, which is judged on its own, as is any listing of it."""
        return name is not None and any(os.path.dirname(allowed) == name for allowed in self._allowed)

    def _stamped(self, name: str) -> bool:
        return any(_inside(name, allowed) for allowed in self._allowed)

    def _is_code(self, name: str) -> bool:
        """What the import system reads and lists: modules, and the folders on sys.path."""
        within = name.startswith(self._code) or os.path.join(name, "") in self._code
        return within and (name.endswith(_CODE) or os.path.isdir(name) or "__pycache__" in name)


def _mode_writes(mode: str) -> bool:
    """Whether an open() mode writes, creates or appends."""
    return any(c in mode for c in "wax+")


def _absolute(path: Any) -> str | None:
    try:
        name: str | bytes = os.fspath(path)
        return os.path.abspath(os.fsdecode(name))
    except (TypeError, ValueError):
        return None


def _inside(name: str, folder: str) -> bool:
    return name == folder or name.startswith(folder.rstrip(os.sep) + os.sep)
