"""The lists of `cramp check` as pure functions: every red flag is asked, a person with nothing
to report is done in a few answers, every level can be reached, and the content rules that
keep it so."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from crampcli.check.triage import (
    Progress,
    Prompt,
    Reply,
    assess,
    check_lookalikes,
    check_steps,
    flag_level,
    parse_list_reply,
)
from crampcli.content.load import builtin_dir, parse_content
from crampcli.content.model import URGENCIES, Content
from crampcli.content.validate import MAX_STEPS
from crampcli.errors import ContentError

Strategy = Callable[[Prompt], Reply]


def run(content: Content, strategy: Strategy) -> tuple[Progress, list[Prompt]]:
    """The lists answered by `strategy` to the end, with every prompt that was shown."""
    replies: list[Reply] = []
    shown: list[Prompt] = []
    progress = check_steps(content, replies)
    while progress.prompt is not None:
        assert len(shown) < 200, "the check never ends"
        shown.append(progress.prompt)
        replies.append(strategy(progress.prompt))
        progress = check_steps(content, replies)
    return progress, shown


def none_to_all(prompt: Prompt) -> Reply:
    return "no"


def picking(*ids: str) -> Strategy:
    """Pick the lines that ask any of ids (a sign, or the circumstance that leads to it)."""

    def strategy(prompt: Prompt) -> Reply:
        if prompt.single:
            return "yes" if prompt.lines[0].id in ids else "no"
        picked = tuple(n for n, line in enumerate(prompt.lines, 1) if line.id in ids)
        return picked or "no"

    return strategy


def path_to(content: Content, flag_id: str) -> tuple[str, ...]:
    """The flag, with the screen that gates it when a list shows the screen rather than the flag."""
    flag = next(f for f in content.red_flags if f.id == flag_id)
    return (flag_id,) if flag.asked_if is None else (flag_id, flag.asked_if)


def warning_flags(content: Content) -> list[str]:
    return [f.id for f in content.red_flags if f.urgency != URGENCIES[-1]]


def test_none_to_every_list_is_self_care_in_at_most_five_answers(content: Content) -> None:
    progress, shown = run(content, none_to_all)
    assert len(shown) == len(content.steps) <= MAX_STEPS  # the offer of the look-alikes makes at most 6
    verdict = assess(content, progress.answers)
    assert verdict.level.id == "self-care" and not progress.stopped
    flags = set(warning_flags(content))
    assert not flags & set(verdict.unanswered), "a none answered every warning sign"


def test_the_counter_counts_lists_and_never_jumps(content: Content) -> None:
    # "not sure" to each list: every line is then asked on its own, under its list's number
    _, shown = run(content, lambda p: "no" if p.single else "unsure")
    assert {p.steps for p in shown} == {len(content.steps)}
    steps = [p.step for p in shown]
    assert steps[0] == 1 and steps[-1] == len(content.steps)
    assert all(b - a in (0, 1) for a, b in itertools.pairwise(steps))


def test_every_red_flag_is_asked_on_some_path(content: Content) -> None:
    for flag_id in warning_flags(content):
        _, shown = run(content, picking(*path_to(content, flag_id)))
        assert any(flag_id in (line.id for line in p.lines) for p in shown), f"{flag_id} is never asked"


def test_a_yes_to_each_red_flag_reaches_its_own_level(content: Content) -> None:
    for flag in content.red_flags:
        if flag.urgency == URGENCIES[-1]:
            continue
        progress, _ = run(content, picking(*path_to(content, flag.id)))
        assert progress.answers[flag.id] == "yes"
        assert assess(content, progress.answers).level.id == flag.urgency, flag.id
        assert progress.stopped == (flag.urgency == URGENCIES[0]), flag.id


@pytest.mark.parametrize("level", URGENCIES)
def test_each_level_can_be_reached(content: Content, level: str) -> None:
    flags = [f.id for f in content.red_flags if f.urgency == level]
    wanted = path_to(content, flags[0]) if level != URGENCIES[-1] else ()
    progress, _ = run(content, picking(*wanted))
    assert assess(content, progress.answers).level.id == level


def test_an_emergency_ends_the_lists_at_once(content: Content) -> None:
    first = content.steps[0]
    progress = check_steps(content, [(1,)])
    assert progress.stopped and progress.prompt is None
    assert progress.answers[first.items[0].asks] == "yes"
    assert not any(item.asks in progress.answers for step in content.steps[1:] for item in step.items)


def test_none_to_a_circumstance_answers_no_to_every_flag_it_gates(content: Content) -> None:
    progress, shown = run(content, none_to_all)
    screens = {s.id for s in content.screens}
    listed = {line.id for p in shown for line in p.lines}
    verdict = assess(content, progress.answers)
    answers = dict(verdict.answers)
    for flag in content.red_flags:
        if flag.asked_if in screens and flag.id not in listed:
            assert answers[flag.id] == "no", flag.id


def test_a_circumstance_picked_opens_only_its_follow_up(content: Content) -> None:
    step_no, step = next((n, s) for n, s in enumerate(content.steps, 1) if any(i.follow_up for i in s.items))
    item = next(i for i in step.items if i.follow_up)
    replies: list[Reply] = ["no"] * (step_no - 1) + [(step.items.index(item) + 1,)]
    follow = check_steps(content, replies).prompt
    assert follow is not None and follow.step == step_no
    assert [line.id for line in follow.lines] == [sign.asks for sign in item.follow_up]


def test_not_sure_to_a_list_asks_each_sign_and_keeps_the_content_rules(content: Content) -> None:
    # blood-flow-blocked: "not sure" stops at its if_unsure level, not an ambulance
    flag = next(f for f in content.red_flags if f.if_unsure is not None)
    step_no = next(n for n, s in enumerate(content.steps, 1) if flag.id in [i.asks for i in s.items])
    replies: list[Reply] = ["no"] * (step_no - 1) + ["unsure"]
    lines = content.steps[step_no - 1].items
    for item in lines:
        prompt = check_steps(content, replies).prompt
        assert prompt is not None and prompt.single and prompt.lines[0].id == item.asks
        replies.append("unsure" if item.asks == flag.id else "no")
    progress = check_steps(content, [*replies, *(["no"] * (len(content.steps) - step_no))])
    level = assess(content, progress.answers).level.id
    assert level == flag_level(flag.urgency, flag.if_unsure, "unsure") == flag.if_unsure


def test_going_back_is_replaying_one_reply_fewer(content: Content) -> None:
    before = check_steps(content, ["no"])
    after = check_steps(content, ["no", (1,)])
    assert check_steps(content, ["no", (1,)][:-1]) == before
    assert after != before


def test_look_alike_questions_are_short_lists_that_raise_nothing_when_unanswered(content: Content) -> None:
    replies: list[Reply] = []
    progress = check_lookalikes(content, replies)
    while progress.prompt is not None:
        assert progress.prompt.lookalike and len(progress.prompt.lines) <= 6
        replies.append("no")
        progress = check_lookalikes(content, replies)
    assert len(replies) == len([look for look in content.lookalikes if look.questions])
    asked = {q.id for look in content.lookalikes for q in look.questions}
    assert set(progress.answers) == asked and set(progress.answers.values()) == {"no"}


# What a person may type at a list


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("1 3", (1, 3)),
        ("1,3", (1, 3)),
        (" 3, 1 ", (1, 3)),
        ("2 2", (2,)),
        ("none", "no"),
        ("n", "no"),
        ("No", "no"),
        ("0", "no"),
        ("not sure", "unsure"),
        ("?", "unsure"),
        ("dk", "unsure"),
        ("9", None),
        ("0 1", None),
        ("1 x", None),
        ("yes", None),
        ("", None),
        ("1" * 40, None),
    ],
)
def test_list_replies(typed: str, reply: Reply | None) -> None:
    assert parse_list_reply(typed, 8) == reply


# The content rules that keep every flag asked


def builtin_files() -> list[tuple[str, bytes]]:
    return [(f"content/{p.name}", p.read_bytes()) for p in sorted(builtin_dir().glob("*.yaml"))]


def with_steps_changed(old: str, new: str) -> list[tuple[str, bytes]]:
    files = builtin_files()
    changed = []
    for name, data in files:
        if name.endswith("check_steps.yaml"):
            text = data.decode()
            assert old in text
            data = text.replace(old, new, 1).encode()
        changed.append((name, data))
    return changed


def test_a_flag_left_out_of_every_list_is_refused() -> None:
    files = with_steps_changed(
        "      - asks: cramps-in-other-muscles\n        line: Cramps in your chest, arms or belly as well\n", ""
    )
    with pytest.raises(ContentError, match="'cramps-in-other-muscles' is never asked by cramp check"):
        parse_content(files)


def test_a_follow_up_flag_not_gated_by_its_circumstance_is_refused() -> None:
    files = with_steps_changed("          - asks: toxin-exposure\n", "          - asks: heavy-drinking\n")
    with pytest.raises(ContentError, match="'heavy-drinking' must be a red flag with asked_if"):
        parse_content(files)


def test_more_lists_than_the_budget_are_refused() -> None:
    extra = "".join(
        f"  - id: extra-{n}\n    title: More\n    question: Any of these?\n    items: []\n" for n in range(MAX_STEPS)
    )
    with pytest.raises(ContentError, match=f"at most {MAX_STEPS} lists"):
        parse_content(builtin_files(), [("mine/more.yaml", f"steps:\n{extra}".encode())])


USER_FLAG = (
    "red_flags:\n  - id: my-flag\n    urgency: urgent\n    sign: x\n    advice: x\n"
    "    question: x?\n    sources: [nhs-lc]\n"
)


def test_a_user_flag_must_land_in_a_list() -> None:
    with pytest.raises(ContentError, match="'my-flag' is never asked by cramp check"):
        parse_content(builtin_files(), [("mine/flag.yaml", USER_FLAG.encode())])


def user_list(content: Content, step_id: str, drop: int = 0, extra: str = "") -> str:
    step = next(s for s in content.steps if s.id == step_id)
    items = "".join(f"      - asks: {i.asks}\n        line: {i.line}\n" for i in step.items[drop:] if not i.follow_up)
    return (
        f"steps:\n  - id: {step.id}\n    title: {step.title}\n    question: {step.question}\n    items:\n{items}{extra}"
    )


def test_a_user_flag_added_to_a_built_in_list_is_asked(content: Content) -> None:
    mine = user_list(content, "same-day-other", extra="      - asks: my-flag\n        line: My own sign\n")
    built = parse_content(builtin_files(), [("mine/flag.yaml", USER_FLAG.encode()), ("mine/list.yaml", mine.encode())])
    _, shown = run(built, picking("my-flag"))
    assert any(line.text == "My own sign" for p in shown for line in p.lines)
    progress, _ = run(built, picking("my-flag"))
    assert assess(built, progress.answers).level.id == "urgent"


def test_a_user_list_may_not_drop_a_built_in_line_or_reword_its_question(content: Content) -> None:
    mine = user_list(content, "same-day-other", drop=1)
    with pytest.raises(ContentError, match="must keep its title, question and each built-in line"):
        parse_content(builtin_files(), [("mine/list.yaml", mine.encode())])
    step = next(s for s in content.steps if s.id == "same-day-other")
    softer = user_list(content, "same-day-other").replace(step.question, "Did you ever have any of these?")
    with pytest.raises(ContentError, match="must keep its title, question"):
        parse_content(builtin_files(), [("mine/list.yaml", softer.encode())])


def test_shipped_lines_fit_a_narrow_terminal(content: Content) -> None:
    lines = [i.line for s in content.steps for i in s.items] + [
        f.line for s in content.steps for i in s.items for f in i.follow_up
    ]
    assert max(len(line) for line in lines) <= 79 - len("  1. ")  # one row of an 80-column terminal
    assert all(len(s.items) <= 10 for s in content.steps), "a list longer than 10 lines is hard to take in"


def test_a_sign_with_several_lines_is_yes_when_any_is_picked(content: Content) -> None:
    k, step = next((k, s) for k, s in enumerate(content.steps) if len({i.asks for i in s.items}) < len(s.items))
    repeated = next(i.asks for i in step.items if [j.asks for j in step.items].count(i.asks) > 1)
    second = [n for n, i in enumerate(step.items, 1) if i.asks == repeated][1]
    progress = check_steps(content, [*(["no"] * k), (second,)])
    assert progress.answers[repeated] == "yes"
    # not sure to the list: unsure on one of its lines and no on the other stays unsure
    singles: list[Reply] = ["unsure" if n == second else "no" for n in range(1, len(step.items) + 1)]
    progress = check_steps(content, [*(["no"] * k), "unsure", *singles])
    assert progress.answers[repeated] == "unsure"
