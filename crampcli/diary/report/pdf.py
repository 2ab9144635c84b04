"""The doctor's report as a PDF, through reportlab (the optional extra: pip install 'crampcli[pdf]').

reportlab was chosen by measurement (README, "A report for your doctor"): it installs from
PyPI alone, is the smallest of the libraries tried and the fastest at long tables. The layout
follows the HTML report: the same words from shared.py, the entry table's header on every
page, each note on full-width rows under its entry (a long note continues over as many rows,
and pages, as it needs: one table row can never be taller than a page), the fonts chosen for
each run of text (fonts.py), and the disclaimer at the end.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from typing import Any

from crampcli.diary.model import Entry
from crampcli.errors import CrampError

from .data import ReportData
from .fonts import Fonts
from .paper import SIZES
from .shared import (
    BLANK,
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
    period_words,
    summary,
    week_rows,
)

PDF_EXTRA = "pip install 'crampcli[pdf]'"
# Widths of the entry table's columns, in parts of the frame's width (as in the HTML).
COLUMN_WIDTHS = (6, 11, 7, 9, 11, 7, 10, 9, 16, 14)
# Rows per table: reportlab lays a table out again at each page break, so one table of ten
# thousand rows takes minutes; tables of this many rows (each with its header) take seconds.
ROWS_PER_TABLE = 200
# A note's piece per row: at most this many lines and characters, some 20 lines of a page's
# width (CJK characters being widest), so that no row outgrows a page.
NOTE_PIECE_LINES = 20
NOTE_PIECE_CHARS = 1200
# A piece's row is measured once laid out when the piece is longer than this: what is drawn can
# be longer than the note (each character no font has is drawn as [U+1F600]) or wider (a
# ligature of many letters), and a row taller than NOTE_ROW_SHARE of the page is cut at a line.
NOTE_MEASURED_CHARS = 200
NOTE_INDENT = 12  # a note's rows are indented under their entry's
NOTE_ROW_SHARE = 0.5


def check_pdf_library() -> None:
    """Raise a clear error, naming the extra, when reportlab is not installed."""
    if importlib.util.find_spec("reportlab") is None:
        raise CrampError(f"writing a PDF needs the pdf extra: {PDF_EXTRA} (or write .html or .md).")


def note_pieces(note: str) -> list[str]:
    """The note in pieces of at most NOTE_PIECE_LINES lines and NOTE_PIECE_CHARS characters,
    broken between lines where it can, else at a space, else anywhere."""
    pieces: list[str] = []
    lines: list[str] = []
    size = 0
    for line in note.split("\n"):
        while len(line) > NOTE_PIECE_CHARS:  # one line longer than a piece: cut at its last space
            cut = line.rfind(" ", 0, NOTE_PIECE_CHARS)
            cut = cut if cut > NOTE_PIECE_CHARS // 2 else NOTE_PIECE_CHARS
            if lines:
                pieces.append("\n".join(lines))
                lines, size = [], 0
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if lines and (len(lines) >= NOTE_PIECE_LINES or size + len(line) > NOTE_PIECE_CHARS):
            pieces.append("\n".join(lines))
            lines, size = [], 0
        lines.append(line)
        size += len(line) + 1
    if lines and any(part.strip() for part in lines):
        pieces.append("\n".join(lines))
    return pieces


class Written:
    """A PDF and what it could not show."""

    def __init__(self, document: bytes, missing: str | None) -> None:
        self.document = document
        self.missing = missing  # '2 characters (U+1F600 grinning face, ...)', or None


def pdf_bytes(
    data: ReportData,
    entries: Iterable[Entry],
    paper: str = "a4",
    done: Callable[[int], None] | None = None,
    fonts: Fonts | None = None,
) -> Written:
    """The PDF; done(n) is told as each table of n entries is laid out on its pages."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    fonts = fonts or Fonts()
    regular, bold = fonts.regular, fonts.bold
    page_size = SIZES[paper]

    def clean(value: str, strong: bool = False) -> str:
        return fonts.markup(value, strong)

    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.2)
    muted = ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#444444"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    )
    finding = ParagraphStyle("finding", parent=heading, fontSize=10.5, textColor=colors.HexColor("#b00020"))
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
        pagesize=page_size,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"{TITLE}, {data.period.first_day.isoformat()} to {data.period.last_day.isoformat()}",
        author="",
        creator=f"cramp {data.version}",
    )
    width = document.width
    footer_text = fonts.drawable(f"{TITLE}: {period_words(data)}")

    def page_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(14 * mm, 9 * mm, footer_text)
        canvas.drawRightString(page_size[0] - 14 * mm, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    class Tick(Flowable):  # type: ignore[misc]
        """Takes no room; tells done() when the table before it has been laid out."""

        def __init__(self, entries: int) -> None:
            super().__init__()
            self.entries = entries

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            if done is not None:
                done(self.entries)

    story: list[Any] = [Paragraph(clean(TITLE), title)]
    rows = [
        [
            Paragraph(clean(label, strong=True), body),
            Paragraph((BLANK + " " if label in FILL_IN else "") + clean(value), body),
        ]
        for label, value in heading_lines(data)
    ]
    story.append(Table(rows, colWidths=(0.24 * width, 0.76 * width), style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.extend(Paragraph(clean(line), muted) for line in outside_lines(data))

    story.append(Paragraph(clean(FINDINGS_HEADING), heading))
    groups = finding_groups(data)
    for group in groups:
        story.append(Paragraph(clean(group.title), finding))
        story.append(Paragraph(clean(group.graded), muted))
        for line in group.lines:
            story.append(Paragraph(clean(line), body, bulletText="\u2022" if fonts.unicode else "-"))
        story.append(Spacer(1, 3))
    story.append(Paragraph(clean(MARK_LEGEND if groups else NO_FLAGS), muted if groups else body))

    story.append(Paragraph("Summary", heading))
    summary_rows = [[Paragraph(clean(k, strong=True), body), Paragraph(clean(v), body)] for k, v in summary(data)]
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
        marked_number = ParagraphStyle("marked", parent=small, fontName=bold, textColor=colors.HexColor("#b00020"))
        header = [Paragraph(clean(name), column_name) for name in ENTRY_COLUMNS]
        widths = [width * part / sum(COLUMN_WIDTHS) for part in COLUMN_WIDTHS]
        base_style = [
            *grid,
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("FONT", (0, 1), (-1, -1), regular, small.fontSize, small.leading),
        ]
        room = [w - 5 for w in widths]  # the cell less its padding

        def cell(value: str, column: int) -> Any:
            """A plain string where it fits on one line in the base font (quick to lay out); a
            wrapping paragraph, in as many fonts as it needs, where it does not."""
            plain = fonts.plain(value)
            if plain is not None and stringWidth(plain, regular, small.fontSize) <= room[column]:
                return plain
            return Paragraph(clean(value), small)

        note_width = width - NOTE_INDENT - 2.5  # the spanned row less its padding
        note_height = NOTE_ROW_SHARE * document.height

        def row_parts(paragraph: Any) -> list[Any]:
            """The paragraph as it is, or cut between lines into parts each at most note_height
            high: a table row is never split, and one taller than the page cannot be laid out."""
            parts = []
            while paragraph.wrap(note_width, note_height)[1] > note_height:
                split = paragraph.split(note_width, note_height)
                if len(split) < 2:
                    break
                parts.append(split[0])
                paragraph = split[1]
            parts.append(paragraph)
            return parts

        batch: list[list[Any]] = []
        spans: list[tuple[Any, ...]] = []
        in_batch = 0

        def flush() -> None:
            nonlocal batch, spans, in_batch
            style = TableStyle([*base_style, *spans])
            story.append(Table([header, *batch], colWidths=widths, repeatRows=1, style=style))
            story.append(Tick(in_batch))
            batch, spans, in_batch = [], [], 0

        for entry in entries:
            cells = entry_cells(entry, data.marked)
            row = [cell(value, column) for column, value in enumerate(cells)]
            if entry.id in data.marked:
                row[0] = Paragraph(clean(cells[0]), marked_number)
            batch.append(row)
            note = note_text(entry)
            for index, piece in enumerate(note_pieces(note) if note else ()):
                label = NOTE_LABEL if index == 0 else f"{NOTE_LABEL}, continued"
                paragraph = Paragraph(f"<b>{clean(label)}:</b> {clean(piece)}", small)
                parts = row_parts(paragraph) if len(piece) > NOTE_MEASURED_CHARS else [paragraph]
                for part in parts:
                    batch.append([part] + [""] * (len(ENTRY_COLUMNS) - 1))
                    at = len(batch)  # the header is row 0
                    spans += [("SPAN", (0, at), (-1, at)), ("LEFTPADDING", (0, at), (-1, at), NOTE_INDENT)]
            in_batch += 1
            if in_batch == ROWS_PER_TABLE:
                flush()
        if batch:
            flush()

    story.append(Spacer(1, 10))
    story.append(Paragraph(f"<i>{clean(data.disclaimer)}</i>", italic))
    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return Written(buffer.getvalue(), fonts.missing_words())


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
