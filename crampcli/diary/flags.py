"""Which of the content's diary flags a diary raises: pure functions, no printing.

The thresholds and the advice are content (content/diary.yaml and red_flags.yaml); this
module only compares entries with them. Findings come most urgent first.
"""

from __future__ import annotations

from collections.abc import Iterable

from crampcli.content.model import URGENCIES, Content, DiaryFlag, RedFlag, UrgencyLevel
from crampcli.content.record import Record

from .model import Entry, local_day


class Finding(Record):
    flag: DiaryFlag
    red_flag: RedFlag
    level: UrgencyLevel
    entries: tuple[Entry, ...]  # the entries that raised it, oldest first (none for a frequency)
    run: tuple[int, int] | None  # for a frequency: (last local day of the run, days with cramps in it)


def is_frequency(flag: DiaryFlag) -> bool:
    return flag.days_with_cramps is not None and flag.within_days is not None


def raised_by(flag: DiaryFlag, entry: Entry) -> bool:
    """Does this one entry raise the flag (a long cramp, or one with a listed symptom)?"""
    if flag.longer_than_minutes is not None:
        return entry.duration > flag.longer_than_minutes * 60
    return any(symptom in entry.symptoms for symptom in flag.symptoms)


def days_in_run(flag: DiaryFlag, by_day: dict[int, int], last_day: int) -> int:
    """Days with cramps among the within_days days that end on last_day."""
    span = flag.within_days or 0
    return sum(1 for day, n in by_day.items() if n and last_day - span < day <= last_day)


def latest_run(flag: DiaryFlag, by_day: dict[int, int]) -> tuple[int, int] | None:
    """(last day, days with cramps) of the latest run of within_days days that meets the flag."""
    span, needed = flag.within_days or 0, flag.days_with_cramps or 0
    days = sorted(day for day, n in by_day.items() if n)
    found = None
    start = 0
    for end, day in enumerate(days):
        while days[start] <= day - span:
            start += 1
        if end - start + 1 >= needed:
            found = (day, end - start + 1)
    return found


def finding(content: Content, flag: DiaryFlag, entries: tuple[Entry, ...], run: tuple[int, int] | None) -> Finding:
    red_flag = next(f for f in content.red_flags if f.id == flag.red_flag)  # validated at load
    level = next(level for level in content.urgency_levels if level.id == red_flag.urgency)
    return Finding(flag, red_flag, level, entries, run)


def most_urgent_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: URGENCIES.index(f.level.id))


def entry_findings(content: Content, entry: Entry, by_day: dict[int, int]) -> list[Finding]:
    """What to show right after logging entry; by_day counts the days up to and including it."""
    found = []
    day = local_day(entry.started, entry.utc_offset)
    for flag in content.diary_flags:
        if is_frequency(flag):
            days = days_in_run(flag, by_day, day)
            if days >= (flag.days_with_cramps or 0):
                found.append(finding(content, flag, (), (day, days)))
        elif raised_by(flag, entry):
            found.append(finding(content, flag, (entry,), None))
    return most_urgent_first(found)


def period_findings(content: Content, notable: list[Entry], by_day: dict[int, int]) -> list[Finding]:
    """What a diary (or a period of it) shows; notable holds at least every entry that might
    raise a flag on its own (see `screen`), by_day the episodes per local day."""
    found = []
    for flag in content.diary_flags:
        if is_frequency(flag):
            run = latest_run(flag, by_day)
            if run:
                found.append(finding(content, flag, (), run))
        else:
            matching = tuple(entry for entry in notable if raised_by(flag, entry))
            if matching:
                found.append(finding(content, flag, matching, None))
    return most_urgent_first(found)


def screen(content: Content) -> tuple[int | None, tuple[str, ...]]:
    """What the store should look for: entries longer than the shortest duration threshold
    (seconds), or with any of these symptoms."""
    minutes = [f.longer_than_minutes for f in content.diary_flags if f.longer_than_minutes is not None]
    symptoms = sorted({s for f in content.diary_flags for s in f.symptoms})
    return (min(minutes) * 60 if minutes else None), tuple(symptoms)
