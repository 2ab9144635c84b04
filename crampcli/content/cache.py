"""A start-up cache of validated content, so that YAML is parsed only when a file changed.

The entry is keyed by the program version and every content file's path, size, modification
and change times and inode, so an edited file (even one copied in with its old time kept, or
edited within the same second on a file system that keeps whole seconds) or an upgrade never
gets a stale answer, and a fresh entry costs no reading of the YAML files. It is stored with
marshal (no code runs on load, and it costs no import) as a tree of plain values that only
the model's own classes are rebuilt from.

An entry is untrusted input, since whoever can change it changes the advice printed:
- the folder must be this user's own and writable by no one else, and the entry a regular
  file only this user can change; otherwise the cache is not used (one warning);
- every part of an entry carries a CRC-32 that is checked before the part is read, so damage
  on disk is never read as advice;
- every decoded value is checked against the type the model declares for it.
Any failure means the YAML is parsed again: never a traceback, never altered text.
"""

import contextlib  # already loaded at start-up by the standard library
import marshal
import os
import sys
import zlib  # already loaded by the standard library's shutil, unlike hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crampcli import __version__, paths, safefile
from crampcli.content import model, record

FORMAT = 3  # 3: a CRC-32 for the index and for each section, checked before use
MAGIC = b"crampc\x03\n"
_HEADER = len(MAGIC) + 8  # the magic, then the index's length and CRC-32 (4 bytes each, little-endian)
MAX_ENTRY_BYTES = 64 << 20  # far above any real entry; a bigger file is not an entry of ours
MAX_AGE_DAYS = 30  # an entry not stored or used for this long is removed when another is stored
_CLASSES: dict[str, type[record.Record]] = {
    name: cls for name, cls in vars(model).items() if isinstance(cls, type) and record.is_record(cls)
}
Loaded = tuple[model.Content, tuple[str, ...]]  # the content and the warnings found when it was parsed


