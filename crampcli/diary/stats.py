"""Statistics of a cramp diary, as pure functions of its tallies.

The store counts entries in SQL (by local day, area, hour, period and duration), so a diary
of any size arrives here as a few small dictionaries; `tally` counts a list of entries the
same way, for tests and small diaries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from crampcli.content.record import Record

from .model import Entry, day_date, local_day

TREND_DAYS = 28  # the last 4 weeks, compared with the 4 before
NOON_FIRST = (*range(12, 24), *range(12))  # hours in an order that keeps each night together


class Tallies(Record):
    """Counts of a diary's entries (or of those in a period)."""

    count: int
    by_day: dict[int, int]  # local day (days since 1970-01-01) -> episodes
    by_area: dict[str, int]
    by_hour: dict[int, int]  # local hour 0-23 -> episodes
    by_period: dict[str, int]  # night/day -> episodes
    by_duration: dict[int, int]  # seconds -> episodes
    longest: Entry | None  # the longest; of equals, the latest (then the highest id)


class Trend(Record):
    recent: int  # episodes in the last 4 weeks
    before: int  # episodes in the 4 weeks before those
    change: str  # up, down or same
    percent: int | None  # the change in percent; None when there were none before
    complete: bool  # False when the diary (or the period asked for) covers less than 8 weeks


class Stats(Record):
    count: int
    first_day: dt.date | None
    last_day: dt.date | None
    weeks: tuple[tuple[dt.date, int], ...]  # (Monday, episodes), oldest first
    by_area: tuple[tuple[str, int], ...]  # most episodes first
    by_hour: tuple[tuple[int, int], ...]  # noon to noon, from the first to the last hour with any
    night: int
    day: int
    median_seconds: int | None
    longest: Entry | None
    trend: Trend


def tally(entries: Iterable[Entry]) -> Tallies:
    by_day: Counter[int] = Counter()
    by_area: Counter[str] = Counter()
    by_hour: Counter[int] = Counter()
    by_period: Counter[str] = Counter()
    by_duration: Counter[int] = Counter()
    longest: Entry | None = None
    count = 0
    for entry in entries:
        count += 1
        by_day[local_day(entry.started, entry.utc_offset)] += 1
        by_area[entry.area] += 1
        by_hour[(entry.started + entry.utc_offset * 60) % 86400 // 3600] += 1
        by_period[entry.period] += 1
        by_duration[entry.duration] += 1
        if longest is None or longer_order(entry) >= longer_order(longest):
            longest = entry
    return Tallies(count, dict(by_day), dict(by_area), dict(by_hour), dict(by_period), dict(by_duration), longest)


def longer_order(entry: Entry) -> tuple[int, int, int]:
    """Orders entries as the store's query for the longest does."""
    return entry.duration, entry.started, entry.id or 0


def week_start(day: int) -> int:
    """The Monday of day's week (1970-01-01 was a Thursday)."""
    return day - (day + 3) % 7


def median(histogram: dict[int, int]) -> int | None:
    """The median of the values counted in histogram, rounded to a whole second."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)  # the two middle positions (the same one when odd)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and middle[len(found)] < seen:
            found.append(value)
    return int((found[0] + found[1]) / 2 + 0.5)


def weekly(by_day: dict[int, int], today: int, weeks: int, since: int | None) -> tuple[tuple[dt.date, int], ...]:
    """Episodes in each of the last `weeks` weeks (none before the week of `since`)."""
    this_week = week_start(today)
    first = this_week - 7 * (weeks - 1)
    if since is not None:
        first = max(first, week_start(since))
    counts: Counter[int] = Counter()
    for day, n in by_day.items():
        if first <= day < this_week + 7:
            counts[week_start(day)] += n
    return tuple((day_date(start), counts[start]) for start in range(first, this_week + 1, 7))


def hours(by_hour: dict[int, int]) -> tuple[tuple[int, int], ...]:
    busy = [i for i, hour in enumerate(NOON_FIRST) if by_hour.get(hour)]
    if not busy:
        return ()
    return tuple((hour, by_hour.get(hour, 0)) for hour in NOON_FIRST[busy[0] : busy[-1] + 1])


def trend(by_day: dict[int, int], today: int, since: int | None) -> Trend:
    recent = sum(n for day, n in by_day.items() if today - TREND_DAYS < day <= today)
    before = sum(n for day, n in by_day.items() if today - 2 * TREND_DAYS < day <= today - TREND_DAYS)
    first = min(by_day, default=today)
    complete = first <= today - 2 * TREND_DAYS + 1 and (since is None or since <= today - 2 * TREND_DAYS + 1)
    change = "up" if recent > before else "down" if recent < before else "same"
    percent = round((recent - before) * 100 / before) if before else None
    return Trend(recent, before, change, percent, complete)


def summarise(tallies: Tallies, today: int, weeks: int = 12, since: int | None = None) -> Stats:
    """The statistics shown by `cramp log stats` and the report; days are local day numbers."""
    by_day = tallies.by_day
    return Stats(
        count=tallies.count,
        first_day=day_date(min(by_day)) if by_day else None,
        last_day=day_date(max(by_day)) if by_day else None,
        weeks=weekly(by_day, today, weeks, since),
        by_area=tuple(sorted(tallies.by_area.items(), key=lambda item: (-item[1], item[0]))),
        by_hour=hours(tallies.by_hour),
        night=tallies.by_period.get("night", 0),
        day=tallies.by_period.get("day", 0),
        median_seconds=median(tallies.by_duration),
        longest=tallies.longest,
        trend=trend(by_day, today, since),
    )
