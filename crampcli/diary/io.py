"""Diary export and import, as CSV or JSON, losing nothing on the way.

Export, import into an empty diary and export again gives the same bytes. An import is
checked row by row before anything is written; one bad row names itself and stops it all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crampcli.errors import CrampError, UsageError
from crampcli.guide import shorten
from crampcli.model import DIARY_SYMPTOMS, Content

from .model import FIELDS, Entry, as_dict, at, kept_id, new_uid

FORMATS = ("csv", "json")
JSON_KIND = "cramp-diary"
JSON_VERSION = 1
MAX_IMPORT_BYTES = 200_000_000  # some 1.5 million entries: far beyond a lifetime of cramps
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


def export_text(entries: Iterable[Entry], fmt: str) -> str:
    return export_csv(entries) if fmt == "csv" else export_json(entries)


def export_csv(entries: Iterable[Entry]) -> str:
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, and the writer then quotes a lone CR too
    writer.writerow(FIELDS)
    for entry in entries:
        writer.writerow(csv_row(as_dict(entry)))
    return out.getvalue()


def csv_row(record: dict[str, Any]) -> list[str]:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return ",".join(value)
        return str(value)

    return [cell(record[name]) for name in FIELDS]


def export_json(entries: Iterable[Entry]) -> str:
    """The same text as json.dumps(document, indent=2), built an entry at a time."""
    import json

    def dumped(entry: Entry) -> str:
        return "    " + json.dumps(as_dict(entry), indent=2, ensure_ascii=False).replace("\n", "\n    ")

    body = ",\n".join(dumped(e) for e in entries)
    head = f'{{\n  "kind": "{JSON_KIND}",\n  "version": {JSON_VERSION},\n  "entries": '
    return head + (f"[\n{body}\n  ]\n}}\n" if body else "[]\n}\n")


def write_private(path: Path, data: bytes, force: bool) -> None:
    """Write a file only its owner can read, whole or not at all, never over an existing
    file unless force. A device or pipe (/dev/stdout) is written to directly."""
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as device:
                device.write(data)
        except OSError as error:
            raise CrampError(f"cannot write {path}: {error.strerror or error}") from None
        return
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; add --force to replace it.")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "wb", closefd=False) as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CrampError(f"cannot write {path}: {error.strerror or error}") from None


# Import


def read_import(path: str) -> bytes:
    """The bytes of the file to import ('-' reads standard input)."""
    import sys

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise CrampError(f"cannot read {shorten(path)}: {error.strerror or error}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise CrampError(f"{shorten(path)} is too large to be a diary export (over {MAX_IMPORT_BYTES} bytes).")
    return data


def parse_import(data: bytes, fmt: str, content: Content, now: dt.datetime) -> list[Entry]:
    """Every entry in data, checked; a CrampError naming the bad rows if any is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CrampError(f"the file is not UTF-8 text (byte {error.start}); nothing was imported.") from None
    records = csv_records(text) if fmt == "csv" else json_records(text)
    reader = RowReader(content, now)
    entries: list[Entry] = []
    problems: list[str] = []
    for label, record in records:
        try:
            entries.append(reader.entry(record))
        except UsageError as error:
            problems.append(f"{label}: {error}")
    if problems:
        listed = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            listed.append(f"... and {len(problems) - MAX_LISTED} more")
        raise CrampError("nothing was imported; fix these and try again:\n  " + "\n  ".join(listed))
    return entries


def csv_records(text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
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
            yield label, {name: (cell if cell != "" else None) for name, cell in zip(names, row, strict=True)}
    except csv.Error as error:
        raise CrampError(f"not a readable CSV file (line {reader.line_num}: {error}); nothing was imported.") from None


def json_records(text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    import json

    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError: also a number of thousands of digits
        where = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise CrampError(f"not a readable JSON file{where}; nothing was imported.") from None
    items = document.get("entries") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise CrampError('a JSON import is {"entries": [...]} as cramp log export writes it; nothing was imported.')
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            yield f"entry {number}", {"": "is not an object"}
            continue
        yield f"entry {number}", item


class RowReader:
    """Checks imported records one by one; what repeats (area names, word lists) is looked up once."""

    def __init__(self, content: Content, now: dt.datetime) -> None:
        from . import parse as diary_parse

        self.parse = diary_parse
        self.content = content
        self.now = now
        self.known: dict[tuple[str, str], Any] = {}

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
        """check(what, value), remembered for values that repeat from row to row."""
        key = (what, repr(value))
        if key not in self.known:
            self.known[key] = check(what, value)
        return self.known[key]

    def area(self, what: str, value: object) -> str:
        from crampcli.guide import find_named

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

    def moment(self, value: object, slack: dt.timedelta) -> tuple[int, int]:
        parsed = dt.datetime.fromisoformat(text(value))
        parsed = parsed if parsed.tzinfo else self.parse.local(parsed)
        if not self.parse.EARLIEST <= parsed <= self.now + slack:
            raise UsageError(f"{shorten(text(value))} is before 2000 or in the future")
        return at(parsed)

    def started(self, value: object) -> tuple[int, int]:
        return self.moment(value, self.parse.FUTURE_SLACK + IMPORT_FUTURE_SLACK)

    def logged(self, value: object) -> int:
        return int(self.now.timestamp()) if value is None else self.moment(value, IMPORT_FUTURE_SLACK)[0]

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
