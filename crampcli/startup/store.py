"""A store of rendered pages: the bytes a command wrote, under the key of everything they depend on.

An entry holds its key in full, the stamps of the files the page was made from (a content file,
the profile, the code), and the page, under one checksum. A page is served only when the key
matches exactly, every stamp is still the same and the checksum holds; anything else is a miss.
Entries live in a folder of their own inside the cache folder, one file per key, and the oldest
are pruned when there are too many.

Reading imports nothing beyond os, sys and zlib: it runs before anything else is loaded.
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


def _trusted_folder(path: str) -> bool:
    """The folder is a real folder of this user that no one else can write into."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return (info.st_mode & 0o170000) == 0o040000 and owner_ok and not info.st_mode & 0o022


def lookup(key: str) -> bytes | None:
    """The stored page for key when every stamp it was made with still holds, else None."""
    where = folder()
    # The cache folder holding pages/ counts too: what others may rename there is not ours.
    if where is None or not _trusted_folder(os.path.dirname(where)) or not _trusted_folder(where):
        return None
    try:
        descriptor = os.open(os.path.join(where, entry_name(key)), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if (info.st_mode & 0o170000) != 0o100000 or info.st_size > MAX_ENTRY_BYTES:
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
    return page


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
    full disk). The entry is written to an exclusive temp file and renamed into place."""
    where = folder()
    if where is None:
        return False
    from pathlib import Path

    from crampcli import safefile

    try:
        safefile.private_folder(Path(where).parent)
        target = safefile.private_folder(Path(where))
        entry = target / entry_name(key)
        # A stale entry is removed first: renaming over an existing file makes ext4 write the new
        # one out at once (auto_da_alloc), which measured some milliseconds on every such miss.
        safefile.remove_regular(entry)
        safefile.write_atomic(entry, encode(key, stamps, page), durable=False)
        prune(target)
    except (OSError, safefile.UnsafePathError):
        return False
    return True


def prune(where: "os.PathLike[str]") -> None:
    """Remove the oldest entries when there are more than MAX_ENTRIES, and stale temp files."""
    from pathlib import Path

    from crampcli import safefile

    try:
        names = [name for name in os.listdir(where) if name.endswith(".page")]
    except OSError:
        return
    if len(names) <= MAX_ENTRIES:
        return
    safefile.sweep_stale_temps(Path(where))
    aged = []
    for name in names:
        try:
            aged.append((os.lstat(os.path.join(where, name)).st_mtime_ns, name))
        except OSError:
            continue
    aged.sort()
    for _mtime, name in aged[: len(aged) - KEEP_AFTER_PRUNING]:
        try:
            safefile.remove_regular(Path(where) / name)
        except (OSError, safefile.UnsafePathError):
            continue


TRACE = "CRAMPCLI_PAGECACHE_TRACE"  # a file that gets one line per run: hit, miss, stored or why not


def trace(message: str) -> None:
    """Say what the page cache did, for tests and for finding out why a page is not served: a
    line appended to the file CRAMPCLI_PAGECACHE_TRACE names, when it is set. Never on stderr,
    which must stay as the command left it."""
    path = os.environ.get(TRACE)
    if not path:
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return
    try:
        os.write(descriptor, message.encode("utf-8", "replace") + b"\n")
    except OSError:
        pass
    finally:
        os.close(descriptor)
