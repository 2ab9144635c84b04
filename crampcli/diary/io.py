"""Diary export and import, as CSV or JSON, losing nothing on the way.

Export, import into an empty diary and export again gives the same bytes. Both stream: an
export is written as SQLite reads it, an import checked and written a row at a time inside one
transaction, so memory stays flat whatever the diary's size; one bad row names itself and
rolls it all back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crampcli.content.model import DIARY_SYMPTOMS, Content
from crampcli.errors import CrampError, UsageError
from crampcli.text import shorten

from .model import (
    EARLIEST_SECONDS,
    FIELDS,
    LATEST_SECONDS,
    Damaged,
    Entry,
    as_dict,
    at,
    damaged_dict,
    kept_id,
    new_uid,
    plausible,
)

FORMATS = ("csv", "json")
JSON_KIND = "cramp-diary"
JSON_VERSION = 1
# Reading streams, so this only stops an endless input (`yes | cramp log import -`); a diary's
# own export must always fit (a million entries are some 500 MB as JSON).
MAX_IMPORT_BYTES = 4_000_000_000
MAX_LISTED = 10  # problems named in one error; the rest are counted
REQUIRED = ("started", "duration_seconds", "area")
IMPORT_FUTURE_SLACK = dt.timedelta(days=1)  # another machine's clock may run ahead


def format_for(path: str | None, given: str | None, default: str | None = None) -> str:
    """The format asked for, else the one the file name ends with, else default."""
    if given:
        chosen = given.strip().lower()
        if chosen not in FORMATS:
            raise UsageError(f"unknown format {shorten(given)}; use csv or json.")
        return chosen
    suffix = Path(path).suffix.lower().lstrip(".") if path and path != "-" else ""
    if suffix in FORMATS:
        return suffix
    if default:
        return default
    shown = shorten("-" if path is None else path)  # an empty name is shown as given, ''
    raise UsageError(f"cannot tell the format of {shown}; add --format csv or --format json.")


# Export

CHUNK_ROWS = 500  # rows per piece written: few system calls, little memory
# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(...) in a
# note would run when the export is opened); such a cell is written with a leading apostrophe,
# which spreadsheets show as text, and import takes it off again.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """cell as a spreadsheet shows it as text: an apostrophe before a formula lead, and before
    an apostrophe that already stands before one, so that import can take exactly one off."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_LEADS) else cell


