"""The doctor's report as a page of the terminal: the same content, drawn by render.py like
every other page (wrapped to the terminal, coloured by urgency, the disclaimer at the end)."""

from __future__ import annotations

from collections.abc import Iterable

from crampcli.content.record import replace
from crampcli.diary.model import Entry
from crampcli.diary.view import chart, entry_line
from crampcli.output.page import Page

from .data import ReportData
from .shared import (
    FILL_IN,
    FINDINGS_HEADING,
    MARK,
    MARK_LEGEND,
    NO_FLAGS,
    NOT_RECORDED,
    NOTE_LABEL,
    TITLE,
    entries_heading,
    finding_groups,
    heading_lines,
    hour_rows,
    note_text,
    outside_lines,
    summary,
    week_rows,
)


def add_entry(page: Page, entry: Entry, marked: frozenset[int]) -> None:
    """'#12 ! 2026-11-28 03:10 night: calf, left, 12 min, ...', and the note indented under it."""
    line = entry_line(replace(entry, note=""))
    if entry.id in marked:
        number = f"#{entry.id}"
        line = f"{number} {MARK}{line[len(number) :]}"
    page.add("text", line)
    note = note_text(entry)
    if note:
        page.add("detail", f"{NOTE_LABEL}: " + " / ".join(part.strip() for part in note.splitlines() if part.strip()))


def report_page(data: ReportData, entries: Iterable[Entry], unicode: bool, width: int) -> Page:
    page = Page("diary-report")
    page.add("title", TITLE)
    page.add(
        "text",
        *(
            f"{label}: {'_' * 24 + ' ' if label in FILL_IN else ''}{value}".rstrip()
            for label, value in heading_lines(data)
        ),
    )
    page.add("text", *outside_lines(data), style="muted")
    page.add("heading", FINDINGS_HEADING)
    groups = finding_groups(data)
    for group in groups:
        page.add("heading", f"{group.title} ({group.graded})", style=group.urgency)
        page.add("bullets", *group.lines)
    page.add("text", MARK_LEGEND if groups else NO_FLAGS, style="muted" if groups else "")
    page.add("heading", "Summary")
    page.add("bullets", *(f"{label}: {value}" for label, value in summary(data)))
    if data.count:
        weeks = week_rows(data)
        page.add("heading", "Episodes per week")
        counted = chart([(label, n or 0) for label, n in weeks], unicode, width)
        page.add(
            "text",
            *(
                line if n is not None else f"{label} {NOT_RECORDED}"
                for line, (label, n) in zip(counted, weeks, strict=True)
            ),
        )
        page.add("heading", "When cramps started, by hour (noon to noon)")
        page.add("text", *chart([(f"{label}:00", n) for label, n in hour_rows(data, busy_only=True)], unicode, width))
        page.add("heading", entries_heading(data))
        for entry in entries:
            add_entry(page, entry, data.marked)
    return page
