"""Show a page: rich for a terminal, plain text for pipes, or one JSON object.

The only module that imports rich (and only when a terminal gets colour), and the one place
that adds the disclaimer, so no page can forget it.
"""

import os
import textwrap
from typing import TYPE_CHECKING, TextIO

from crampcli.text import safe

if TYPE_CHECKING:
    from crampcli.content.model import Disclaimer
    from crampcli.output.page import Block, Page


MIN_WIDTH = 24  # below this, wrapping hurts more than the terminal's own wrapping
MAX_WIDTH = 100  # lines longer than this are hard to read, however wide the terminal


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain_width(out: TextIO) -> int | None:
    """Wrap to COLUMNS or the terminal; a pipe without COLUMNS gets whole lines."""
    columns = terminal_columns(out)
    return None if columns is None else min(max(columns, MIN_WIDTH), MAX_WIDTH)


def terminal_columns(out: TextIO) -> int | None:
    """COLUMNS, else the terminal's width; None for a pipe without COLUMNS."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if is_terminal(out):
        try:
            return os.get_terminal_size(out.fileno()).columns
        except (OSError, ValueError):
            return None
    return None


def screen_lines(out: TextIO) -> int | None:
    """The lines a page may take before the shell prompt pushes its top away: LINES, else the
    terminal's height, less the prompt's line; None for a pipe without LINES."""
    lines = os.environ.get("LINES", "")
    if lines.isdigit() and int(lines) > 1:
        return int(lines) - 1
    if is_terminal(out):
        try:
            return max(os.get_terminal_size(out.fileno()).lines - 1, 1)
        except (OSError, ValueError):
            return None
    return None


def plain_text(page: "Page", disclaimer: "Disclaimer", width: int | None, unicode: bool = True) -> str:
    lines: list[str] = []
    for block in page.blocks:
        lines.extend(plain_block(block, width, unicode))
    if lines:
        lines.append("")
    lines.extend(wrap(f"-- {disclaimer_text(page, disclaimer)}", width, "", "   "))
    return safe("\n".join(lines), unicode) + "\n"


# Pages about the user's own records and settings, not advice: the one-line disclaimer. The
# diary's statistics and report, an entry that raised a red flag, and every page of advice
# keep the full one.
BRIEF_KINDS = frozenset(("diary-entry", "diary-import", "diary-list", "diary-path", "diary-removed", "profile"))


def disclaimer_text(page: "Page", disclaimer: "Disclaimer") -> str:
    records = page.kind in BRIEF_KINDS and not any(block.kind == "alert" for block in page.blocks)
    return disclaimer.short if page.brief or records else disclaimer.text


def page_height(page: "Page", disclaimer: "Disclaimer", width: int) -> int:
    """How many lines the page takes at width, its disclaimer included (the same in colour)."""
    return plain_text(page, disclaimer, width).count("\n")


def plain_block(block: "Block", width: int | None, unicode: bool, bullet: str = "-") -> list[str]:
    out: list[str] = []
    if block.kind in ("title", "heading"):
        out.append("")
        for line in block.lines:
            out.extend(wrap(line, width, "", ""))
    elif block.kind == "steps":
        for n, line in enumerate(block.lines, 1):
            out.extend(wrap(line, width, f"  {n}. ", "     "))
    elif block.kind == "bullets":
        for line in block.lines:
            out.extend(wrap(line, width, f"  {bullet} ", "    "))
    elif block.kind == "alert":
        for line in block.lines:
            out.extend(wrap(line, width, "  ! ", "    "))
    elif block.kind == "link":  # an address is never broken: a line of its own, however long
        out.extend(f"    {line}" for line in block.lines)
    elif block.kind == "detail":  # belongs to the bullet above: under its text, on every line
        for line in block.lines:
            out.extend(wrap(line, width, "    ", "    "))
    elif block.kind == "table":
        out.extend("".join(cells).rstrip() for cells, _ in table_layout(block, width))
    else:
        for line in block.lines:
            out.extend(wrap(line, width, "", ""))
    return out


TABLE_INDENT = "  "
TABLE_GAP = "  "
NARROWEST_LAST_COLUMN = 16  # below this, a table reads better as a list


def table_layout(block: "Block", width: int | None) -> list[tuple[list[str], int]]:
    """A table block (tab-separated cells, the first line the header) as screen lines, each
    a list of padded cells with the index of its row (0: the header, -1: the rule under it).

    Each column takes its widest cell. When that is too wide for the terminal, the widest
    columns are narrowed to one cap (never below their longest word), so the long text wraps
    in its own column, whichever it is, and the short ones (an amount, a grade) stay whole.
    Too narrow even for that, each row becomes a bullet with the first cell, the others in
    brackets.
    """
    rows = [line.split("\t") for line in block.lines]
    count = max(len(row) for row in rows)
    rows = [row + [""] * (count - len(row)) for row in rows]
    room = None if width is None else width - len(TABLE_INDENT) - len(TABLE_GAP) * (count - 1)
    widths = [max(len(row[i]) for row in rows) for i in range(count)]
    if room is not None and sum(widths) > room:
        words = [max(len(word) for row in rows for word in row[i].split() or [""]) for i in range(count)]
        capped = capped_widths(widths, words, room)
        if capped is None or capped[-1] < min(NARROWEST_LAST_COLUMN, max(len(row[-1]) for row in rows)):
            return table_as_list(rows, width)
        widths = capped
    lines: list[tuple[list[str], int]] = []
    for index, row in enumerate(rows):
        cells = [wrap(cell, w, "", "") if cell else [""] for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(c) for c in cells)):
            texts = [c[n] if n < len(c) else "" for c in cells]
            padded = [t.ljust(w) for t, w in zip(texts[:-1], widths[:-1], strict=True)]
            lines.append(([TABLE_INDENT, *(t + TABLE_GAP for t in padded), texts[-1]], index))
        if index == 0:
            rule = [TABLE_INDENT, *("-" * w + TABLE_GAP for w in widths[:-1]), "-" * widths[-1]]
            lines.append((rule, -1))
    return lines


def capped_widths(natural: list[int], words: list[int], room: int) -> list[int] | None:
    """Column widths within room: every column wider than one cap is cut to it (but never
    below its longest word), the cap as high as room allows; None when even the longest
    words do not fit."""

    def fitted(cap: int) -> list[int]:
        return [min(n, max(cap, w)) for n, w in zip(natural, words, strict=True)]

    if sum(fitted(0)) > room:
        return None
    low, high = 0, max(natural)  # the widest cap that fits, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if sum(fitted(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return fitted(low)


def table_as_list(rows: list[list[str]], width: int | None) -> list[tuple[list[str], int]]:
    lines: list[tuple[list[str], int]] = []
    for index, row in enumerate(rows[1:], 1):
        extra = ", ".join(cell for cell in row[1:-1] if cell)
        text = row[0] + (f" [{extra}]" if extra else "") + (f": {row[-1]}" if row[-1] and len(row) > 1 else "")
        lines.extend(([line], index) for line in wrap(text, width, "  - ", "    "))
    return lines


def wrap(text: str, width: int | None, first: str, rest: str) -> list[str]:
    if width is None:
        return [first + text]
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]
