"""Show a page: rich for a terminal, plain text for pipes, or one JSON object.

The only module that imports rich (and only when a terminal gets colour), and the one place
that adds the disclaimer, so no page can forget it.
"""

import os
import sys
import textwrap
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from .model import Disclaimer
    from .views import Block, Page

Mode = Literal["rich", "plain", "json"]
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
    """JSON if asked; plain for pipes, --plain, NO_COLOR and TERM=dumb; else rich."""
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
    if os.environ.get("TERM") == "dumb":
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


def plain_text(page: "Page", disclaimer: "Disclaimer", width: int | None, unicode: bool = True) -> str:
    lines: list[str] = []
    for block in page.blocks:
        lines.extend(plain_block(block, width, unicode))
    if lines:
        lines.append("")
    lines.extend(wrap(f"-- {disclaimer_text(page, disclaimer)}", width, "", "   "))
    return safe("\n".join(lines), unicode) + "\n"


def disclaimer_text(page: "Page", disclaimer: "Disclaimer") -> str:
    return disclaimer.short if page.brief else disclaimer.text


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
    else:
        for line in block.lines:
            out.extend(wrap(line, width, "", ""))
    return out


def wrap(text: str, width: int | None, first: str, rest: str) -> list[str]:
    if width is None:
        return [first + text]
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]


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
        style = block_style(block)
        lines.extend(styled(line, style) for line in plain_block(block, width, unicode, "•" if unicode else "-"))
    lines.append("")
    lines.extend(styled(line, "dim italic") for line in wrap(disclaimer_text(page, disclaimer), width, "", ""))
    return "\n".join(lines) + "\n"
