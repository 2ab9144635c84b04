"""Finding an item of the content by its id, name or one of its aliases, and saying so
clearly when none matches."""

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from crampcli.errors import UsageError
from crampcli.text import shorten

if TYPE_CHECKING:  # a Protocol class costs start-up time; only the type checker needs it

    class Named(Protocol):
        @property
        def id(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def aliases(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound="Named")


def normalise(name: str) -> str:
    """'Back of Thigh' and 'back_of_thigh' both become 'back-of-thigh'."""
    return re.sub(r"[\s_\-]+", "-", name.strip().lower()).strip("-")


def names_of(item: "Named") -> list[str]:
    return [item.id, normalise(item.name), *(normalise(a) for a in item.aliases)]


def find_named(items: Sequence[N], wanted: str, what: str, plural: str) -> N:
    """The item whose id, name or alias is wanted; else a usage error with suggestions."""
    key = normalise(wanted)
    for item in items:
        if key in names_of(item):
            return item
    raise UsageError(unknown_message(items, wanted, what, plural))


def unknown_message(items: "Sequence[Named]", wanted: str, what: str, plural: str) -> str:
    import difflib

    key = normalise(wanted)
    by_name = {name: item for item in items for name in names_of(item)}
    close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6) if key else []
    shown = shorten(wanted)
    message = f"unknown {what} {shown}." if key else f"no {what} given."
    if close:
        message += " Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return message + f" {plural.capitalize()}: " + ", ".join(item.id for item in items) + "."


def find_by_word(items: Sequence[N], wanted: str, what: str, plural: str) -> list[N]:
    """The item named wanted; else every item with a name holding each word of wanted (as a
    word or the start of one: 'magnesium' finds magnesium tablets, oil and Epsom salt, known
    as magnesium sulfate); else a usage error with suggestions."""
    key = normalise(wanted)
    for item in items:
        if key in names_of(item):
            return [item]
    words = [w for w in key.split("-") if w]

    def holds(item: "Named") -> bool:
        parts = {part for name in names_of(item) for part in name.split("-")}
        return all(any(part.startswith(w) for part in parts) for w in words)

    found = [item for item in items if words and holds(item)]
    if not found:
        raise UsageError(unknown_message(items, wanted, what, plural))
    return found
