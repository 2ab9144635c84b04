"""The cramp diary's store: one SQLite file in the user's data folder.

The only module that imports sqlite3. What it promises:
- a file that is not our diary (not SQLite, or SQLite without our application id and table),
  a damaged one, or one from a newer version is only ever opened read-only, reported, and
  left byte for byte as it was;
- every write is one BEGIN IMMEDIATE transaction, with a busy timeout and retries, so several
  `cramp log add` at once all land, and a process killed mid-write leaves the last committed
  state (write-ahead log);
- the folder is created 0700 and the file 0600 (SQLite gives its -wal and -shm the same mode);
  a folder another user owns or can write into, a diary or side file (-wal, -shm, -journal)
  that is not a regular file, is another user's, or has a second hard link, are refused;
- a row another tool wrote with values no entry can hold is read as Damaged, never a crash.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3  # noqa: TID253 - this module itself is imported only inside the diary's commands
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from crampcli import paths
from crampcli.errors import CrampError, UsageError
from crampcli.safefile import (
    UnsafePathError,
    checked_folder,
    expand_user,
    folder_problem,
    name_in,
    own_regular_file,
    private_folder,
    read_regular,
)

from .model import EARLIEST_SECONDS, LATEST_SECONDS, MAX_KEPT_ID, MAX_OFFSET_MINUTES, Damaged, Entry, kept_id
from .stats import Tallies

FILE_NAME = "diary.sqlite3"
APPLICATION_ID = 0x43524D50  # "CRMP" in the file header: tells our diary from other SQLite files
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
WRITE_ATTEMPTS = 6  # after the busy timeout, a few more tries with a growing pause

# Each step takes the schema from one version to the next; user_version says how many ran.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            started INTEGER NOT NULL,
            utc_offset INTEGER NOT NULL,
            duration INTEGER NOT NULL CHECK (duration > 0 AND duration <= 86400),
            area TEXT NOT NULL,
            side TEXT CHECK (side IN ('left', 'right', 'both')),
            severity INTEGER CHECK (severity BETWEEN 0 AND 10),
            period TEXT NOT NULL CHECK (period IN ('night', 'day')),
            triggers TEXT NOT NULL DEFAULT '',
            symptoms TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            logged INTEGER NOT NULL
        )""",
        "CREATE INDEX entries_by_start ON entries (started)",
        # What statistics count by: SQLite counts an index instead of sorting the table.
        "CREATE INDEX entries_by_local_day ON entries ((started + utc_offset * 60) / 86400)",
        "CREATE INDEX entries_by_local_hour ON entries ((started + utc_offset * 60) % 86400 / 3600)",
        "CREATE INDEX entries_by_area ON entries (area)",
        "CREATE INDEX entries_by_period ON entries (period)",
        "CREATE INDEX entries_by_duration ON entries (duration)",
    ),
)
COLUMNS = "id, uid, started, utc_offset, duration, area, side, severity, period, triggers, symptoms, note, logged"
LOCAL = "(started + utc_offset * 60)"  # seconds since the epoch by the local clock, as the indexes say it

P = ParamSpec("P")
T = TypeVar("T")


class DiaryError(CrampError):
    """The diary file or its folder cannot be used as it is (exit 1)."""


def home() -> Path:
    """The folder of the user's data: CRAMPCLI_HOME, else the platform's user data folder."""
    found = paths.data_dir()
    if found is None:  # CRAMPCLI_HOME names an unknown user: expand_user says so, naming the setting
        return expand_user(os.environ.get("CRAMPCLI_HOME", ""), "CRAMPCLI_HOME")
    return Path(found)


def diary_path() -> Path:
    return home() / FILE_NAME


def schema_version() -> int:
    return len(MIGRATIONS)


# Opening


def open_diary(create: bool) -> Diary | None:
    """The diary, checked and migrated; None when there is none yet and create is False."""
    path = diary_path()
    if not os.path.lexists(path.parent) and not create:
        return None
    check_folder(path.parent, create)
    # Everything cramp opens in the folder goes through it as opened once and checked on its
    # descriptor; what SQLite opens by path is checked against it after.
    try:
        with checked_folder(path.parent) as folder:
            return open_in_folder(path, folder, create)
    except UnsafePathError as error:
        raise DiaryError(f"cannot use the diary folder: {error}. {LEFT_ALONE}") from None