def restored(cell: str) -> str:
    """The cell as it was before neutral()."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_LEADS) else cell


def export_chunks(rows: Iterable[Entry | Damaged], fmt: str, raw: bool = False) -> Iterator[str]:
    return csv_chunks(rows, raw) if fmt == "csv" else json_chunks(rows)


def export_csv(rows: Iterable[Entry | Damaged], raw: bool = False) -> str:
    return "".join(csv_chunks(rows, raw))


def export_json(rows: Iterable[Entry | Damaged]) -> str:
    return "".join(json_chunks(rows))


def row_dict(row: Entry | Damaged) -> dict[str, Any]:
    return as_dict(row) if isinstance(row, Entry) else damaged_dict(row)


def csv_chunks(rows: Iterable[Entry | Damaged], raw: bool = False) -> Iterator[str]:
    """The CSV export a few hundred rows at a time; formula leads neutralised unless raw."""
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, and the writer then quotes a lone CR too
    writer.writerow(FIELDS)
    for number, row in enumerate(rows, 1):
        cells = csv_row(row_dict(row))
        writer.writerow(cells if raw else [neutral(cell) for cell in cells])
        if number % CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def csv_row(record: dict[str, Any]) -> list[str]:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return ",".join(value)
        return str(value)

    return [cell(record[name]) for name in FIELDS]


def json_chunks(rows: Iterable[Entry | Damaged]) -> Iterator[str]:
    """The same text as json.dumps(document, indent=2, ensure_ascii=False), an entry at a time."""
    import json

    yield f'{{\n  "kind": "{JSON_KIND}",\n  "version": {JSON_VERSION},\n  "entries": '
    pieces: list[str] = []
    first = True
    for row in rows:
        dumped = json.dumps(row_dict(row), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        pieces.append(("[\n    " if first else ",\n    ") + dumped)
        first = False
        if len(pieces) == CHUNK_ROWS:
            yield "".join(pieces)
            pieces.clear()
    yield "".join(pieces) + ("[]\n}\n" if first else "\n  ]\n}\n")


STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1")  # written to standard output, never opened as files


def is_stdout(path: Path) -> bool:
    return str(path) in STDOUT_NAMES


def write_private(path: Path, chunks: Iterable[bytes], force: bool) -> None:
    """Write a file only its owner can read, whole or not at all, never over an existing file
    unless force, and never over anything that is not a regular file (a device, a pipe, a link)."""
    from crampcli.safefile import write_atomic_chunks

    check_target(path, force)
    try:
        write_atomic_chunks(path, chunks)
    except OSError as error:
        raise CrampError(f"cannot write {shorten(str(path), 200)}: {error.strerror or error}") from None


def check_target(path: Path, force: bool) -> None:
    """Refuse, before any work, to write path: when it is anything but a regular file, when it
    exists and force was not given, or when its folder is missing."""
    from crampcli.safefile import UnsafePathError, refuse_unless_regular

    try:
        exists = refuse_unless_regular(path)
        if exists and not force:
            raise UsageError(f"{shorten(str(path), 200)} already exists; add --force to replace it.")
        if not path.parent.is_dir():
            folder = shorten(str(path.parent), 200)
            raise CrampError(f"cannot write {shorten(str(path), 200)}: there is no folder {folder}")
    except UnsafePathError as error:
        cannot, _, reason = str(error).partition(": ")
        if cannot.startswith("cannot use"):  # lstat failed: a name too long, a folder that cannot be read
            raise CrampError(f"cannot write {shorten(str(path), 200)}: {reason}") from None
        raise CrampError(f"{error} (-o - writes to standard output)") from None
    except OSError as error:
        raise CrampError(f"cannot write {shorten(str(path), 200)}: {error.strerror or error}") from None


# Import


def open_import(path: str) -> BinaryIO:
    """The file to import, opened ('-' is standard input); only a regular file is read, so a
    named pipe or a device cannot hang the import or feed it for ever."""
    import sys

    from crampcli.safefile import UnsafePathError, open_regular

    if path == "-":
        return sys.stdin.buffer
    try:
        return open_regular(Path(path), "file to import")
    except UnsafePathError as error:
        raise CrampError(f"{error}; '-' reads standard input.") from None
    except OSError as error:
        raise CrampError(f"cannot read {shorten(path)}: {error.strerror or error}") from None


class Limited(io.RawIOBase):
    """A binary stream that ends in a CrampError past MAX_IMPORT_BYTES: standard input may never end."""

    def __init__(self, source: BinaryIO, name: str) -> None:
        self.source, self.name, self.seen = source, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        self.seen += len(data)
        if self.seen > MAX_IMPORT_BYTES:
            raise CrampError(f"{self.name} is too large to be a diary export (over {MAX_IMPORT_BYTES} bytes).")
        buffer[: len(data)] = data
        return len(data)


def parse_import(data: bytes, fmt: str, content: Content, now: dt.datetime) -> list[Entry]:
    """Every entry in data, checked; a CrampError naming the bad rows if any is wrong."""
    reader = RowReader(content, now)
    return list(checked(import_records(io.BytesIO(data), fmt, "the file"), reader))


def import_records(source: BinaryIO, fmt: str, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, record) of each row of an export, read as it goes."""
    stream = io.TextIOWrapper(io.BufferedReader(Limited(source, name)), encoding="utf-8-sig", newline="")
    try:
        yield from csv_records(stream) if fmt == "csv" else JsonEntries(stream).records()
    except UnicodeDecodeError:
        raise CrampError("the file is not UTF-8 text; nothing was imported.") from None


def checked(records: Iterable[tuple[str, dict[str, Any]]], reader: RowReader) -> Iterator[Entry]:
    """The entries of records while every one is good; once one is not, the rest are only
    checked, and the end is a CrampError naming the bad rows (inside the import's transaction,
    which it rolls back: all or nothing, with one row in memory at a time)."""
    listed: list[str] = []  # the first MAX_LISTED problems; the rest are only counted
    bad = 0
    for label, record in records:
        try:
            entry = reader.entry(record)
        except UsageError as error:
            bad += 1
            if len(listed) < MAX_LISTED:
                listed.append(f"{label}: {error}")
            continue
        if not bad:
            yield entry
    if bad:
        if bad > len(listed):
            listed.append(f"... and {bad - len(listed)} more")
        raise CrampError("nothing was imported; fix these and try again:\n  " + "\n  ".join(listed))


