"""Pages of the cramp diary: entries, statistics with their charts, and red flags.

Like views.py, a page says what to show; render.py draws it and adds the disclaimer. A
user's note goes into blocks as text, and render.safe neutralises it on the way out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crampcli.output.page import Page

from .flags import Finding
from .model import Damaged, Entry, as_dict, damaged_dict, day_date, short_start
from .parse import format_duration
from .stats import Stats

BLOCKS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589\u2588"  # eighths of a character cell, empty to full
MAX_BAR = 40
NOTE_SHOWN = 80  # characters of a note in a one-line listing


# Lines


def note_line(note: str, limit: int | None = None) -> str:
    """A note on one line (render.safe neutralises what is left)."""
    flat = " ".join(note.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 3] + "..."


def damaged_line(row: Damaged) -> str:
    return (
        f"#{row.id} damaged ({row.problem}); kept as it is: cramp log export shows it, cramp log rm {row.id} removes it"
    )


def row_json(row: Entry | Damaged) -> dict[str, Any]:
    """An entry's JSON; a damaged row's values as stored, and what is wrong with them."""
    if isinstance(row, Entry):
        return as_dict(row)
    return {**damaged_dict(row), "damaged": row.problem}


def entry_line(entry: Entry | Damaged, note_limit: int | None = NOTE_SHOWN) -> str:
    """'#12 2026-11-20 03:10 night: calf, left, 2 min, severity 6/10; triggers: heat; ...'"""
    if isinstance(entry, Damaged):
        return damaged_line(entry)
    where = entry.area + (f", {entry.side}" if entry.side else "")
    line = f"#{entry.id} {short_start(entry)} {entry.period}: {where}, {format_duration(entry.duration)}"
    if entry.severity is not None:
        line += f", severity {entry.severity}/10"
    if entry.triggers:
        line += f"; triggers: {', '.join(entry.triggers)}"
    if entry.symptoms:
        line += f"; symptoms: {', '.join(entry.symptoms)}"
    if entry.note:
        line += f'; note: "{note_line(entry.note, note_limit)}"'
    return line


def finding_detail(finding: Finding) -> str:
    """What in the diary raised it: the entries, or the run of days."""
    if finding.run is not None:
        last, days = finding.run
        return f"(cramps on {days} of the {finding.flag.within_days} days to {day_date(last).isoformat()})"
    latest = finding.entries[-1]
    about = f"#{latest.id}, {short_start(latest)}, {format_duration(latest.duration)}"
    if len(finding.entries) == 1:
        return f"({about})"
    return f"({len(finding.entries)} entries; the latest {about})"


def finding_json(finding: Finding) -> dict[str, Any]:
    last_day = day_date(finding.run[0]).isoformat() if finding.run else None
    return {
        "id": finding.flag.id,
        "finding": finding.flag.finding,
        "detail": finding_detail(finding),
        "entries": [e.id for e in finding.entries],
        "run": {"last_day": last_day, "days_with_cramps": finding.run[1], "within_days": finding.flag.within_days}
        if finding.run
        else None,
        "red_flag": {
            "id": finding.red_flag.id,
            "urgency": finding.red_flag.urgency,
            "sign": finding.red_flag.sign,
            "advice": finding.red_flag.advice,
        },
        "urgency": {"id": finding.level.id, "label": finding.level.label, "action": finding.level.action},
    }


def add_findings(page: Page, findings: list[Finding]) -> None:
    """Each red flag in full under its urgency (most urgent first): what the diary shows,
    the sign and the advice."""
    shown_level = None
    for finding in findings:
        level = finding.level
        if level.id != shown_level:
            page.add("heading", f"{level.label.upper()}: {level.action}", style=level.id)
            shown_level = level.id
        page.add(
            "alert",
            f"{finding.flag.finding} {finding_detail(finding)}",
            f"{finding.red_flag.sign} - {finding.red_flag.advice}",
            style=level.id,
        )


# Charts


def bar(count: int, most: int, width: int, unicode: bool) -> str:
    if count <= 0 or most <= 0:
        return ""
    if not unicode:
        return "#" * max(1, round(count / most * width))
    eighths = max(1, round(count / most * width * 8))
    full, part = divmod(eighths, 8)
    return BLOCKS[8] * full + (BLOCKS[part] if part else "")


def chart(rows: list[tuple[str, int]], unicode: bool, width: int) -> list[str]:
    """'label  count  bar' lines that fit in width (bars at least 5 cells at full length)."""
    if not rows:
        return []
    label_width = max(len(label) for label, _ in rows)
    count_width = max(len(str(n)) for _, n in rows)
    bar_width = max(5, min(MAX_BAR, width - label_width - count_width - 2))
    most = max(n for _, n in rows)
    return [
        f"{label:<{label_width}} {n:>{count_width}} {bar(n, most, bar_width, unicode)}".rstrip() for label, n in rows
    ]


def week_rows(stats: Stats) -> list[tuple[str, int]]:
    return [(monday.isoformat(), n) for monday, n in stats.weeks]


def hour_rows(stats: Stats) -> list[tuple[str, int]]:
    return [(f"{hour:02d}:00", n) for hour, n in stats.by_hour]


def trend_line(stats: Stats) -> str:
    trend = stats.trend
    change = trend.change
    if trend.percent is not None and trend.change != "same":
        change += f" {abs(trend.percent)}%"
    line = f"Last 4 weeks: {trend.recent}; the 4 weeks before: {trend.before} ({change})."
    if not trend.complete:
        line += " The diary (or the period asked for) covers less than 8 weeks, so this compares part of a period."
    return line


def duration_line(stats: Stats) -> str:
    if stats.median_seconds is None or stats.longest is None:
        return "No durations yet."
    longest = stats.longest
    return (
        f"Median {format_duration(stats.median_seconds)}; longest {format_duration(longest.duration)} "
        f"(#{longest.id}, {short_start(longest)})."
    )


def period_line(stats: Stats) -> str:
    return f"At night (22:00 to 06:59): {stats.night}; by day: {stats.day}."


def stats_json(stats: Stats) -> dict[str, Any]:
    return {
        "count": stats.count,
        "first_day": stats.first_day.isoformat() if stats.first_day else None,
        "last_day": stats.last_day.isoformat() if stats.last_day else None,
        "weeks": [{"week_start": monday.isoformat(), "episodes": n} for monday, n in stats.weeks],
        "by_area": {area: n for area, n in stats.by_area},
        "by_hour": {f"{hour:02d}": n for hour, n in stats.by_hour},
        "night": stats.night,
        "day": stats.day,
        "median_seconds": stats.median_seconds,
        "longest": as_dict(stats.longest) if stats.longest else None,
        "trend": {
            "last_4_weeks": stats.trend.recent,
            "previous_4_weeks": stats.trend.before,
            "change": stats.trend.change,
            "percent": stats.trend.percent,
            "complete": stats.trend.complete,
        },
    }


# Pages


def entry_page(entry: Entry, findings: list[Finding], action: str) -> Page:
    """After `log add` (action 'added') or `log edit` ('changed'): the entry, then any red flag."""
    page = Page("diary-entry", data={"action": action, "entry": as_dict(entry)})
    page.data["flags"] = [finding_json(f) for f in findings]
    verb = "Logged" if action == "added" else "Changed"
    page.add("first", f"{verb} {entry_line(entry, note_limit=None)}")
    add_findings(page, findings)
    page.add("text", "Your diary: cramp log list; counts and trend: cramp log stats", style="muted")
    return page


def list_page(entries: list[Entry], described: str) -> Page:
    page = Page("diary-list", data={"count": len(entries), "entries": [as_dict(e) for e in entries]})
    if not entries:
        page.add("text", f"No entries{described}. Log a cramp: cramp log add calf 2m")
        return page
    page.add("title", f"Cramp diary: {plural(len(entries), 'entry', 'entries')}{described}")
    page.add("text", *(entry_line(e) for e in entries))
    return page


def removed_page(entries: list[Entry | Damaged]) -> Page:
    page = Page("diary-removed", data={"removed": [row_json(e) for e in entries]})
    page.add("text", *(f"Removed {entry_line(e)}" for e in entries))
    return page


def stats_page(stats: Stats, findings: list[Finding], described: str, unicode: bool, width: int) -> Page:
    page = Page("diary-stats", data={**stats_json(stats), "flags": [finding_json(f) for f in findings]})
    if not stats.count:
        page.add("text", f"No entries{described}. Log a cramp: cramp log add calf 2m")
        return page
    page.add("title", f"Cramp diary: {plural(stats.count, 'episode', 'episodes')}{described}")
    add_findings(page, findings)  # red flags before the numbers, never below the fold
    page.add("heading", "Episodes per week (weeks start on Monday)")
    page.add("text", *chart(week_rows(stats), unicode, width))
    page.add("heading", "By area")
    page.add("bullets", *(f"{area}: {n} ({round(n * 100 / stats.count)}%)" for area, n in stats.by_area))
    page.add("heading", "By the hour it started")
    page.add("text", *chart(hour_rows(stats), unicode, width))
    page.add("text", period_line(stats))
    page.add("heading", "How long")
    page.add("text", duration_line(stats))
    page.add("heading", "Trend")
    page.add("text", trend_line(stats))
    page.add("text", "For your doctor: cramp log report --output cramps.md", style="muted")
    return page


def import_page(added: int, skipped: int, source: str) -> Page:
    page = Page("diary-import", data={"added": added, "skipped": skipped})
    line = f"Imported {plural(added, 'entry', 'entries')} from {source}"
    if skipped:
        line += f"; skipped {skipped} already in the diary (same uid)"
    page.add("text", line + ".")
    return page


def path_page(path: str, exists: bool) -> Page:
    page = Page("diary-path", data={"path": path, "exists": exists})
    page.add("text", path)
    return page


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def period_words(since: dt.datetime | None, area: str | None) -> str:
    """' since 2026-11-01 in calf', for titles; empty for the whole diary."""
    words = ""
    if since is not None:
        words += f" since {since.strftime('%Y-%m-%d %H:%M')}"
    if area is not None:
        words += f" ({area})"
    return words
