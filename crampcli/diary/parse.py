"""Read what a person types for a diary entry: durations, times, periods and word lists.

Pure functions of the text (and of `now`, passed in): every bad value is a UsageError that
quotes the text safely and shows a form that works.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from crampcli.errors import UsageError
from crampcli.guide import normalise, shorten

MAX_DURATION = 24 * 3600  # a cramp logged as longer than a day is a typing slip
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # older dates are typing slips too
# Dates this far back have a local time (0001-01-01 has none), and are before EARLIEST all the same.
LOCAL_FLOOR = dt.datetime(1900, 1, 1)
LONGEST_AGO = 200 * 366 * 86400  # '-99999999d' is as far before EARLIEST as this, and stays a date
FUTURE_SLACK = dt.timedelta(minutes=5)  # a clock a little ahead is not an error
NIGHT_STARTS, NIGHT_ENDS = 22, 7  # night is 22:00 to 06:59 local time

SIDES = ("left", "right", "both")
TRIGGERS = (
    "exercise",
    "standing",
    "sitting",
    "heat",
    "cold",
    "dehydration",
    "new-medicine",
    "pregnancy",
    "alcohol",
    "other",
)
PERIODS = ("night", "day")

_UNITS = {
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
}
_AGO_UNITS = {**_UNITS, "d": 86400, "day": 86400, "days": 86400, "w": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400}
_PART = re.compile(r"(\d+)\s*([a-z]+)")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_SINCE = re.compile(r"(\d+)\s*(d|days?|w|weeks?)")
DURATION_HELP = "use a number and a unit, for example 90s, 2m, 1m30s or 10min"
START_HELP = "use now, 03:10, yesterday 03:10, -2h, -3d or 2026-11-20T03:10"
SINCE_HELP = "use 30d, 2w or a date such as 2026-11-01"


def seconds_in(text: str, units: dict[str, int]) -> int | None:
    """The seconds '1h 5m' stands for, or None if it is not made of numbers with these units."""
    compact = text.strip().lower()
    parts = _PART.findall(compact)
    if not parts or _PART.sub("", compact).strip() or any(unit not in units for _, unit in parts):
        return None
    # int() refuses thousands of digits; beyond 15, any number is far more than a cramp or a lifetime
    return sum((int(number) if len(number) <= 15 else 10**15) * units[unit] for number, unit in parts)


def parse_duration(text: str) -> int:
    """Seconds in '90s', '2m', '1m30s', '10min', '1h 5m'; more than 0 and at most a day."""
    seconds = seconds_in(text, _UNITS)
    if seconds is None:
        raise UsageError(f"{shorten(text)} is not a duration; {DURATION_HELP}.")
    if seconds <= 0:
        raise UsageError(f"a cramp lasts longer than {shorten(text)}; {DURATION_HELP}.")
    if seconds > MAX_DURATION:
        raise UsageError(f"{shorten(text)} is longer than a day; check the number and the unit ({DURATION_HELP}).")
    return seconds


def format_duration(seconds: int) -> str:
    """'45 s', '2 min', '1 min 30 s', '1 h 5 min': what parse_duration reads back (without spaces)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{secs} s" if secs else ""]
    return " ".join(p for p in parts if p) or "0 s"


def local(naive: dt.datetime) -> dt.datetime:
    """A wall-clock time here, with the UTC offset in force at that date."""
    return naive.astimezone()


def parse_start(text: str, now: dt.datetime) -> dt.datetime:
    """When a cramp started: now, 'HH:MM' (today, or yesterday if that is still to come),
    'yesterday HH:MM', 'today HH:MM', '-2h' or '-3d' (that long ago), or an ISO date and time."""
    words = text.strip().lower().split()
    if not words or words == ["now"]:
        return now
    try:
        if len(words) == 1 and words[0].startswith("-"):
            ago = seconds_in(words[0][1:], _AGO_UNITS)
            if ago is None:
                raise ValueError(text)
            started = now - dt.timedelta(seconds=min(ago, LONGEST_AGO))
        elif len(words) == 1 and _CLOCK.fullmatch(words[0]):
            started = at_clock(now.date(), words[0])
            if started > now + FUTURE_SLACK:  # 23:30 typed at 02:00 means last night
                started = at_clock(now.date() - dt.timedelta(days=1), words[0])
        elif len(words) == 2 and words[0] in ("today", "yesterday") and _CLOCK.fullmatch(words[1]):
            day = now.date() - dt.timedelta(days=1 if words[0] == "yesterday" else 0)
            started = at_clock(day, words[1])
        else:
            parsed = dt.datetime.fromisoformat(text.strip())
            started = parsed if parsed.tzinfo else local(max(parsed, LOCAL_FLOOR))
    except ValueError:
        raise UsageError(f"{shorten(text)} is not a start time; {START_HELP}.") from None
    return check_start(started, text, now)


def at_clock(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes = (int(n) for n in clock.split(":"))
    return local(dt.datetime.combine(day, dt.time(hours, minutes)))  # ValueError for 25:00


def check_start(started: dt.datetime, text: str, now: dt.datetime) -> dt.datetime:
    if started > now + FUTURE_SLACK:
        raise UsageError(f"{shorten(text)} is in the future; log a cramp once it has started.")
    if started < EARLIEST:
        raise UsageError(f"{shorten(text)} is before the year 2000; check the date.")
    return started


def parse_since(text: str, now: dt.datetime) -> dt.datetime:
    """The start of a period: '30d' or '2w' back from now, or local midnight of a date."""
    compact = text.strip().lower()
    match = _SINCE.fullmatch(compact)
    if match:
        number, unit = int(match.group(1)), match.group(2)
        days = number * (7 if unit.startswith("w") else 1)
        if days > 100 * 366:
            raise UsageError(f"{shorten(text)} is too far back; {SINCE_HELP}.")
        return now - dt.timedelta(days=days)
    try:
        day = dt.date.fromisoformat(compact)
    except ValueError:
        raise UsageError(f"{shorten(text)} is not a period; {SINCE_HELP}.") from None
    since = local(max(dt.datetime.combine(day, dt.time()), LOCAL_FLOOR))
    if since > now:
        raise UsageError(f"{shorten(text)} is in the future; {SINCE_HELP}.")
    return since


def parse_choice(text: str, choices: Sequence[str], what: str) -> str:
    key = normalise(text)
    if key not in choices:
        raise UsageError(f"unknown {what} {shorten(text)}; use one of {', '.join(choices)}.")
    return key


def parse_words(values: Iterable[str], vocabulary: Sequence[str], what: str) -> tuple[str, ...]:
    """Comma-separated words from a fixed vocabulary, in the vocabulary's order, each once.
    An empty value gives none, so `--trigger ''` clears a list when editing."""
    given = {parse_choice(word, vocabulary, what) for value in values for word in value.split(",") if word.strip()}
    return tuple(word for word in vocabulary if word in given)


def period_at(started: dt.datetime) -> str:
    """'night' from 22:00 to 06:59 by the clock where the cramp happened, else 'day'."""
    return "night" if started.hour >= NIGHT_STARTS or started.hour < NIGHT_ENDS else "day"


def check_note(note: str) -> str:
    """A note is kept exactly as typed; only a NUL byte, which no file format carries, is refused."""
    if "\0" in note:
        raise UsageError("a note cannot contain a NUL character.")
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError("the note is not valid text; check the terminal's character encoding.") from None
    if len(note) > 10_000:
        raise UsageError(f"a note can be at most 10000 characters, not {len(note)}.")
    return note
