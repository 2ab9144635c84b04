"""Turn parsed YAML documents into the model, naming every problem by file, line and key.

The records in model.py are the schema: a field's type says what the YAML value must be,
a field with a default is optional, and any other key is an error. After the types, the
references between items are checked (ids unique, sources and conditions known).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crampcli.content import model, record
from crampcli.errors import ContentError

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Fields that hold ids of other items, and the collection those ids must come from.
SOURCE_FIELDS = frozenset({"sources"})
CONDITION_FIELDS = frozenset({"conditions", "suits", "unsuitable_for", "audience"})
# Problems listed in one error before the rest are only counted.
MAX_LISTED = 20

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """One parsed content file."""

    name: str  # as shown to the user
    data: object
    line_of: Callable[[KeyPath], int | None]  # 1-based line of a key path, when known


@dataclass(frozen=True)
class Problem:
    file: str
    path: KeyPath
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = format_path(self.path)
        return f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"


def format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, str) and len(part) > 40:
            part = part[:37] + "..."  # an unknown key can be as long as its file
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def describe(value: object) -> str:
    """A short, safe description of a bad value for an error message."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:60]


class Builder:
    """Builds model objects from plain data, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.origin: dict[int, tuple[Document, KeyPath]] = {}  # id(object) -> where it was built
        self._alive: list[object] = []  # keeps built objects alive, so no id() in origin is reused
        self._hints: dict[type, dict[str, typing.Any]] = {}

    def problem(self, doc: Document, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(doc.name, path, message, doc.line_of(path)))

    def hints(self, cls: type) -> dict[str, typing.Any]:
        if cls not in self._hints:
            self._hints[cls] = typing.get_type_hints(cls)
        return self._hints[cls]

    def build(self, kind: typing.Any, value: object, doc: Document, path: KeyPath) -> typing.Any:
        origin = typing.get_origin(kind)
        args = typing.get_args(kind)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            (inner,) = [a for a in args if a is not type(None)]
            return self.build(inner, value, doc, path)
        if origin is typing.Literal:
            if value not in args:
                choices = ", ".join(str(a) for a in args)
                self.problem(doc, path, f"must be one of {choices}, not {describe(value)}")
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.problem(doc, path, f"expected a list, got {describe(value)}")
                return ()
            return tuple(self.build(args[0], item, doc, (*path, i)) for i, item in enumerate(value))
        if record.is_record(kind):
            return self.build_object(kind, value, doc, path)
        if kind is bool:
            if not isinstance(value, bool):
                self.problem(doc, path, f"expected true or false, got {describe(value)}")
            return value
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.problem(doc, path, f"expected a whole number of 0 or more, got {describe(value)}")
            return value
        if kind is str:
            if not isinstance(value, str) or not value.strip():
                self.problem(doc, path, f"expected text, got {describe(value)}")
                return ""
            if path and path[-1] == "id" and not ID_PATTERN.fullmatch(value):
                self.problem(doc, path, f"an id is lowercase words joined by '-', not {describe(value)}")
            return value.strip()
        raise TypeError(f"no rule for {kind!r}")  # a model.py field this module cannot build

    def build_object(self, cls: type[record.Record], value: object, doc: Document, path: KeyPath) -> typing.Any:
        if not isinstance(value, dict):
            self.problem(doc, path, f"expected a mapping, got {describe(value)}")
            value = {}
        fields = [name for name in record.fields(cls) if name != "origins"]
        hints = self.hints(cls)
        for key in value:
            if key not in fields:
                known = ", ".join(fields)
                self.problem(doc, (*path, str(key)), f"unknown key (known keys: {known})")
        kwargs: dict[str, typing.Any] = {}
        for name in fields:
            if name in value:
                kwargs[name] = self.build(hints[name], value[name], doc, (*path, name))
            elif not record.has_default(cls, name):
                self.problem(doc, path, f"missing required key '{name}'")
                kwargs[name] = placeholder(hints[name])
        built = cls(**kwargs)
        self.origin[id(built)] = (doc, path)
        self._alive.append(built)
        return built


def placeholder(kind: typing.Any) -> typing.Any:
    """A stand-in for a missing value, so that building can go on and find more problems."""
    origin = typing.get_origin(kind)
    if origin is tuple:
        return ()
    if origin in (typing.Union, types.UnionType):
        return None
    return ""


def walk(value: object) -> Iterator[object]:
    """Every model object inside value, value first."""
    if isinstance(value, record.Record):
        yield value
        for name in record.fields(value):
            yield from walk(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from walk(item)


# Sections a user's own content may not change: the disclaimer stays on, and the meaning
# of the urgency levels stays the guide's. Built-in red flags and look-alikes may not be
# replaced either (a replacement could lower an urgency), nor the diary flags that raise
# them (a replaced threshold could hide one).
LOCKED_SECTIONS = frozenset({"disclaimer", "urgency_levels"})
PROTECTED_ITEMS = {
    "red_flags": "red flag",
    "lookalikes": "look-alike",
    "screens": "screening question",
    "diary_flags": "diary flag",
}


def build_content(documents: list[Document], overlays: typing.Sequence[Document] = ()) -> model.Content:
    """Validate the documents together into one Content, or raise ContentError.

    Overlays (the user's own files) add items to list sections, or replace items by id.
    """
    builder = Builder()
    top_fields = {name for name in record.fields(model.Content) if name != "origins"}
    found: dict[str, tuple[object, Document]] = {}
    for doc in documents:
        if not isinstance(doc.data, dict):
            builder.problem(doc, (), f"expected a mapping of sections, got {describe(doc.data)}")
            continue
        for key, value in doc.data.items():
            if key not in top_fields:
                builder.problem(doc, (str(key),), f"unknown section (known: {', '.join(sorted(top_fields))})")
            elif key in found:
                builder.problem(doc, (key,), f"section already given in {found[key][1].name}")
            else:
                found[key] = (value, doc)
    hints = builder.hints(model.Content)
    kwargs: dict[str, typing.Any] = {}
    for name in sorted(top_fields):
        if name in found:
            value, doc = found[name]
            kwargs[name] = builder.build(hints[name], value, doc, (name,))
        else:
            builder.problems.append(Problem("content", (name,), "section missing from every content file"))
            kwargs[name] = placeholder(hints[name])
    for doc in overlays:
        apply_overlay(builder, doc, kwargs, hints, top_fields)
    if builder.problems:
        raise_problems(builder.problems)
    content = model.Content(**kwargs)
    check_references(content, builder)
    if builder.problems:
        raise_problems(builder.problems)
    origins = {
        getattr(item, "id"): builder.origin[id(item)][0].name  # noqa: B009 - not every record has an id
        for item in walk(content)
        if isinstance(getattr(item, "id", None), str) and id(item) in builder.origin
    }
    return record.replace(content, origins=origins)


def apply_overlay(
    builder: Builder, doc: Document, sections: dict[str, typing.Any], hints: dict[str, typing.Any], known: set[str]
) -> None:
    """Merge one user file into the sections built so far."""
    if not isinstance(doc.data, dict):
        builder.problem(doc, (), f"expected a mapping of sections, got {describe(doc.data)}")
        return
    for key, value in doc.data.items():
        if key not in known:
            builder.problem(doc, (str(key),), f"unknown section (known: {', '.join(sorted(known))})")
        elif key in LOCKED_SECTIONS:
            builder.problem(doc, (key,), "this section is part of the guide's safety text and cannot be changed")
        elif key == "relief":
            sections[key] = overlay_relief(builder, doc, value, sections[key])
        else:
            items = builder.build(hints[key], value, doc, (key,))
            sections[key] = merge_by_id(builder, doc, key, sections[key], items)


def overlay_relief(builder: Builder, doc: Document, value: object, relief: model.Relief) -> model.Relief:
    if not isinstance(value, dict):
        builder.problem(doc, ("relief",), f"expected a mapping, got {describe(value)}")
        return relief
    changes: dict[str, typing.Any] = {}
    for key, part in value.items():
        path: KeyPath = ("relief", str(key))
        if key in ("general", "night"):
            plan = builder.build(model.ReliefPlan, part, doc, path)
            dropped = dropped_cautions(getattr(relief, key), plan)
            if dropped:
                message = f"replacing it would drop the built-in caution {describe(dropped[0])}; keep it"
                builder.problem(doc, path, message)
            else:
                changes[key] = plan
        elif key == "areas":
            areas = builder.build(tuple[model.ReliefPlan, ...], part, doc, path)
            changes[key] = merge_by_id(builder, doc, "relief.areas", relief.areas, areas)
        else:
            builder.problem(doc, path, "unknown key (known keys: general, night, areas)")
    return record.replace(relief, **changes)


def merge_by_id(
    builder: Builder, doc: Document, section: str, base: tuple[typing.Any, ...], extra: tuple[typing.Any, ...]
) -> tuple[typing.Any, ...]:
    """base with each extra item replacing the one of the same id, or added at the end."""
    merged = list(base)
    index = {getattr(item, "id", None): i for i, item in enumerate(merged)}
    for item in extra:
        item_id = getattr(item, "id", None)
        if item_id in index:
            where = builder.origin[id(item)][1]
            if section in PROTECTED_ITEMS:
                what = PROTECTED_ITEMS[section]
                message = f"the built-in {what} '{item_id}' cannot be replaced, as that could lower an urgency; "
                builder.problem(doc, (*where, "id"), message + "add one with a new id")
                continue
            if isinstance(item, model.CheckStep) and not kept_step_lines(merged[index[item_id]], item):
                message = (
                    f"the list '{item_id}' may gain lines but must keep its title, question and each built-in line"
                )
                builder.problem(doc, (*where, "items"), message)
                continue
            dropped = dropped_cautions(merged[index[item_id]], item)
            if dropped:
                message = f"replacing '{item_id}' would drop the built-in caution {describe(dropped[0])}; keep it"
                builder.problem(doc, where, message + (f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""))
                continue
            merged[index[item_id]] = item
        else:
            index[item_id] = len(merged)
            merged.append(item)
    return tuple(merged)


def cautions_in(item: object) -> set[str]:
    """Every caution text and every "not for" condition inside an item, its nested tips included."""
    found: set[str] = set()
    for part in walk(item):
        if isinstance(part, model.Caution):
            found.add(" ".join(part.text.split()))
        found.update(f"not for: {c}" for c in getattr(part, "unsuitable_for", ()))
    return found


def dropped_cautions(builtin: object, replacement: object) -> list[str]:
    """The built-in item's cautions that its replacement leaves out: a user file may add, never weaken."""
    return sorted(cautions_in(builtin) - cautions_in(replacement))


def check_references(content: model.Content, builder: Builder) -> None:
    source_ids = {s.id for s in content.sources}
    condition_ids = {c.id for c in content.conditions}
    seen: dict[str, tuple[Document, KeyPath]] = {}
    for item in walk(content):
        where = builder.origin.get(id(item))
        if where is None:
            continue
        doc, path = where
        item_id = getattr(item, "id", None)
        if isinstance(item_id, str):
            if item_id in seen:
                other_doc, other_path = seen[item_id]
                builder.problem(
                    doc, (*path, "id"), f"duplicate id '{item_id}' (also at {other_doc.name} {format_path(other_path)})"
                )
            else:
                seen[item_id] = where
        for name in record.fields(item):  # type: ignore[arg-type]
            if name in SOURCE_FIELDS:
                known, what = source_ids, "source"
            elif name in CONDITION_FIELDS:
                known, what = condition_ids, "condition"
            else:
                continue
            for i, ref in enumerate(getattr(item, name)):
                if ref not in known:
                    builder.problem(doc, (*path, name, i), f"unknown {what} id {describe(ref)}")
    check_unsure_levels(content, builder)
    levels = [level.id for level in content.urgency_levels]
    if sorted(levels) != sorted(model.URGENCIES):
        builder.problems.append(
            Problem("content", ("urgency_levels",), f"must define each of {', '.join(model.URGENCIES)} once")
        )
    check_diary_flags(content, builder)
    check_steps(content, builder)
    check_night_plans(content, builder)
    check_oneline_tips(content, builder)


# A person with nothing to report answers each list once, then the offer of the look-alike
# questions: at most this many lists keeps that within 6 answers.
MAX_STEPS = 5


def check_steps(content: model.Content, builder: Builder) -> None:
    """The interactive check asks every red flag: each is a line of a list, or in the follow-up
    of a circumstance (screen) that gates it, so that "none" to the circumstance answers it."""
    flags = {flag.id: flag for flag in content.red_flags}
    screens = {screen.id for screen in content.screens}
    placed: dict[str, KeyPath] = {}

    def place(item_id: str, doc: Document, path: KeyPath) -> None:
        # a red flag, or a circumstance, may have several lines (one sign each)
        placed.setdefault(item_id, path)

    for step in content.steps:
        doc = builder.origin[id(step)][0]
        for item in step.items:
            path = builder.origin[id(item)][1]
            asks_flag = item.asks in flags and flags[item.asks].urgency != model.URGENCIES[-1]
            if not asks_flag and item.asks not in screens:
                message = f"{describe(item.asks)} is neither a warning-sign red flag nor a screen"
                builder.problem(doc, (*path, "asks"), message)
                continue
            place(item.asks, doc, path)
            if item.follow_up and item.asks not in screens:
                builder.problem(doc, (*path, "follow_up"), "only a screen (a circumstance) has a follow-up list")
            for sign in item.follow_up:
                sign_path = builder.origin[id(sign)][1]
                flag = flags.get(sign.asks)
                if flag is None or flag.asked_if != item.asks:
                    message = f"{describe(sign.asks)} must be a red flag with asked_if: {item.asks}"
                    builder.problem(doc, (*sign_path, "asks"), message)
                    continue
                place(sign.asks, doc, sign_path)
    if len(content.steps) > MAX_STEPS:
        doc, path = builder.origin[id(content.steps[MAX_STEPS])]
        builder.problem(doc, path, f"at most {MAX_STEPS} lists: a person with nothing to report answers each of them")
    for flag in content.red_flags:
        if flag.urgency != model.URGENCIES[-1] and flag.id not in placed:
            doc, path = builder.origin[id(flag)]
            where = f" (or to the follow_up of the screen '{flag.asked_if}')" if flag.asked_if else ""
            message = f"'{flag.id}' is never asked by cramp check: add it as a line to a list in steps"
            builder.problem(doc, path, f"{message} (as in content/check_steps.yaml){where}")


def kept_step_lines(builtin: model.CheckStep, replacement: model.CheckStep) -> bool:
    """A user's list may add lines, never drop or reword a built-in one (or its follow-up, its
    title or its question)."""
    if (builtin.title, builtin.question) != (replacement.title, replacement.question):
        return False
    mine = {(item.asks, item.line): set(item.follow_up) for item in replacement.items}
    return all(
        (item.asks, item.line) in mine and set(item.follow_up) <= mine[(item.asks, item.line)] for item in builtin.items
    )


def check_night_plans(content: model.Content, builder: Builder) -> None:
    """Every area says what to do at night: its day steps may stand the person up in the dark."""
    for area in content.relief.areas:
        if area.night is None and id(area) in builder.origin:
            doc, path = builder.origin[id(area)]
            builder.problem(doc, path, f"area '{area.id}' needs a night plan (night: first, steps, sources)")


def check_oneline_tips(content: model.Content, builder: Builder) -> None:
    """A one-line tip fits its line whole, so no warning loses its action to a cut; a tip with a
    caution for everyone has no one-line form, which could not carry the caution."""
    for topic in content.topics:
        for tip in topic.tips:
            line = model.oneline_form(tip)
            if line is None or id(tip) not in builder.origin:
                continue
            doc, path = builder.origin[id(tip)]
            room = model.oneline_room(tip)
            if len(" ".join(line.split())) > room:
                builder.problem(doc, (*path, "oneline"), f"longer than {room} characters, so it would be cut")
            if any(not caution.conditions for caution in tip.cautions):
                builder.problem(doc, (*path, "oneline"), "a tip with a caution for everyone cannot be one line")


def check_unsure_levels(content: model.Content, builder: Builder) -> None:
    """A "not sure" may stop below its flag's level, but never at self-care and never above it;
    a flag asked only after a screen names a screen that exists."""
    screen_ids = {screen.id for screen in content.screens}
    for flag in content.red_flags:
        if flag.asked_if is not None and flag.asked_if not in screen_ids:
            doc, path = builder.origin[id(flag)]
            builder.problem(doc, (*path, "asked_if"), f"unknown screen id {describe(flag.asked_if)}")
        unsure = flag.if_unsure
        if unsure is None:
            continue
        ranks = model.URGENCIES.index
        if unsure == model.URGENCIES[-1] or ranks(unsure) <= ranks(flag.urgency):
            doc, path = builder.origin[id(flag)]
            builder.problem(doc, (*path, "if_unsure"), f"must be less urgent than {flag.urgency} and not self-care")


def check_diary_flags(content: model.Content, builder: Builder) -> None:
    """Each diary flag points at a known red flag and gives exactly one whole trigger."""
    red_flag_ids = {flag.id for flag in content.red_flags}
    for flag in content.diary_flags:
        doc, path = builder.origin[id(flag)]
        if flag.red_flag not in red_flag_ids:
            builder.problem(doc, (*path, "red_flag"), f"unknown red flag id {describe(flag.red_flag)}")
        frequency = (flag.days_with_cramps, flag.within_days)
        given = [flag.longer_than_minutes is not None, bool(flag.symptoms), frequency != (None, None)]
        if given.count(True) != 1 or (given[2] and None in frequency):
            builder.problem(
                doc, path, "give one trigger: longer_than_minutes, symptoms, or days_with_cramps with within_days"
            )
        elif given[2] and not 0 < (flag.days_with_cramps or 0) <= (flag.within_days or 0):
            builder.problem(doc, (*path, "days_with_cramps"), "must be from 1 to within_days")


def raise_problems(problems: list[Problem]) -> typing.NoReturn:
    lines = [str(p) for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"... and {len(problems) - MAX_LISTED} more problems")
    raise ContentError("invalid content:\n  " + "\n  ".join(lines), problems)