class DamagedEntryError(ValueError):
    """An entry, or a part of one, that fails its checks: the content is parsed again."""


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is turned off."""
    folder = paths.cache_dir()
    return Path(folder) if folder is not None else None


# The code that shapes and checks the model is part of the key too, so a development
# checkout never gets content validated by older rules.
_SCHEMA_FILES = (Path(model.__file__), Path(model.__file__).with_name("validate.py"))


Stamp = tuple[str, int, int, int, int]  # path, size, modification and change times (ns), inode
_SECOND = 1_000_000_000


def key_for(stamps: list[Stamp]) -> str:
    """A key from each file's path, size, modification and change times (nanoseconds) and inode,
    plus the version and the schema code. It is kept whole, not hashed: comparing a few hundred
    characters costs less than importing a hash.

    Git's "racy" rule for file systems that keep whole seconds: a file changed in the current
    second may change again within it and keep its stamp, so its stamp proves nothing yet. The
    key is then one no entry has (the content is parsed), until that second has passed."""
    parts = [__version__, str(FORMAT)]
    for path in _SCHEMA_FILES:
        try:
            info = os.stat(path)
            parts.append(f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}")
        except OSError:
            parts.append("?")
    parts.extend(f"{name}:{size}:{mtime_ns}:{ctime_ns}:{inode}" for name, size, mtime_ns, ctime_ns, inode in stamps)
    if any(racy(mtime_ns, ctime_ns) for _name, _size, mtime_ns, ctime_ns, _inode in stamps):
        parts.append(f"unconfirmed:{os.urandom(8).hex()}")
    return "\0".join(parts)


def racy(mtime_ns: int, ctime_ns: int) -> bool:
    """Whether a file kept to the whole second (both times) was changed in this second or later."""
    if mtime_ns % _SECOND or ctime_ns % _SECOND:
        return False  # kept to the nanosecond: any later change shows
    import time

    return max(mtime_ns, ctime_ns) // _SECOND >= time.time_ns() // _SECOND


def entry_name(slot: str) -> str:
    """One entry per content folder (slot), so two folders in use do not evict each other; the
    version in the name lets a newer install remove the entries of older ones."""
    # Two folders that share a name only take turns in one entry: the key tells them apart.
    return f"content-{__version__}-{zlib.crc32(slot.encode('utf-8', 'surrogateescape')):08x}.bin"


def entry_path(slot: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / entry_name(slot)


# Warnings


_warned = False


WARNED_FILE = "cache-warning"  # in the user's data folder: the last day's warning, so it is said once a day


def warn_once(problem: str) -> None:
    """Say why the cache is not used, once a day for the same problem (a refused folder stays
    refused until the user acts: a warning on every run would drown every page); never while
    the shell completes a word."""
    global _warned
    if _warned or "_CRAMP_COMPLETE" in os.environ:
        return
    _warned = True
    if said_today(problem):
        return
    from crampcli.text import safe, unicode_ok

    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr closed or full: not worth a failure
        sys.stderr.write(f"cramp: warning: the content cache is not used: {safe(problem, unicode_ok(sys.stderr))}\n")


def said_today(problem: str) -> bool:
    """True when this problem was already reported today; else notes it for the rest of the day.
    The note lives in the user's data folder (the cache folder is the one being refused); when
    that cannot be used either, the warning is said on every run, as before."""
    import time

    folder = paths.data_dir()
    if not folder:
        return False
    note = f"{time.strftime('%Y-%m-%d')} {problem}".encode("utf-8", "replace")
    path = Path(folder) / WARNED_FILE
    try:
        with safefile.private_folder_open(Path(folder)) as opened:
            with contextlib.suppress(FileNotFoundError):
                if safefile.read_regular(path, limit=4096, follow=False, dir_fd=opened)[0] == note:
                    return True
            safefile.write_atomic(path, note, durable=False, dir_fd=opened)
    except (OSError, safefile.UnsafePathError):
        return False
    return False


def trusted_folder(create: bool) -> Path | None:
    """The cache folder when it may be used: None when caching is off, when the folder is
    missing (and not to be created), or when it is refused (with a warning)."""
    configured = paths.cache_dir()
    if configured is None:
        problem = paths.setting_problem()
        if problem:
            warn_once(problem)
        return None
    folder = Path(configured)
    if create:
        try:
            return safefile.private_folder(folder)
        except safefile.UnsafePathError as error:
            warn_once(str(error))
            return None
    if not os.path.lexists(folder):
        return None
    problem = safefile.folder_problem(folder)
    if problem:
        warn_once(problem)
        return None
    return folder


# Reading


def load(slot: str, key: str, reparse: Callable[[], model.Content]) -> Loaded | None:
    """The stored content and warnings for slot when its entry is fresh for key and passes
    every check; None otherwise. A section found damaged later is taken from reparse()."""
    folder = trusted_folder(create=False)
    if folder is None:
        return None
    path = folder / entry_name(slot)
    try:
        # Read relative to the folder as opened and checked once: a folder swapped for a link
        # after trusted_folder() looked at it is never read through.
        with safefile.checked_folder(folder) as opened:
            try:
                data, info = safefile.read_regular(path, MAX_ENTRY_BYTES, follow=False, dir_fd=opened)
            except (OSError, safefile.UnsafePathError):  # missing, unreadable, or not a file: a miss
                return None
            if safefile.writable_by_others(info):
                warn_once(f"{path} can be changed by other users")
                return None
            try:
                loaded = read_entry(data, key, reparse)
            except Exception:  # whatever is wrong with an entry, it is only a miss
                return None
            if loaded is not None:
                keep_fresh(path, info, opened)
            return loaded
    except safefile.UnsafePathError as error:  # the folder changed since it was checked
        warn_once(str(error))
        return None


def keep_fresh(path: Path, info: os.stat_result, dir_fd: int | None) -> None:
    """Mark an entry in use at most once a day, so that pruning by age spares it."""
    import time

    now = time.time()
    if now - info.st_mtime > 86_400:
        with contextlib.suppress(OSError, NotImplementedError):
            os.utime(safefile.name_in(path, dir_fd), (now, now), dir_fd=dir_fd, follow_symlinks=False)


def read_entry(data: bytes, key: str, reparse: Callable[[], model.Content]) -> Loaded | None:
    """The content in an entry's bytes when they are whole and stored for key; None for an
    entry of another key. Raises DamagedEntryError (or another error of marshal) when damaged."""
    if data[: len(MAGIC)] != MAGIC or len(data) < _HEADER:
        raise DamagedEntryError("not an entry of this format")
    index_length = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    index_crc = int.from_bytes(data[len(MAGIC) + 4 : _HEADER], "little")
    index_bytes = data[_HEADER : _HEADER + index_length]
    if len(index_bytes) != index_length or zlib.crc32(index_bytes) != index_crc:
        raise DamagedEntryError("the index fails its check")
    index = marshal.loads(index_bytes)
    if type(index) is not tuple or len(index) != 3:
        raise DamagedEntryError("the index has another shape")
    stored_key, notes, parts = index
    if type(stored_key) is not str or stored_key != key:
        return None  # stale: written for other files or another version
    if type(notes) is not tuple or not all(type(note) is str for note in notes):
        raise DamagedEntryError("the warnings have another shape")
    if type(parts) is not tuple or len(parts) != len(model.Content._fields):
        raise DamagedEntryError("the sections have another shape")
    view = memoryview(data)
    offset = _HEADER + index_length
    sections: dict[str, tuple[memoryview, int]] = {}
    for name, part in zip(model.Content._fields, parts, strict=True):
        if type(part) is not tuple or len(part) != 3 or part[0] != name or type(part[1]) is not int:
            raise DamagedEntryError("a section has another shape")
        length, crc = part[1], part[2]
        if length < 0 or type(crc) is not int:
            raise DamagedEntryError("a section has another shape")
        sections[name] = (view[offset : offset + length], crc)
        offset += length
    if offset != len(data):
        raise DamagedEntryError("the entry is cut short or has bytes to spare")
    return LazyContent(sections, reparse), notes


class LazyContent(model.Content):
    """Content whose sections are checked and decoded when first read: one page decodes only
    what it shows.

    If a section fails its checks (damage found late), the whole content is parsed again with
    `reparse` and every section not decoded yet is taken from there.
    """

    _same_as = model.Content  # equal to a Content with the same values

    def __init__(self, sections: dict[str, tuple[memoryview, int]], reparse: Callable[[], model.Content]) -> None:
        self.__dict__.update(_sections=sections, _reparse=reparse, _parsed=None)

    def __getattr__(self, name: str) -> Any:  # only called for a section not decoded yet
        state = self.__dict__
        sections = state.get("_sections", {})
        if name not in sections:
            raise AttributeError(name)
        if state["_parsed"] is None:
            try:
                state[name] = decode_section(name, *sections[name])
                return state[name]
            except Exception:  # any damage means parsing again
                state["_parsed"] = state["_reparse"]()
        state[name] = getattr(state["_parsed"], name)
        return state[name]


def decode_section(name: str, data: memoryview, crc: int) -> Any:
    """One section, checked for damage and then for shape against model.Content's field."""
    if zlib.crc32(data) != crc:
        raise DamagedEntryError(f"section {name} fails its check")
    return _decoder_for(annotation(model.Content, name))(marshal.loads(data))