def open_in_folder(path: Path, folder: int | None, create: bool) -> Diary | None:
    """open_diary's work inside the checked folder open as folder (None: by path, on Windows)."""
    if not check_file(path, folder):
        if not create:
            return None
        make_private_file(path, folder)
        check_file(path, folder)
    check_side_files(path, folder)
    state, version = inspect_file(path, folder)
    if state == "blank" and not create:
        return None
    if state == "ours" and version < schema_version():
        back_up(path, version)
    checked = identity_in(path, folder)
    before = held_files()
    diary = Diary(path, connect(path))
    if identity_now(path) != checked or not opened_in_folder(diary, folder, before):
        diary.close()
        raise DiaryError(
            f"the diary folder {path.parent} was replaced while the diary was being opened (by another "
            f"user or program?); nothing was read or written. {LEFT_ALONE}"
        )
    try:
        if state == "blank" or version < schema_version():
            diary.set_up()
    except BaseException:
        diary.close()
        raise
    return diary


FileId = tuple[int, int]  # (device, inode): which file, whatever its name
Identity = tuple[FileId, FileId | None]  # of the folder, and of the diary in it


def file_id(info: os.stat_result) -> FileId:
    return info.st_dev, info.st_ino


def identity_in(path: Path, folder: int | None) -> Identity:
    """The folder's and the diary's identity, taken through the folder as opened and checked.
    SQLite opens by path, so a folder swapped for another before its open would go unseen by
    SQLite; identity_now() after the open tells it."""
    if folder is None:  # no opening relative to a folder here (Windows): by path
        return identity_now(path)
    try:
        return file_id(os.fstat(folder)), file_id(os.stat(path.name, dir_fd=folder, follow_symlinks=False))
    except OSError as error:
        raise DiaryError(f"cannot use the diary folder: {error.strerror or error}. {LEFT_ALONE}") from None


def opened_in_folder(diary: Diary, folder: int | None, before: dict[int, FileId] | None) -> bool:
    """Whether every file SQLite opened for the diary (the diary, its write-ahead log and index)
    is one of the diary's files in the folder as checked. Told from the descriptors SQLite
    holds, not from names, so a folder swapped and swapped back while SQLite opened its files
    is seen too. True where this process's descriptors cannot be listed (no /proc)."""
    if before is None or folder is None:
        return True
    try:
        diary.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the log and its index
    except sqlite3.Error:
        return True  # not a diary it can read: the set-up says so, on the file as opened
    after = held_files() or {}
    opened = {file for number, file in after.items() if before.get(number) != file}
    ours: set[FileId] = set()
    for name in (diary.path.name, *(diary.path.name + suffix for suffix in SIDE_FILES)):
        with contextlib.suppress(OSError):
            ours.add(file_id(os.stat(name, dir_fd=folder, follow_symlinks=False)))
    return opened <= ours


_DESCRIPTORS = "/proc/self/fd"  # Linux: this process's descriptors, each a link to the file it holds


def held_files() -> dict[int, FileId] | None:
    """The file behind each of this process's descriptors; None where the system does not list
    them (macOS, Windows)."""
    try:
        numbers = os.listdir(_DESCRIPTORS)
    except OSError:
        return None
    held: dict[int, FileId] = {}
    for number in numbers:
        try:
            held[int(number)] = file_id(os.stat(f"{_DESCRIPTORS}/{number}"))
        except (OSError, ValueError):
            continue  # the listing's own descriptor, closed since
    return held


def identity_now(path: Path) -> Identity:
    """The folder's and the diary's identity by path, as SQLite found them."""
    try:
        folder = file_id(os.lstat(path.parent))
    except OSError:
        return (-1, -1), None
    try:
        return folder, file_id(os.lstat(path))
    except OSError:
        return folder, None


def check_folder(folder: Path, create: bool) -> None:
    """The diary's folder, made 0700 when create and it is missing; a folder another user owns
    or can write into is refused (they could swap the diary or its write-ahead log)."""
    if create and not os.path.lexists(folder):
        try:
            private_folder(folder)
        except UnsafePathError as error:
            reason = str(error).rpartition(": ")[2]
            raise DiaryError(f"cannot create the diary folder {folder}: {reason}") from None
    problem = folder_problem(folder)
    if problem:
        raise DiaryError(f"cannot use the diary folder: {problem}. {LEFT_ALONE}")


def check_file(path: Path, folder: int | None = None) -> bool:
    """True when the diary file exists, False when it does not; anything but a regular file
    of this user's with one name is refused. SQLite keeps the write-ahead log beside the name it
    was opened by, so a second hard link would see a diary without the entries logged through
    the other."""
    try:
        info = own_regular_file(path, "diary file", dir_fd=folder)
    except UnsafePathError as error:
        raise DiaryError(f"cannot use the diary: {error}. {LEFT_ALONE}") from None
    if info is None:
        return False
    if info.st_nlink > 1:
        raise DiaryError(
            f"the diary {path} has {info.st_nlink} names (hard links); entries written under one name can be lost "
            "under another, so it was left as it is. Remove the other names (find / -samefile shows them), "
            "or make it a file of its own: cp diary.sqlite3 copy && mv copy diary.sqlite3."
        )
    return True


