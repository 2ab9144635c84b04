"""The PDF's fonts, chosen for each run of text: a TrueType font of the system for Latin,
Greek and Cyrillic (DejaVu Sans; Arial on macOS and Windows), reportlab's built-in CID fonts
for Chinese, Japanese and Korean (they need no font file: the reader's viewer supplies the
glyphs), and for a character none of them can show, a visible stand-in ([U+1F600]) that the
text layer reads as it looks, counted so that the user is told once.

reportlab writes a TrueType font's text layer (its ToUnicode map) with four hex digits a
character, so a character beyond U+FFFF (an emoji) would extract as a wrong one: those get
the stand-in too.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterator
from html import escape
from pathlib import Path

# (regular, bold) TrueType files, the first pair found is used.
_WINDOWS_FONTS = Path(os.environ.get("WINDIR") or "C:\\Windows") / "Fonts"
FONT_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "linux": (
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
        ("/usr/local/share/fonts/dejavu/DejaVuSans.ttf", "/usr/local/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ),
    "darwin": (  # macOS 10.15 and later keep Arial under Supplemental/
        ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
        ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
        ("/Library/Fonts/DejaVuSans.ttf", "/Library/Fonts/DejaVuSans-Bold.ttf"),
    ),
    "win32": (
        (str(_WINDOWS_FONTS / "arial.ttf"), str(_WINDOWS_FONTS / "arialbd.ttf")),
        (str(_WINDOWS_FONTS / "segoeui.ttf"), str(_WINDOWS_FONTS / "segoeuib.ttf")),
        (str(_WINDOWS_FONTS / "DejaVuSans.ttf"), str(_WINDOWS_FONTS / "DejaVuSans-Bold.ttf")),
    ),
}
CHINESE, JAPANESE, KOREAN = "STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium"
FALLBACK = ("Helvetica", "Helvetica-Bold")  # Latin-1 only
# Characters that take no room and mean nothing alone: left out where no font has them.
_SILENT = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10)})


def platform_files() -> tuple[tuple[str, str], ...]:
    key = "darwin" if sys.platform == "darwin" else "win32" if sys.platform.startswith("win") else "linux"
    return FONT_FILES[key]


def script_of(code: int) -> str | None:
    """'ko', 'ja', 'zh' for the letters of Korean, the kana of Japanese, and Han characters
    (with CJK punctuation and full-width forms); None for the rest."""
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "ko"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF65 <= code <= 0xFF9F:
        return "ja"
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
    ):
        return "zh"
    return None


class Fonts:
    """The fonts of one PDF, and the characters it could not show."""

    def __init__(self, files: tuple[tuple[str, str], ...] | None = None) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        self.regular, self.bold = FALLBACK
        self.covered: frozenset[int] | None = None  # None: Latin-1 (the fallback's)
        for regular, bold in platform_files() if files is None else files:
            if not (os.path.isfile(regular) and os.path.isfile(bold)):
                continue
            try:
                face = TTFont("ReportSans", regular)
                pdfmetrics.registerFont(face)
                pdfmetrics.registerFont(TTFont("ReportSans-Bold", bold))
                pdfmetrics.registerFontFamily(
                    "ReportSans",
                    normal="ReportSans",
                    bold="ReportSans-Bold",
                    italic="ReportSans",
                    boldItalic="ReportSans-Bold",
                )
            except (TTFError, OSError):
                continue
            self.regular, self.bold = "ReportSans", "ReportSans-Bold"
            self.covered = frozenset(code for code in face.face.charToGlyph if code <= 0xFFFF)
            break
        self.cid_ready = False
        self.missing: dict[str, int] = {}  # character -> times replaced
        self._choice: dict[str, str | None] = {}

    @property
    def unicode(self) -> bool:
        return self.covered is not None

    def cid(self, name: str) -> str:
        if not self.cid_ready:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            for font in (CHINESE, JAPANESE, KOREAN):
                pdfmetrics.registerFont(UnicodeCIDFont(font))
            self.cid_ready = True
        return name

    def base_covers(self, code: int) -> bool:
        if self.covered is None:
            return code < 0x100
        return code in self.covered

    def font_for(self, char: str, language: str) -> str | None:
        """The font for one character: '' the base font, a CID font's name, None for none."""
        key = char + language
        if key in self._choice:
            return self._choice[key]
        code = ord(char)
        script = script_of(code)
        chosen: str | None
        if script is not None and not (script == "zh" and self.base_covers(code) and code >= 0xFF00):
            language = script if script != "zh" else language
            chosen = self.cid({"ko": KOREAN, "ja": JAPANESE}.get(language, CHINESE))
        elif self.base_covers(code):
            chosen = ""
        else:
            chosen = None
        self._choice[key] = chosen
        return chosen

    def runs(self, value: str) -> Iterator[tuple[str | None, str]]:
        """(font, text) runs of value: '' the base font, a CID font, None text to stand in."""
        if value.isascii():
            yield "", value
            return
        # Han characters read as Japanese beside kana, as Korean beside hangul.
        scripts = {script_of(ord(char)) for char in value}
        language = "ja" if "ja" in scripts else "ko" if "ko" in scripts else "zh"
        current: str | None = ""
        run: list[str] = []
        for char in value:
            font = self.font_for(char, language)
            if font != current and run:
                yield current, "".join(run)
                run = []
            current = font
            run.append(char)
        if run:
            yield current, "".join(run)

    def stand_in(self, text: str) -> str:
        """What is written for characters no font has: [U+1F600], counted for the warning."""
        shown = []
        for char in text:
            if ord(char) in _SILENT:
                continue
            self.missing[char] = self.missing.get(char, 0) + 1
            shown.append(f"[U+{ord(char):04X}]")
        return "".join(shown)

    def markup(self, value: str, bold: bool = False) -> str:
        """value as reportlab paragraph markup: escaped, each run in its font, line breaks kept."""
        parts = []
        for font, text in self.runs(value):
            if font is None:
                parts.append(escape(self.stand_in(text), quote=False))
            elif font:
                parts.append(f'<font name="{font}">{escape(text, quote=False)}</font>')
            else:
                parts.append(escape(text, quote=False))
        joined = "".join(parts).replace("\n", "<br/>")
        return f"<b>{joined}</b>" if bold else joined

    def plain(self, value: str) -> str | None:
        """value as it can be drawn in the base font alone, or None when it needs other fonts."""
        if value.isascii():
            return value
        runs = list(self.runs(value))
        return value if len(runs) == 1 and runs[0][0] == "" else None

    def drawable(self, value: str) -> str:
        """value for a single-font line (the page footer): stand-ins for what the base font lacks."""
        return "".join(char if self.base_covers(ord(char)) else self.stand_in(char) for char in value)

    def missing_words(self) -> str | None:
        """'1 character in the notes: U+1F600 (grinning face)' for the warning; None when every
        character was shown."""
        if not self.missing:
            return None
        named = []
        for char in sorted(self.missing)[:8]:
            name = unicodedata.name(char, "")
            named.append(f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else ""))
        more = f" and {len(self.missing) - 8} more" if len(self.missing) > 8 else ""
        count = len(self.missing)
        return f"{count} {'character' if count == 1 else 'characters'}: {', '.join(named)}{more}"