# Shapes: each field's annotation in model.py (a string there) becomes a function that checks a
# stored value and rebuilds the record it stands for. The model uses few kinds of annotation:
# str, int, bool, X | None, tuple[X, ...], Literal[...] and its aliases, dict[str, str], records.

Decoder = Callable[[Any], Any]
_DECODERS: dict[str, Decoder] = {}


def annotation(cls: type, field: str) -> str:
    for klass in cls.__mro__:
        found = vars(klass).get("__annotations__", {}).get(field)
        if found is not None:
            return str(found)
    raise TypeError(f"{cls.__name__}.{field} has no annotation")


def _decoder_for(text: str) -> Decoder:
    found = _DECODERS.get(text)
    if found is None:
        found = _DECODERS[text] = _compile(text.strip())
    return found


def _wrong(value: Any) -> Any:
    raise DamagedEntryError(f"a stored value has the wrong type: {type(value).__name__}")


def _compile(text: str) -> Decoder:
    alternatives = [part.strip() for part in text.split("|")]
    if len(alternatives) == 2 and "None" in alternatives:
        inner = _decoder_for(next(part for part in alternatives if part != "None"))
        return lambda value: None if value is None else inner(value)
    if text in ("str", "int", "bool"):
        kind = {"str": str, "int": int, "bool": bool}[text]
        return lambda value: value if type(value) is kind else _wrong(value)
    if text.startswith("tuple[") and text.endswith(", ...]"):
        return _tuple_decoder(text[len("tuple[") : -len(", ...]")])
    if text == "dict[str, str]":
        return _text_mapping
    if text.startswith("Literal[") and text.endswith("]"):
        return _choice_decoder(tuple(part.strip().strip("\"'") for part in text[len("Literal[") : -1].split(",")))
    if text in _CLASSES:
        return _record_decoder(_CLASSES[text])
    choices = getattr(getattr(model, text, None), "__args__", None)  # an alias such as Grade = Literal[...]
    if choices and all(type(choice) is str for choice in choices):
        return _choice_decoder(choices)
    raise TypeError(f"no stored shape for the annotation {text!r}")


