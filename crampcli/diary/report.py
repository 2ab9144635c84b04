"""A summary of the diary to take to a doctor, as Markdown or as HTML (through rich).

It holds the numbers, the weekly chart, any red flags in full, the latest entries and the
disclaimer. Users' notes are escaped for Markdown and, in HTML, by rich's export.
"""

from __future__ import annotations

import datetime as dt
import re

from crampcli.render import safe

from .flags import Finding
from .model import Entry, short_start
from .parse import format_duration
from .stats import Stats
from .view import chart, duration_line, finding_detail, hour_rows, note_line, period_line, trend_line, week_rows

REPORT_FORMATS = ("md", "html")
ENTRIES_SHOWN = 200  # the latest ones; the export holds them all
CHART_WIDTH = 60
ENTRY_COLUMNS = ("#", "Started", "Night/day", "Area", "Side", "Duration", "Severity", "Triggers", "Symptoms", "Note")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # what could start markup inside a line


class Report:
    """What a report shows, whatever its format."""

    def __init__(
        self,
        stats: Stats,
        findings: list[Finding],
        entries: list[Entry],
        described: str,
        disclaimer: str,
        made: dt.datetime,
        version: str,
    ) -> None:
        self.stats = stats
        self.findings = findings
        self.entries = entries  # the latest, at most ENTRIES_SHOWN
        self.described = described
        self.disclaimer = disclaimer
        self.made = made
        self.version = version

    def heading(self) -> str:
        return f"Leg cramp diary{self.described}"

    def byline(self) -> str:
        stats = self.stats
        span = f"{stats.first_day} to {stats.last_day}" if stats.first_day else "no entries yet"
        return f"Made with cramp {self.version} on {self.made.strftime('%Y-%m-%d %H:%M')}. Entries from {span}."

    def summary(self) -> list[tuple[str, str]]:
        stats = self.stats
        return [
            ("Episodes", str(stats.count)),
            ("Night and day", period_line(stats)),
            ("Duration", duration_line(stats)),
            ("Trend", trend_line(stats)),
        ]

    def flag_groups(self) -> list[tuple[str, str, list[str]]]:
        """(urgency id, 'label: action', [what the diary shows, the sign, the advice]) per urgency."""
        groups: list[tuple[str, str, list[str]]] = []
        for f in self.findings:  # most urgent first
            if not groups or groups[-1][0] != f.level.id:
                groups.append((f.level.id, f"{f.level.label}: {f.level.action}", []))
            groups[-1][2].append(
                f"{f.flag.finding} {finding_detail(f)} Sign: {f.red_flag.sign} What to do: {f.red_flag.advice}"
            )
        return groups

    def entries_title(self) -> str:
        shown = len(self.entries)
        if shown < self.stats.count:
            return f"Entries (the latest {shown} of {self.stats.count}; cramp log export has them all)"
        return "Entries"


def entry_cells(entry: Entry) -> list[str]:
    return [
        str(entry.id),
        short_start(entry),
        entry.period,
        entry.area,
        entry.side or "",
        format_duration(entry.duration),
        "" if entry.severity is None else f"{entry.severity}/10",
        ", ".join(entry.triggers),
        ", ".join(entry.symptoms),
        note_line(entry.note),
    ]


NO_FLAGS = "None of the warning signs cramp looks for in a diary were found. That is not a check-up."


# Markdown


def md(text: str) -> str:
    """Text as literal Markdown: control characters neutralised, markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe(" ".join(text.split())))


def markdown(report: Report) -> str:
    stats = report.stats
    out = [f"# {md(report.heading())}", "", md(report.byline()), "", "## Warning signs", ""]
    for _, label, lines in report.flag_groups():
        out += [f"**{md(label)}**", ""]
        out.extend(f"- {md(line)}" for line in lines)
        out.append("")
    if not report.findings:
        out += [md(NO_FLAGS), ""]
    out += ["## Summary", "", "| | |", "| --- | --- |"]
    out.extend(f"| {md(name)} | {md(value)} |" for name, value in report.summary())
    if stats.count:
        out += ["", "## Episodes per week", "", "```text", *chart(week_rows(stats), True, CHART_WIDTH), "```"]
        out += ["", "## By area", "", "| Area | Episodes |", "| --- | ---: |"]
        out.extend(f"| {md(area)} | {n} |" for area, n in stats.by_area)
        out += ["", "## By the hour it started", "", "```text", *chart(hour_rows(stats), True, CHART_WIDTH), "```"]
        out += ["", f"## {md(report.entries_title())}", ""]
        out.append("| " + " | ".join(ENTRY_COLUMNS) + " |")
        out.append("|" + " --- |" * len(ENTRY_COLUMNS))
        out.extend("| " + " | ".join(md(cell) for cell in entry_cells(e)) + " |" for e in report.entries)
    out += ["", "---", "", f"*{md(report.disclaimer)}*", ""]
    return "\n".join(out)


# HTML


STYLES = {"emergency": "bold white on red", "urgent": "bold red", "soon": "bold yellow", "self-care": "green"}


def html(report: Report) -> str:
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(record=True, file=io.StringIO(), width=110, color_system="truecolor", force_terminal=True)

    def say(text: str, style: str = "") -> None:
        console.print(Text(safe(text), style=style))

    def table(headers: tuple[str, ...], rows: list[list[str]]) -> Table:
        grid = Table(*headers, show_header=any(headers), header_style="bold")
        for row in rows:
            grid.add_row(*(Text(safe(cell)) for cell in row))
        return grid

    stats = report.stats
    say(report.heading(), "bold underline")
    say(report.byline(), "dim")
    say("")
    say("Warning signs", "bold")
    for urgency, label, lines in report.flag_groups():
        say(label, STYLES.get(urgency, "bold"))
        for line in lines:
            say(f"! {line}", STYLES.get(urgency, ""))
    if not report.findings:
        say(NO_FLAGS)
    say("")
    console.print(table(("", ""), [list(row) for row in report.summary()]))
    if stats.count:
        for title, rows in (("Episodes per week", week_rows(stats)), ("By the hour it started", hour_rows(stats))):
            say("")
            say(title, "bold")
            for line in chart(rows, True, CHART_WIDTH):
                say(line, "cyan")
        say("")
        console.print(table(("Area", "Episodes"), [[area, str(n)] for area, n in stats.by_area]))
        say("")
        say(report.entries_title(), "bold")
        console.print(table(ENTRY_COLUMNS, [entry_cells(e) for e in report.entries]))
    say("")
    say(report.disclaimer, "italic")
    return console.export_html(inline_styles=True)


def render_report(report: Report, fmt: str) -> str:
    return html(report) if fmt == "html" else markdown(report)
