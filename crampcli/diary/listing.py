"""`cramp log list`, written as SQLite reads it: plain lines, one JSON document, or a table on a
terminal. A row is written as soon as it is read, so a diary of a million entries takes no
more memory than one of ten. The plain and JSON text are exactly what render.show would
write for view.list_page; the table is for people, at the terminal's width.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from crampcli.output import layout as render
from crampcli.output.page import Mode
from crampcli.text import safe, unicode_ok

from .model import Damaged, Entry, local_start, plausible, short_start
from .parse import period_at
from .view import damaged_line, entry_line, plural, row_json

if TYPE_CHECKING:
    from crampcli.content.model import Disclaimer

DOUBTFUL = " (date?)"  # after the date of an entry logged while the clock was wrong
DOUBTFUL_NOTE = "(date?) dated before 2000 or in the future: logged while the device's clock was wrong."
GAP = "  "
MIN_NOTES = 16  # narrower than this, the table gives way to plain lines
NOTE_LINES = 4  # of a long note in its cell; the rest is cut with "...", as the plain list cuts it


def row_line(row: Entry | Damaged, now: dt.datetime) -> str:
    """An entry as one line, as the plain list shows it."""
    if isinstance(row, Damaged):
        return damaged_line(row)
    line = entry_line(row)
    if not plausible(row.started, now):
        stamp = short_start(row)
        line = line.replace(stamp, stamp + DOUBTFUL, 1)
    return line


class Lister:
    """Writes one listing; out is flushed every so many rows, so a reader sees it as it comes."""

    def __init__(self, out: TextIO, disclaimer: Disclaimer, now: dt.datetime) -> None:
        self.out = out
        self.disclaimer = disclaimer
        self.now = now
        self.unicode = unicode_ok(out)
        self.pending: list[str] = []

    def emit(self, text: str) -> None:
        self.pending.append(text)
        if len(self.pending) >= 200:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.pending))
        self.pending.clear()
        self.out.flush()

    # JSON: render.json_text of view.list_page, a row at a time

    def json(self, rows: Iterable[Entry | Damaged], count: int) -> None:
        import json  # loaded only for --json: the C encoder is a shared library

        self.emit(f'{{\n  "kind": "diary-list",\n  "count": {count},\n  "entries": ')
        first = True
        for row in rows:
            row_text = json.dumps(row_json(row), indent=2, ensure_ascii=True, default=str).replace("\n", "\n    ")
            self.emit(("[\n    " if first else ",\n    ") + row_text)
            first = False
        self.emit("[]" if first else "\n  ]")
        self.emit(f',\n  "disclaimer": {json.dumps(self.disclaimer.text)}\n}}\n')
        self.flush()

    # Plain: render.plain_text of view.list_page, a line at a time

    def plain(self, rows: Iterable[Entry | Damaged], count: int, described: str, width: int | None) -> None:
        def lines(text: str, rest: str = "") -> None:
            for line in render.wrap(text, width, "", rest):
                self.emit(safe(line, self.unicode) + "\n")

        if count:
            self.emit("\n")
            lines(f"Cramp diary: {plural(count, 'entry', 'entries')}{described}")
        else:
            lines(f"No entries{described}. Log a cramp: cramp log add calf 2m")
        for row in rows:
            lines(row_line(row, self.now))
        self.emit("\n")
        lines(f"-- {self.disclaimer.short}", "   ")  # a page of records: the one-line disclaimer
        self.flush()

    # A table for a terminal

    def table(self, rows: Iterable[Entry | Damaged], count: int, described: str, width: int, columns: Columns) -> None:
        from rich.color import ColorSystem
        from rich.style import Style

        def styled(line: str, style: str) -> str:
            text = safe(line, self.unicode)
            return (
                Style.parse(style).render(text, color_system=ColorSystem.STANDARD) if style and text.strip() else text
            )

        if not count:
            self.emit(styled(f"No entries{described}. Log a cramp: cramp log add calf 2m", "") + "\n")
        else:
            self.emit(styled(f"Cramp diary: {plural(count, 'entry', 'entries')}{described}", "bold underline") + "\n")
            self.emit(styled(columns.header(), "bold") + "\n")
        doubtful = False
        for row in rows:
            if isinstance(row, Damaged):
                for line in render.wrap(damaged_line(row), width, "", "  "):
                    self.emit(styled(line, "yellow") + "\n")
                continue
            odd = not plausible(row.started, self.now)
            doubtful |= odd
            for line in columns.lines(row, odd):
                self.emit(styled(line, "") + "\n")
        if doubtful:
            self.emit(styled(DOUBTFUL_NOTE, "yellow") + "\n")
        self.emit("\n")
        for line in render.wrap(self.disclaimer.short, width, "", ""):
            self.emit(styled(line, "dim italic") + "\n")
        self.flush()


def compact_duration(seconds: int) -> str:
    """'2m', '1m30s', '1h5m': as one types it (8 characters but for odd ones such as 23h59m59s)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"


class Columns:
    """Fixed column widths, decided before the first row: the table streams."""

    def __init__(self, width: int, id_width: int, area_width: int) -> None:
        self.widths = (max(id_width + 1, 2), 16, 8, max(area_width, 4), 5, 3)
        self.notes = width - sum(self.widths) - len(GAP) * len(self.widths)

    def fits(self) -> bool:
        return self.notes >= MIN_NOTES

    def join(self, cells: tuple[str, ...], notes: str) -> str:
        placed = [
            cell[:w].ljust(w) if i else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, self.widths, strict=True))
        ]
        return (GAP.join(placed) + GAP + notes).rstrip()

    def header(self) -> str:
        return self.join(("#", "When", "How long", "Area", "Side", "Sev"), "Notes")

    def lines(self, entry: Entry, doubtful: bool) -> list[str]:
        notes = []
        if entry.period != period_at(local_start(entry)):  # told so: the time alone says otherwise
            notes.append(entry.period)
        if entry.triggers:
            notes.append(f"triggers: {', '.join(entry.triggers)}")
        if entry.symptoms:
            notes.append(f"symptoms: {', '.join(entry.symptoms)}")
        if entry.note:
            notes.append(" ".join(entry.note.split()))
        if doubtful:
            notes.insert(0, "(date?)")
        wrapped = textwrap.wrap(
            "; ".join(notes), self.notes, break_on_hyphens=False, max_lines=NOTE_LINES, placeholder="..."
        ) or [""]
        cells = (
            f"#{entry.id}",
            short_start(entry),
            compact_duration(entry.duration),
            entry.area,
            entry.side or "",
            "" if entry.severity is None else str(entry.severity),
        )
        blank = tuple("" for _ in cells)
        return [self.join(cells if i == 0 else blank, text) for i, text in enumerate(wrapped)]


def write_list(
    rows: Iterable[Entry | Damaged],
    count: int,
    described: str,
    mode: Mode,
    disclaimer: Disclaimer,
    now: dt.datetime,
    out: TextIO,
    columns: Callable[[int], Columns],
) -> None:
    """The listing in the mode chosen; columns(width) gives the table's layout."""
    lister = Lister(out, disclaimer, now)
    if mode == "json":
        lister.json(rows, count)
        return
    if mode == "rich":
        width = render.plain_width(out) or 80
        layout = columns(width)
        if layout.fits():
            lister.table(rows, count, described, width, layout)
            return
    lister.plain(rows, count, described, render.plain_width(out))
