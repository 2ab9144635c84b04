"""Questions the guide answers, as pure functions of the content: no printing, no exiting."""

import datetime as dt
import re
from collections.abc import Iterable

from crampcli.content.model import URGENCIES, Content, Nutrient, RedFlag, ReliefPlan, Remedy, Tip, Topic, UrgencyLevel
from crampcli.content.names import find_by_word, find_named
from crampcli.content.record import Record
from crampcli.errors import UsageError
from crampcli.text import shorten

# Relief


def relief_plan(content: Content, area: str | None = None, night: bool = False) -> ReliefPlan:
    if area is None:
        return content.relief.night if night else content.relief.general
    found = find_named(content.relief.areas, area, "area", "areas")
    return at_night(found, content.relief.night) if night else found


def at_night(area: ReliefPlan, night: ReliefPlan) -> ReliefPlan:
    """One area's plan for a cramp that woke you: the area's own first action and steps, then
    what the night plan adds (after-care in bed, cautions about getting up in the dark).
    A night caution about the same conditions as one of the area's says the same thing for
    bed, so it comes after the area's; none is dropped."""
    from crampcli.content.record import replace

    after = (*area.after, *(line for line in night.after if line not in area.after))
    cautions = (*area.cautions, *(c for c in night.cautions if c not in area.cautions))
    sources = (*area.sources, *(s for s in night.sources if s not in area.sources))
    return replace(area, name=f"{area.name}, at night", after=after, cautions=cautions, sources=sources)


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
    content: Content, topic_name: str | None = None, avoid: frozenset[str] = frozenset()
) -> list[tuple[Topic, Tip]]:
    """Tips (of one topic), leaving out those unsuitable for any condition in avoid."""
    topics = [topic(content, topic_name)] if topic_name is not None else list(content.topics)
    pool = ((t, tip) for t in topics for tip in t.tips if not avoid.intersection(tip.unsuitable_for))
    return sorted(pool, key=lambda pair: pair[1].id)


def stride_for(size: int) -> int:
    """A step through the pool that visits every tip before repeating and moves every day."""
    import math

    step = size // 3 + 1
    while size > 1 and math.gcd(step, size) != 1:
        step += 1
    return step


def tip_for_date(
    content: Content, day: dt.date, topic_name: str | None = None, avoid: frozenset[str] = frozenset()
) -> tuple[Topic, Tip]:
    """The same date gives the same tip on any machine (with the same profile); consecutive days differ."""
    pool = tip_pool(content, topic_name, avoid)
    if not pool:
        raise UsageError("there are no tips to choose from")
    return pool[(day.toordinal() * stride_for(len(pool))) % len(pool)]


def random_tip(
    content: Content, topic_name: str | None = None, avoid: frozenset[str] = frozenset()
) -> tuple[Topic, Tip]:
    import random

    pool = tip_pool(content, topic_name, avoid)
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
