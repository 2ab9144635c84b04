"""Questions the guide answers, as pure functions of the content: no printing, no exiting."""

import datetime as dt
import re
from collections.abc import Iterable

from crampcli.content.model import (
    URGENCIES,
    Content,
    Nutrient,
    RedFlag,
    ReliefPlan,
    Remedy,
    Tip,
    Topic,
    UrgencyLevel,
    oneline_form,
)
from crampcli.content.names import find_by_word, find_named, names_of, normalise
from crampcli.content.record import Record
from crampcli.errors import UsageError
from crampcli.text import shorten

# Relief


# Parts of the leg the guide has no page of their own for: where each leads (an area id, or
# None for the general first steps), and the line that says so.
PARTS_NOT_SPLIT: dict[str, tuple[str | None, str]] = {
    "thigh": (None, "for the thigh: front is 'quadriceps', back is 'hamstring'; here are the general first steps"),
    "thighs": (None, "for the thigh: front is 'quadriceps', back is 'hamstring'; here are the general first steps"),
    "upper-leg": (None, "for the thigh: front is 'quadriceps', back is 'hamstring'; here are the general first steps"),
    "ankle": ("foot", "the guide has no page for the ankle; here is the page for the foot"),
    "ankles": ("foot", "the guide has no page for the ankle; here is the page for the foot"),
    "heel": ("foot", "the guide has no page for the heel; here is the page for the foot"),
    "shin": (None, "the guide has no page for the shin; here are the general first steps"),
    "shins": (None, "the guide has no page for the shin; here are the general first steps"),
    "knee": (None, "the guide has no page for the knee; here are the general first steps"),
    "hip": (None, "the guide has no page for the hip; here are the general first steps"),
    "buttock": (None, "the guide has no page for the buttock; here are the general first steps"),
    "groin": (None, "the guide has no page for the groin; here are the general first steps"),
}


def relief_plan(content: Content, area: str | None = None, night: bool = False) -> ReliefPlan:
    return find_relief(content, area, night)[0]


def find_relief(content: Content, area: str | None = None, night: bool = False) -> tuple[ReliefPlan, str | None]:
    """The plan for what the person typed, and a line saying where a word led when it is not
    an area's own name: 'leg' and the general page's other names lead to the general steps,
    a part the guide does not split (thigh, ankle, shin...) to its nearest page."""
    relief = content.relief
    day_or_night = relief.night if night else relief.general
    if area is None:
        return day_or_night, None
    key = normalise(area)
    for plan in (relief.general, relief.night):
        if key in names_of(plan):
            return (relief.night if night or plan is relief.night else relief.general), None
    if key in PARTS_NOT_SPLIT:
        area_id, note = PARTS_NOT_SPLIT[key]
        if area_id is None:
            return day_or_night, note
        found = find_named(relief.areas, area_id, "area", "areas")
    else:
        found = find_named(relief.areas, area, "area", "areas")
    plan = at_night(found, relief.night) if night else found
    return plan, (PARTS_NOT_SPLIT[key][1] if key in PARTS_NOT_SPLIT else None)


def at_night(area: ReliefPlan, night: ReliefPlan) -> ReliefPlan:
    """One area's plan for a cramp that woke you: the area's night steps (seated or lying),
    the night plan's cautions first (getting up in the dark, heat in bed), then the area's,
    and the night after-care. An area without a night plan of its own (a user's) gets the
    general night steps, which never stand a person up first."""
    from crampcli.content.record import replace

    first, steps, own = (
        (area.night.first, area.night.steps, area.night.sources)
        if area.night
        else (
            night.first,
            night.steps,
            (),
        )
    )
    after = (*area.after, *(line for line in night.after if line not in area.after))
    # On the night page the night plan's cautions are the ones kept in view (getting up in
    # the dark, heat in bed); the area's day-time heat caution says the same for the day.
    cautions = (
        *night.cautions,
        *(replace(c, always_shown=False) for c in area.cautions if c not in night.cautions),
    )
    sources = tuple(dict.fromkeys((*own, *area.sources, *night.sources)))
    return replace(
        area,
        name=f"{area.name}, at night",
        first=first,
        steps=steps,
        after=after,
        cautions=cautions,
        sources=sources,
        night=None,
    )


# Prevention, foods, remedies


def topics_matching(content: Content, name: str) -> list[Topic]:
    return find_by_word(content.topics, name, "topic", "topics")


def nutrients_matching(content: Content, name: str) -> list[Nutrient]:
    return find_by_word(content.nutrients, name, "nutrient", "nutrients")


def remedies_matching(content: Content, name: str) -> list[Remedy]:
    return find_by_word(content.remedies, name, "remedy", "remedies")


def topic(content: Content, name: str) -> Topic:
    return find_named(content.topics, name, "topic", "topics")


def nutrient(content: Content, name: str) -> Nutrient:
    return find_named(content.nutrients, name, "nutrient", "nutrients")


def remedy(content: Content, name: str) -> Remedy:
    return find_named(content.remedies, name, "remedy", "remedies")


# Red flags


def red_flags_by_urgency(content: Content) -> list[tuple[UrgencyLevel, list[RedFlag]]]:
    """Each urgency level with its flags, most urgent first."""
    levels = sorted(content.urgency_levels, key=lambda level: URGENCIES.index(level.id))
    return [(level, [f for f in content.red_flags if f.urgency == level.id]) for level in levels]