def _tuple_decoder(item_text: str) -> Decoder:
    if item_text == "str":
        return lambda value: value if type(value) is tuple and all(type(v) is str for v in value) else _wrong(value)
    item = _decoder_for(item_text)
    return lambda value: tuple([item(v) for v in value]) if type(value) is tuple else _wrong(value)


def _choice_decoder(choices: tuple[str, ...]) -> Decoder:
    allowed = frozenset(choices)
    return lambda value: value if type(value) is str and value in allowed else _wrong(value)


def _text_mapping(value: Any) -> Any:
    if type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return value
    return _wrong(value)


def _record_decoder(cls: type[record.Record]) -> Decoder:
    """A record is stored as ("", class name, (field values...)) in the order of its fields."""
    name, count = cls.__name__, len(cls._fields)
    fields: list[tuple[str, Decoder]] = []  # filled on first use: records refer to each other

    def decode(value: Any) -> Any:
        if not (type(value) is tuple and len(value) == 3 and value[0] == "" and value[1] == name):
            return _wrong(value)
        values = value[2]
        if type(values) is not tuple or len(values) != count:
            return _wrong(values)
        if not fields:
            fields.extend((field, _decoder_for(annotation(cls, field))) for field in cls._fields)
        built: record.Record = object.__new__(cls)  # the values were validated before they were stored
        built.__dict__.update({field: check(v) for (field, check), v in zip(fields, values, strict=True)})
        return built

    return decode


# Writing


def encode(value: Any) -> Any:
    if isinstance(value, record.Record):
        return ("", type(value).__name__, tuple(encode(getattr(value, name)) for name in record.fields(value)))
    if isinstance(value, tuple):
        return tuple(encode(v) for v in value)
    return value  # str, int, bool, None, and the origins dict of str


def entry_bytes(key: str, content: model.Content, notes: tuple[str, ...] = ()) -> bytes:
    """What store writes: the header, the index (key, warnings, each section's length and
    CRC-32) and the sections, each marshalled on its own so that it is decoded on its own."""
    blobs = [marshal.dumps(encode(getattr(content, name))) for name in model.Content._fields]
    parts = tuple((name, len(blob), zlib.crc32(blob)) for name, blob in zip(model.Content._fields, blobs, strict=True))
    index = marshal.dumps((key, tuple(notes), parts))
    header = MAGIC + len(index).to_bytes(4, "little") + zlib.crc32(index).to_bytes(4, "little")
    return b"".join([header, index, *blobs])


def store(slot: str, key: str, content: model.Content, notes: tuple[str, ...] = ()) -> None:
    """Keep content (and the warnings found when parsing it) for the next run. A read-only or
    full disk only costs the next run a parse; a refused folder or entry is said once."""
    folder = trusted_folder(create=True)
    if folder is None:
        return
    path = folder / entry_name(slot)
    try:
        # Written relative to the folder as opened and checked, as load() reads it.
        with safefile.checked_folder(folder) as opened:
            safefile.sweep_stale_temps(folder, dir_fd=opened)  # what killed or full-disk runs left behind
            data = entry_bytes(key, content, notes)
            safefile.write_atomic(path, data, durable=False, dir_fd=opened)  # a torn entry fails its check
            prune(folder, keep=path.name, dir_fd=opened)
    except safefile.UnsafePathError as error:
        warn_once(str(error))
    except OSError:
        pass


def prune(folder: Path, keep: str, dir_fd: int | None = None) -> int:
    """Remove the entries of other versions, and those not stored or used for MAX_AGE_DAYS;
    returns how many went. Only regular files of this user are removed."""
    import time

    limit = time.time() - MAX_AGE_DAYS * 86_400
    ours = f"content-{__version__}-"
    removed = 0
    for name in os.listdir(folder if dir_fd is None else dir_fd):
        if name == keep or not (name.startswith("content-") and name.endswith(".bin")):
            continue
        path = folder / name
        try:
            info = os.lstat(safefile.name_in(path, dir_fd), dir_fd=dir_fd)
            if name.startswith(ours) and info.st_mtime >= limit:
                continue
            if not safefile.writable_by_others(info) and safefile.remove_regular(path, dir_fd):
                removed += 1
        except (OSError, safefile.UnsafePathError):
            continue
    return removed
