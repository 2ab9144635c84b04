"""The red-flag check as pure functions: which questions, in what order, and what the answers mean.

Every medical judgement comes from content/red_flags.yaml (each flag's question and urgency,
each look-alike's questions and urgency); this module only orders the questions and combines
the answers, always towards the more urgent side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from crampcli.content.model import URGENCIES, Content, Lookalike, Urgency, UrgencyLevel
from crampcli.content.names import normalise
from crampcli.content.record import Record
from crampcli.errors import ContentError, UsageError
from crampcli.text import shorten

Answer = Literal["yes", "no", "unsure"]

MOST_URGENT: Urgency = URGENCIES[0]
LEAST_URGENT: Urgency = URGENCIES[-1]  # never asked: it is what remains when nothing else applies
# Red flags of these levels are asked first, and a scripted run must answer them all.
FIRST_ROUND: tuple[Urgency, ...] = URGENCIES[:2]

# What a person may type or write for each answer.
ANSWER_WORDS: dict[str, Answer] = {
    "y": "yes",
    "yes": "yes",
    "n": "no",
    "no": "no",
    "?": "unsure",
    "unsure": "unsure",
    "not sure": "unsure",
    "not-sure": "unsure",
    "dk": "unsure",
    "dont know": "unsure",
    "don't know": "unsure",
    "maybe": "unsure",
}


class Ask(Record):
    """One question of the check: a red flag's, or one that tells a cramp from a look-alike."""

    id: str
    text: str
    urgency: Urgency | None  # the red flag's urgency; None for a look-alike question
    lookalike: str | None = None  # the look-alike a yes points towards
    if_unsure: Urgency | None = None  # a red flag's level for "not sure", when lower than its own
    sign_urgency: Urgency | None = None  # a look-alike question that is a sign on its own
    asked_if: str | None = None  # a red flag's screen: asked only after a yes or not sure to it
    is_screen: bool = False  # a screen: its "no" answers the flags it gates


class Reason(Record):
    """Why the check reached its level: a flag answered yes (or not sure), a sign, or a look-alike."""

    id: str
    sign: str
    advice: str
    answer: Answer
    urgency: Urgency


class Verdict(Record):
    level: UrgencyLevel
    reasons: tuple[Reason, ...]  # most urgent first
    lookalike: Lookalike | None  # the one look-alike the answers point to, if exactly one
    lookalike_scores: tuple[tuple[Lookalike, int], ...]  # positive answers per look-alike
    answers: tuple[tuple[str, Answer], ...]  # in question order
    unanswered: tuple[str, ...]  # question ids without an answer, in question order


def rank(urgency: Urgency) -> int:
    return URGENCIES.index(urgency)


def is_positive(answer: Answer | None) -> bool:
    """'Not sure' counts as yes, so an uncertain red flag is never passed over."""
    return answer in ("yes", "unsure")


def questions(content: Content) -> tuple[Ask, ...]:
    """Emergency and same-day red flags first, then the other red flags, then the look-alikes."""
    flags = sorted(
        (f for f in content.red_flags if f.urgency != LEAST_URGENT),
        key=lambda f: rank(f.urgency),  # sorted() is stable: content order within a level
    )
    screens = {screen.id: screen for screen in content.screens}
    asks: list[Ask] = []
    for f in flags:
        screen = screens.pop(f.asked_if, None) if f.asked_if else None
        if screen is not None:  # a screen comes just before the first flag it gates
            asks.append(Ask(screen.id, screen.question, None, is_screen=True))
        asks.append(Ask(f.id, f.question, f.urgency, if_unsure=f.if_unsure, asked_if=f.asked_if))
    asks += [
        Ask(q.id, q.text, None, look.id, sign_urgency=q.urgency) for look in content.lookalikes for q in look.questions
    ]
    return tuple(asks)


def is_first_round(ask: Ask) -> bool:
    return ask.is_screen or ask.urgency in FIRST_ROUND


def skipped(ask: Ask, answers: Mapping[str, Answer]) -> bool:
    """A red flag whose screen was answered no: that no answers it too."""
    return ask.asked_if is not None and answers.get(ask.asked_if) == "no"


