"""Which paper the report is laid out for: A4, or Letter where the user's locale uses it.

The order is the one libpaper and CUPS follow: --paper, then LC_PAPER, then the locale's
territory (LC_ALL, then LANG), then /etc/papersize; A4 when none of them says.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from crampcli.errors import UsageError
from crampcli.text import shorten

PAPERS = ("a4", "letter")
# Territories that use US Letter (CLDR's paper size data).
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PR", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "SV", "NI", "DO", "BZ"}
)
PAPERSIZE_FILE = Path("/etc/papersize")
# Size in points (1/72 inch): A4 210 x 297 mm, Letter 8.5 x 11 in; and CSS's name for each.
SIZES = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
CSS_NAMES = {"a4": "A4", "letter": "letter"}
_TERRITORY = re.compile(r"^[a-zA-Z]{2,3}_([A-Za-z]{2})(?:[.@]|$)")


def paper_for(chosen: str | None, environ: Mapping[str, str] | None = None, papersize: Path = PAPERSIZE_FILE) -> str:
    """'a4' or 'letter'; chosen is --paper (already checked against PAPERS)."""
    if chosen:
        return chosen
    env = os.environ if environ is None else environ
    for name in ("LC_PAPER", "LC_ALL", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        found = territory_paper(value)
        if found:
            return found
        if name == "LC_PAPER":  # set, but to C or POSIX: the file or the default decides
            break
    return file_paper(papersize) or "a4"


def territory_paper(locale_name: str) -> str | None:
    """'letter' for en_US.UTF-8 or es_MX, 'a4' for de_DE or en_GB; None for C, POSIX or junk."""
    match = _TERRITORY.match(locale_name.strip())
    if not match:
        return None
    return "letter" if match.group(1).upper() in LETTER_TERRITORIES else "a4"


def file_paper(path: Path) -> str | None:
    """The paper /etc/papersize names (its first word that is not a comment), if one of ours."""
    from crampcli import safefile

    try:  # a regular file only (a FIFO there would hang the run), and a few bytes: it holds one word
        raw, _ = safefile.read_regular(path, 256)
    except (OSError, safefile.UnsafePathError):
        return None
    text = raw.decode("ascii", "replace")
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            return word if word in PAPERS else None
    return None


def check_paper(value: str | None) -> str | None:
    """--paper as given, lower-cased; a usage error for anything but a4 or letter."""
    if value is None:
        return None
    wanted = value.strip().lower()
    if wanted not in PAPERS:
        raise UsageError(f"unknown paper {shorten(value)}; use a4 or letter.")
    return wanted