# Tip of the day


def tip_pool(
    content: Content, topic_name: str | None = None, reader: frozenset[str] = frozenset(), oneline: bool = False
) -> list[tuple[Topic, Tip]]:
    """Tips (of one topic) that suit a reader with these conditions: none unsuitable for them,
    none meant for others (a pregnancy tip needs that condition, unless its topic was asked
    for). One-line tips also leave out those with a caution about the reader, which one line
    cannot carry."""
    topics = [topic(content, topic_name)] if topic_name is not None else list(content.topics)

    def suits(tip: Tip) -> bool:
        if reader.intersection(tip.unsuitable_for):
            return False
        if tip.audience and topic_name is None and not reader.intersection(tip.audience):
            return False
        if oneline:
            return oneline_form(tip) is not None and not any(reader.intersection(c.conditions) for c in tip.cautions)
        return True

    pool = ((t, tip) for t in topics for tip in t.tips if suits(tip))
    return sorted(pool, key=lambda pair: pair[1].id)


def stride_for(size: int) -> int:
    """A step through the pool that visits every tip before repeating and moves every day."""
    import math

    step = size // 3 + 1
    while size > 1 and math.gcd(step, size) != 1:
        step += 1
    return step


def tip_for_date(
    content: Content,
    day: dt.date,
    topic_name: str | None = None,
    reader: frozenset[str] = frozenset(),
    oneline: bool = False,
) -> tuple[Topic, Tip]:
    """The same date gives the same tip on any machine (with the same profile); consecutive days differ."""
    pool = tip_pool(content, topic_name, reader, oneline)
    if not pool:
        raise UsageError("there are no tips to choose from")
    return pool[(day.toordinal() * stride_for(len(pool))) % len(pool)]


def random_tip(
    content: Content, topic_name: str | None = None, reader: frozenset[str] = frozenset(), oneline: bool = False
) -> tuple[Topic, Tip]:
    import random

    pool = tip_pool(content, topic_name, reader, oneline)
    if not pool:
        raise UsageError("there are no tips to choose from")
    return random.choice(pool)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{shorten(text)} is not a date; use YYYY-MM-DD, for example 2026-01-31.") from None


# Search


class Hit(Record):
    kind: str
    id: str
    title: str
    text: str
    command: str


def search_entries(content: Content) -> Iterable[tuple[Hit, str]]:
    """Every searchable item as (hit, the text it is found by)."""

    def entry(kind: str, item_id: str, title: str, text: str, command: str, *more: str) -> tuple[Hit, str]:
        return Hit(kind, item_id, title, text, command), " ".join((title, text, *more))

    relief = content.relief
    for plan in (relief.general, relief.night):
        yield entry(
            "relief",
            plan.id,
            plan.name,
            plan.first,
            "cramp relief" + (" --night" if plan is relief.night else ""),
            *(s.text for s in plan.steps),
            *plan.after,
        )
    for plan in relief.areas:
        yield entry(
            "relief",
            plan.id,
            plan.name,
            plan.first,
            f"cramp relief {plan.id}",
            *plan.aliases,
            *(s.text for s in plan.steps),
            *plan.after,
        )
    for t in content.topics:
        yield entry("prevention", t.id, t.name, t.summary, f"cramp prevent {t.id}", *t.aliases)
        for tip in t.tips:
            yield entry("tip", tip.id, t.name, tip.text, f"cramp prevent {t.id}")
    for n in content.nutrients:
        yield entry(
            "food",
            n.id,
            n.name,
            n.role,
            f"cramp foods {n.id}",
            *n.aliases,
            *(f.name for f in n.foods),
            n.evidence.summary,
        )
    for r in content.remedies:
        yield entry("remedy", r.id, r.name, r.summary, f"cramp remedies {r.id}", *r.aliases, r.evidence.summary)
    for f in content.overview:
        yield entry("cause", f.id, "About cramps", f.text, "cramp causes")
    for c in content.causes:
        yield entry("cause", c.id, c.name, c.text, "cramp causes")
    for flag in content.red_flags:
        yield entry("red-flag", flag.id, flag.urgency, flag.sign, "cramp when-to-see-doctor", flag.advice)
    for look in content.lookalikes:
        yield entry(
            "look-alike",
            look.id,
            look.name,
            look.features,
            "cramp when-to-see-doctor",
            *(q.text for q in look.questions),
        )
    for routine in content.routines:
        yield entry(
            "routine",
            routine.id,
            routine.name,
            routine.summary,
            f"cramp routine {routine.id}",
            *(s.text for s in routine.steps),
        )


def search(content: Content, query: str) -> list[Hit]:
    """Items that contain every word of the query, those with it in the title first."""
    words = [w for w in re.split(r"\W+", query.lower()) if w]
    if not words:
        raise UsageError("give a word to search for, for example: cramp search magnesium")
    hits: list[tuple[int, Hit]] = []
    for hit, text in search_entries(content):
        haystack = text.lower()
        if all(w in haystack for w in words):
            title = hit.title.lower()
            hits.append((0 if all(w in title for w in words) else 1, hit))
    return [hit for _, hit in sorted(hits, key=lambda pair: pair[0])]
