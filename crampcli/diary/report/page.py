"""The doctor's report as a page of the terminal: the same content, drawn by render.py like
every other page (wrapped to the terminal, coloured by urgency, the disclaimer at the end)."""

from __future__ import annotations

from collections.abc import Iterable

from crampcli.diary.model import Entry
from crampcli.diary.view import chart, entry_line
from crampcli.output.page import Page

from .data import ReportData
from .shared import (
    NO_FLAGS,
    NOT_RECORDED,
    TITLE,
    entries_heading,
    flag_groups,
    heading_lines,
    hour_rows,
    outside_lines,
    summary,
    week_rows,
)


def report_page(data: ReportData, entries: Iterable[Entry], unicode: bool, width: int) -> Page:
    page = Page("diary-report")
    page.add("title", TITLE)
    page.add("text", *(f"{label}: {value or '_' * 24}" for label, value in heading_lines(data)))
    page.add("text", *outside_lines(data), style="muted")
    page.add("heading", "Warning signs")
    groups = flag_groups(data.findings)
    for group in groups:
        page.add("heading", f"{group.label.upper()}: {group.action}", style=group.urgency)
        for shown, sign, advice in group.findings:
            page.add("alert", shown, f"{sign} - {advice}", style=group.urgency)
    if not groups:
        page.add("text", NO_FLAGS)
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
        page.add("text", *(entry_line(entry, note_limit=None) for entry in entries))
    return page
