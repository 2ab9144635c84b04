"""Read what a person types for a diary entry: durations, times, periods and word lists.

Pure functions of the text (and of `now`, passed in): every bad value is a UsageError that
quotes the text safely and shows a form that works.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence

from crampcli.content.names import normalise
from crampcli.errors import CrampError, UsageError
from crampcli.text import shorten

MAX_DURATION = 24 * 3600  # a cramp logged as longer than a day is a typing slip
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # older dates are typing slips too
# Dates this far back have a local time (0001-01-01 has none), and are before EARLIEST all the same.
LOCAL_FLOOR = dt.datetime(1900, 1, 1)
# Dates this far ahead have a local time on every Python (9999-12-31 has none from 3.12 on), and
# are in the future all the same.
LOCAL_CEILING = dt.datetime(3000, 1, 1)
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


class SkippedTimeError(UsageError):
    """A wall-clock time the clocks jumped over here (the hour lost when daylight saving begins)."""


def here(moment: dt.datetime) -> dt.datetime:
    """A moment (aware, or naive as a wall-clock time here) with the local UTC offset at that date.

    A TZ that Python cannot turn into an offset (TZ=ABC-24:59:59 asks for more than a day) is
    the environment's fault: a CrampError, never a traceback."""
    try:
        return moment.astimezone()
    except (ValueError, OverflowError):
        zone = os.environ.get("TZ")
        said = f"the time zone TZ={shorten(zone)}" if zone is not None else "the system's time zone"
        raise CrampError(
            f"{said} cannot be used: its UTC offset must be less than 24 hours; "
            "set TZ to a zone such as Europe/London or America/New_York, or unset it."
        ) from None


def local_now() -> dt.datetime:
    return here(dt.datetime.now())


def local(naive: dt.datetime) -> dt.datetime:
    """A wall-clock time here, with the UTC offset in force at that date.

    A time shown twice (the hour repeated when daylight saving ends) is the first of the two;
    a time the clocks skipped is refused, since either reading of it would be an hour off."""
    naive = within_local_range(naive)
    moment = here(naive)
    if moment.replace(tzinfo=None) != naive:
        before = here(naive - dt.timedelta(hours=3)).isoformat(timespec="minutes")[-6:]
        raise SkippedTimeError(
            f"{naive:%Y-%m-%d %H:%M} did not happen here: the clocks skipped it when daylight saving "
            f"time began; check the time, or give its UTC offset, as in {naive:%Y-%m-%dT%H:%M}{before}."
        )
    return moment


def midnight(day: dt.date) -> dt.datetime:
    """The first moment of a local day: 01:00 where the clocks skip from 00:00 to 01:00."""
    naive = within_local_range(dt.datetime.combine(day, dt.time()))
    readings = (here(naive), here(naive.replace(fold=1)))
    exact = [moment for moment in readings if moment.replace(tzinfo=None) == naive]
    # Skipped: the later reading is the instant of the jump (Pythons differ in which fold gives it).
    return exact[0] if exact else max(readings)


def within_local_range(naive: dt.datetime) -> dt.datetime:
    return min(max(naive.replace(fold=0), LOCAL_FLOOR), LOCAL_CEILING)


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
            # Read again on the local clock: a daylight-saving change in between moves the offset.
            started = here(now - dt.timedelta(seconds=min(ago, LONGEST_AGO)))
        elif len(words) == 1 and _CLOCK.fullmatch(words[0]):
            try:
                started = at_clock(now.date(), words[0])
                to_come = started > now + FUTURE_SLACK  # 23:30 typed at 02:00 means last night
            except SkippedTimeError:  # today's never was; before the jump, last night's is meant
                to_come = dt.datetime.combine(now.date(), clock_time(words[0])) > now.replace(tzinfo=None)
                if not to_come:
                    raise
            if to_come:
                started = at_clock(now.date() - dt.timedelta(days=1), words[0])
        elif len(words) == 2 and words[0] in ("today", "yesterday") and _CLOCK.fullmatch(words[1]):
            day = now.date() - dt.timedelta(days=1 if words[0] == "yesterday" else 0)
            started = at_clock(day, words[1])
        else:
            parsed = dt.datetime.fromisoformat(text.strip())
            started = parsed if parsed.tzinfo else local(parsed)
    except ValueError:
        raise UsageError(f"{shorten(text)} is not a start time; {START_HELP}.") from None
    return check_start(started, text, now)


def at_clock(day: dt.date, clock: str) -> dt.datetime:
    return local(dt.datetime.combine(day, clock_time(clock)))


def clock_time(clock: str) -> dt.time:
    hours, minutes = (int(n) for n in clock.split(":"))
    return dt.time(hours, minutes)  # ValueError for 25:00


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
    since = midnight(day)
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
