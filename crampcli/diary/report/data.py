"""What the doctor's report holds, gathered from the diary for one period.

SQLite does the counting (by day, hour, night, area, side, trigger, symptom, duration), so the
numbers of a period of any size arrive here as a few small dictionaries; the period's entries
themselves are never held: the report reads them through a cursor while it writes them out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crampcli.content.model import Content
from crampcli.content.record import Record
from crampcli.diary.flags import Finding, period_findings, screen
from crampcli.diary.model import Entry
from crampcli.diary.stats import median
from crampcli.errors import UsageError

if TYPE_CHECKING:
    from crampcli.diary.store import Diary

DEFAULT_WEEKS = 12
RECENT_DAYS = 28  # "what changed lately": the last 4 weeks of the period against the 4 before


class Period(Record):
    since: dt.datetime  # the first moment in the period
    until: dt.datetime  # the first moment after it
    first_day: dt.date
    last_day: dt.date
    chosen: bool  # False when it is the default (the last weeks)


class Week(Record):
    first_day: dt.date
    last_day: dt.date
    episodes: int | None  # None: before the diary's first entry, so not recorded


class Change(Record):
    recent: int  # episodes in the last RECENT_DAYS days of the period
    before: int | None  # in the RECENT_DAYS before those; None when those were not recorded
    before_partly: bool  # the days before were recorded only in part
    new: tuple[str, ...]  # areas, triggers and symptoms seen lately and not earlier in the period


class ReportData(Record):
    made: dt.datetime
    version: str
    period: Period
    area: str | None
    count: int
    earlier: int  # entries before the period (in area, if given)
    later: int  # entries after it
    damaged: int  # rows of the diary that no entry can hold, left out (cramp log list shows them)
    recorded_from: dt.date | None  # the day of the diary's first entry
    weeks: tuple[Week, ...]  # oldest first; 7-day blocks ending on the period's last day
    hours: tuple[int, ...]  # episodes by the local hour they started, 0 to 23
    night: int
    day: int
    nights: int  # nights recorded in the period
    nights_disturbed: int  # nights with at least one night cramp
    median_seconds: int | None
    longest: Entry | None
    areas: tuple[tuple[str, int], ...]  # most first
    sides: tuple[tuple[str, int], ...]  # most first; "not said" for none
    triggers: tuple[tuple[str, int], ...]
    no_trigger: int
    symptoms: tuple[tuple[str, int], ...]
    no_symptom: int
    change: Change
    utc_offsets: tuple[int, ...]  # the offsets the period's times were logged in, minutes east of UTC
    findings: tuple[Finding, ...]
    disclaimer: str


# The period


def end_of(text: str, now: dt.datetime) -> dt.datetime:
    """--until: the end of the day a date names (so the day is included), or '30d'/'2w' before now."""
    from crampcli.diary.parse import parse_since

    moment = parse_since(text, now)
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return moment
    return local_midnight(moment.date() + dt.timedelta(days=1))


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).astimezone()


def choose_period(since: str | None, until: str | None, weeks: int, now: dt.datetime) -> Period:
    """The period asked for; by default the last `weeks` weeks up to the end of today."""
    from crampcli.diary.parse import parse_since

    end = end_of(until, now) if until is not None else local_midnight(now.date() + dt.timedelta(days=1))
    last_day = (end - dt.timedelta(seconds=1)).date()
    start = parse_since(since, now) if since is not None else local_midnight(last_day - dt.timedelta(weeks * 7 - 1))
    if start >= end:
        raise UsageError("--since must come before --until.")
    return Period(start, end, start.date(), last_day, since is not None or until is not None)


# Gathering


def gather(
    diary: Diary | None,
    content: Content,
    period: Period,
    area: str | None,
    made: dt.datetime,
    version: str,
) -> ReportData:
    """The report's numbers and red flags for the period; diary None is an empty diary."""
    if diary is None:
        return blank(content, period, area, made, version)
    since, until = int(period.since.timestamp()), int(period.until.timestamp())

    def counts(key: str, start: int = since, end: int = until) -> dict[object, int]:
        return diary.period_counts(start, end, key, area) if start < end else {}

    by_day = {int(str(day)): n for day, n in counts("day").items()}
    first = diary.first_started(area)
    recorded_from = dt.datetime.fromtimestamp(first, made.tzinfo).date() if first is not None else None
    recent_from = max(since, int(local_midnight(period.last_day - dt.timedelta(RECENT_DAYS - 1)).timestamp()))
    earlier_areas, recent_areas = counts("area", end=recent_from), counts("area", start=recent_from)
    earlier_triggers, recent_triggers = counts("triggers", end=recent_from), counts("triggers", start=recent_from)
    earlier_symptoms, recent_symptoms = counts("symptoms", end=recent_from), counts("symptoms", start=recent_from)
    areas = Counter(earlier_areas) + Counter(recent_areas)
    triggers, no_trigger = words(Counter(earlier_triggers) + Counter(recent_triggers))
    symptoms, no_symptom = words(Counter(earlier_symptoms) + Counter(recent_symptoms))
    new = (
        *(f"{name} (area)" for name in new_names(recent_areas, earlier_areas)),
        *(f"{name} (trigger)" for name in new_names(recent_triggers, earlier_triggers, split=True)),
        *(f"{name} (symptom)" for name in new_names(recent_symptoms, earlier_symptoms, split=True)),
    )
    by_period = counts("period")
    nights_from = max(period.first_day, recorded_from) if recorded_from else period.last_day + dt.timedelta(1)
    notable = diary.period_notable(since, until, *screen(content), area=area)
    by_duration = {int(str(seconds)): n for seconds, n in counts("duration").items()}
    return ReportData(
        made=made,
        version=version,
        period=period,
        area=area,
        count=sum(by_day.values()),
        earlier=diary.count_between(None, since, area),
        later=diary.count_between(until, None, area),
        damaged=diary.damaged_count(None, area),
        recorded_from=recorded_from,
        weeks=weeks_of(period, by_day, recorded_from),
        hours=tuple(counts("hour").get(hour, 0) for hour in range(24)),
        night=by_period.get("night", 0),
        day=by_period.get("day", 0),
        nights=max(0, (period.last_day - nights_from).days + 1),
        nights_disturbed=sum(1 for night in counts("night") if night is not None),
        median_seconds=median(by_duration),
        longest=diary.period_longest(since, until, area),
        areas=most_first({str(name): n for name, n in areas.items()}),
        sides=most_first({str(side or "not said"): n for side, n in counts("side").items()}),
        triggers=triggers,
        no_trigger=no_trigger,
        symptoms=symptoms,
        no_symptom=no_symptom,
        change=change_of(period, by_day, recorded_from, tuple(new)),
        utc_offsets=tuple(sorted(int(str(offset)) for offset in counts("utc_offset"))),
        findings=tuple(period_findings(content, notable, by_day)),
        disclaimer=content.disclaimer.text,
    )


