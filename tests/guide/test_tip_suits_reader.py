"""The tip of the day suits its reader, and a one-line tip is never cut (#21)."""

import datetime as dt

import pytest

from crampcli.content.model import ONELINE_COLUMNS, Content, oneline_form
from crampcli.guide import find as guide
from crampcli.guide.tip import oneline_text

PROFILES = {
    "no profile": frozenset(),
    "diabetes and a statin": frozenset({"diabetes", "statins"}),
    "pregnancy": frozenset({"pregnancy"}),
    "kidney disease on water pills": frozenset({"kidney-disease", "diuretics"}),
    "older athlete": frozenset({"older-adult", "athlete"}),
}
DATES = [dt.date(2028, 1, 1) + dt.timedelta(days=n) for n in range(366)]  # a leap year, every date


def unsuitable_reasons(tip_conditions: dict[str, tuple[str, ...]], reader: frozenset[str], line: bool) -> list[str]:
    reasons = [f"unsuitable for {c}" for c in tip_conditions["unsuitable_for"] if c in reader]
    if tip_conditions["audience"] and not reader.intersection(tip_conditions["audience"]):
        reasons.append(f"meant for {', '.join(tip_conditions['audience'])}")
    if line:
        reasons += [f"its caution about {c} left off" for c in tip_conditions["cautions"] if c in reader]
    return reasons


@pytest.mark.parametrize("who", list(PROFILES))
def test_no_one_line_tip_is_cut_or_unsuitable_over_a_year(content: Content, who: str) -> None:
    reader = PROFILES[who]
    shown = set()
    for day in DATES:
        _, tip = guide.tip_for_date(content, day, reader=reader, oneline=True)
        line = oneline_text(tip)
        shown.add(tip.id)
        form = " ".join((oneline_form(tip) or "").split())
        assert form and line.startswith(form + " (") and len(line) <= ONELINE_COLUMNS, (day, line)
        conditions = {
            "unsuitable_for": tip.unsuitable_for,
            "audience": tip.audience,
            "cautions": tuple(c for caution in tip.cautions for c in caution.conditions),
        }
        assert not unsuitable_reasons(conditions, reader, line=True), (day, tip.id)
    assert len(shown) >= 10  # the year goes round the pool, not one tip


@pytest.mark.parametrize("who", list(PROFILES))
def test_the_daily_tip_page_suits_the_reader_too(content: Content, who: str) -> None:
    reader = PROFILES[who]
    for day in DATES:
        _, tip = guide.tip_for_date(content, day, reader=reader)
        conditions = {"unsuitable_for": tip.unsuitable_for, "audience": tip.audience, "cautions": ()}
        assert not unsuitable_reasons(conditions, reader, line=False), (day, tip.id)


def test_a_pregnancy_tip_comes_only_to_a_pregnancy_profile(content: Content) -> None:
    def ids(reader: frozenset[str]) -> set[str]:
        return {guide.tip_for_date(content, day, reader=reader)[1].id for day in DATES}

    assert not any(i.startswith("pregnancy-") for i in ids(PROFILES["diabetes and a statin"]))
    assert any(i.startswith("pregnancy-") for i in ids(PROFILES["pregnancy"]))
    # asked for by topic, the topic's tips are there for anyone
    assert guide.tip_for_date(content, DATES[0], "in-pregnancy")[0].id == "in-pregnancy"


def test_warning_sign_tips_are_never_one_line_tips(content: Content) -> None:
    tips = {tip.id: tip for topic in content.topics for tip in topic.tips}
    for warning in ("pregnancy-warning-signs", "exercise-cramps-heat-illness"):
        assert oneline_form(tips[warning]) is None
    every_line = {
        guide.tip_for_date(content, day, reader=reader, oneline=True)[1].id
        for reader in PROFILES.values()
        for day in DATES
    }
    assert not every_line & {"pregnancy-warning-signs", "exercise-cramps-heat-illness"}
