"""The guide's pure queries: names and aliases, suggestions, the tip of the day, search."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from crampcli.content.model import Content
from crampcli.content.names import names_of
from crampcli.errors import UsageError
from crampcli.guide import find as guide


@pytest.mark.parametrize(
    ("asked", "area"),
    [
        ("calf", "calf"),
        ("charley-horse", "calf"),
        ("Charley Horse", "calf"),
        ("back-of-thigh", "hamstring"),
        ("thigh-back", "hamstring"),
        ("back_of_thigh", "hamstring"),
        ("front-of-thigh", "quadriceps"),
        ("quads", "quadriceps"),
        ("toes", "foot"),
        ("sole", "foot"),
        ("FOOT", "foot"),
    ],
)
def test_areas_by_name_and_alias(content: Content, asked: str, area: str) -> None:
    assert guide.relief_plan(content, asked).id == area


def test_no_area_gives_general_steps_and_night_its_own(content: Content) -> None:
    assert guide.relief_plan(content) is content.relief.general
    assert guide.relief_plan(content, night=True) is content.relief.night


@pytest.mark.parametrize(
    ("typo", "suggestion"), [("calff", "calf"), ("hamstrng", "hamstring"), ("quadracep", "quadriceps")]
)
def test_typo_suggests_the_right_area(content: Content, typo: str, suggestion: str) -> None:
    with pytest.raises(UsageError) as caught:
        guide.relief_plan(content, typo)
    message = str(caught.value)
    assert f"'{suggestion}'" in message.split("Did you mean", 1)[1]
    assert "calf, hamstring, quadriceps, foot" in message
    assert caught.value.exit_code == 2


def test_unknown_area_without_close_match_lists_areas(content: Content) -> None:
    with pytest.raises(UsageError) as caught:
        guide.relief_plan(content, "elbow")
    assert "Did you mean" not in str(caught.value)
    assert "Areas: calf" in str(caught.value)


def test_long_bad_name_is_shortened_in_the_message(content: Content) -> None:
    with pytest.raises(UsageError) as caught:
        guide.relief_plan(content, "x" * 5000)
    assert len(str(caught.value)) < 300


def test_topics_and_nutrients_by_alias(content: Content) -> None:
    assert guide.topic(content, "stretching").id == "stretching"
    assert guide.nutrient(content, "Magnesium").id == "magnesium"
    with pytest.raises(UsageError):
        guide.nutrient(content, "kryptonite")


def test_tip_is_stable_for_a_date(content: Content) -> None:
    day = dt.date(2026, 3, 14)
    assert guide.tip_for_date(content, day) == guide.tip_for_date(content, day)


def test_consecutive_days_give_different_tips(content: Content) -> None:
    start = dt.date(2026, 1, 1)
    tips = [guide.tip_for_date(content, start + dt.timedelta(days=i))[1].id for i in range(60)]
    assert all(a != b for a, b in itertools.pairwise(tips))
    pool = guide.tip_pool(content)
    # Every tip comes up within one pass through the pool.
    assert {t.id for _, t in pool} == {
        guide.tip_for_date(content, start + dt.timedelta(days=i))[1].id for i in range(len(pool))
    }


def test_tip_topic_filter(content: Content) -> None:
    chosen_topic, tip = guide.tip_for_date(content, dt.date(2026, 5, 5), "sleep")
    assert chosen_topic.id == "sleep"
    assert tip in chosen_topic.tips


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", "", "2026/01/01"])
def test_bad_dates(bad: str) -> None:
    with pytest.raises(UsageError):
        guide.parse_date(bad)


def test_search_finds_across_kinds_and_says_where(content: Content) -> None:
    hits = guide.search(content, "magnesium")
    kinds = {h.kind for h in hits}
    assert {"food", "remedy"} <= kinds
    assert all(h.command.startswith("cramp ") for h in hits)


def test_search_needs_every_word(content: Content) -> None:
    both = guide.search(content, "calf stretch")
    assert any(h.kind == "relief" and h.id == "calf" for h in both)
    assert guide.search(content, "calf zzqqxx") == []


def test_search_rejects_empty_query(content: Content) -> None:
    with pytest.raises(UsageError):
        guide.search(content, "   ")


def test_red_flags_most_urgent_first(content: Content) -> None:
    levels = [level.id for level, _ in guide.red_flags_by_urgency(content)]
    assert levels == ["emergency", "urgent", "soon", "self-care"]
    assert all(flags for _, flags in guide.red_flags_by_urgency(content))


def test_remedies_found_by_a_word(content: Content) -> None:
    found = guide.remedies_matching(content, "magnesium")
    ids = {r.id for r in found}
    assert len(found) >= 2 and all("magnesium" in " ".join(names_of(r)) for r in found)
    assert "magnesium-supplements" in ids
    assert [r.id for r in guide.remedies_matching(content, "pickle")] == ["pickle-juice"]  # straight to it
    assert [r.id for r in guide.remedies_matching(content, "acv")] == ["apple-cider-vinegar"]
    with pytest.raises(UsageError, match="unknown remedy"):
        guide.remedies_matching(content, "elbow")


def test_topics_found_by_a_word(content: Content) -> None:
    assert [t.id for t in guide.topics_matching(content, "sit")] == ["standing-sitting"]
    assert [t.id for t in guide.topics_matching(content, "sleep")] == ["sleep"]
