"""The doctor's report as a PDF, through reportlab (the optional extra: pip install 'crampcli[pdf]').

reportlab was chosen by measurement (README, "A report for your doctor"): it installs from
PyPI alone, is the smallest of the libraries tried and the fastest at long tables. The layout
follows the HTML report: the same words from report.py, the entry table's header on every
page, long notes wrapped in their cells, and the disclaimer at the end.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from html import escape
from typing import Any

from crampcli.diary.model import Entry
from crampcli.errors import CrampError

from .data import ReportData
from .shared import (
    BLANK,
    ENTRY_COLUMNS,
    NO_FLAGS,
    TITLE,
    entries_heading,
    entry_cells,
    flag_groups,
    heading_lines,
    hour_rows,
    outside_lines,
    period_words,
    summary,
    week_rows,
)

PDF_EXTRA = "pip install 'crampcli[pdf]'"
# A font with more than Latin-1, where the system has one (Debian: fonts-dejavu-core).
FONT_FILES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)
# Widths of the entry table's columns, in parts of the frame's width (as in the HTML).
COLUMN_WIDTHS = (5, 10, 6, 9, 10, 6, 10, 8, 12, 10, 14)
# Rows per table: reportlab lays a table out again at each page break, so one table of ten
# thousand rows takes minutes; tables of this many rows (each with its header) take seconds.
ROWS_PER_TABLE = 200


def check_pdf_library() -> None:
    """Raise a clear error, naming the extra, when reportlab is not installed."""
    if importlib.util.find_spec("reportlab") is None:
        raise CrampError(f"writing a PDF needs the pdf extra: {PDF_EXTRA} (or write .html or .md).")


def fonts() -> tuple[str, str, bool]:
    """(regular, bold, full Unicode): a system TrueType font when there is one, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for regular, bold in FONT_FILES:
        if os.path.isfile(regular) and os.path.isfile(bold):
            try:
                pdfmetrics.registerFont(TTFont("ReportSans", regular))
                pdfmetrics.registerFont(TTFont("ReportSans-Bold", bold))
            except (TTFError, OSError):
                continue
            return "ReportSans", "ReportSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def pdf_bytes(data: ReportData, entries: Iterable[Entry]) -> bytes:
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, unicode = fonts()

    def clean(value: str) -> str:
        """Escaped for reportlab's paragraph markup; outside Latin-1 without a Unicode font, '?'."""
        if not unicode:
            value = value.encode("latin-1", "replace").decode("latin-1")
        return escape(value, quote=False).replace("\n", "<br/>")

    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.2)
    muted = ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#444444"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    )
    urgent = ParagraphStyle("urgent", parent=heading, fontSize=10.5, textColor=colors.HexColor("#b00020"))
    italic = ParagraphStyle("closing", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#222222"))
    grid = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"{TITLE}, {data.period.first_day.isoformat()} to {data.period.last_day.isoformat()}",
        author="",
        creator=f"cramp {data.version}",
    )
    width = document.width

    def page_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(14 * mm, 9 * mm, clean_plain(f"{TITLE}: {period_words(data)}", unicode))
        canvas.drawRightString(A4[0] - 14 * mm, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [Paragraph(clean(TITLE), title)]
    rows = [
        [Paragraph(f"<b>{clean(label)}</b>", body), Paragraph(clean(value) if value else BLANK, body)]
        for label, value in heading_lines(data)
    ]
    story.append(Table(rows, colWidths=(0.22 * width, 0.78 * width), style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.extend(Paragraph(clean(line), muted) for line in outside_lines(data))

    story.append(Paragraph("Warning signs", heading))
    groups = flag_groups(data.findings)
    for group in groups:
        story.append(Paragraph(clean(group.label), urgent))
        story.append(Paragraph(clean(group.action), body))
        for shown, sign, advice in group.findings:
            text = f"<b>{clean(shown)}</b><br/>Sign: {clean(sign)}<br/>What to do: {clean(advice)}"
            story.append(Paragraph(text, body, bulletText="\u2022" if unicode else "-"))
            story.append(Spacer(1, 3))
    if not groups:
        story.append(Paragraph(clean(NO_FLAGS), body))

    story.append(Paragraph("Summary", heading))
    summary_rows = [[Paragraph(f"<b>{clean(k)}</b>", body), Paragraph(clean(v), body)] for k, v in summary(data)]
    story.append(Table(summary_rows, colWidths=(0.22 * width, 0.78 * width), style=grid))

    if data.count:
        weeks = week_rows(data, short=True)
        story.append(
            KeepTogether(
                [
                    Paragraph("Charts", heading),
                    chart("Episodes per week (n/r: not recorded, before the first entry)", weeks, width, regular),
                    chart("When cramps started, by hour (noon to noon)", list(hour_rows(data)), width, regular),
                ]
            )
        )
        story.append(Paragraph(clean(entries_heading(data)), heading))
        column_name = ParagraphStyle("column", parent=small, fontName=bold, fontSize=7)
        header = [Paragraph(clean(name), column_name) for name in ENTRY_COLUMNS]
        widths = [width * part / sum(COLUMN_WIDTHS) for part in COLUMN_WIDTHS]
        style = TableStyle(
            [
                *grid,
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("FONT", (0, 1), (-1, -1), regular, small.fontSize, small.leading),
            ]
        )
        room = [w - 5 for w in widths]  # the cell less its padding

        def cell(value: str, column: int) -> Any:
            """A plain string where it fits on one line (quick to lay out); a wrapping paragraph
            where it does not."""
            if "\n" not in value and stringWidth(value, regular, small.fontSize) <= room[column]:
                return clean_plain(value, unicode)
            return Paragraph(clean(value), small)

        batch: list[list[Any]] = []

        def table_of(rows: list[list[Any]]) -> Table:
            return Table([header, *rows], colWidths=widths, repeatRows=1, style=style)

        for entry in entries:
            batch.append([cell(value, column) for column, value in enumerate(entry_cells(entry))])
            if len(batch) == ROWS_PER_TABLE:
                story.append(table_of(batch))
                batch = []
        if batch:
            story.append(table_of(batch))

    story.append(Spacer(1, 10))
    story.append(Paragraph(f"<i>{clean(data.disclaimer)}</i>", italic))
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()


def clean_plain(value: str, unicode: bool) -> str:
    return value if unicode else value.encode("latin-1", "replace").decode("latin-1")


def chart(title: str, rows: list[tuple[str, int | None]], width: float, font: str) -> Any:
    """A bar chart drawn as the HTML's SVG one is: counts above the bars, n/r for not recorded."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    top, chart_height, bottom = 22, 80, 16
    slot = min(30.0, width / max(len(rows), 1))
    drawing = Drawing(width, top + chart_height + bottom)
    base = bottom
    drawing.add(String(0, base + chart_height + 10, title, fontName=font, fontSize=9))
    drawing.add(Line(0, base, slot * len(rows), base, strokeColor=colors.black, strokeWidth=0.5))
    most = max((n for _, n in rows if n), default=0)
    every = max(1, -(-len(rows) // 16))
    for index, (label, count) in enumerate(rows):
        x = index * slot
        middle = x + slot / 2
        if count is None:
            drawing.add(
                Rect(x + 2, base, slot - 4, chart_height, fillColor=colors.HexColor("#d9d9d9"), strokeColor=None)
            )
            drawing.add(String(middle, base + 3, "n/r", fontName=font, fontSize=6.5, textAnchor="middle"))
        else:
            height = count / most * (chart_height - 10) if most else 0
            if height:
                drawing.add(Rect(x + 2, base, slot - 4, height, fillColor=colors.HexColor("#31568c"), strokeColor=None))
            if count or len(rows) <= 16:  # zeros would crowd the 24 hours
                drawing.add(
                    String(middle, base + height + 2, str(count), fontName=font, fontSize=7, textAnchor="middle")
                )
        if index % every == 0:
            drawing.add(String(middle, base - 9, label, fontName=font, fontSize=6.5, textAnchor="middle"))
    return drawing
