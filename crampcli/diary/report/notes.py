"""Words in a note that a clinician would want to hear about: a pure function, no diary.

A note is free text, so these are only pointed out ("worth raising"), never counted as a
finding of the diary's own fields; the words follow the signs of a clot the guide names
(swelling, warmth, redness) and a leg that cannot bear weight.
"""

from __future__ import annotations

import re

# Each sign and the ways a note says it: whole words, any case, straight or curly apostrophe.
NOTE_SIGNS: tuple[tuple[str, str], ...] = (
    ("swollen", r"swollen|swelling|swelled"),
    ("warm", r"warm|warmth|hot to the touch"),
    ("red", r"red|redness|reddish"),
    ("can't walk", r"can['\u2019]?t walk|cannot walk|can not walk|unable to walk|could(?:n['\u2019]?t| not) walk"),
)
_PATTERNS = tuple(
    (sign, re.compile(rf"(?<![\w'\u2019])(?:{words})(?![\w'\u2019])", re.IGNORECASE)) for sign, words in NOTE_SIGNS
)


def note_signs(note: str) -> tuple[str, ...]:
    """The signs a note mentions, in NOTE_SIGNS order ('swollen', 'warm', 'red', "can't walk")."""
    if not note:
        return ()
    return tuple(sign for sign, pattern in _PATTERNS if pattern.search(note))
