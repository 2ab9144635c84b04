"""The red-flag check's logic: question order, answers to a level, look-alikes, given ids."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crampcli.check import triage
from crampcli.check.triage import Answer
from crampcli.content.load import builtin_dir, content_files, parse_content, read_files
from crampcli.content.model import URGENCIES, Content, Lookalike, RedFlag
from crampcli.content.record import fields
from crampcli.errors import UsageError


def uncached_content() -> Content:
    """The built-in content, read past the cache: parametrize needs it before any fixture has run."""
    folder = builtin_dir()
    return parse_content(read_files(content_files(folder), folder.name))


CONTENT = uncached_content()
ASKED_FLAGS = [f for f in CONTENT.red_flags if f.urgency != "self-care"]


def flag_of(content: Content, urgency: str) -> RedFlag:
    return next(f for f in content.red_flags if f.urgency == urgency)


# Questions


def test_questions_are_red_flags_most_urgent_first_then_lookalikes(content: Content) -> None:
    asks = triage.questions(content)
    flags = [a for a in asks if a.lookalike is None and not a.is_screen]
    ranks = [URGENCIES.index(a.urgency) for a in flags if a.urgency]
    assert ranks == sorted(ranks)
    assert flags[0].urgency == "emergency"
    assert {a.id for a in flags} == {f.id for f in ASKED_FLAGS}
    # every look-alike question comes after every red-flag question
    first_lookalike = next(i for i, a in enumerate(asks) if a.lookalike)
    assert all(a.lookalike for a in asks[first_lookalike:])
    screens = len(content.screens)
    assert len(asks) == screens + len(flags) + sum(len(look.questions) for look in content.lookalikes)


def test_each_screen_comes_just_before_the_first_flag_it_gates(content: Content) -> None:
    ids = [a.id for a in triage.questions(content)]
    for screen in content.screens:
        gated = [f.id for f in content.red_flags if f.asked_if == screen.id]
        assert gated, f"{screen.id} gates nothing"
        assert ids.index(screen.id) + 1 == min(ids.index(g) for g in gated)


def test_a_screen_answered_no_answers_its_flags_no_and_an_explicit_answer_wins(content: Content) -> None:
    screen = content.screens[0]
    gated = [f for f in content.red_flags if f.asked_if == screen.id]
    verdict = triage.assess(content, {screen.id: "no"})
    assert all(dict(verdict.answers)[f.id] == "no" for f in gated)
    verdict = triage.assess(content, {screen.id: "no", gated[0].id: "yes"})
    assert verdict.level.id == gated[0].urgency
    assert triage.assess(content, {screen.id: "yes"}).level.id == "self-care"  # a screen alone raises nothing
    assert triage.missing_first_round(content, {}).count(screen.id) == 1


def test_self_care_flags_are_not_asked(content: Content) -> None:
    asked = {a.id for a in triage.questions(content)}
    assert all(f.id not in asked for f in content.red_flags if f.urgency == "self-care")


def test_questions_use_the_content_wording(content: Content) -> None:
    by_id = {a.id: a for a in triage.questions(content)}
    for flag in ASKED_FLAGS:
        assert by_id[flag.id].text == flag.question


def test_order_and_stopping_follow_the_content(content: Content) -> None:
    """Move the last flag asked to the emergency level: it is asked first and ends the check."""
    last = ASKED_FLAGS[-1]
    moved = RedFlag(last.id, "emergency", last.sign, last.advice, last.question, last.sources, asked_if=last.asked_if)
    values = {name: getattr(content, name) for name in fields(content)}
    changed = Content(**{**values, "red_flags": tuple(moved if f.id == last.id else f for f in content.red_flags)})
    asks = triage.questions(changed)
    position = [a.id for a in asks].index(last.id)
    assert position < sum(f.urgency == "emergency" for f in changed.red_flags) + len(changed.screens)
    assert triage.ends_check(asks[position], "yes")
    assert triage.assess(changed, {last.id: "yes"}).level.id == "emergency"


def test_only_a_positive_emergency_answer_ends_the_check(content: Content) -> None:
    by_urgency = {a.urgency: a for a in reversed(triage.questions(content)) if a.urgency}
    assert triage.ends_check(by_urgency["emergency"], "yes")
    assert triage.ends_check(by_urgency["emergency"], "unsure")
    assert not triage.ends_check(by_urgency["emergency"], "no")
    assert not triage.ends_check(by_urgency["urgent"], "yes")
    assert not triage.ends_check(by_urgency["soon"], "yes")


# Answers to a level


@pytest.mark.parametrize("flag", ASKED_FLAGS, ids=lambda f: f.id)
def test_each_red_flag_leads_to_its_own_level(flag: RedFlag, content: Content) -> None:
    verdict = triage.assess(content, {flag.id: "yes"})
    assert verdict.level.id == flag.urgency
    assert [r.id for r in verdict.reasons] == [flag.id]
    reason = verdict.reasons[0]
    assert (reason.sign, reason.advice, reason.answer) == (flag.sign, flag.advice, "yes")


def test_no_yes_answers_mean_self_care(content: Content) -> None:
    verdict = triage.assess(content, {f.id: "no" for f in ASKED_FLAGS})
    assert verdict.level.id == "self-care"
    assert verdict.reasons == ()
    assert verdict.lookalike is None


def test_the_most_urgent_answer_wins_and_reasons_are_most_urgent_first(content: Content) -> None:
    soon, urgent, emergency = (flag_of(content, u) for u in ("soon", "urgent", "emergency"))
    verdict = triage.assess(content, {soon.id: "yes", urgent.id: "yes"})
    assert verdict.level.id == "urgent"
    assert [r.id for r in verdict.reasons] == [urgent.id, soon.id]
    verdict = triage.assess(content, {soon.id: "yes", emergency.id: "yes", urgent.id: "no"})
    assert verdict.level.id == "emergency"
    assert [r.id for r in verdict.reasons] == [emergency.id, soon.id]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([f.id for f in ASKED_FLAGS]), st.sampled_from(["yes", "no", "unsure"])))
@example({"blood-flow-blocked": "unsure"})
def test_level_is_the_most_urgent_positive_answer(answers: dict[str, Answer]) -> None:
    verdict = triage.assess(CONTENT, answers)
    # "not sure" counts at the flag's own level, or at its if_unsure level where the content sets one
    positive = [
        f.if_unsure if answers.get(f.id) == "unsure" and f.if_unsure else f.urgency
        for f in ASKED_FLAGS
        if answers.get(f.id) in ("yes", "unsure")
    ]
    assert verdict.level.id == min(positive, key=URGENCIES.index, default="self-care")
    asked = [a for a in triage.questions(CONTENT) if not a.is_screen]
    assert len(verdict.unanswered) == len(asked) - len(answers)


def test_not_sure_counts_as_yes(content: Content) -> None:
    urgent = flag_of(content, "urgent")
    verdict = triage.assess(content, {urgent.id: "unsure"})
    assert verdict.level.id == "urgent"
    assert verdict.reasons[0].answer == "unsure"


def test_unanswered_questions_are_listed_in_order(content: Content) -> None:
    asks = [a for a in triage.questions(content) if not a.is_screen and not a.asked_if]
    verdict = triage.assess(content, {asks[1].id: "no"})
    expected = [a.id for a in triage.questions(content) if a.id != asks[1].id and not a.is_screen]
    assert verdict.unanswered == tuple(expected)
    assert verdict.answers == ((asks[1].id, "no"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("y", "yes"),
        (" Yes ", "yes"),
        ("YES.", "yes"),
        ("n", "no"),
        ("No", "no"),
        ("?", "unsure"),
        ("not sure", "unsure"),
        ("Not  Sure", "unsure"),
        ("unsure", "unsure"),
        ("don\u2019t know", "unsure"),
        ("", None),
        ("yeah nah", None),
        ("2", None),
    ],
)
def test_parse_answer(text: str, expected: str | None) -> None:
    assert triage.parse_answer(text) == expected


# Look-alikes


def lookalike_yes(content: Content, look_id: str, count: int | None = None) -> dict[str, Answer]:
    look = next(look for look in content.lookalikes if look.id == look_id)
    chosen = look.questions if count is None else look.questions[:count]
    return {q.id: "yes" for q in chosen}


def test_the_lookalike_with_most_yes_answers_is_named(content: Content) -> None:
    answers = {**lookalike_yes(content, "cramp"), **lookalike_yes(content, "restless-legs", 1)}
    verdict = triage.assess(content, answers)
    assert verdict.lookalike is not None and verdict.lookalike.id == "cramp"
    assert verdict.level.id == "self-care"
    assert dict((look.id, n) for look, n in verdict.lookalike_scores)["cramp"] == 3


def test_a_tie_or_no_yes_answer_cannot_tell(content: Content) -> None:
    assert triage.assess(content, {}).lookalike is None
    tie = {**lookalike_yes(content, "cramp", 1), **lookalike_yes(content, "restless-legs", 1)}
    assert triage.assess(content, tie).lookalike is None


def test_a_clot_lookalike_raises_the_level_to_its_urgency(content: Content) -> None:
    dvt = next(look for look in content.lookalikes if look.id == "dvt")
    assert dvt.urgency is not None and dvt.urgency != "self-care"
    verdict = triage.assess(content, lookalike_yes(content, "dvt"))
    assert verdict.lookalike == dvt
    assert verdict.level.id == dvt.urgency
    signs = [q.id for q in dvt.questions if q.urgency is not None]
    assert [r.id for r in verdict.reasons] == [*signs, "dvt"]


def test_a_single_sign_is_never_lowered_by_lookalike_scores(content: Content) -> None:
    """One swollen leg, with answers that otherwise describe a cramp, still means today."""
    answers: dict[str, Answer] = {"dvt-one-leg-swollen": "yes", **lookalike_yes(content, "cramp")}
    verdict = triage.assess(content, {**answers, "clot-signs": "no"})
    assert verdict.lookalike is not None and verdict.lookalike.id == "cramp"
    assert verdict.level.id == "urgent"
    assert verdict.reasons[0].id == "dvt-one-leg-swollen"


@pytest.mark.parametrize("look", [look for look in CONTENT.lookalikes if look.urgency not in (None, "self-care")])
def test_each_sign_question_sets_its_level_alone(look: Lookalike) -> None:
    for question in look.questions:
        if question.urgency is not None:
            assert triage.assess(CONTENT, {question.id: "yes"}).level.id == question.urgency


def test_first_round_is_every_emergency_and_same_day_flag(content: Content) -> None:
    first = triage.first_round(content)
    assert [a.id for a in first] == [a.id for a in triage.questions(content)][: len(first)]
    first_flags = {f.id for f in content.red_flags if f.urgency in ("emergency", "urgent")}
    assert {a.id for a in first} == first_flags | {screen.id for screen in content.screens}
    later = triage.later_round(content)
    assert len(first) + len(later) == len(triage.questions(content))
    ungated = [a.id for a in first if not a.is_screen and not a.asked_if]
    missing = triage.missing_first_round(content, {first[0].id: "no"})
    order = [a.id for a in first]
    assert missing == sorted(missing, key=order.index)
    assert set(missing) == (set(ungated) - {first[0].id}) | {s.id for s in content.screens}


def test_not_sure_can_stop_below_an_emergency_only_where_the_content_says(content: Content) -> None:
    blocked = next(f for f in content.red_flags if f.id == "blood-flow-blocked")
    assert blocked.if_unsure == "urgent"
    assert triage.assess(content, {blocked.id: "unsure"}).level.id == "urgent"
    assert triage.assess(content, {blocked.id: "yes"}).level.id == "emergency"
    ask = next(a for a in triage.questions(content) if a.id == blocked.id)
    assert not triage.ends_check(ask, "unsure") and triage.ends_check(ask, "yes")
    for flag in content.red_flags:
        if flag.if_unsure is not None:
            assert URGENCIES.index(flag.if_unsure) > URGENCIES.index(flag.urgency)
            assert flag.if_unsure in ("urgent",)  # never below same day


def test_with_rest_answers_only_what_was_not_given(content: Content) -> None:
    first = triage.first_round(content)[0].id
    answers = triage.with_rest(content, {first: "yes"}, "no")
    assert answers[first] == "yes" and len(answers) == len(triage.questions(content))
    assert set(answers.values()) == {"yes", "no"}


def test_a_lookalike_never_lowers_the_level(content: Content) -> None:
    emergency = flag_of(content, "emergency")
    verdict = triage.assess(content, {emergency.id: "yes", **lookalike_yes(content, "dvt")})
    assert verdict.level.id == "emergency"
    assert verdict.reasons[0].id == emergency.id


def test_a_tie_with_a_clot_still_raises_the_level(content: Content) -> None:
    tie = {**lookalike_yes(content, "cramp", 1), **lookalike_yes(content, "dvt", 1)}
    verdict = triage.assess(content, tie)
    assert verdict.lookalike is None
    assert verdict.level.id == "urgent"


# Ids given on the command line or in a file


def test_ids_are_normalised(content: Content) -> None:
    flag = ASKED_FLAGS[0]
    assert triage.resolve_id(content, flag.id.upper().replace("-", "_")) == flag.id
    look_question = content.lookalikes[0].questions[0]
    assert triage.resolve_id(content, f" {look_question.id} ") == look_question.id


def test_unknown_id_suggests_close_ones(content: Content) -> None:
    with pytest.raises(UsageError, match="Did you mean 'clot-signs'") as raised:
        triage.resolve_id(content, "clot-sign")
    assert raised.value.exit_code == 2
    with pytest.raises(UsageError, match="cramps-with-swelling"):
        triage.resolve_id(content, "swelling")
    with pytest.raises(UsageError, match="unknown question id 'zzz'"):
        triage.resolve_id(content, "zzz")


def test_unknown_id_is_quoted_safely(content: Content) -> None:
    with pytest.raises(UsageError) as raised:
        triage.resolve_id(content, "bad\x1b[31m" + "x" * 100)
    message = str(raised.value)
    assert "\x1b" not in message and len(message) < 200


def test_collect_splits_and_rejects_conflicting_answers(content: Content) -> None:
    a, b = ASKED_FLAGS[0].id, ASKED_FLAGS[1].id
    pairs: list[tuple[str, Answer]] = [(i, "yes") for i in triage.split_ids([f"{a}, {b}", a])]
    assert triage.collect(content, pairs) == {a: "yes", b: "yes"}
    with pytest.raises(UsageError, match="answered both"):
        triage.collect(content, [(a, "yes"), (a, "no")])


# The emergency number


@pytest.mark.parametrize("number", ["112", "911", "+44 999", "1-800-555", " 000 "])
def test_emergency_number_accepted(number: str) -> None:
    assert triage.check_emergency_number(number) == number.strip()


@pytest.mark.parametrize("number", ["", "abc", "112;rm", "1" * 16, "++--", "\x1b[31m112"])
def test_emergency_number_rejected(number: str) -> None:
    with pytest.raises(UsageError, match="--emergency-number"):
        triage.check_emergency_number(number)


def test_emergency_action_leads_with_the_number(content: Content) -> None:
    action = triage.level(content, "emergency").action
    assert triage.emergency_action(action, None) == action
    assert triage.emergency_action(action, "112").startswith("Call 112 now")
    assert triage.emergency_action("Get help at once.", "000") == "Call 000 now. Get help at once."
