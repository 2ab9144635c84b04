"""One diary entry, as stored, listed, exported and imported.

Times are kept as seconds since the epoch plus the UTC offset where the cramp happened, so a
cramp at 03:10 stays a 03:10 night cramp in every listing, wherever the diary is read later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crampcli.content.record import Record

# The keys of an entry in JSON and the columns of a CSV export, in order.
FIELDS = (
    "id",
    "uid",
    "started",
    "duration_seconds",
    "area",
    "side",
    "severity",
    "period",
    "triggers",
    "symptoms",
    "note",
    "logged",
)


# Ids beyond this are not kept from an import: one id near SQLite's largest integer (2^63 - 1)
# would leave AUTOINCREMENT no number to give, and every later `log add` would fail as "full".
MAX_KEPT_ID = 999_999_999


def kept_id(entry_id: int | None) -> int | None:
    """An imported id if it is in the range the diary numbers within, else None (a new one)."""
    return entry_id if entry_id is not None and 0 < entry_id <= MAX_KEPT_ID else None


class Entry(Record):
    id: int | None  # the diary's number for it, shown to the user; None until stored
    uid: str  # stable through export and import: how a duplicate is recognised
    started: int  # seconds since the epoch
    utc_offset: int  # minutes east of UTC where the cramp happened
    duration: int  # seconds
    area: str  # a relief area id from the content
    side: str | None  # left, right or both
    severity: int | None  # 0 to 10
    period: str  # night or day
    triggers: tuple[str, ...]
    symptoms: tuple[str, ...]
    note: str  # exactly as typed; shown only through render.safe
    logged: int  # when it was written down, seconds since the epoch


# What a datetime can hold at any UTC offset (0001-01-02 to 9999-12-30): an entry outside it
# cannot be shown, so the store treats it as damaged.
EARLIEST_SECONDS = -62_135_510_400
LATEST_SECONDS = 253_402_214_399
MAX_OFFSET_MINUTES = 24 * 60 - 1  # what datetime.timezone accepts


class Damaged(Record):
    """A row another tool wrote with a value no entry can hold (started 'abc', an absurd UTC
    offset, a BLOB note): listed as damaged and exported as it is, so nothing is lost."""

    id: object
    values: dict[str, object]  # the row's columns as stored, by column name
    problem: str  # which column, and why


def raw_text(value: object) -> str:
    """A stored value as text, whatever its type (a BLOB as its UTF-8, with escapes for the rest)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return "" if value is None else str(value)


def damaged_dict(row: Damaged) -> dict[str, Any]:
    """The export and JSON shape of a damaged row: the entry keys with the stored values as they
    are (the UTC offset added to started when it is the damage), JSON-safe."""
    values = row.values

    def plain(value: object) -> object:
        if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
            return value
        return raw_text(value)

    def a_time(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and EARLIEST_SECONDS <= value <= LATEST_SECONDS

    started, offset, logged = values.get("started"), values.get("utc_offset"), values.get("logged")
    offset_ok = isinstance(offset, int) and -MAX_OFFSET_MINUTES <= offset <= MAX_OFFSET_MINUTES
    # What can be written as an entry's time is, so that fixing the rest makes the row importable
    if a_time(started) and offset_ok:
        started = dt.datetime.fromtimestamp(int(str(started)), zone(int(str(offset)))).isoformat(timespec="seconds")
    elif not offset_ok:
        started = f"{raw_text(started)} (UTC offset {raw_text(offset)} minutes)"
    if a_time(logged):
        logged = dt.datetime.fromtimestamp(int(str(logged)), dt.UTC).isoformat(timespec="seconds")
    return {
        "id": plain(row.id),
        "uid": plain(values.get("uid")),
        "started": plain(started),
        "duration_seconds": plain(values.get("duration")),
        "area": plain(values.get("area")),
        "side": plain(values.get("side")),
        "severity": plain(values.get("severity")),
        "period": plain(values.get("period")),
        "triggers": plain(values.get("triggers")),
        "symptoms": plain(values.get("symptoms")),
        "note": plain(values.get("note")),
        "logged": plain(logged),
    }


EARLIEST_PLAUSIBLE = 946_684_800  # 2000-01-01: the diary takes no earlier date typed by hand
FUTURE_SLACK_SECONDS = 300  # a clock a little ahead is not an error


def plausible(started: int, now: dt.datetime, slack: dt.timedelta = dt.timedelta()) -> bool:
    """False for an entry dated before 2000 or in the future: logged on a clock that was wrong.
    Such an entry is kept, and marked wherever it is listed."""
    return EARLIEST_PLAUSIBLE <= started <= now.timestamp() + FUTURE_SLACK_SECONDS + slack.total_seconds()


def new_uid() -> str:
    import secrets

    return secrets.token_hex(8)


def zone(utc_offset: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(minutes=utc_offset))


def local_start(entry: Entry) -> dt.datetime:
    """When the cramp started, by the clock where it happened."""
    return dt.datetime.fromtimestamp(entry.started, zone(entry.utc_offset))


def local_day(started: int, utc_offset: int) -> int:
    """Days since 1970-01-01 by the local calendar (the same arithmetic as the store's SQL)."""
    return (started + utc_offset * 60) // 86400


def day_date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def at(moment: dt.datetime) -> tuple[int, int]:
    """(seconds since the epoch, UTC offset in minutes) of an aware datetime."""
    offset = moment.utcoffset() or dt.timedelta()
    return int(moment.timestamp()), int(offset.total_seconds()) // 60


def iso_started(entry: Entry) -> str:
    return local_start(entry).isoformat(timespec="seconds")


def iso_logged(entry: Entry) -> str:
    return dt.datetime.fromtimestamp(entry.logged, dt.UTC).isoformat(timespec="seconds")


def short_start(entry: Entry) -> str:
    """'2026-11-20 03:10', the local wall clock (formatted by hand: strftime took a third of
    the time of listing a big diary)."""
    at = local_start(entry)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


def as_dict(entry: Entry) -> dict[str, Any]:
    """The JSON shape of an entry (README: Cramp diary)."""
    return {
        "id": entry.id,
        "uid": entry.uid,
        "started": iso_started(entry),
        "duration_seconds": entry.duration,
        "area": entry.area,
        "side": entry.side,
        "severity": entry.severity,
        "period": entry.period,
        "triggers": list(entry.triggers),
        "symptoms": list(entry.symptoms),
        "note": entry.note,
        "logged": iso_logged(entry),
    }
