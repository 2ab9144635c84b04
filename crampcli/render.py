"""Show a page: rich for a terminal, plain text for pipes, or one JSON object.

The only module that imports rich (and only when a terminal gets colour), and the one place
that adds the disclaimer, so no page can forget it.
"""

import os
import sys
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from .model import Disclaimer
    from .views import Block, Page

Mode = Literal["rich", "plain", "json"]
Styler = Callable[[str, str], str]  # (text, style) -> the text in that style
Color = Literal["auto", "always", "never"]

# Terminal control characters in any text are shown as '?', never passed to the terminal; so
# are the bidirectional overrides, which make a terminal show text in another order than sent.
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS = {c: "?" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)}
# Stand-ins for when the output cannot carry Unicode (LANG=C with PYTHONIOENCODING=ascii).
_ASCII = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "•": "-",
        "…": "...",
        "½": "1/2",
        "¼": "1/4",
        "¾": "3/4",
        "×": "x",
        "°": " deg",
        "µ": "u",
        "≈": "~",
        "→": "->",
        "≥": ">=",
        "≤": "<=",
        "\u00a0": " ",
    }
)
MIN_WIDTH = 24  # below this, wrapping hurts more than the terminal's own wrapping
MAX_WIDTH = 100  # lines longer than this are hard to read, however wide the terminal


def pick_mode(json_output: bool = False, plain: bool = False, color: Color | None = None) -> Mode:
    """JSON if asked; plain for pipes, --plain, NO_COLOR, CLICOLOR=0 and TERM=dumb; else rich.
    FORCE_COLOR and CLICOLOR_FORCE outrank CLICOLOR=0 (as the CLICOLOR convention says), not NO_COLOR."""
    if json_output:
        return "json"
    if plain or color == "never":
        return "plain"
    if color == "always":
        return "rich"
    if os.environ.get("NO_COLOR"):
        return "plain"
    if forced(os.environ.get("FORCE_COLOR")) or forced(os.environ.get("CLICOLOR_FORCE")):
        return "rich"
    if os.environ.get("CLICOLOR") == "0" or os.environ.get("TERM") == "dumb":
        return "plain"
    return "rich" if _isatty(sys.stdout) else "plain"


def forced(value: str | None) -> bool:
    """FORCE_COLOR and CLICOLOR_FORCE force colour when set to anything but empty or 0."""
    return bool(value) and value != "0"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def unicode_ok(stream: TextIO) -> bool:
    return "utf" in (getattr(stream, "encoding", None) or "").lower()


def safe(text: str, unicode: bool = True) -> str:
    """Text with control characters neutralised, and in ASCII when the output needs it."""
    text = text.translate(_CONTROLS)
    if not unicode:
        return text.translate(_ASCII).encode("ascii", "replace").decode("ascii")
    # An argument with bytes that are not UTF-8 arrives as lone surrogates, which no UTF-8 output takes.
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def show(page: "Page", mode: Mode, disclaimer: "Disclaimer", stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    write(out, page_text(page, mode, disclaimer, out))


def page_text(page: "Page", mode: Mode, disclaimer: "Disclaimer", out: TextIO) -> str:
    """The page as it is written to out: JSON, plain text or text with colour, laid out for out."""
    if mode == "json":
        return json_text(page, disclaimer)
    if page.kind != "disclaimer" and _isatty(out):
        # On a terminal a page ends with the one-line disclaimer: four lines of it pushed the
        # page over the screen and into the pager. The full text stays in `cramp disclaimer`,
        # in JSON and in files.
        from .record import replace

        disclaimer = replace(disclaimer, text=disclaimer.short)
    if mode == "plain":
        return plain_text(page, disclaimer, plain_width(out), unicode_ok(out))
    return rich_text(page, disclaimer, out)


def write(out: TextIO, text: str) -> None:
    out.write(text)
    out.flush()


def json_text(page: "Page", disclaimer: "Disclaimer") -> str:
    """One JSON object, indented, in ASCII: every other character is a \\u escape, so no
    terminal control or unencodable character reaches the output, whatever the locale."""
    document = {"kind": page.kind, **page.data, "disclaimer": disclaimer.text}
    return json_value(document, 0) + "\n"


# What json.dumps escapes besides \uXXXX; written here because loading json's C encoder
# (a shared library) cost more start-up time than the few strings of a page take to escape.
_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def json_string(text: str) -> str:
    """text as a JSON string in ASCII, exactly as json.dumps writes it."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return '"' + "".join(map(_json_char, text)) + '"'


def _json_char(char: str) -> str:
    if char in _JSON_ESCAPES:
        return _JSON_ESCAPES[char]
    if " " <= char <= "~":
        return char
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the basic plane: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"


def json_value(value: object, level: int) -> str:
    """value as JSON, indented by two spaces a level, like json.dumps(value, indent=2)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, str):
        return json_string(value)
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{json_string(str(k))}: {json_value(v, level + 1)}" for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(json_value(v, level + 1) for v in value) + "\n" + "  " * level + "]"
    return json_string(str(value))