# What SQLite keeps beside a database, under its name: the write-ahead log and its index
# (journal_mode = WAL, the diary's), and the rollback journal (before WAL is set, and the backup's).
SIDE_FILES = ("-wal", "-shm", "-journal")


def check_side_files(path: Path, folder: int | None = None) -> None:
    """SQLite writes its -wal and -shm through whatever has their names, and deletes what is
    there when it is done: a hard link would be written through, a FIFO or a device removed.
    So each is checked as the diary is, before SQLite opens anything: absent, or a regular
    file of this user's with one name."""
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            info = own_regular_file(side, dir_fd=folder)
        except UnsafePathError as error:
            raise DiaryError(f"cannot use the diary: {error}. {SIDE_LEFT_ALONE}") from None
        if info is not None and info.st_nlink > 1:
            raise DiaryError(
                f"{side} has {info.st_nlink} names (hard links): SQLite would write through it into another file. "
                + SIDE_LEFT_ALONE
            )


SIDE_LEFT_ALONE = (
    "SQLite keeps its working files beside the diary under these names; the diary was not opened and "
    "nothing was changed. Move that file away (keep it if you did not put it there) and try again."
)


def make_private_file(path: Path, folder: int | None = None) -> None:
    """An empty file (0600) in the private folder (open as folder), that SQLite then fills."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(name_in(path, folder), flags, 0o600, dir_fd=folder)
    except FileExistsError:
        return
    except OSError as error:
        raise DiaryError(f"cannot create the diary {path}: {error.strerror or error}") from None
    try:
        if hasattr(os, "fchmod"):  # Windows has none before Python 3.13, and no modes to set
            os.fchmod(handle, 0o600)  # whatever the umask
    finally:
        os.close(handle)


def inspect_file(path: Path, folder: int | None = None) -> tuple[str, int]:
    """('blank' | 'ours', schema version); anything else is a DiaryError, and the file is
    only read, never written."""
    try:
        header, _info = read_regular(path, len(SQLITE_HEADER), follow=False, dir_fd=folder)
    except UnsafePathError as error:
        raise DiaryError(f"cannot use the diary: {error}. {LEFT_ALONE}") from None
    except OSError as error:
        raise DiaryError(f"cannot read the diary {path}: {error.strerror or error}") from None
    if not header:
        return "blank", 0  # just created; SQLite may still hold its first writes in the -wal
    if header != SQLITE_HEADER:
        raise DiaryError(f"{path} is not a cramp diary (not an SQLite database). {LEFT_ALONE}")
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            state, version = classify(reader)
        finally:
            reader.close()
    except sqlite3.Error as error:
        raise trouble(path, error) from None
    if state == "foreign":
        raise DiaryError(f"{path} is an SQLite database but not a cramp diary. {LEFT_ALONE}")
    if version > schema_version():
        raise DiaryError(
            f"the diary {path} comes from a newer version of cramp (schema {version}; this version knows "
            f"up to {schema_version()}). It was left as it is: upgrade cramp to use it."
        )
    return state, version


LEFT_ALONE = "It was left as it is; move it away, or set CRAMPCLI_HOME to another folder, to start a new diary."


def classify(connection: sqlite3.Connection) -> tuple[str, int]:
    """'blank' (an empty SQLite database), 'ours' or 'foreign', and the schema version."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id == 0 and version == 0 and not tables:
        return "blank", 0
    if application_id == APPLICATION_ID and "entries" in tables:
        return "ours", version
    return "foreign", version