def csv_records(lines: Iterable[str] | str) -> Iterator[tuple[str, dict[str, Any]]]:
    import csv

    reader = csv.reader(io.StringIO(lines, newline="") if isinstance(lines, str) else lines)
    try:
        header = next(reader, None)
        if not header:
            raise CrampError("the CSV file is empty; nothing was imported.")
        names = [name.strip() for name in header]
        unknown = [n for n in names if n not in FIELDS]
        missing = [n for n in REQUIRED if n not in names]
        if unknown or missing or len(set(names)) != len(names):
            raise CrampError(
                "the CSV header must name columns among "
                + ", ".join(FIELDS)
                + ", each once, with "
                + ", ".join(REQUIRED)
                + (f"; unknown: {', '.join(map(shorten, unknown[:5]))}" if unknown else "")
                + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + ". Nothing was imported."
            )
        for number, row in enumerate(reader, 1):
            if not any(cell.strip() for cell in row):
                continue  # a blank line, as spreadsheets leave at the end
            label = f"row {number} (line {reader.line_num})"
            if len(row) != len(names):
                yield label, {"": f"has {len(row)} cells, the header {len(names)}"}
                continue
            yield (
                label,
                {
                    name: (restored(cell) if cell[:1] == "'" else cell) if cell else None
                    for name, cell in zip(names, row, strict=True)
                },
            )
    except csv.Error as error:
        raise CrampError(f"not a readable CSV file (line {reader.line_num}: {error}); nothing was imported.") from None
    except UnicodeDecodeError:
        raise CrampError(f"the file is not UTF-8 text (line {reader.line_num + 1}); nothing was imported.") from None


class JsonEntries:
    """The entries of a JSON export read one at a time: {"entries": [...], ...} (other keys are
    read and left aside) or a bare [...]. An entry is decoded by the json module once its text
    has arrived; memory holds one entry and a chunk of the file, whatever the file's size."""

    CHUNK = 1 << 20
    MAX_ITEM = 1_000_000  # characters: an entry with the longest note is some 60,000

    def __init__(self, stream: io.TextIOBase) -> None:
        import json

        self.stream = stream
        self.decoder = json.JSONDecoder()
        self.buffer = ""
        self.pos = 0
        self.lines_before = 0  # newlines in the text already let go, for the line in a message
        self.ended = False

    def more(self) -> bool:
        """Read the next chunk, letting go of what was parsed; False at the end of the file."""
        if self.ended:
            return False
        chunk = self.stream.read(self.CHUNK)
        if not chunk:
            self.ended = True
            return False
        self.lines_before += self.buffer.count("\n", 0, self.pos)
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def unreadable(self, at: int | None = None) -> CrampError:
        line = self.lines_before + self.buffer.count("\n", 0, self.pos if at is None else at) + 1
        return CrampError(f"not a readable JSON file (line {line}); nothing was imported.")

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer) or not self.more():
                return self.buffer[self.pos : self.pos + 1]

    def expect(self, characters: str) -> str:
        found = self.peek()
        if not found or found not in characters:
            raise self.unreadable()
        self.pos += 1
        return found

    def value(self) -> Any:
        """The next JSON value, read further until it is whole."""
        self.peek()
        while True:
            try:
                found, end = self.decoder.raw_decode(self.buffer, self.pos)
            except ValueError as error:  # incomplete, or wrong; a number of thousands of digits too
                if len(self.buffer) - self.pos > self.MAX_ITEM or not self.more():
                    raise self.unreadable(getattr(error, "pos", None)) from None
                continue
            except RecursionError:
                raise self.unreadable() from None
            if end == len(self.buffer) and not self.ended and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return found

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        opening = self.expect("{[")
        seen_entries = opening == "["
        if opening == "[":
            yield from self.items()
        else:
            if self.peek() == "}":
                self.pos += 1
            else:
                while True:
                    key = self.value()
                    self.expect(":")
                    if key == "entries" and self.peek() == "[":
                        self.pos += 1
                        seen_entries = True
                        yield from self.items()
                    else:
                        self.value()
                    if self.expect(",}") == "}":
                        break
        if self.peek():
            raise self.unreadable()
        if not seen_entries:
            raise CrampError('a JSON import is {"entries": [...]} as cramp log export writes it; nothing was imported.')

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        if self.peek() == "]":
            self.pos += 1
            return
        number = 0
        while True:
            number += 1
            item = self.value()
            if isinstance(item, dict):
                yield f"entry {number}", item
            else:
                yield f"entry {number}", {"": "is not an object"}
            if self.expect(",]") == "]":
                return


