"""Colour: whether a run gets it (options, NO_COLOR, FORCE_COLOR, a terminal), and pages in
colour and weight, over the plain layout. The only module that imports rich for pages, and
only when a terminal gets colour."""

import os
import sys
from typing import TYPE_CHECKING, TextIO

from crampcli.output.layout import disclaimer_text, is_terminal, plain_block, plain_width, table_layout, wrap
from crampcli.output.page import Block, Color, Mode, Page, Styler
from crampcli.text import safe, unicode_ok

if TYPE_CHECKING:
    from crampcli.content.model import Disclaimer


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
    return "rich" if is_terminal(sys.stdout) else "plain"


def forced(value: str | None) -> bool:
    """FORCE_COLOR and CLICOLOR_FORCE force colour when set to anything but empty or 0."""
    return bool(value) and value != "0"


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
