"""Find the content files, read them, and hand back the validated model.

This is the only module that reads YAML. The built-in content ships inside the package
(`crampcli/content/` in a wheel) and lives at the repository root in a source checkout.
"""

import os
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from crampcli import paths
from crampcli.content import cache
from crampcli.errors import ContentError
from crampcli.safefile import expand_user

if TYPE_CHECKING:
    from crampcli.content.model import Content
    from crampcli.content.validate import Document, KeyPath

MAX_FILE_BYTES = 1_000_000  # far above any real content file; stops a runaway file early
# Content nests a few levels. libyaml's composer recurses in C, so some 100,000 levels crash the
# process (no RecursionError), and its scanner slows with the square of the depth.
MAX_DEPTH = 200


def builtin_dir() -> Path:
    """The content folder: CRAMPCLI_CONTENT_DIR, else the packaged copy, else the checkout's."""
    configured = os.environ.get("CRAMPCLI_CONTENT_DIR")
    if configured:
        return expand_user(configured, "CRAMPCLI_CONTENT_DIR")
    return Path(paths.shipped_content_dir())


def content_files(folder: Path, allow_empty: bool = False) -> list[Path]:
    try:  # names, not Path objects, are listed and sorted: this runs on every start
        names = sorted(n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith("."))
    except OSError as error:
        raise ContentError(f"cannot read the content folder {folder}: {error.strerror or error}") from None
    if not names and not allow_empty:
        raise ContentError(f"no content files (*.yaml) in {folder}")
    return [folder / name for name in names]


