"""The doctor's report as Markdown: the same content as the HTML, charts as tables.

Every piece of text is escaped so that a note can never turn into markup or a link, and the
document is written out as it is made (entries one at a time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crampcli.diary.model import Entry
from crampcli.text import safe

from .data import ReportData
from .shared import (
    ENTRY_COLUMNS,
    NO_FLAGS,
    NOT_RECORDED,
    TITLE,
    entries_heading,
    entry_cells,
    flag_groups,
    heading_lines,
    hour_rows,
    outside_lines,
    summary,
    week_rows,
)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")  # what could start markup inside a line
BAR = "\u2588"
BAR_WIDTH = 30
BLANK = "\\_" * 30  # a line to fill in by hand, as escaped underscores


def md(value: str) -> str:
    """Text as literal Markdown on one line: control characters neutralised, markup escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe(" ".join(value.split())))


def row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(md(cell) for cell in cells) + " |"


def chart_table(title: str, label: str, rows: list[tuple[str, int | None]]) -> list[str]:
    most = max((n for _, n in rows if n), default=0)
    lines = [f"### {md(title)}", "", f"| {md(label)} | Episodes | |", "| --- | ---: | --- |"]
    for name, n in rows:
        shown = NOT_RECORDED if n is None else str(n)
        drawn = BAR * max(1, round(n / most * BAR_WIDTH)) if n and most else ""
        lines.append(f"| {md(name)} | {shown} | {drawn} |")
    return [*lines, ""]


def markdown_parts(data: ReportData, entries: Iterable[Entry]) -> Iterator[str]:
    out = [f"# {md(TITLE)}", ""]
    for label, value in heading_lines(data):
        out.append(f"**{md(label)}:** {md(value) if value else BLANK}  ")
    out.append("")
    out.extend(f"{md(line)}\n" for line in outside_lines(data))
    out += ["## Warning signs", ""]
    groups = flag_groups(data.findings)
    for group in groups:
        out += [f"### {md(group.label)}: {md(group.action)}", ""]
        for shown, sign, advice in group.findings:
            out.append(f"- **{md(shown)}** Sign: {md(sign)} What to do: {md(advice)}")
        out.append("")
    if not groups:
        out += [md(NO_FLAGS), ""]
    out += ["## Summary", "", "| | |", "| --- | --- |"]
    out.extend(row(pair) for pair in summary(data))
    out.append("")
    if data.count:
        out += ["## Charts", ""]
        out += chart_table("Episodes per week", "Week", week_rows(data))
        out += chart_table(
            "When cramps started, by hour (noon to noon)",
            "Hour",
            [(f"{label}:00", n) for label, n in hour_rows(data, busy_only=True)],
        )
        out += [f"## {md(entries_heading(data))}", "", row(ENTRY_COLUMNS), "|" + " --- |" * len(ENTRY_COLUMNS)]
    yield "\n".join(out) + "\n"
    if data.count:
        batch: list[str] = []
        for entry in entries:
            batch.append(row(entry_cells(entry)) + "\n")
            if len(batch) == 500:
                yield "".join(batch)
                batch = []
        yield "".join(batch)
    yield f"\n---\n\n*{md(data.disclaimer)}*\n"