def plain_width(out: TextIO) -> int | None:
    """Wrap to COLUMNS or the terminal; a pipe without COLUMNS gets whole lines."""
    columns = terminal_columns(out)
    return None if columns is None else min(max(columns, MIN_WIDTH), MAX_WIDTH)


def terminal_columns(out: TextIO) -> int | None:
    """COLUMNS, else the terminal's width; None for a pipe without COLUMNS."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if _isatty(out):
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
    if _isatty(out):
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


# Evidence grades in one colour each, wherever they are shown (the word is always there too).
GRADE_STYLES = {
    "strong": "bold green",
    "moderate": "green",
    "limited": "yellow",
    "advice-only": "cyan",
    "unproven": "magenta",
    "not-shown-to-help": "red",
    "not-recommended": "bold red",
}
# A grade where pages name one: '[limited]' after a tip, 'Evidence: limited' before its reason.
_GRADE_MARK = r"(?<=\[)({0})(?=\])|(?<=Evidence: )({0})\b".format("|".join(GRADE_STYLES))


def styled_grades(line: str, style: str, styled: "Styler") -> str:
    """The line in its style, with any grade it names in the grade's colour."""
    import re

    parts = re.split(_GRADE_MARK, line)
    if len(parts) == 1:
        return styled(line, style)
    out = []
    for n, part in enumerate(parts):
        if part:
            is_grade = n % 3 != 0
            out.append(styled(part, GRADE_STYLES[part] if is_grade else style))
    return "".join(out)


def rich_table(block: "Block", width: int, styled: "Styler") -> list[str]:
    """The table's lines: the header bold, the rule dim, an Evidence column in grade colours."""
    header = block.lines[0].split("\t")
    grade_column = header.index("Evidence") if "Evidence" in header else None
    rows = [line.split("\t") for line in block.lines]
    lines = []
    for cells, index in table_layout(block, width):
        out = []
        for n, cell in enumerate(cells):
            column = n - 1  # cells[0] is the indent
            if index == 0:
                style = "bold"
            elif index == -1:
                style = "dim"
            elif column == grade_column and index < len(rows) and column < len(rows[index]):
                style = GRADE_STYLES.get(rows[index][column], "")
            else:
                style = ""
            stripped = cell.rstrip()
            out.append(styled(stripped, style) + cell[len(stripped) :])  # padding stays unstyled
        lines.append("".join(out).rstrip())
    return lines


STYLES = {
    "first": "bold",
    "title": "bold underline",
    "heading": "bold",
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "self-care": "green",
    "caution": "yellow",
    "personal": "bold magenta",
    "evidence": "cyan",
    "muted": "dim",
}


def block_style(block: "Block") -> str:
    if block.kind in ("title", "heading", "first"):
        return STYLES.get(block.style) or STYLES[block.kind]
    if block.kind == "alert":
        return STYLES.get(block.style, STYLES["caution"])
    return STYLES.get(block.style, "")


def terminal_link(address: str) -> str:
    """The address as an OSC 8 link: clickable where the terminal knows the sequence, and the
    same text where it does not (terminals ignore an unknown OSC sequence)."""
    return f"\x1b]8;;{address}\x1b\\{address}\x1b]8;;\x1b\\"


def rich_text(page: "Page", disclaimer: "Disclaimer", out: TextIO) -> str:
    """The plain layout, wrapped to the terminal, in colour and weight rendered by rich's Style.

    rich.console would cost some 20 ms more to import on every coloured run; pages need no
    more than a style per line and hanging indents, which the plain layout already has.
    """
    from rich.color import ColorSystem
    from rich.style import Style

    unicode = unicode_ok(out)
    width = plain_width(out) or 80
    cache: dict[str, Style] = {}

    def styled(line: str, style: str) -> str:
        text = safe(line, unicode)
        if not style or not line.strip():
            return text
        if style not in cache:
            cache[style] = Style.parse(style)
        return cache[style].render(text, color_system=ColorSystem.STANDARD)

    lines: list[str] = []
    for block in page.blocks:
        if block.kind == "table":
            lines.extend(rich_table(block, width, styled))
            continue
        if block.kind == "link":  # a terminal link (OSC 8), shown as the address itself
            for line in block.lines:
                number, _, address = line.rpartition(" ")
                lines.append(f"    {number + ' ' if number else ''}{terminal_link(safe(address, unicode))}")
            continue
        style = block_style(block)
        lines.extend(
            styled_grades(line, style, styled) for line in plain_block(block, width, unicode, "•" if unicode else "-")
        )
    lines.append("")
    lines.extend(styled(line, "dim italic") for line in wrap(disclaimer_text(page, disclaimer), width, "", ""))
    return "\n".join(lines) + "\n"