def connect(path: Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: no hidden transactions; every write says BEGIN IMMEDIATE itself.
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = FULL")  # an entry, once logged, survives a power cut
    except sqlite3.Error as error:
        raise trouble(path, error) from None
    return connection


def back_up(path: Path, version: int) -> None:
    """A copy of an older diary beside it, before the first migration touches it."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    if target.exists():
        return
    check_side_files(target)  # the copy's rollback journal, before the copy is made, as the diary's own
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(handle)
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    except (OSError, sqlite3.Error) as error:
        raise DiaryError(f"cannot back up the diary before upgrading it ({error}); it was left as it is.") from None


# Errors


def is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def trouble(path: Path, error: sqlite3.Error) -> DiaryError:
    """A clear message for what SQLite reports."""
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or type(error) is sqlite3.DatabaseError:
        return DiaryError(f"the diary {path} is damaged ({text}). {LEFT_ALONE}")
    if is_busy(error):
        return DiaryError(f"the diary {path} is busy (another cramp is writing to it); try again in a moment.")
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        if not os.access(path.parent, os.W_OK):
            return DiaryError(f"the diary folder {path.parent} is read-only; cramp needs to write there ({text}).")
        if path.exists() and not os.access(path, os.W_OK):
            return DiaryError(f"the diary {path} is read-only; cramp needs to write to it ({text}).")
    if "disk" in lowered or "full" in lowered:
        return DiaryError(f"cannot write the diary {path}: {text}. Nothing was changed.")
    return DiaryError(f"cannot use the diary {path}: {text}")


def mapped(method: Callable[Concatenate[Diary, P], T]) -> Callable[Concatenate[Diary, P], T]:
    """SQLite's errors, raised inside a Diary method, as DiaryError."""

    def run(self: Diary, /, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise trouble(self.path, error) from None

    return run


# Rows


def row_of(entry: Entry) -> tuple[object, ...]:
    return (
        entry.id,
        entry.uid,
        entry.started,
        entry.utc_offset,
        entry.duration,
        entry.area,
        entry.side,
        entry.severity,
        entry.period,
        ",".join(entry.triggers),
        ",".join(entry.symptoms),
        entry.note,
        entry.logged,
    )


def entry_of(row: tuple[Any, ...]) -> Entry:
    """A row known to be sound (selected with SOUND) as an entry."""
    (id_, uid, started, utc_offset, duration, area, side, severity, period, triggers, symptoms, note, logged) = row
    # Filled in directly rather than through Record.__init__, which checks names and defaults
    # that are known here: a million-row listing spent a fifth of its time there.
    entry = object.__new__(Entry)
    entry.__dict__.update(
        id=id_,
        uid=uid,
        started=started,
        utc_offset=utc_offset,
        duration=duration,
        area=area,
        side=side,
        severity=severity,
        period=period,
        triggers=tuple(triggers.split(",")) if triggers else (),
        symptoms=tuple(symptoms.split(",")) if symptoms else (),
        note=note,
        logged=logged,
    )
    return entry


# A row every column of which an entry can hold. Another tool may have written anything
# (SQLite keeps 'abc' in an INTEGER column, a BLOB anywhere); such a row is damaged: listed
# and exported as it is, left out of the statistics' entries and of the red flags.
SOUND = (
    "(typeof(id) = 'integer' AND typeof(uid) = 'text'"
    f" AND typeof(started) = 'integer' AND started BETWEEN {EARLIEST_SECONDS} AND {LATEST_SECONDS}"
    f" AND typeof(utc_offset) = 'integer' AND utc_offset BETWEEN -{MAX_OFFSET_MINUTES} AND {MAX_OFFSET_MINUTES}"
    " AND typeof(duration) = 'integer' AND duration BETWEEN 1 AND 86400 AND typeof(area) = 'text'"
    " AND (side IS NULL OR side IN ('left', 'right', 'both'))"
    " AND (severity IS NULL OR (typeof(severity) = 'integer' AND severity BETWEEN 0 AND 10))"
    " AND period IN ('night', 'day') AND typeof(triggers) = 'text' AND typeof(symptoms) = 'text'"
    " AND typeof(note) = 'text' AND typeof(logged) = 'integer'"
    f" AND logged BETWEEN {EARLIEST_SECONDS} AND {LATEST_SECONDS})"
)
NAMES = COLUMNS.split(", ")


def problem_of(values: dict[str, object]) -> str:
    """Which column of a damaged row is wrong, in words."""
    from crampcli.text import shorten

    from .model import raw_text

    def shown(value: object) -> str:
        kind = "a BLOB " if isinstance(value, bytes) else ""
        return kind + shorten(raw_text(value), 30)

    text_columns = ("uid", "area", "triggers", "symptoms", "note")
    for name in text_columns:
        if not isinstance(values[name], str):
            return f"{name} is {shown(values[name])}, not text"
    for name in ("started", "logged"):
        value = values[name]
        if not isinstance(value, int) or not EARLIEST_SECONDS <= value <= LATEST_SECONDS:
            return f"{name} is {shown(value)}, not a time"
    offset = values["utc_offset"]
    if not isinstance(offset, int) or not -MAX_OFFSET_MINUTES <= offset <= MAX_OFFSET_MINUTES:
        return f"the UTC offset is {shown(offset)} minutes"
    duration = values["duration"]
    if not isinstance(duration, int) or not 0 < duration <= 86400:
        return f"duration is {shown(duration)}"
    return "a value is out of range (side, severity or period)"


def read_row(row: tuple[Any, ...]) -> Entry | Damaged:
    """A row selected as (COLUMNS, SOUND): an entry, or what another tool left as it is."""
    if row[-1]:
        return entry_of(row[:-1])
    values = dict(zip(NAMES, row[:-1], strict=True))
    return Damaged(id=values["id"], values=values, problem=problem_of(values))


def kept(counts: dict[Any, int], kind: type, low: int | None = None, high: int | None = None) -> dict[Any, int]:
    """The counts whose key is of the kind (and in the range) an entry gives."""

    def fits(key: Any) -> bool:
        number: Any = key  # compared only once its type is known
        return type(key) is kind and (low is None or high is None or low <= number <= high)

    return {key: n for key, n in counts.items() if fits(key)}


def in_order(since: int | None) -> str:
    """ORDER BY terms for start-time order. Without a period, '+' keeps SQLite from walking the
    start-time index (a random read per row, some 30 times slower) instead of sorting what it finds."""
    return "started, id" if since is not None else "+started, +id"


INSERT = f"INSERT INTO entries ({COLUMNS}) VALUES ({', '.join('?' * 13)})"


def free_id(connection: sqlite3.Connection) -> int | None:
    """None while AUTOINCREMENT can number a new entry; once an id beyond MAX_KEPT_ID was ever
    stored (an older version kept any imported id), the next free number within the range."""
    # AUTOINCREMENT numbers after the larger of the two
    highest = connection.execute(
        "SELECT max(coalesce((SELECT max(id) FROM entries), 0),"
        " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'entries'), 0))"
    ).fetchone()[0]
    if not isinstance(highest, int) or highest < MAX_KEPT_ID:
        return None
    below = connection.execute("SELECT max(id) FROM entries WHERE id < ?", (MAX_KEPT_ID,)).fetchone()[0]
    candidate = (below or 0) + 1
    if not connection.execute("SELECT 1 FROM entries WHERE id = ?", (candidate,)).fetchone():
        return int(candidate)
    gap = connection.execute(  # the range is full at its top: the first gap below it
        "SELECT min(id) + 1 FROM entries AS e WHERE id < ? AND NOT EXISTS (SELECT 1 FROM entries WHERE id = e.id + 1)",
        (MAX_KEPT_ID,),
    ).fetchone()[0]
    if gap is None or gap > MAX_KEPT_ID:
        raise DiaryError("the diary has no free entry number left; export it and import it into a new one.")
    return int(gap)


class Diary:
    """An open diary. Use it as a context manager, or call close()."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the diary (a count and the rows it counted agree)."""
        try:
            self.connection.execute("BEGIN")
        except sqlite3.Error as error:
            raise trouble(self.path, error) from None
        try:
            yield
        finally:
            self.roll_back()

    @mapped
    def highest_id(self) -> int:
        found = self.connection.execute("SELECT max(id) FROM entries").fetchone()[0]
        return found if isinstance(found, int) else 0

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    # Writing

    def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run work in one write transaction: all of it lands, or none of it."""
        for attempt in range(WRITE_ATTEMPTS):
            last = attempt + 1 == WRITE_ATTEMPTS
            try:
                self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if is_busy(error) and not last:
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise trouble(self.path, error) from None
            try:
                result = work(self.connection)
                self.connection.execute("COMMIT")
                return result
            except BaseException as error:
                self.roll_back()
                if isinstance(error, sqlite3.OperationalError) and is_busy(error) and not last:
                    time.sleep(0.05 * 2**attempt)
                    continue
                if isinstance(error, sqlite3.Error):
                    raise trouble(self.path, error) from None
                raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    def roll_back(self) -> None:
        try:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def set_up(self) -> None:
        """Create or migrate the schema, checking again under the write lock (another cramp
        may have done it meanwhile)."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.connection.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as error:
                if not is_busy(error) or attempt + 1 == WRITE_ATTEMPTS:
                    raise trouble(self.path, error) from None
                time.sleep(0.05 * 2**attempt)

        def migrate(connection: sqlite3.Connection) -> None:
            state, version = classify(connection)
            if state == "foreign" or version > schema_version():
                raise DiaryError(f"{self.path} changed while cramp opened it. {LEFT_ALONE}")
            if state == "blank":
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for steps in MIGRATIONS[version:]:
                for statement in steps:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {schema_version()}")

        self.write(migrate)

    @mapped
    def add(self, entry: Entry) -> Entry:
        def insert(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(INSERT, (free_id(connection), *row_of(entry)[1:]))
            return int(cursor.lastrowid or 0)

        from crampcli.content.record import replace

        return replace(entry, id=self.write(insert))

    @mapped
    def edit(self, entry_id: int, change: Callable[[Entry], Entry]) -> Entry:
        """Read, change and write back one entry in one transaction."""

        def update(connection: sqlite3.Connection) -> Entry:
            row = connection.execute(f"SELECT {COLUMNS}, {SOUND} FROM entries WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise UsageError(f"there is no entry #{entry_id} in the diary (cramp log list shows them).")
            found = read_row(row)
            if isinstance(found, Damaged):
                raise DiaryError(
                    f"entry #{entry_id} is damaged ({found.problem}) and cannot be changed; cramp log export "
                    f"keeps what it holds, then cramp log rm {entry_id} removes it."
                )
            changed = change(found)
            values = row_of(changed)[1:]
            names = COLUMNS.split(", ")[1:]
            connection.execute(
                f"UPDATE entries SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?", (*values, entry_id)
            )
            return changed

        return self.write(update)

    @mapped
    def remove(self, entry_ids: Iterable[int]) -> list[Entry | Damaged]:
        """Remove every one of the entries, or none if any is missing."""
        wanted = list(dict.fromkeys(entry_ids))

        def delete(connection: sqlite3.Connection) -> list[Entry | Damaged]:
            found = [self.get(entry_id) for entry_id in wanted]
            missing = [f"#{i}" for i, entry in zip(wanted, found, strict=True) if entry is None]
            if missing:
                raise UsageError(f"no entry {', '.join(missing)} in the diary; nothing was removed.")
            connection.executemany("DELETE FROM entries WHERE id = ?", [(i,) for i in wanted])
            return [row for row in found if row is not None]

        return self.write(delete)

    @mapped
    def import_entries(self, entries: Iterable[Entry], on_row: Callable[[int], None] | None = None) -> tuple[int, int]:
        """Add entries whose uid the diary lacks, keeping their ids when free: (added, skipped)."""

        def insert(connection: sqlite3.Connection) -> tuple[int, int]:
            added = skipped = 0
            for entry in entries:
                if connection.execute("SELECT 1 FROM entries WHERE uid = ?", (entry.uid,)).fetchone():
                    skipped += 1
                    continue
                wanted = kept_id(entry.id)
                if (
                    wanted is not None
                    and connection.execute("SELECT 1 FROM entries WHERE id = ?", (wanted,)).fetchone()
                ):
                    wanted = None
                connection.execute(INSERT, (wanted or free_id(connection), *row_of(entry)[1:]))
                added += 1
                if on_row:
                    on_row(added)
            return added, skipped

        return self.write(insert)

    # Reading

    @mapped
    def get(self, entry_id: int) -> Entry | Damaged | None:
        row = self.connection.execute(f"SELECT {COLUMNS}, {SOUND} FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return read_row(row) if row else None

    @mapped
    def entries(self, since: int | None = None, area: str | None = None, latest: int | None = None) -> list[Entry]:
        """Sound entries in order of start time, optionally since a moment, in one area, or only the
        latest few (damaged rows left out: see rows() and damaged_count())."""
        return [row for row in self.rows(since, area, latest, sound_only=True) if isinstance(row, Entry)]

    def rows(
        self,
        since: int | None = None,
        area: str | None = None,
        latest: int | None = None,
        sound_only: bool = False,
        until: int | None = None,
    ) -> Iterator[Entry | Damaged]:
        """Every row in order of start time (since <= started < until), read from SQLite as it goes
        (a million entries take no more memory than ten), damaged ones as Damaged unless sound_only."""
        rows, values = self.selection(since, area, *((SOUND,) if sound_only else ()), until=until)
        if latest is None:
            query = f"SELECT {COLUMNS}, {SOUND} FROM {rows} ORDER BY {in_order(since if until is None else until)}"
        else:
            query = f"SELECT * FROM (SELECT {COLUMNS}, {SOUND} FROM {rows} ORDER BY started DESC, id DESC LIMIT ?)"
            query += " ORDER BY started, id"
            values = (*values, latest)
        yield from self.reading(query, values)

    def reading(self, query: str, values: tuple[object, ...] = ()) -> Iterator[Entry | Damaged]:
        try:
            for row in self.connection.execute(query, values):
                yield read_row(row)
        except sqlite3.Error as error:
            raise trouble(self.path, error) from None

    @mapped
    def count(
        self, since: int | None = None, area: str | None = None, latest: int | None = None, until: int | None = None
    ) -> int:
        """How many rows rows() gives."""
        rows, values = self.selection(since, area, until=until)
        found = int(self.connection.execute(f"SELECT count(*) FROM {rows}", values).fetchone()[0])
        return found if latest is None else min(found, latest)

    @mapped
    def damaged_count(self, since: int | None = None, area: str | None = None) -> int:
        """How many rows of the diary (or a period or area of it) are damaged (see SOUND)."""
        rows, values = self.selection(since, area, f"NOT {SOUND}")
        return int(self.connection.execute(f"SELECT count(*) FROM {rows}", values).fetchone()[0])

    def all_entries(self) -> Iterator[Entry | Damaged]:
        """Every row in order of id, for export, read as it goes; damaged ones as they are."""
        yield from self.reading(f"SELECT {COLUMNS}, {SOUND} FROM entries ORDER BY id")

    @staticmethod
    def selection(
        since: int | None, area: str | None, *more: str, until: int | None = None
    ) -> tuple[str, tuple[object, ...]]:
        """'entries WHERE ...' for a period (since <= started < until) and area, and the values
        for its placeholders.

        With a period, the start-time index is named: without statistics SQLite may pick a
        statistics index that fits the GROUP BY and then read every row to test the time."""
        clauses: list[str] = list(more)
        values: list[object] = []
        table = "entries"
        if since is not None or until is not None:
            table = "entries INDEXED BY entries_by_start"
        if since is not None:
            clauses.append("started >= ?")
            values.append(since)
        if until is not None:
            clauses.append("started < ?")
            values.append(until)
        if area is not None:
            clauses.append("area = ?")
            values.append(area)
        return table + (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(values)

    @mapped
    def tallies(self, since: int | None = None, area: str | None = None) -> Tallies:
        """The counts statistics are made of, counted by SQLite."""
        rows, values = self.selection(since, area)

        def grouped(key: str) -> dict[Any, int]:
            query = f"SELECT {key} AS k, count(*) FROM {rows} GROUP BY k"
            return {k: n for k, n in self.connection.execute(query, values)}

        durations, duration_values = self.selection(since, area, "typeof(duration) = 'integer'")
        most = self.connection.execute(f"SELECT max(duration) FROM {durations}", duration_values).fetchone()[0]
        longest_rows, longest_values = self.selection(since, area, "duration = ?", SOUND)
        longest = self.connection.execute(
            f"SELECT {COLUMNS} FROM {longest_rows} ORDER BY started DESC, id DESC LIMIT 1", (most, *longest_values)
        ).fetchone()
        # A damaged row's junk lands in no bucket: keys are kept only when an entry could have made them.
        by_day = kept(grouped(f"{LOCAL} / 86400"), int, EARLIEST_SECONDS // 86400, LATEST_SECONDS // 86400)
        return Tallies(
            count=sum(by_day.values()),
            by_day=by_day,
            by_area=kept(grouped("area"), str),
            by_hour=kept(grouped(f"{LOCAL} % 86400 / 3600"), int, 0, 23),
            by_period={k: n for k, n in grouped("period").items() if k in ("night", "day")},
            by_duration=kept(grouped("duration"), int, 1, 86400),
            longest=entry_of(longest) if longest else None,
        )

    @mapped
    def notable(
        self, longer_than: int | None, symptoms: tuple[str, ...], since: int | None = None, area: str | None = None
    ) -> list[Entry]:
        """Entries longer than longer_than seconds, or with any of symptoms, by start time."""
        tests = []
        values: list[object] = []
        if longer_than is not None:
            tests.append("duration > ?")
            values.append(longer_than)
        if symptoms:  # most entries have none: the empty test saves building strings for them
            found = " OR ".join("instr(',' || symptoms || ',', ?) > 0" for _ in symptoms)
            tests.append(f"(symptoms != '' AND ({found}))")
            values.extend(f",{symptom}," for symptom in symptoms)
        if not tests:
            return []
        rows, filters = self.selection(since, area, "(" + " OR ".join(tests) + ")", SOUND)
        query = f"SELECT {COLUMNS} FROM {rows} ORDER BY {in_order(since)}"
        return [entry_of(row) for row in self.connection.execute(query, (*values, *filters))]

    @mapped
    def noted(self, hints: tuple[str, ...], since: int | None = None, area: str | None = None) -> list[Entry]:
        """Entries whose note holds any of hints (letters and spaces; matched in any case, as
        LIKE does for ASCII), by start time. LIKE took a quarter of the time of
        instr(lower(note), ?) on 100,000 notes, and a third of reading them into Python."""
        if not hints:
            return []
        found = " OR ".join("note LIKE ?" for _ in hints)
        rows, filters = self.selection(since, area, f"(note != '' AND ({found}))", SOUND)
        query = f"SELECT {COLUMNS} FROM {rows} ORDER BY {in_order(since)}"
        values = (*(f"%{hint}%" for hint in hints), *filters)
        return [entry_of(row) for row in self.connection.execute(query, values)]

    @mapped
    def day_counts(self, first_day: int, last_day: int) -> dict[int, int]:
        """Episodes per local day from first_day to last_day (days since 1970-01-01)."""
        margin = 14 * 3600  # the widest UTC offset: the local day can differ from the UTC one
        query = (
            f"SELECT {LOCAL} / 86400 AS day, count(*) FROM entries INDEXED BY entries_by_start "
            "WHERE started >= ? AND started < ? "
            "GROUP BY day HAVING day BETWEEN ? AND ?"
        )
        values = (first_day * 86400 - margin, (last_day + 1) * 86400 + margin, first_day, last_day)
        return {day: n for day, n in self.connection.execute(query, values)}

    # A period (since <= started < until), for the report

    # What the report counts by, as SQL: fixed expressions, never user text.
    PERIOD_KEYS: ClassVar[dict[str, str]] = {
        "day": f"{LOCAL} / 86400",
        "hour": f"{LOCAL} % 86400 / 3600",
        "night": f"({LOCAL} - 43200) / 86400",  # noon to noon: a cramp at 23:00 and one at 02:00 share a night
        "area": "area",
        "side": "side",
        "period": "period",
        "duration": "duration",
        "triggers": "triggers",
        "symptoms": "symptoms",
        "utc_offset": "utc_offset",
    }

    @staticmethod
    def period_rows(
        since: int, until: int, area: str | None, test: str = "", test_values: tuple[object, ...] = ()
    ) -> tuple[str, tuple[object, ...]]:
        """'entries ... WHERE ...' for entries that started in [since, until), in area if given and
        passing test, with the values for its placeholders in their order."""
        clauses = ["started >= ?", "started < ?", SOUND]  # a damaged row has no place in a report
        values: list[object] = [since, until]
        if area is not None:
            clauses.append("area = ?")
            values.append(area)
        if test:
            clauses.append(test)
            values.extend(test_values)
        return "entries INDEXED BY entries_by_start WHERE " + " AND ".join(clauses), tuple(values)

    @mapped
    def period_counts(self, since: int, until: int, key: str, area: str | None = None) -> dict[Any, int]:
        """Episodes in the period by one of PERIOD_KEYS, counted by SQLite."""
        rows, values = self.period_rows(since, until, area)
        query = f"SELECT {self.PERIOD_KEYS[key]} AS k, count(*) FROM {rows} GROUP BY k"
        return {k: n for k, n in self.connection.execute(query, values)}

    @mapped
    def period_notable(
        self, since: int, until: int, longer_than: int | None, symptoms: tuple[str, ...], area: str | None = None
    ) -> list[Entry]:
        """Entries of the period longer than longer_than seconds, or with any of symptoms."""
        tests = ["duration > ?"] if longer_than is not None else []
        values: list[object] = [longer_than] if longer_than is not None else []
        if symptoms:
            found = " OR ".join("instr(',' || symptoms || ',', ?) > 0" for _ in symptoms)
            tests.append(f"(symptoms != '' AND ({found}))")
            values.extend(f",{symptom}," for symptom in symptoms)
        if not tests:
            return []
        rows, all_values = self.period_rows(since, until, area, "(" + " OR ".join(tests) + ")", tuple(values))
        query = f"SELECT {COLUMNS} FROM {rows} ORDER BY started, id"
        return [entry_of(row) for row in self.connection.execute(query, all_values)]

    @mapped
    def period_longest(self, since: int, until: int, area: str | None = None) -> Entry | None:
        """The longest entry of the period; of equals, the latest."""
        rows, values = self.period_rows(since, until, area)
        query = f"SELECT {COLUMNS} FROM {rows} ORDER BY duration DESC, started DESC, id DESC LIMIT 1"
        row = self.connection.execute(query, values).fetchone()
        return entry_of(row) if row else None

    @mapped
    def count_between(self, since: int | None, until: int | None, area: str | None = None) -> int:
        """Sound entries that started in [since, until); either end may be open."""
        clauses: list[str] = [SOUND]
        values: list[object] = []
        for clause, value in (("started >= ?", since), ("started < ?", until)):
            if value is not None:
                clauses.append(clause)
                values.append(value)
        if area is not None:
            clauses.append("area = ?")
            values.append(area)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        return int(self.connection.execute(f"SELECT count(*) FROM entries{where}", values).fetchone()[0])

    @mapped
    def first_started(self, area: str | None = None) -> int | None:
        """When the diary's first entry (in area, if given) started: the start of what was recorded."""
        where, values = (" WHERE area = ?", (area,)) if area is not None else ("", ())
        return self.connection.execute(f"SELECT min(started) FROM entries{where}", values).fetchone()[0]  # type: ignore[no-any-return]

    def period_entries(self, since: int, until: int, area: str | None = None) -> Iterator[Entry]:
        """The period's entries by start time, read as they go (a cursor, never a list)."""
        rows, values = self.period_rows(since, until, area)
        try:
            for row in self.connection.execute(f"SELECT {COLUMNS} FROM {rows} ORDER BY started, id", values):
                yield entry_of(row)
        except sqlite3.Error as error:
            raise trouble(self.path, error) from None
