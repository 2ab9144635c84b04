"""A store of rendered pages: the bytes a command wrote, under the key of everything they depend on.

An entry holds its key in full, the stamps of the files the page was made from (a content file,
the profile, the code), and the page, under one checksum. A page is served only when the key
matches exactly, every stamp is still the same and the checksum holds; anything else is a miss.
Entries live in a folder of their own inside the cache folder, one file per key, and the oldest
are pruned when there are too many.

Reading imports nothing beyond os, sys and zlib: it runs before anything else is loaded. The
folder is opened once and checked on its descriptor (owner, mode, type), and each entry is
opened relative to it, never followed through a link and never waited on (a FIFO), and read
only when it is a regular file of this user.
"""

import os
import zlib  # a checksum in C, and cheaper to load than hashlib

from crampcli import paths

FORMAT = b"cramp-page-1\n"
SUBFOLDER = "pages"
MAX_ENTRIES = 256  # a few KB each: the oldest go when there are more
KEEP_AFTER_PRUNING = 192
MAX_ENTRY_BYTES = 4_000_000  # far above any page; a bigger file is not an entry of ours
_HEADER = len(FORMAT) + 12  # checksum, length of the key, length of the stamps


def folder() -> str | None:
    """Where pages are kept, or None when caching is off (CRAMPCLI_CACHE_DIR empty)."""
    base = paths.cache_dir()
    return os.path.join(base, SUBFOLDER) if base is not None else None


def stamp(path: str) -> str:
    """What tells one state of a file or folder from another: its size, modification and change
    times, inode and type; '-' when nothing is there. An edit, a replacement (a new inode) or a
    removal each give another stamp, as a .pyc file is checked against its source."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_mode}"


def entry_name(key: str) -> str:
    data = key.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{len(data) & 0xFFFF:04x}.page"


_OWNER = getattr(os, "getuid", None)
_WHOLE_SECOND = 1_000_000_000
# Opened without following a link, without waiting on a FIFO, and never handed to a child.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = _READ_FLAGS | getattr(os, "O_DIRECTORY", 0)


def _ours(info: os.stat_result) -> bool:
    return _OWNER is None or info.st_uid == _OWNER()


def _open_folder(name: str, dir_fd: int | None = None) -> int | None:
    """A descriptor of the folder name (relative to dir_fd when given) when it is a real folder
    of this user that no one else can write into, checked on the descriptor itself: what is
    opened is what was checked, whatever is renamed or linked in its place afterwards."""
    try:
        descriptor = os.open(name, _FOLDER_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
    except OSError:
        info = None
    if info is None or (info.st_mode & 0o170000) != 0o040000 or not _ours(info) or info.st_mode & 0o022:
        os.close(descriptor)
        return None
    return descriptor


def _open_pages(where: str) -> int | None:
    """A descriptor of the pages folder, itself and the cache folder holding it trusted (what
    others may rename in the cache folder is not ours either)."""
    parent = _open_folder(os.path.dirname(where))
    if parent is None:
        return None
    try:
        return _open_folder(os.path.basename(where), parent)
    finally:
        os.close(parent)


def lookup(key: str) -> bytes | None:
    """The stored page for key when every stamp it was made with still holds, else None."""
    where = folder()
    if where is None:
        return None
    pages = _open_pages(where)
    if pages is None:
        return None
    try:
        descriptor = os.open(entry_name(key), _READ_FLAGS, dir_fd=pages)
    except OSError:
        return None
    finally:
        os.close(pages)
    try:
        info = os.fstat(descriptor)
        if (info.st_mode & 0o170000) != 0o100000 or info.st_size > MAX_ENTRY_BYTES or not _ours(info):
            return None
        data = os.read(descriptor, info.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    entry = decode(data)
    if entry is None or entry[0] != key:
        return None
    _key, stamps, page = entry
    for path, recorded in stamps:
        if stamp(path) != recorded:
            return None
    if not info.st_mtime_ns % _WHOLE_SECOND and racy(stamps, info.st_mtime_ns):
        return None
    return page


def racy(stamps: list[tuple[str, str]], entry_mtime_ns: int) -> bool:
    """Git's rule for file systems that keep whole seconds (ext2, FAT, some network ones): a file
    changed in the same second as the entry was written (or later) may have changed again in
    that second with nothing to show for it, so its stamp does not confirm the page. Checked
    only when the entry's own time is a whole second, and for stamps that are whole seconds."""
    second = entry_mtime_ns // _WHOLE_SECOND
    for _path, recorded in stamps:
        times = changed_times(recorded)
        if times is None or times[0] % _WHOLE_SECOND or times[1] % _WHOLE_SECOND:
            continue  # absent, or kept to the nanosecond: the stamp tells
        if max(times) // _WHOLE_SECOND >= second:
            return True
    return False


def changed_times(recorded: str) -> tuple[int, int] | None:
    """(modification, change) time in nanoseconds from a stamp; None for an absent file."""
    fields = recorded.split(":")
    if len(fields) != 5:
        return None
    try:
        return int(fields[1]), int(fields[2])
    except ValueError:
        return None


def encode(key: str, stamps: list[tuple[str, str]], page: bytes) -> bytes:
    key_bytes = key.encode("utf-8", "surrogateescape")
    stamp_bytes = "\0".join(f"{path}\0{value}" for path, value in stamps).encode("utf-8", "surrogateescape")
    body = len(key_bytes).to_bytes(4, "big") + len(stamp_bytes).to_bytes(4, "big") + key_bytes + stamp_bytes + page
    return FORMAT + zlib.crc32(body).to_bytes(4, "big") + body


