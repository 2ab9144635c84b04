"""Writing the user's files so that no other user, planted link or odd file can subvert them.

Every file this tool writes (cache, profile, diary, export, report) goes through here:
folders are made 0700 and refused when another user owns them or can write into them; a
new file is written to a temp file created exclusively (O_EXCL | O_NOFOLLOW, a random name)
in the target folder and then renamed over the target; and nothing that exists and is not a
regular file (a device, a FIFO, a folder, a symlink) is ever replaced or deleted.

Where a folder is open (checked_folder), each function takes its descriptor as dir_fd and then
works on path's name inside that folder, never on the path again: whatever is renamed or linked
in the folder's place after its check is not written through. path is still given whole, for
the messages.

Only the standard library's os and stat are used: the cache calls this on start-up.
"""

import contextlib  # already loaded at start-up by the standard library
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from crampcli.errors import CrampError, UsageError

TEMP_SUFFIX = ".tmp"
_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafePathError(CrampError):
    """A path this tool will not write to: not a regular file, or a folder another user controls."""


def _owner_is_us(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()  # Windows has no owners to compare


def folder_problem(folder: Path) -> str | None:
    """Why folder cannot hold private files, or None when it can: it must be a real folder
    (not a symlink), owned by this user, and writable by no one else."""
    try:
        info = os.lstat(folder)
    except OSError as error:
        return f"cannot use {folder}: {error.strerror or error}"
    return _folder_status_problem(folder, info)


def _folder_status_problem(folder: Path, info: os.stat_result) -> str | None:
    """Why a folder with this status cannot hold private files, or None: the one rule for a
    folder checked by path (folder_problem) and on its descriptor (checked_folder)."""
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is {_kind(info.st_mode)}, not a folder"
    if not _owner_is_us(info):
        return f"{folder} belongs to another user"
    if os.name == "posix" and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{folder} can be written by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def private_folder(folder: Path) -> Path:
    """folder, created 0700 (with its missing parents) when absent; raises UnsafePathError when
    it exists but another user owns it, others can write into it, or it is not a folder."""
    if not os.path.lexists(folder):
        try:
            _make_private(folder)
        except OSError as error:
            raise UnsafePathError(f"cannot create the folder {folder}: {error.strerror or error}") from None
    problem = folder_problem(folder)
    if problem:
        raise UnsafePathError(problem)
    return folder


def _make_private(folder: Path) -> None:
    """Create folder and each missing folder above it 0700, as the XDG Base Directory spec asks
    of a missing ~/.cache or ~/.config (os.makedirs gives the parents the umask's mode, 0777
    under umask 000). Folders that already exist are left as they are."""
    missing: list[Path] = []
    here = Path(folder)
    while not os.path.lexists(here) and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # made by someone else meanwhile: folder_problem checks the last one
        os.chmod(path, 0o700)  # mkdir's mode is cut by the umask


def name_in(path: Path, dir_fd: int | None) -> Path | str:
    """What to hand the system for path: its name when its folder is open as dir_fd, else path."""
    return path.name if dir_fd is not None else path


def _regular_status(path: Path, what: str, dir_fd: int | None = None) -> os.stat_result | None:
    """The status of path (not followed) when it is a regular file, None when nothing is there;
    UnsafePathError for anything else (device, FIFO, folder, symlink, socket)."""
    try:
        info = os.lstat(name_in(path, dir_fd), dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnsafePathError(f"cannot use {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(f"{path} is {_kind(info.st_mode)}, not a regular {what}; it was left as it is")
    return info


def refuse_unless_regular(path: Path, what: str = "file", dir_fd: int | None = None) -> bool:
    """True when path is an existing regular file, False when nothing is there; raises
    UnsafePathError for anything else (device, FIFO, folder, symlink, socket)."""
    return _regular_status(path, what, dir_fd) is not None


def own_regular_file(path: Path, what: str = "file", dir_fd: int | None = None) -> os.stat_result | None:
    """The status of path (not followed) when it is a regular file this user owns, None when
    nothing is there; UnsafePathError for anything else, as refuse_unless_regular, and for a
    file another user owns. The caller judges st_nlink from the same status."""
    info = _regular_status(path, what, dir_fd)
    if info is not None and not _owner_is_us(info):
        raise UnsafePathError(f"{path} belongs to another user (uid {info.st_uid}); it was left as it is")
    return info


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextlib.contextmanager
def private_folder_open(folder: Path) -> Iterator[int | None]:
    """folder made or checked as private_folder does it, then open as checked_folder gives it:
    for writing files into it by name relative to the descriptor."""
    private_folder(folder)
    with checked_folder(folder) as opened:
        yield opened


@contextlib.contextmanager
def checked_folder(folder: Path) -> Iterator[int | None]:
    """A descriptor of folder, opened once without following a link and checked on the
    descriptor itself (a folder of this user that no one else can write into), for opening
    files inside it with dir_fd: what was checked is what is read, whatever is renamed or
    linked in its place meanwhile. None where the system cannot open files relative to a
    folder (Windows): the caller then goes by path, as folder_problem checked it."""
    if os.open not in os.supports_dir_fd or not hasattr(os, "O_DIRECTORY"):
        yield None
        return
    flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(folder, flags)
    except OSError as error:  # a link or a file gives ELOOP or ENOTDIR: say what is there instead
        problem = folder_problem(folder) if os.path.lexists(folder) else None
        raise UnsafePathError(problem or f"cannot use {folder}: {error.strerror or error}") from None
    try:
        problem = _folder_status_problem(folder, os.fstat(descriptor))
        if problem:
            raise UnsafePathError(problem)
        yield descriptor
    finally:
        os.close(descriptor)


def _open_checked(
    path: Path, what: str = "file", follow: bool = True, dir_fd: int | None = None
) -> tuple[int, os.stat_result]:
    """(descriptor, status) of path opened for reading, when it is a regular file.

    A FIFO would block the open itself and a device never ends, so the open does not wait and
    the kind is checked on what was opened, so nothing swapped in after a check is read.
    Raises UnsafePathError for anything but a regular file (with follow=False, a symbolic link
    too), FileNotFoundError when nothing is there, and OSError when it cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(name_in(path, dir_fd), flags, dir_fd=dir_fd)
    except OSError:
        if not follow and _is_link(path, dir_fd):  # O_NOFOLLOW's ELOOP
            raise UnsafePathError(f"{path} is a symbolic link, not a regular {what}") from None
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePathError(f"{path} is {_kind(info.st_mode)}, not a regular {what}")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info


def _is_link(path: Path, dir_fd: int | None) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name_in(path, dir_fd), dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def open_regular(path: Path, what: str = "file") -> BinaryIO:
    """path opened for reading if it is a regular file (or a link to one), as _open_checked
    checks it; reads then wait for data as usual."""
    descriptor, _ = _open_checked(path, what)
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def write_atomic_chunks(path: Path, chunks: Iterable[bytes], durable: bool = True, dir_fd: int | None = None) -> None:
    """write_atomic for data that arrives in pieces (an export read from the diary as it is
    written): memory holds one piece at a time, and the file appears whole or not at all."""
    refuse_unless_regular(path, dir_fd=dir_fd)
    descriptor, temporary = create_exclusive(path.parent, path.name, dir_fd)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(descriptor, 0o600)  # whatever the umask
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(descriptor, view) :]
            if durable:
                os.fsync(descriptor)  # on disk before it replaces the old one: a power cut leaves one or the other
        finally:
            os.close(descriptor)
        refuse_unless_regular(path, dir_fd=dir_fd)  # checked again: something may have been put there meanwhile
        os.replace(name_in(temporary, dir_fd), name_in(path, dir_fd), src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name_in(temporary, dir_fd), dir_fd=dir_fd)
        raise


def expand_user(value: str, setting: str) -> Path:
    """value with a leading ~ or ~user expanded; UnsafePathError naming the setting when the
    user is unknown (Path.expanduser raises RuntimeError there, os.path.expanduser leaves it as
    it is, which would make a folder named ~user wherever the command runs)."""
    expanded = os.path.expanduser(value)
    if expanded.startswith("~"):
        user = expanded[1:].replace(os.sep, "/").split("/", 1)[0]
        who = f"no user named {user!r}" if user else "no home folder to put in place of ~"
        raise UnsafePathError(f"{setting} is {value!r}, but there is {who}")
    return Path(expanded)


def expand_option(value: str, option: str) -> str:
    """value of a command-line option with a leading ~ or ~user expanded, as a string (a
    trailing '/' is kept for the caller to judge); a usage error naming the option when the
    user is unknown."""
    if not value.startswith("~"):
        return value
    try:
        expand_user(value, option)
    except UnsafePathError as error:
        raise UsageError(str(error)) from None
    return os.path.expanduser(value)


def read_regular(
    path: Path, limit: int, follow: bool = True, dir_fd: int | None = None
) -> tuple[bytes, os.stat_result]:
    """At most limit bytes of path and its status, read only when it is a regular file (see
    _open_checked for what is refused and raised)."""
    descriptor, info = _open_checked(path, follow=follow, dir_fd=dir_fd)
    try:
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(descriptor)


def is_dev_null(path: Path) -> bool:
    """Whether path is the system's null device (itself or through a link), which reads as empty."""
    try:
        info = os.stat(path)
        null = os.stat(os.devnull)
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(info.st_mode) and (info.st_rdev, info.st_ino) == (null.st_rdev, null.st_ino)


def writable_by_others(info: os.stat_result) -> bool:
    """Whether a file or folder with this status could have been changed by another user."""
    return not _owner_is_us(info) or (os.name == "posix" and bool(info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)))


def create_exclusive(folder: Path, prefix: str, dir_fd: int | None = None) -> tuple[int, Path]:
    """(descriptor, path) of a new 0600 file in folder under an unpredictable name, created
    exclusively so that nothing planted there (a link, an old file) is ever followed or reused."""
    for _ in range(100):
        candidate = folder / f".{prefix}.{os.urandom(8).hex()}{TEMP_SUFFIX}"
        try:
            return os.open(name_in(candidate, dir_fd), _OPEN_NEW, 0o600, dir_fd=dir_fd), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_atomic(path: Path, data: bytes, durable: bool = True, dir_fd: int | None = None) -> None:
    """Replace path with data in one step, readable by its owner only. Raises UnsafePathError
    when path exists and is not a regular file, OSError when the disk refuses."""
    write_atomic_chunks(path, (data,), durable, dir_fd)


def remove_regular(path: Path, dir_fd: int | None = None) -> bool:
    """Delete path if it is a regular file; False when nothing was there. Raises UnsafePathError
    for anything else, which is left alone."""
    if not refuse_unless_regular(path, dir_fd=dir_fd):
        return False
    os.unlink(name_in(path, dir_fd), dir_fd=dir_fd)
    return True


def sweep_stale_temps(folder: Path, older_than_seconds: float = 3600.0, dir_fd: int | None = None) -> int:
    """Delete this tool's own leftover temp files (a killed or full-disk run) in folder; only
    regular files owned by this user and older than the given age. Returns how many went."""
    import time

    removed = 0
    limit = time.time() - older_than_seconds
    try:
        names = os.listdir(folder if dir_fd is None else dir_fd)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
            continue
        path = folder / name
        try:
            info = os.lstat(name_in(path, dir_fd), dir_fd=dir_fd)
            if stat.S_ISREG(info.st_mode) and _owner_is_us(info) and info.st_mtime < limit:
                os.unlink(name_in(path, dir_fd), dir_fd=dir_fd)
                removed += 1
        except OSError:
            continue
    return removed