def blank(content: Content, period: Period, area: str | None, made: dt.datetime, version: str) -> ReportData:
    return ReportData(
        made=made,
        version=version,
        period=period,
        area=area,
        count=0,
        earlier=0,
        later=0,
        damaged=0,
        recorded_from=None,
        weeks=weeks_of(period, {}, None),
        hours=(0,) * 24,
        night=0,
        day=0,
        nights=0,
        nights_disturbed=0,
        median_seconds=None,
        longest=None,
        areas=(),
        sides=(),
        triggers=(),
        no_trigger=0,
        symptoms=(),
        no_symptom=0,
        change=change_of(period, {}, None, ()),
        utc_offsets=(),
        findings=(),
        disclaimer=content.disclaimer.text,
    )


def most_first(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def words(by_list: Counter[object]) -> tuple[tuple[tuple[str, int], ...], int]:
    """Counts of comma-separated lists as counts of each word, and how many lists were empty."""
    each: Counter[str] = Counter()
    empty = 0
    for listed, n in by_list.items():
        names = [name for name in str(listed or "").split(",") if name]
        if not names:
            empty += n
        for name in names:
            each[name] += n
    return most_first(dict(each)), empty


def new_names(recent: dict[object, int], earlier: dict[object, int], split: bool = False) -> list[str]:
    """Names seen lately that the earlier part of the period never had."""

    def names(counts: dict[object, int]) -> set[str]:
        found: set[str] = set()
        for key in counts:
            found.update(name for name in (str(key or "").split(",") if split else [str(key)]) if name)
        return found

    if not earlier:  # nothing earlier to compare with: nothing is "new"
        return []
    return sorted(names(recent) - names(earlier))


def day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def weeks_of(period: Period, by_day: dict[int, int], recorded_from: dt.date | None) -> tuple[Week, ...]:
    """7-day blocks ending on the period's last day, the first one cut at the period's start."""
    found: list[Week] = []
    last = period.last_day
    while last >= period.first_day:
        first = max(period.first_day, last - dt.timedelta(6))
        recorded = recorded_from is not None and last >= recorded_from
        episodes = sum(by_day.get(day, 0) for day in range(day_number(first), day_number(last) + 1))
        found.append(Week(first, last, episodes if recorded else None))
        last = first - dt.timedelta(1)
    return tuple(reversed(found))


def change_of(period: Period, by_day: dict[int, int], recorded_from: dt.date | None, new: tuple[str, ...]) -> Change:
    last = day_number(period.last_day)
    recent_first = max(last - RECENT_DAYS + 1, day_number(period.first_day))
    before_first = max(recent_first - RECENT_DAYS, day_number(period.first_day))
    recent = sum(n for day, n in by_day.items() if recent_first <= day <= last)
    before_days = recent_first - before_first
    if recorded_from is None or before_days <= 0 or day_number(recorded_from) >= recent_first:
        return Change(recent, None, False, new)
    before = sum(n for day, n in by_day.items() if before_first <= day < recent_first)
    partly = before_days < RECENT_DAYS or day_number(recorded_from) > before_first
    return Change(recent, before, partly, new)


def period_entries(diary: Diary | None, data: ReportData) -> Iterator[Entry]:
    """The period's entries, oldest first, read from the diary as they are written out."""
    if diary is None:
        return iter(())
    period = data.period
    return diary.period_entries(int(period.since.timestamp()), int(period.until.timestamp()), data.area)
