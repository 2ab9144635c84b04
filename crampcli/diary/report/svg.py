"""Bar charts as inline SVG for the HTML report: no script, legible on paper (black on white,
every bar labelled with its count), and weeks that were not recorded drawn apart from zero."""

from __future__ import annotations

from html import escape

BAR_COLOUR = "#31568c"
UNRECORDED_COLOUR = "#d9d9d9"
TEXT = 'font-family="Helvetica, Arial, sans-serif" fill="#000"'


def bar_chart(title: str, rows: list[tuple[str, int | None]], label_every: int = 1) -> str:
    """A vertical bar per row: its count above it, its label below (every label_every-th one).
    A None count is drawn as a pale full-height bar marked 'n/r' (not recorded)."""
    slot = 36 if len(rows) <= 16 else 24
    top, chart_height, bottom = 18, 110, 34
    width = max(slot * len(rows), 120) + 8
    height = top + chart_height + bottom
    most = max((n for _, n in rows if n), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="4" y1="{top + chart_height}" x2="{width - 4}" y2="{top + chart_height}" stroke="#000" />',
    ]
    for index, (label, count) in enumerate(rows):
        x = 4 + index * slot
        middle = x + slot / 2
        if count is None:
            parts.append(
                f'<rect x="{x + 3}" y="{top}" width="{slot - 6}" height="{chart_height}" fill="{UNRECORDED_COLOUR}" />'
            )
            parts.append(
                f'<text x="{middle}" y="{top + chart_height - 4}" {TEXT} font-size="9" text-anchor="middle">n/r</text>'
            )
        else:
            bar_height = round(count / most * (chart_height - 14)) if most else 0
            y = top + chart_height - bar_height
            if bar_height:
                parts.append(
                    f'<rect x="{x + 3}" y="{y}" width="{slot - 6}" height="{bar_height}" fill="{BAR_COLOUR}" />'
                )
            if count or len(rows) <= 16:  # zeros would crowd the 24 hours
                parts.append(
                    f'<text x="{middle}" y="{y - 3}" {TEXT} font-size="10" text-anchor="middle">{count}</text>'
                )
        if index % label_every == 0:
            parts.append(
                f'<text x="{middle}" y="{top + chart_height + 13}" {TEXT} font-size="9" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
