"""A page: what one command shows, as blocks with a kind and a style, and its JSON data. No
formatting: output/layout.py and output/colour.py decide how a page looks."""

from collections.abc import Callable
from typing import Any, Literal

from crampcli.content.record import Record, fields

Mode = Literal["rich", "plain", "json"]
Styler = Callable[[str, str], str]  # (text, style) -> the text in that style
# A Literal, not an Enum: creating an Enum class cost start-up time on every run.
Color = Literal["auto", "always", "never"]

BlockKind = Literal["first", "title", "heading", "text", "steps", "bullets", "alert", "detail", "table", "link"]
# A "table" block's lines are rows of tab-separated cells, the first line the header; a column
# headed "Evidence" holds grades. A "detail" block belongs to the bullet above it. A "link"
# block's lines are addresses, each on a line of its own and never wrapped.
# Styles: an urgency id, "caution", "evidence", "muted" or "" for none.


class Block(Record):
    kind: BlockKind
    lines: tuple[str, ...]
    style: str = ""


class Page:
    """What one command shows, built up block by block."""

    def __init__(self, kind: str, data: dict[str, Any] | None = None, brief: bool = False) -> None:
        self.kind = kind  # names the JSON object's shape
        self.blocks: list[Block] = []
        self.data: dict[str, Any] = data or {}
        # A page for a moment or a small change (the short relief page, the diary, the
        # profile) ends with the one-line disclaimer; pages of advice end with the full one.
        self.brief = brief

    def add(self, kind: BlockKind, *lines: str, style: str = "") -> None:
        if lines:
            self.blocks.append(Block(kind, tuple(lines), style))


def as_json(value: Any) -> Any:
    """Model objects as plain JSON values."""
    if isinstance(value, Record):
        return {name: as_json(getattr(value, name)) for name in fields(value)}
    if isinstance(value, (tuple, list)):
        return [as_json(v) for v in value]
    return value
