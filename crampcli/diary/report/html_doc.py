"""The doctor's report as one self-contained HTML document: semantic markup, styles inline,
charts as inline SVG, no script and nothing fetched, and a print stylesheet.

Built by small functions that escape every piece of text on its way in (html.escape), and
written out as it is made, so that a period of any length never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from crampcli.diary.model import Entry

from .data import ReportData
from .paper import CSS_NAMES
from .shared import (
    ENTRY_COLUMNS,
    FILL_IN,
    FINDINGS_HEADING,
    MARK_LEGEND,
    NO_FLAGS,
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
from .svg import bar_chart

# Widths of the entry table's columns (percent): the page's width whatever the paper; a note
# has the whole width, on its own line under its row.
COLUMN_WIDTHS = (6, 11, 7, 9, 11, 7, 10, 9, 16, 14)
STYLE = """
:root { color: #000; background: #fff; font: 11pt/1.35 Helvetica, Arial, sans-serif; }
body { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #888; }
h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
dl.heading { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.heading dt { font-weight: bold; }
dl.heading dd { margin: 0; }
.blank { display: inline-block; min-width: 18rem; border-bottom: 1px solid #000; }
section.flags { border: 2px solid #b00020; padding: .2rem .8rem .6rem; }
.flags h3 { color: #b00020; }
.flags li { margin-bottom: .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .15rem .3rem; text-align: left; vertical-align: top; }
th { background: #eee; }
table.summary th { width: 11rem; }
table.entries { table-layout: fixed; font-size: 8.5pt; }
table.entries th { overflow-wrap: anywhere; }
table.entries td { overflow-wrap: anywhere; white-space: pre-wrap; }
table.entries td.number { text-align: right; white-space: nowrap; }
table.entries tr.marked td.number { color: #b00020; font-weight: bold; }
table.entries tr.note td { border-top: none; padding-left: 1.5rem; }
table.entries tr.has-note td { border-bottom: none; }
figure { margin: .6rem 0; }
figcaption { font-size: .9rem; }
svg { max-width: 100%; height: auto; }
.muted { color: #444; font-size: .9rem; }
footer { margin-top: 1.5rem; border-top: 1px solid #888; padding-top: .5rem; font-style: italic; }
@media print {
  @page { size: PAPER; margin: 14mm 12mm 16mm; }
  :root { font-size: 10pt; }
  body { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr.has-note, tr.has-note + tr.note { break-after: avoid-page; }
  tr, figure, section.flags li { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .blank { min-width: 14rem; }
}
"""


def text(value: str) -> str:
    return escape(value, quote=True)


def element(tag: str, content: str, css_class: str = "") -> str:
    """<tag class="...">content</tag>; content is markup already escaped."""
    attribute = f' class="{text(css_class)}"' if css_class else ""
    return f"<{tag}{attribute}>{content}</{tag}>"


def head(data: ReportData, paper: str) -> str:
    title = f"{TITLE}, {data.period.first_day.isoformat()} to {data.period.last_day.isoformat()}"
    style = STYLE.replace("PAPER", CSS_NAMES[paper])  # the print stylesheet's paper (--paper, else the locale's)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
    )


def header(data: ReportData) -> str:
    rows = []
    for label, value in heading_lines(data):
        shown = text(value)
        if label in FILL_IN:
            shown = '<span class="blank" aria-label="to fill in">&#160;</span> ' + shown
        rows.append(f"<dt>{text(label)}</dt><dd>{shown}</dd>")
    outside = "".join(element("p", text(line), "muted") for line in outside_lines(data))
    return f'<header>\n<h1>{text(TITLE)}</h1>\n<dl class="heading">{"".join(rows)}</dl>\n{outside}</header>\n'


def flags(data: ReportData) -> str:
    parts = [f'<section class="flags" aria-labelledby="flags">\n<h2 id="flags">{text(FINDINGS_HEADING)}</h2>\n']
    groups = finding_groups(data)
    for group in groups:
        parts.append(element("h3", text(group.title)) + element("p", text(group.graded), "muted"))
        parts.append("<ul>" + "".join(element("li", text(line)) for line in group.lines) + "</ul>\n")
    if groups:
        parts.append(element("p", text(MARK_LEGEND), "muted"))
    else:
        parts.append(element("p", text(NO_FLAGS)))
    parts.append("</section>\n")
    return "".join(parts)


def summary_table(data: ReportData) -> str:
    rows = "".join(
        f'<tr><th scope="row">{text(label)}</th><td>{text(value)}</td></tr>' for label, value in summary(data)
    )
    return (
        '<section aria-labelledby="summary">\n<h2 id="summary">Summary</h2>\n'
        f'<table class="summary">{rows}</table>\n</section>\n'
    )


def charts(data: ReportData) -> str:
    if not data.count:
        return ""
    weeks = week_rows(data, short=True)
    hours = hour_rows(data)
    every = max(1, -(-len(weeks) // 16))
    return (
        '<section aria-labelledby="charts">\n<h2 id="charts">Charts</h2>\n'
        "<figure>"
        + bar_chart("Episodes per week", [(label, n) for label, n in weeks], every)
        + "<figcaption>Episodes in each week of the period (7 days, labelled by the first of them; the "
        "last week ends on the period's last day). n/r: not recorded, before the diary's first entry."
        "</figcaption></figure>\n"
        "<figure>"
        + bar_chart("When cramps started, by hour", [(label, n) for label, n in hours], 2)
        + "<figcaption>When cramps started, by the hour of the local clock, from noon to noon "
        "so that each night stays together.</figcaption></figure>\n</section>\n"
    )


def entry_table_start(data: ReportData) -> str:
    columns = "".join(f'<col style="width:{width}%">' for width in COLUMN_WIDTHS)
    headers = "".join(f'<th scope="col">{text(name)}</th>' for name in ENTRY_COLUMNS)
    return (
        f'<section aria-labelledby="entries">\n<h2 id="entries">{text(entries_heading(data))}</h2>\n'
        f'<table class="entries"><colgroup>{columns}</colgroup>\n<thead><tr>{headers}</tr></thead>\n<tbody>\n'
    )


def entry_row(entry: Entry, marked: frozenset[int]) -> str:
    """The entry's row; its note, if any, on a row of its own under it, the table's full width."""
    cells = entry_cells(entry, marked)
    note = note_text(entry)
    classes = " ".join(name for name, on in (("marked", entry.id in marked), ("has-note", bool(note))) if on)
    opening = f'<tr class="{classes}">' if classes else "<tr>"
    first = f'<td class="number">{text(cells[0])}</td>'
    row = opening + first + "".join(f"<td>{text(cell)}</td>" for cell in cells[1:]) + "</tr>\n"
    if note:
        label = element("strong", text(NOTE_LABEL) + ":")
        row += f'<tr class="note"><td colspan="{len(ENTRY_COLUMNS)}">{label} {text(note)}</td></tr>\n'
    return row


def footer(data: ReportData) -> str:
    return f"<footer>\n<p>{text(data.disclaimer)}</p>\n</footer>\n</body>\n</html>\n"


def html_parts(data: ReportData, entries: Iterable[Entry], paper: str = "a4") -> Iterator[str]:
    """The document in pieces, in order; entries are read one at a time."""
    yield head(data, paper) + header(data) + "<main>\n" + flags(data) + summary_table(data) + charts(data)
    if data.count:
        yield entry_table_start(data)
        batch: list[str] = []
        for entry in entries:
            batch.append(entry_row(entry, data.marked))
            if len(batch) == 500:
                yield "".join(batch)
                batch = []
        yield "".join(batch) + "</tbody>\n</table>\n</section>\n"
    yield "</main>\n" + footer(data)
