"""The doctor's report as Markdown: the same content as the HTML, charts as tables.

Every piece of text is escaped so that a note can never turn into markup or a link (GitHub's
renderer links bare URLs, www. names and e-mail addresses too), and the document is written
out as it is made (entries one at a time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crampcli.diary.model import Entry
from crampcli.text import safe

from .data import ReportData
from .shared import (
    ENTRY_COLUMNS,
    FILL_IN,
    FINDINGS_HEADING,
    MARK_LEGEND,
    NO_FLAGS,
    NOT_RECORDED,
    NOTE_LABEL,
    TITLE,
    entries_heading,
    entry_cells,
    finding_groups,
    heading_lines,
    hour_rows,
    note_text,
    outside_lines,
    summary,
    week_rows,
)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")  # what could start markup inside a line
# What starts an autolink in GitHub Flavored Markdown: a scheme's '://' (or mailto:/xmpp:),
# 'www.', and the '@' of an e-mail address. A word joiner (U+2060, invisible, no width)
# inside each keeps the text as it reads while no renderer sees a link.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9+.\-])(?=://)|(?<![a-z0-9])(?:www|mailto|xmpp)(?=[.:])|(?=@)")
WORD_JOINER = "\u2060"
BAR = "\u2588"
BAR_WIDTH = 30
BLANK = "\\_" * 30  # a line to fill in by hand, as escaped underscores


def unlinked(value: str) -> str:
    """value with a word joiner inside every autolink trigger (after 'www', before '://' or '@')."""
    return _AUTOLINK.sub(lambda match: match.group(0) + WORD_JOINER, value)


def md(value: str) -> str:
    """Text as literal Markdown on one line: control characters neutralised, markup escaped,
    never a link."""
    return unlinked(_MARKDOWN_SPECIAL.sub(r"\\\1", safe(" ".join(value.split()))))


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


def entry_item(entry: Entry, marked: frozenset[int]) -> str:
    """'- **#12 !** 2026-11-28 03:10 · night · calf · ...', the note on the lines under it, the
    page's full width (its own line breaks kept)."""
    cells = entry_cells(entry, marked)
    named = (f"{name.lower()}: {md(cell)}" for name, cell in zip(ENTRY_COLUMNS[3:], cells[3:], strict=True) if cell)
    line = f"- **#{md(cells[0])}** {md(cells[1])} {md(cells[2])}; " + "; ".join(named)
    note = note_text(entry)
    if note:
        lines = [md(part) for part in note.splitlines() if part.strip()]
        line += f"  \n  *{NOTE_LABEL}:* " + "\\\n  ".join(lines)
    return line + "\n"


def markdown_parts(data: ReportData, entries: Iterable[Entry]) -> Iterator[str]:
    out = [f"# {md(TITLE)}", ""]
    for label, value in heading_lines(data):
        shown = f"{BLANK} {md(value)}" if label in FILL_IN else md(value)
        out.append(f"**{md(label)}:** {shown.strip()}  ")
    out.append("")
    out.extend(f"{md(line)}\n" for line in outside_lines(data))
    out += [f"## {md(FINDINGS_HEADING)}", ""]
    groups = finding_groups(data)
    for group in groups:
        out += [f"### {md(group.title)}", "", f"*{md(group.graded)}*", ""]
        out.extend(f"- {md(line)}" for line in group.lines)
        out.append("")
    out += [md(MARK_LEGEND if groups else NO_FLAGS), ""]
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
        out += [f"## {md(entries_heading(data))}", ""]
    yield "\n".join(out) + "\n"
    if data.count:
        batch: list[str] = []
        for entry in entries:
            batch.append(entry_item(entry, data.marked))
            if len(batch) == 500:
                yield "".join(batch)
                batch = []
        yield "".join(batch)
    yield f"\n---\n\n*{md(data.disclaimer)}*\n"