def decode(data: bytes) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """(key, stamps, page) from an entry, or None for anything damaged, cut or foreign."""
    if len(data) < _HEADER or not data.startswith(FORMAT):
        return None
    body = data[len(FORMAT) + 4 :]
    if zlib.crc32(body) != int.from_bytes(data[len(FORMAT) : len(FORMAT) + 4], "big"):
        return None
    key_size = int.from_bytes(body[:4], "big")
    stamps_size = int.from_bytes(body[4:8], "big")
    if 8 + key_size + stamps_size > len(body):
        return None
    try:
        key = body[8 : 8 + key_size].decode("utf-8", "surrogateescape")
        text = body[8 + key_size : 8 + key_size + stamps_size].decode("utf-8", "surrogateescape")
    except UnicodeDecodeError:
        return None
    fields = text.split("\0") if text else []
    if len(fields) % 2:
        return None
    stamps = list(zip(fields[::2], fields[1::2], strict=True))
    return key, stamps, body[8 + key_size + stamps_size :]


def store(key: str, stamps: list[tuple[str, str]], page: bytes) -> bool:
    """Keep page under key; False when it could not be kept (caching off, an unsafe folder, a
    full disk). The folders are created by path, then opened and checked once; the entry is
    written to an exclusive temp file and renamed into place, both relative to the checked
    folder, so a folder swapped for a link meanwhile is never written through."""
    where = folder()
    if where is None:
        return False
    from pathlib import Path

    from crampcli import safefile

    try:
        safefile.private_folder(Path(where).parent)
        safefile.private_folder(Path(where))
    except (OSError, safefile.UnsafePathError):
        return False
    pages = _open_pages(where)
    if pages is None:
        return False
    try:
        name = entry_name(key)
        # A stale entry is removed first: renaming over an existing file makes ext4 write the new
        # one out at once (auto_da_alloc), which measured some milliseconds on every such miss.
        _remove_regular(name, pages)
        _write_new(name, encode(key, stamps, page), pages)
        prune(pages)
    except OSError:
        return False
    finally:
        os.close(pages)
    return True


def _remove_regular(name: str, pages: int) -> bool:
    """Delete the regular file name in the folder pages; False when nothing is there. Anything
    else (a FIFO, a link, a folder) is left alone and raises OSError."""
    try:
        info = os.lstat(name, dir_fd=pages)
    except FileNotFoundError:
        return False
    if (info.st_mode & 0o170000) != 0o100000:
        raise OSError(f"{name} is not a regular file")
    os.unlink(name, dir_fd=pages)
    return True


def _write_new(name: str, data: bytes, pages: int) -> None:
    """Replace name in the folder pages with data in one step, through an exclusive temp file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    temporary = f".{name}.{os.urandom(8).hex()}{_TEMP_SUFFIX}"
    descriptor = os.open(temporary, flags, 0o600, dir_fd=pages)
    try:
        try:
            os.fchmod(descriptor, 0o600)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
        try:  # checked again: something may have been put there meanwhile
            info = os.lstat(name, dir_fd=pages)
            if (info.st_mode & 0o170000) != 0o100000:
                raise OSError(f"{name} is not a regular file")
        except FileNotFoundError:
            pass
        os.rename(temporary, name, src_dir_fd=pages, dst_dir_fd=pages)
    except BaseException:
        _unlink_quietly(temporary, pages)
        raise


_TEMP_SUFFIX = ".tmp"  # as crampcli.safefile names its temp files
_STALE_TEMP_SECONDS = 3600


def prune(pages: int) -> None:
    """Remove the oldest entries when there are more than MAX_ENTRIES, and stale temp files, in
    the folder open as pages; only regular files of this user."""
    import time

    try:
        names = os.listdir(pages)
    except OSError:
        return
    entries = [name for name in names if name.endswith(".page") and not name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    limit = time.time() - _STALE_TEMP_SECONDS
    aged = []
    for name in names:
        try:
            info = os.lstat(name, dir_fd=pages)
        except OSError:
            continue
        if (info.st_mode & 0o170000) != 0o100000 or not _ours(info):
            continue
        if name.startswith(".") and name.endswith(_TEMP_SUFFIX):
            if info.st_mtime < limit:  # what a killed or full-disk run left behind
                _unlink_quietly(name, pages)
        elif name in entries:
            aged.append((info.st_mtime_ns, name))
    aged.sort()
    for _mtime, name in aged[: len(aged) - KEEP_AFTER_PRUNING]:
        _unlink_quietly(name, pages)


def _unlink_quietly(name: str, pages: int) -> None:
    import contextlib

    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=pages)


TRACE = "CRAMPCLI_PAGECACHE_TRACE"  # a file that gets one line per run: hit, miss, stored or why not


def trace(message: str) -> None:
    """Say what the page cache did, for tests and for finding out why a page is not served: a
    line appended to the file CRAMPCLI_PAGECACHE_TRACE names, when it is set. Never on stderr,
    which must stay as the command left it."""
    path = os.environ.get(TRACE)
    if not path:
        return
    # Not waiting on a FIFO, not following a link, and only into a regular file of this user.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return
    try:
        info = os.fstat(descriptor)
        if (info.st_mode & 0o170000) == 0o100000 and _ours(info):
            os.write(descriptor, message.encode("utf-8", "replace") + b"\n")
    except OSError:
        pass
    finally:
        os.close(descriptor)
