"""A start-up cache of validated content, so that YAML is parsed only when a file changed.

The entry is keyed by the program version and every content file's path, size and
modification time (as Python keys its .pyc files), so an edited file or an upgrade never
gets a stale answer, and a fresh entry costs no reading of the YAML files. It is stored with marshal (no code
runs on load, and it costs no import) as a tree of plain values that only the model's own
classes are rebuilt from. Any problem with the cache is silent: the content is parsed again.
"""

import marshal
import os
import zlib  # already loaded by the standard library's shutil, unlike hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__, cachedir, model, record

FORMAT = 2  # 2: sections stored apart, decoded on first use
_CLASSES: dict[str, type[record.Record]] = {
    name: cls for name, cls in vars(model).items() if isinstance(cls, type) and record.is_record(cls)
}


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is turned off."""
    folder = cachedir.cache_dir()
    return Path(folder) if folder is not None else None


# The code that shapes and checks the model is part of the key too, so a development
# checkout never gets content validated by older rules.
_SCHEMA_FILES = (Path(model.__file__), Path(model.__file__).with_name("validate.py"))


def key_for(stamps: list[tuple[str, int, int]]) -> str:
    """A key from each file's path, size and modification time (nanoseconds), the way Python
    decides whether a .pyc file is fresh, plus the version and the schema code. It is kept
    whole, not hashed: comparing a few hundred characters costs less than importing a hash."""
    parts = [__version__, str(FORMAT)]
    for path in _SCHEMA_FILES:
        try:
            info = os.stat(path)
            parts.append(f"{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append("?")
    parts.extend(f"{name}:{size}:{mtime_ns}" for name, size, mtime_ns in stamps)
    return "\0".join(parts)


def _encode(value: Any) -> Any:
    if isinstance(value, record.Record):
        fields = tuple(_encode(getattr(value, name)) for name in record.fields(value))
        return ("", type(value).__name__, fields)
    if isinstance(value, tuple):
        return tuple(_encode(v) for v in value)
    return value  # str, int, bool, None, and the origins dict of str


def _decode(value: tuple[Any, ...]) -> Any:
    """Rebuild what _encode stored; leaves (str, int, None...) are used as they are."""
    if len(value) == 3 and value[0] == "" and type(value[1]) is str:
        cls = _CLASSES[value[1]]
        values = value[2]
        if len(values) != len(cls._fields):
            raise ValueError("entry written for another shape of the model")
        built: record.Record = object.__new__(cls)  # the values were validated before they were stored
        built.__dict__.update(zip(cls._fields, [_decode(v) if type(v) is tuple else v for v in values], strict=True))
        return built
    return tuple([_decode(v) if type(v) is tuple else v for v in value])


def entry_path(slot: str) -> Path | None:
    """One entry per content folder (slot), so two folders in use do not evict each other."""
    folder = cache_dir()
    if folder is None:
        return None
    # Two folders that share a name only take turns in one entry: the key tells them apart.
    name = zlib.crc32(slot.encode("utf-8", "surrogateescape"))
    return folder / f"content-{name:08x}.bin"


class LazyContent(model.Content):
    """Content whose sections are decoded when first read: one page decodes only what it shows.

    If a section cannot be decoded (a damaged entry), the whole content is parsed again
    with `reparse` and the section taken from there.
    """

    _same_as = model.Content  # equal to a Content with the same values

    def __init__(self, sections: dict[str, bytes], reparse: Callable[[], model.Content]) -> None:
        self.__dict__.update(_sections=sections, _reparse=reparse)

    def __getattr__(self, name: str) -> Any:  # only called for a section not decoded yet
        sections = self.__dict__.get("_sections", {})
        if name not in sections:
            raise AttributeError(name)
        try:
            value = _decode_any(marshal.loads(sections[name]))
        except Exception:
            value = getattr(self.__dict__["_reparse"](), name)
        self.__dict__[name] = value
        return value


def _decode_any(value: Any) -> Any:
    return _decode(value) if type(value) is tuple else value


def load(slot: str, key: str, reparse: Callable[[], model.Content]) -> model.Content | None:
    path = entry_path(slot)
    if path is None:
        return None
    try:
        stored_key, sections = marshal.loads(path.read_bytes())
        if stored_key != key or sorted(sections) != sorted(model.Content._fields):
            return None
    except Exception:  # a missing, truncated, stale or foreign entry is just a miss
        return None
    return LazyContent(sections, reparse)


def store(slot: str, key: str, content: model.Content) -> None:
    path = entry_path(slot)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        sections = {name: marshal.dumps(_encode(getattr(content, name))) for name in model.Content._fields}
        temporary.write_bytes(marshal.dumps((key, sections)))
        os.replace(temporary, path)  # readers never see half a file
    except OSError:
        pass  # a read-only or full disk only costs the next run a parse