def answered_by_screens(content: Content, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers, with "no" for each flag not answered whose screen was answered no."""
    return {a.id: answers.get(a.id, "no") for a in questions(content) if a.id in answers or skipped(a, answers)}


def first_round(content: Content) -> tuple[Ask, ...]:
    """The questions asked before any result: the emergency and same-day red flags."""
    return tuple(a for a in questions(content) if is_first_round(a))


def later_round(content: Content) -> tuple[Ask, ...]:
    """The questions offered after the first result: other red flags and the look-alikes."""
    return tuple(a for a in questions(content) if not is_first_round(a))


def flag_level(urgency: Urgency, if_unsure: Urgency | None, answer: Answer) -> Urgency:
    """The level a positive answer to a red flag reaches: "not sure" may stop lower, never below same day."""
    return if_unsure if answer == "unsure" and if_unsure is not None else urgency


def ends_check(ask: Ask, answer: Answer) -> bool:
    """An answer that reaches the most urgent level settles the check: stop asking."""
    if ask.urgency is None or not is_positive(answer):
        return False
    return flag_level(ask.urgency, ask.if_unsure, answer) == MOST_URGENT


def parse_answer(text: str) -> Answer | None:
    """'y', 'No', 'not sure', '?', 'dk' ... as an answer; None for anything else."""
    key = " ".join(text.strip().lower().replace("\u2019", "'").split()).rstrip(".!")
    return ANSWER_WORDS.get(key)


def level(content: Content, urgency: Urgency) -> UrgencyLevel:
    for candidate in content.urgency_levels:
        if candidate.id == urgency:
            return candidate
    raise ContentError(f"red_flags.yaml: urgency level {urgency!r} is missing")


def assess(content: Content, answers: Mapping[str, Answer]) -> Verdict:
    """The level the answers lead to, with the reasons; an unanswered question raises nothing.

    A flag or a single sign sets its level on its own; look-alike scores can only add a
    reason, never take one away, so no combination of answers lowers what one sign set.
    """
    asks = questions(content)
    answers = answered_by_screens(content, answers)
    reasons = [
        Reason(f.id, f.sign, f.advice, answers[f.id], flag_level(f.urgency, f.if_unsure, answers[f.id]))
        for f in content.red_flags
        if f.urgency != LEAST_URGENT and is_positive(answers.get(f.id))
    ]
    reasons += sign_reasons(content, answers)
    scores = lookalike_scores(content, answers)
    leaders = leading(scores)
    # On a tie, the more urgent look-alike still raises the level: the check cannot rule it out.
    for look in leaders:
        if look.urgency is not None and look.urgency != LEAST_URGENT:
            said = [answers[q.id] for q in look.questions if is_positive(answers.get(q.id))]
            pointer = "point to" if len(leaders) == 1 else "could point to"
            reasons.append(
                Reason(
                    look.id,
                    f"Your answers {pointer}: {look.name}.",
                    look.features,
                    "yes" if "yes" in said else "unsure",
                    look.urgency,
                )
            )
    reasons.sort(key=lambda r: rank(r.urgency))
    reached = reasons[0].urgency if reasons else LEAST_URGENT
    return Verdict(
        level=level(content, reached),
        reasons=tuple(reasons),
        lookalike=leaders[0] if len(leaders) == 1 else None,
        lookalike_scores=tuple(scores),
        answers=tuple((a.id, answers[a.id]) for a in asks if a.id in answers),
        unanswered=tuple(a.id for a in asks if a.id not in answers and not a.is_screen),
    )


def sign_reasons(content: Content, answers: Mapping[str, Answer]) -> list[Reason]:
    """A reason for each look-alike question that is a sign on its own and was answered yes or not sure."""
    return [
        Reason(q.id, f"{look.name}: {q.text}", look.features, answers[q.id], q.urgency)
        for look in content.lookalikes
        for q in look.questions
        if q.urgency is not None and q.urgency != LEAST_URGENT and is_positive(answers.get(q.id))
    ]


def lookalike_scores(content: Content, answers: Mapping[str, Answer]) -> list[tuple[Lookalike, int]]:
    return [(look, sum(is_positive(answers.get(q.id)) for q in look.questions)) for look in content.lookalikes]


def leading(scores: Sequence[tuple[Lookalike, int]]) -> list[Lookalike]:
    """The look-alikes with the most positive answers; none when nothing was answered yes."""
    best = max((score for _, score in scores), default=0)
    return [look for look, score in scores if score == best] if best else []


def missing_first_round(content: Content, answers: Mapping[str, Answer]) -> list[str]:
    """Emergency and same-day question ids without an answer, in question order: a flag's
    screen rather than the flag, when neither is answered (a "no" to it would do)."""
    given = answered_by_screens(content, answers)
    missing = [
        a.asked_if if a.asked_if is not None and a.asked_if not in answers else a.id
        for a in first_round(content)
        if not a.is_screen and a.id not in given
    ]
    return list(dict.fromkeys(missing))


def with_rest(content: Content, answers: Mapping[str, Answer], rest: Answer) -> dict[str, Answer]:
    """The answers, with every question not answered given `rest`."""
    return {a.id: answers.get(a.id, rest) for a in questions(content)}


# Answer ids given on the command line or in a file


def resolve_id(content: Content, given: str) -> str:
    """The question id meant by `given`; else a usage error with the closest ids."""
    asks = questions(content)
    ids = [a.id for a in asks]
    key = normalise(given)
    if key in ids:
        return key
    message = f"unknown question id {shorten(given)}." if key else "an empty question id was given."
    close = suggestions(asks, key)
    if close:
        message += " Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    raise UsageError(message + " All ids: cramp check --list")


def suggestions(asks: Sequence[Ask], key: str, limit: int = 3) -> list[str]:
    """Ids close in spelling, ids that contain the word, then questions that use its words."""
    import difflib

    if not key:
        return []
    ids = [a.id for a in asks]
    words = [w for w in key.split("-") if len(w) >= 3]
    found = [
        *difflib.get_close_matches(key, ids, n=limit, cutoff=0.6),
        *(i for i in ids if key in i),
        *(a.id for a in asks if words and all(w in normalise(a.text) for w in words)),
    ]
    return list(dict.fromkeys(found))[:limit]


def collect(content: Content, given: Iterable[tuple[str, Answer]]) -> dict[str, Answer]:
    """Answers by question id; the same id given two different answers is a usage error."""
    answers: dict[str, Answer] = {}
    for raw, answer in given:
        qid = resolve_id(content, raw)
        if answers.get(qid, answer) != answer:
            raise UsageError(f"{qid!r} was answered both {answers[qid]!r} and {answer!r}; give one answer.")
        answers[qid] = answer
    return answers


def split_ids(values: Iterable[str]) -> list[str]:
    """'a,b' 'c' -> ['a', 'b', 'c']: ids may be comma-separated and the option repeated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# The emergency number

EMERGENCY_NUMBER = re.compile(r"[0-9+\- ]{1,15}")
# "your (local) emergency number (now) (for example 911, 112 or 999)", as the content words it.
GENERIC_NUMBER = re.compile(r"your (?:local )?emergency number( now)?(?: \(for example [^)]*\))?", re.IGNORECASE)


def check_emergency_number(text: str) -> str:
    number = text.strip()
    if not EMERGENCY_NUMBER.fullmatch(number) or not any(c.isdigit() for c in number):
        raise UsageError(
            f"--emergency-number {shorten(text)} is not a phone number: use digits, spaces, + and - only, "
            "at most 15 characters (for example 112)."
        )
    return number


def with_number(text: str, number: str | None) -> str:
    """The text with a given emergency number in place of the generic wording, if it has any."""
    if not number:
        return text
    return GENERIC_NUMBER.sub(lambda m: number + (m.group(1) or ""), text)


def emergency_action(action: str, number: str | None) -> str:
    """The emergency level's action led by "Call N now", even if the content rewords it."""
    if not number:
        return action
    named = with_number(action, number)
    lead = f"Call {number} now"
    return named if named.startswith(lead) else f"{lead}. {named}"
