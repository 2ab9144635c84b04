"""The words of the doctor's report, the same in every format (terminal, Markdown, HTML, PDF).

Each format lays out what this module says: the heading lines, the red flags with their
advice, the ten-second summary, the two charts' rows, each entry's cells and the closing
lines. Numbers are told as counts ("1 → 6 cramps"), never as percentages of small numbers,
and weeks before the diary's first entry are "not recorded", never zero.
"""

from __future__ import annotations

import datetime as dt

from crampcli.content.record import Record
from crampcli.diary.flags import Finding
from crampcli.diary.model import Entry, local_start, short_start
from crampcli.diary.parse import format_duration
from crampcli.text import safe

from .data import RECENT_DAYS, ReportData

REPORT_FORMATS = ("md", "html", "pdf")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
TITLE = "Leg cramp diary: a report for the doctor"
ENTRY_COLUMNS = (
    "#",
    "Date",
    "Time",
    "Night/day",
    "Area",
    "Side",
    "Duration",
    "Severity",
    "Triggers",
    "Symptoms",
    "Note",
)
NO_FLAGS = "None of the warning signs cramp looks for in a diary were found in this period. That is not a check-up."
NOT_RECORDED = "not recorded"
ARROW = "\u2192"
NIGHT_HOURS = (*range(12, 24), *range(12))  # noon to noon, so that each night stays together
BLANK = "________________________________"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def offset_name(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def span_words(data: ReportData) -> str:
    """'12 weeks', or '10 days' when the period is not whole weeks."""
    days = (data.period.last_day - data.period.first_day).days + 1
    return plural(days // 7, "week", "weeks") if days % 7 == 0 else plural(days, "day", "days")


def period_words(data: ReportData) -> str:
    period = data.period
    where = f", {data.area} only" if data.area else ""
    return f"{period.first_day.isoformat()} to {period.last_day.isoformat()} ({span_words(data)}{where})"


def zone_line(data: ReportData) -> str:
    """Which clock the times are told by: each cramp's own, with the offsets it was logged in."""
    here = offset_name(int((data.made.utcoffset() or dt.timedelta()).total_seconds()) // 60)
    if not data.utc_offsets:
        return f"Times are local clock times ({here}, where this report was made)."
    offsets = ", ".join(offset_name(offset) for offset in data.utc_offsets)
    if len(data.utc_offsets) == 1:
        return f"Times are the local clock time where each cramp happened: {offsets}."
    return f"Times are the local clock time where each cramp happened; the diary holds times in {offsets}."


def heading_lines(data: ReportData) -> list[tuple[str, str]]:
    """(label, value) lines under the title; an empty value is a line to fill in by hand."""
    return [
        ("Patient's name", ""),
        ("Date of birth", ""),
        ("Period", period_words(data)),
        ("Made", f"{data.made.strftime('%Y-%m-%d %H:%M')} with cramp {data.version}"),
        ("Time zone", zone_line(data)),
    ]


def outside_lines(data: ReportData) -> list[str]:
    """How many entries lie outside the period, and how to include them."""
    lines = []
    if data.earlier:
        what = plural(data.earlier, "earlier entry is", "earlier entries are")
        lines.append(
            f"{what} not in this report (before {data.period.first_day.isoformat()}); "
            "cramp log report --since DATE includes them."
        )
    if data.later:
        lines.append(f"{plural(data.later, 'later entry is', 'later entries are')} not in this report.")
    if data.damaged:
        what = plural(data.damaged, "damaged row of the diary is", "damaged rows of the diary are")
        lines.append(f"{what} left out; cramp log list shows them.")
    return lines


class FlagGroup(Record):
    urgency: str  # the urgency's id, which styles it
    label: str  # "See a doctor today"
    action: str  # what to do, in a sentence
    findings: tuple[tuple[str, str, str], ...]  # (what the diary shows, the sign, the advice)


def flag_groups(findings: tuple[Finding, ...]) -> list[FlagGroup]:
    """The red flags found, under their urgency, most urgent first."""
    from crampcli.diary.view import finding_detail

    groups: list[FlagGroup] = []
    for finding in findings:
        shown = (f"{finding.flag.finding} {finding_detail(finding)}", finding.red_flag.sign, finding.red_flag.advice)
        level = finding.level
        if groups and groups[-1].urgency == level.id:
            groups[-1] = FlagGroup(level.id, level.label, level.action, (*groups[-1].findings, shown))
        else:
            groups.append(FlagGroup(level.id, level.label, level.action, (shown,)))
    return groups


def counted(items: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{name} {n}" for name, n in items)


def summary(data: ReportData) -> list[tuple[str, str]]:
    """The ten-second summary: (label, value)."""
    if not data.count:
        return [("Episodes", "none in this period")]
    recorded = [week.episodes for week in data.weeks if week.episodes is not None]
    unrecorded = len(data.weeks) - len(recorded)
    episodes = f"{data.count} in {span_words(data)}; per week {min(recorded)} to {max(recorded)}"
    if unrecorded:
        episodes += f" ({plural(unrecorded, 'week', 'weeks')} before the first entry {NOT_RECORDED})"
    rows = [
        ("Episodes", episodes),
        ("Nights disturbed", f"{data.nights_disturbed} of {plural(data.nights, 'night', 'nights')} recorded"),
        ("Night and day", f"{data.night} at night (22:00 to 06:59), {data.day} by day"),
        ("Duration", duration_words(data)),
        ("Areas", counted(data.areas)),
        ("Sides", counted(data.sides)),
        ("Triggers", with_none(data.triggers, data.no_trigger)),
        ("Symptoms", with_none(data.symptoms, data.no_symptom)),
        ("Lately", lately(data)),
    ]
    return rows


def duration_words(data: ReportData) -> str:
    if data.median_seconds is None or data.longest is None:
        return "no durations"
    longest = data.longest
    return (
        f"median {format_duration(data.median_seconds)}; longest {format_duration(longest.duration)} "
        f"(#{longest.id}, {short_start(longest)})"
    )


def with_none(items: tuple[tuple[str, int], ...], none: int) -> str:
    named = counted(items)
    if not none:
        return named
    unnamed = f"none noted for {plural(none, 'episode', 'episodes')}"
    return f"{named}; {unnamed}" if named else unnamed


def lately(data: ReportData) -> str:
    change = data.change
    weeks = RECENT_DAYS // 7
    recent = plural(change.recent, "cramp", "cramps")
    if change.before is None:
        line = f"last {weeks} weeks: {recent}; the {weeks} weeks before: {NOT_RECORDED}"
    else:
        before = f"the {weeks} weeks before" + (", recorded in part," if change.before_partly else "")
        line = f"{change.before} {ARROW} {recent} ({before} {ARROW} the last {weeks} weeks)"
    if change.new:
        line += f"; new lately: {', '.join(change.new)}"
    return line


def week_label(first: dt.date, last: dt.date) -> str:
    return f"{first.strftime('%b %d')}-{last.strftime('%b %d')}" if first != last else first.strftime("%b %d")


def week_rows(data: ReportData, short: bool = False) -> list[tuple[str, int | None]]:
    """(label, episodes or None when not recorded), oldest first; short labels name the first day."""
    return [
        (week.first_day.strftime("%b %d") if short else week_label(week.first_day, week.last_day), week.episodes)
        for week in data.weeks
    ]


def hour_rows(data: ReportData, busy_only: bool = False) -> list[tuple[str, int]]:
    """(hour, episodes that started in it), noon to noon; busy_only keeps the first to the last
    hour with any."""
    rows = [(f"{hour:02d}", data.hours[hour]) for hour in NIGHT_HOURS]
    busy = [index for index, (_, n) in enumerate(rows) if n]
    return rows[busy[0] : busy[-1] + 1] if busy_only and busy else rows


def entry_cells(entry: Entry) -> list[str]:
    """One table row; nothing cut, the note whole (its control characters neutralised)."""
    started = local_start(entry)
    return [
        str(entry.id),
        started.strftime("%Y-%m-%d"),
        started.strftime("%H:%M"),
        entry.period,
        entry.area,
        entry.side or "",
        format_duration(entry.duration),
        "" if entry.severity is None else f"{entry.severity}/10",
        ", ".join(entry.triggers),
        ", ".join(entry.symptoms),
        safe(entry.note),
    ]


def entries_heading(data: ReportData) -> str:
    return f"Every entry of the period ({data.count})"


def format_for(output: str | None, chosen: str | None) -> str:
    """The format from --format and the file's name; a name and a format that disagree, or a
    name this report cannot be, is a usage error."""
    from pathlib import PurePath

    from crampcli.errors import UsageError
    from crampcli.text import shorten

    wanted = (chosen or "").strip().lower() or None
    if wanted is not None and wanted not in REPORT_FORMATS:
        raise UsageError(f"unknown report format {shorten(chosen or '')}; use md, html or pdf.")
    suffix = PurePath(output).suffix.lower() if output else ""
    named = SUFFIXES.get(suffix)
    if suffix and named is None:
        raise UsageError(f"a report is a .md, .html or .pdf file, not {shorten(suffix)}.")
    if wanted and named and wanted != named:
        raise UsageError(f"--format {wanted} does not match the file name {shorten(output or '')}.")
    return wanted or named or "md"
