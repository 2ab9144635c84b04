"""Which of the content's diary flags a diary raises, and which notes mention a sign worth
raising: pure functions, no printing.

The thresholds and the advice are content (content/diary.yaml and red_flags.yaml); this
module only compares entries with them. Findings come most urgent first.

An entry is something that happened: the cramp it records has ended, and may have ended
days ago. So a finding keeps its red flag's urgency only while it can still be going on:
- a cramp logged as longer than 10 minutes has passed; NHS inform's "get help today" is for
  one that lasts over 10 minutes AND does not ease, which an entry with an end cannot be, so
  a duration flag is at most PASSED_URGENCY ("see a doctor soon": worth raising);
- a sign logged with a cramp (swelling, numbness...) keeps its urgency when the entry began
  within RECENT_SECONDS (the last day); from an older entry it is worth raising, at
  PASSED_URGENCY.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crampcli.content.model import URGENCIES, Content, DiaryFlag, RedFlag, UrgencyLevel
from crampcli.content.record import Record

from .model import Entry, local_day

RECENT_SECONDS = 24 * 3600  # "within the last day": a sign logged this recently may still be there
PASSED_URGENCY = "soon"  # a finding about what has passed: worth raising with a doctor


class Finding(Record):
    flag: DiaryFlag
    red_flag: RedFlag
    level: UrgencyLevel  # the red flag's level, or PASSED_URGENCY for what has passed (see above)
    entries: tuple[Entry, ...]  # the entries that raised it, oldest first (none for a frequency)
    run: tuple[int, int] | None  # for a frequency: (last local day of the run, days with cramps in it)
    recent: bool = False  # raised by an entry that began within RECENT_SECONDS of the time asked about


def is_recent(entry: Entry, now: int | None) -> bool:
    """Did entry begin within the last day before now (None: no time given, so it counts)?"""
    return now is None or now - RECENT_SECONDS <= entry.started <= now + RECENT_SECONDS


def shown_urgency(flag: DiaryFlag, red_flag: RedFlag, entries: tuple[Entry, ...], now: int | None) -> str:
    """The urgency a finding is shown at (see the module's docstring)."""
    urgency = red_flag.urgency
    if URGENCIES.index(urgency) >= URGENCIES.index(PASSED_URGENCY):  # soon or less already
        return urgency
    if flag.longer_than_minutes is not None or (entries and not is_recent(entries[-1], now)):
        return PASSED_URGENCY
    return urgency


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


def finding(
    content: Content, flag: DiaryFlag, entries: tuple[Entry, ...], run: tuple[int, int] | None, now: int | None = None
) -> Finding:
    red_flag = next(f for f in content.red_flags if f.id == flag.red_flag)  # validated at load
    urgency = shown_urgency(flag, red_flag, entries, now)
    level = next(level for level in content.urgency_levels if level.id == urgency)
    recent = bool(entries) and is_recent(entries[-1], now)
    return Finding(flag, red_flag, level, entries, run, recent)


def most_urgent_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: URGENCIES.index(f.level.id))


def entry_findings(content: Content, entry: Entry, by_day: dict[int, int], now: int | None = None) -> list[Finding]:
    """What to show right after logging entry; by_day counts the days up to and including it,
    now (seconds since the epoch) tells a sign logged today from one logged days later."""
    found = []
    day = local_day(entry.started, entry.utc_offset)
    for flag in content.diary_flags:
        if is_frequency(flag):
            days = days_in_run(flag, by_day, day)
            if days >= (flag.days_with_cramps or 0):
                found.append(finding(content, flag, (), (day, days), now))
        elif raised_by(flag, entry):
            found.append(finding(content, flag, (entry,), None, now))
    return most_urgent_first(found)


def period_findings(
    content: Content, notable: list[Entry], by_day: dict[int, int], now: int | None = None
) -> list[Finding]:
    """What a diary (or a period of it) shows; notable holds at least every entry that might
    raise a flag on its own (see `screen`) in order of start time, by_day the episodes per
    local day, now as for entry_findings (None: every sign at its red flag's urgency)."""
    found = []
    for flag in content.diary_flags:
        if is_frequency(flag):
            run = latest_run(flag, by_day)
            if run:
                found.append(finding(content, flag, (), run, now))
        else:
            matching = tuple(entry for entry in notable if raised_by(flag, entry))
            if matching:
                found.append(finding(content, flag, matching, None, now))
    return most_urgent_first(found)


def screen(content: Content) -> tuple[int | None, tuple[str, ...]]:
    """What the store should look for: entries longer than the shortest duration threshold
    (seconds), or with any of these symptoms."""
    minutes = [f.longer_than_minutes for f in content.diary_flags if f.longer_than_minutes is not None]
    symptoms = sorted({s for f in content.diary_flags for s in f.symptoms})
    return (min(minutes) * 60 if minutes else None), tuple(symptoms)


# Notes: signs a person wrote in their own words, pointed out as worth raising with a doctor

_NOT = r"(?<!\bnot )(?<!\bno )(?<!\bnever )(?<!\bwithout )(?<!\bisn't )(?<!\bwasn't )"
NOTE_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("swelling", re.compile(_NOT + r"\b(swollen|swelling|swelled|swells|puffy)\b")),
    # "a warm bath helped" is self-care, not a warm leg
    (
        "warmth",
        re.compile(_NOT + r"\b(warm|warmth|hot)\b(?! (bath|shower|water|towel|drink|milk|pack|compress|wheat))"),
    ),
    ("redness", re.compile(_NOT + r"\b(red|redness|reddish|reddened)\b(?! (wine|meat|bull))")),
    (
        "cannot walk",
        re.compile(
            r"\b(can't|cant|cannot|can not|couldn't|couldnt|could not|unable to|not able to)"
            r" (walk|stand|put weight|bear weight)"
        ),
    ),
)
# Lower-case pieces of text at least one of the signs needs: the store fetches only the notes
# holding one, and note_signs decides ("t walk" is in can't, cannot and couldn't walk; a bare
# "walk" would fetch every "after a long walk").
NOTE_HINTS = (
    "swol",
    "swell",
    "puff",
    "warm",
    "hot",
    "red",
    *(f"{end} {what}" for end in ("t", "to") for what in ("walk", "stand", "put weight", "bear weight")),
)


def note_signs(note: str) -> tuple[str, ...]:
    """The signs worth raising with a doctor that a note mentions ('swelling', 'warmth',
    'redness', 'cannot walk'), in that order; () when none (or only denied: "not swollen")."""
    # Spaces are not folded: the store's hints ("t walk") must find every note that matches.
    text = note.lower().replace("\u2019", "'")
    return tuple(name for name, pattern in NOTE_SIGNS if pattern.search(text))


class NoteFinding(Record):
    signs: tuple[str, ...]  # every sign the notes mention, in NOTE_SIGNS order
    entries: tuple[Entry, ...]  # the entries whose notes mention them, oldest first


def note_finding(entries: Iterable[Entry]) -> NoteFinding | None:
    """The entries whose notes mention a sign worth raising, or None when no note does."""
    found = [(entry, note_signs(entry.note)) for entry in entries]
    found = [(entry, signs) for entry, signs in found if signs]
    if not found:
        return None
    seen = {sign for _, signs in found for sign in signs}
    return NoteFinding(tuple(name for name, _ in NOTE_SIGNS if name in seen), tuple(entry for entry, _ in found))
