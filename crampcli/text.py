"""Text from users and files made safe to show: control characters neutralised, long values
cut, quoted values escaped. The base of every layer, so it imports only the standard library."""

from typing import TextIO

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


def safe(text: str, unicode: bool = True) -> str:
    """Text with control characters neutralised, and in ASCII when the output needs it."""
    text = text.translate(_CONTROLS)
    if not unicode:
        return text.translate(_ASCII).encode("ascii", "replace").decode("ascii")
    # An argument with bytes that are not UTF-8 arrives as lone surrogates, which no UTF-8 output takes.
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def shorten(text: str, limit: int = 40) -> str:
    """A user's text made safe to quote in a message: escaped, and cut when long."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def cut(message: str) -> str:
    """Whatever a message quotes (a huge key in a broken file), it stays a message."""
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + " ... (cut)"


MAX_MESSAGE = 8000  # the longest real one lists 20 content problems


def unicode_ok(stream: TextIO) -> bool:
    """Whether the stream takes Unicode; else text is shown in ASCII stand-ins."""
    return "utf" in (getattr(stream, "encoding", None) or "").lower()