class RowReader:
    """Checks imported records one by one; what repeats (area names, word lists) is looked up once."""

    KNOWN_LIMIT = 2_000  # values remembered by once()

    def __init__(self, content: Content, now: dt.datetime) -> None:
        from . import parse as diary_parse

        self.parse = diary_parse
        self.content = content
        self.now = now
        self.known: dict[tuple[str, str], Any] = {}
        self.doubtful = 0  # entries dated before 2000 or in the future: a clock that was wrong

    def entry(self, record: dict[str, Any]) -> Entry:
        """One imported record as an entry, or a UsageError saying what is wrong with it."""
        parse = self.parse
        if "" in record:
            raise UsageError(str(record[""]))
        unknown = [key for key in record if key not in FIELDS]
        if unknown:
            raise UsageError(f"unknown key {shorten(str(unknown[0]))}")
        for name in REQUIRED:
            if record.get(name) is None:
                raise UsageError(f"{name} is missing")
        started, utc_offset = self.field(record, "started", self.started)
        period = self.field(record, "period", lambda v: self.once("period", v, self.choice))
        if period is None:
            period = parse.period_at(dt.datetime.fromtimestamp(started + utc_offset * 60, dt.UTC))
        return Entry(
            id=self.field(record, "id", lambda v: kept_id(optional_int(v, -(2**63), 2**63 - 1))),
            uid=self.field(record, "uid", lambda v: new_uid() if v is None else check_uid(text(v))),
            started=started,
            utc_offset=utc_offset,
            duration=self.field(record, "duration_seconds", self.duration),
            area=self.field(record, "area", lambda v: self.once("area", v, self.area)),
            side=self.field(record, "side", lambda v: self.once("side", v, self.choice)),
            severity=self.field(record, "severity", lambda v: optional_int(v, 0, 10)),
            period=period,
            triggers=self.field(record, "triggers", lambda v: self.once("trigger", v, self.words)),
            symptoms=self.field(record, "symptoms", lambda v: self.once("symptom", v, self.words)),
            note=self.field(record, "note", lambda v: "" if v is None else parse.check_note(text(v))),
            logged=self.field(record, "logged", self.logged),
        )

    @staticmethod
    def field(record: dict[str, Any], name: str, check: Any) -> Any:
        value = record.get(name)
        try:
            return check(value)
        except UsageError as error:
            raise UsageError(f"{name}: {error}") from None
        except (TypeError, ValueError):
            raise UsageError(f"{name}: {shorten(str(value))} is not valid") from None

    def once(self, what: str, value: object, check: Any) -> Any:
        """check(what, value), remembered for values that repeat from row to row: its result,
        or its UsageError, whose message (with its suggestions) takes a millisecond to make."""
        key = (what, repr(value))
        found = self.known.get(key, self)  # self: not known yet
        if found is self:
            try:
                found = check(what, value)
            except UsageError as error:
                found = UsageError(str(error))  # its message only, not the frames of its traceback
            if len(self.known) < self.KNOWN_LIMIT:  # a file of a million different values stays in bounds
                self.known[key] = found
        if isinstance(found, UsageError):
            raise UsageError(str(found))
        return found

    def area(self, what: str, value: object) -> str:
        from crampcli.content.names import find_named

        return find_named(self.content.relief.areas, text(value), "area", "areas").id

    def choice(self, what: str, value: object) -> str | None:
        choices = self.parse.SIDES if what == "side" else self.parse.PERIODS
        return None if value is None else self.parse.parse_choice(text(value), choices, what)

    def words(self, what: str, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        vocabulary = self.parse.TRIGGERS if what == "trigger" else DIARY_SYMPTOMS
        items = value if isinstance(value, list) else [text(value)]
        return self.parse.parse_words([text(item) for item in items], vocabulary, what)

    def moment(self, value: object) -> tuple[int, int]:
        """Any time a diary can hold: a device without a clock battery logs 1970 or 2099, and
        its own export must import again (the list marks such dates, see plausible())."""
        parsed = dt.datetime.fromisoformat(text(value))
        if not parsed.tzinfo and parsed < self.parse.LOCAL_FLOOR:
            raise UsageError(f"{shorten(text(value))} is not a date the diary can hold")
        parsed = parsed if parsed.tzinfo else self.parse.local(parsed)
        seconds, offset = at(parsed)
        if not EARLIEST_SECONDS <= seconds <= LATEST_SECONDS:
            raise UsageError(f"{shorten(text(value))} is not a date the diary can hold")
        return seconds, offset

    def started(self, value: object) -> tuple[int, int]:
        seconds, offset = self.moment(value)
        if not plausible(seconds, self.now, IMPORT_FUTURE_SLACK):
            self.doubtful += 1
        return seconds, offset

    def logged(self, value: object) -> int:
        return int(self.now.timestamp()) if value is None else self.moment(value)[0]

    def duration(self, value: object) -> int:
        if (isinstance(value, int) and not isinstance(value, bool)) or text(value).strip().isdigit():
            seconds = int(text(value))
            if not 0 < seconds <= self.parse.MAX_DURATION:
                raise UsageError(f"{seconds} seconds is not from 1 to {self.parse.MAX_DURATION}")
            return seconds
        return self.parse.parse_duration(text(value))


def optional_int(value: object, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or text(value).strip().lstrip("-").isdigit()):
        raise UsageError(f"{shorten(str(value))} is not a whole number")
    number = int(text(value))
    if not low <= number <= high:
        raise UsageError(f"{number} is not from {low} to {high}")
    return number


def text(value: object) -> str:
    if isinstance(value, (dict, list)) or value is None:
        raise UsageError("expected text")
    return str(value)


def check_uid(uid: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", uid):
        raise UsageError(f"{shorten(uid)} is not a uid (letters, digits, - and _)")
    return uid