def read_files(paths: list[Path], shown_as: str) -> list[tuple[str, bytes]]:
    """(name shown in messages, bytes) for each file."""
    found = []
    for path in paths:
        name = f"{shown_as}/{path.name}"
        try:
            info = path.stat()
            if not S_ISREG(info.st_mode):  # a FIFO would block, /dev/zero never end
                raise ContentError(f"{name}: not a regular file")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise ContentError(f"{name}: file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
            found.append((name, path.read_bytes()))
        except OSError as error:
            raise ContentError(f"{name}: cannot read: {error.strerror or error}") from None
    return found


def load_content(folder: Path | None = None) -> "Content":
    """The validated content of folder (default: the built-in content), from cache when fresh."""
    folder = folder or builtin_dir()
    return cached_or_parsed(str(folder), content_files(folder), folder.name)


def stamps(paths: list[Path]) -> list[cache.Stamp]:
    """(path, size, modification time, change time, inode) of each file: what the cache is keyed by.
    Size and modification time alone (what a .pyc file is checked by) miss a same-size file
    copied in with its old time kept (cp -p, rsync -a); the change time and inode do not."""
    found = []
    for path in map(str, paths):
        try:
            info = os.stat(path)
        except OSError as error:
            raise ContentError(f"{path}: cannot read: {error.strerror or error}") from None
        found.append((path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return found


def cached_or_parsed(
    slot: str, paths: list[Path], shown_as: str, user_paths: list[Path] | None = None, user_shown_as: str = ""
) -> "Content":
    """The content of these files from the cache entry for slot, else parsed (and then stored).

    Files are read only when the cache has no fresh entry for them. Raises ContentError when
    they do not validate together.
    """
    key = cache.key_for(stamps(paths + (user_paths or [])))

    def parse_and_store() -> "Content":  # also when a section is found damaged late: the entry is mended
        user_files = read_files(user_paths, user_shown_as) if user_paths else None
        content = parse_content(read_files(paths, shown_as), user_files)
        cache.store(slot, key, content)
        return content

    loaded = cache.load(slot, key, parse_and_store)
    if loaded is not None and not loaded[1]:
        return loaded[0]
    return parse_and_store()


def parse_content(files: list[tuple[str, bytes]], user_files: list[tuple[str, bytes]] | None = None) -> "Content":
    from crampcli.content.validate import build_content

    overlays = [parse_document(name, data) for name, data in user_files or []]
    return build_content([parse_document(name, data) for name, data in files], overlays)


def load_guide(user_folder: Path | None, strict: bool = False) -> "tuple[Content, list[str]]":
    """The built-in content with the user's own files merged in, and warnings about them.

    A broken user file never takes the guide down: it is left out with a warning naming
    the file and line, unless strict, when it is an error. What was merged and the warnings
    are cached together, keyed like the content, so a broken file costs the check of each
    file alone once, not on every run. No warnings while the shell completes a word: they
    would land on the command line being typed.
    """
    folder = builtin_dir()
    paths = content_files(folder)
    user_paths = content_files(user_folder, allow_empty=True) if user_folder and user_folder.is_dir() else []
    if not user_paths:
        return cached_or_parsed(str(folder), paths, folder.name), []
    slot = f"{folder}\0{user_folder}"
    key = cache.key_for(stamps(paths + user_paths))

    def parse_and_store() -> "tuple[Content, list[str]]":
        content, warnings = merge_what_validates(read_files(paths, folder.name), user_paths, str(user_folder), strict)
        cache.store(slot, key, content, tuple(warnings))
        return content, warnings

    loaded = cache.load(slot, key, lambda: parse_and_store()[0])  # a section found damaged late mends the entry
    if loaded is not None and not (strict and loaded[1]):  # strict: the error itself is wanted
        content, warnings = loaded[0], list(loaded[1])
    else:
        content, warnings = parse_and_store()
    return content, [] if completing() else warnings


def completing() -> bool:
    """Whether this run answers the shell's completion (click sets _CRAMP_COMPLETE)."""
    return "_CRAMP_COMPLETE" in os.environ


def merge_what_validates(
    files: list[tuple[str, bytes]], user_paths: list[Path], shown_as: str, strict: bool = False
) -> "tuple[Content, list[str]]":
    """The built-in content with the user files merged in, and a warning for each file left out.

    All of them together when they validate (strict: else the error); otherwise every file
    that validates with the built-in content on its own, and then those together.
    """
    from crampcli.content.validate import build_content

    documents = [parse_document(name, data) for name, data in files]  # once, not once per user file
    try:
        return build_content(documents, parse_documents(read_files(user_paths, shown_as))), []
    except ContentError:
        if strict:
            raise
    good, failed = documents_valid_alone(documents, user_paths, shown_as)
    warnings = [f"left out {path}: {problem}" for path, problem in failed]
    try:
        return build_content(documents, parse_documents(good)), warnings
    except ContentError as problem:  # valid alone, clashing together
        warnings.append(f"left out all of your content files, which clash with each other: {problem}")
        return build_content(documents), warnings


def parse_documents(files: list[tuple[str, bytes]]) -> "list[Document]":
    return [parse_document(name, data) for name, data in files]


def valid_alone(
    files: list[tuple[str, bytes]], user_paths: list[Path], shown_as: str
) -> tuple[list[tuple[str, bytes]], list[tuple[Path, ContentError]]]:
    """Each user file checked with the built-in content on its own: the files that pass, and
    the error of each that does not (in the order given)."""
    return documents_valid_alone(parse_documents(files), user_paths, shown_as)


def documents_valid_alone(
    documents: "list[Document]", user_paths: list[Path], shown_as: str
) -> tuple[list[tuple[str, bytes]], list[tuple[Path, ContentError]]]:
    """valid_alone with the built-in files already parsed: YAML parsing is most of the cost."""
    from crampcli.content.validate import build_content

    good: list[tuple[str, bytes]] = []
    failed: list[tuple[Path, ContentError]] = []
    for path in user_paths:
        try:
            user_file = read_files([path], shown_as)
            build_content(documents, parse_documents(user_file))
            good.extend(user_file)
        except ContentError as problem:
            failed.append((path, problem))
    return good, failed


def parse_document(name: str, data: bytes) -> "Document":
    """Parse one YAML file safely: no tags that build objects, no aliases, one document."""
    import yaml

    from crampcli.content.validate import Document

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(f"{name}: not UTF-8 text (byte {error.start})") from None
    if "\0" in text:
        raise ContentError(f"{name}: not a text file (contains a NUL byte)")
    if too_deep(text):
        raise ContentError(f"{name}: nested too deeply (more than {MAX_DEPTH} levels of [ ], {{ }} or '- ')")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError(f"{name}: the file is empty")
        reject_aliases(node, name)
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ContentError(f"{name}{line}: not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{name}: not valid YAML: {error}") from None
    except RecursionError:
        raise ContentError(f"{name}: nested too deeply") from None
    # PyYAML's value builders on odd values: a number of thousands of digits, 2026-13-45, !!timestamp 'x'
    except (ValueError, OverflowError, TypeError, AttributeError) as error:
        raise ContentError(f"{name}: a value cannot be read: {str(error)[:100]}") from None
    finally:
        loader.dispose()

    def line_of(path: "KeyPath") -> int | None:
        return line_of_path(node, path)

    return Document(name, value, line_of)


def too_deep(text: str) -> bool:
    """Whether text may nest deeper than MAX_DEPTH in flow style ([ and {, counted as if none
    were quoted) or in compact block style (- - - on one line). Nesting by indentation alone
    stays within what libyaml handles, since a file is at most MAX_FILE_BYTES."""
    import re

    depth = 0
    if text.count("[") + text.count("{") > MAX_DEPTH:  # else there are too few to nest so deep
        for match in re.finditer(r"[\[\]{}]", text):
            depth = depth + 1 if match[0] in "[{" else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                return True
    if not re.search(r"[-?][ \t]+[-?][ \t]", text):  # no two on one line: the search below costs more
        return False
    return re.search(rf"(?:[-?][ \t]+){{{MAX_DEPTH}}}", text) is not None


def reject_aliases(root: object, name: str) -> None:
    """Content needs no anchors or aliases, and refusing them stops alias bombs early."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            mark = getattr(node, "start_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise ContentError(f"{name}{line}: anchors and aliases (& and *) are not allowed")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def line_of_path(root: object, path: "KeyPath") -> int | None:
    import yaml

    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            matches = [value for key, value in node.value if key.value == part]
            if not matches:
                break
            node = matches[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark else None
