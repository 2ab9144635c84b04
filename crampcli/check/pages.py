"""Pages for `cramp check`: the verdict with its reasons, and the list of questions."""

from __future__ import annotations

from crampcli.check.triage import (
    LEAST_URGENT,
    MOST_URGENT,
    Ask,
    Reason,
    Verdict,
    emergency_action,
    questions,
    with_number,
)
from crampcli.content.model import URGENCIES, Content, UrgencyLevel
from crampcli.output.page import Page, as_json

SAID = {"yes": "you said yes", "no": "you said no", "unsure": "you were not sure, so it counts as yes"}


def level_action(level: UrgencyLevel, number: str | None, night: bool = False) -> str:
    """What to do at this level; at night, the night wording (phone lines before the emergency department)."""
    if level.id == MOST_URGENT:
        return emergency_action(level.action, number)
    text = level.night_action if night and level.night_action else level.action
    return with_number(text, number)


def check_page(content: Content, verdict: Verdict, interactive: bool, number: str | None, night: bool = False) -> Page:
    """The level and what to do first, then why, then what the leg pain looks most like."""
    level = verdict.level
    action = result_action(content, verdict, number, night)
    reasons = [reason_json(r, number) for r in verdict.reasons]
    stopped = interactive and level.id == MOST_URGENT and bool(verdict.unanswered)
    page = Page(
        "check",
        data={
            "level": level.id,
            "label": level.label,
            "action": action,
            "reasons": reasons,
            "lookalike": lookalike_json(verdict),
            "lookalike_scores": {look.id: score for look, score in verdict.lookalike_scores},
            "answers": dict(verdict.answers),
            "unanswered": list(verdict.unanswered),
            "stopped_early": stopped,
            "emergency_number": number,
        },
    )
    page.add("first", level.label.upper())  # the answer alone on the first line, for `| head -1`
    page.add("alert", action, style=level.id)

    page.add("heading", "Why")
    if verdict.reasons:
        own = {f.id: f.urgency for f in content.red_flags}
        for reason, shown in zip(verdict.reasons, reasons, strict=True):
            said = SAID[reason.answer]
            if reason.answer == "unsure" and own.get(reason.id, reason.urgency) != reason.urgency:
                label = level_label(content, reason.urgency)
                said = f"you were not sure, so to be safe it counts at the level: {label}"
            page.add("alert", f"{shown['sign']} - {shown['advice']} ({said})", style=reason.urgency)
    else:
        page.add("text", "None of your answers points to a warning sign.")
    add_answer_notes(page, content, verdict, stopped)
    if night and level.id == LEAST_URGENT:
        page.add("text", "A cramp now, at night: cramp relief --night (what to do lying down or sitting).")

    if not stopped:
        page.add("heading", "A cramp, or something else?")
        page.add("text", lookalike_line(verdict))
    page.add("text", "All the warning signs: cramp when-to-see-doctor", style="muted")
    return page


def result_action(content: Content, verdict: Verdict, number: str | None, night: bool) -> str:
    """What to do first: the routes of the raised flags that name a more precise one than their
    level's (never above an emergency, where calling for help comes first), else the level's."""
    level = verdict.level
    if level.id != MOST_URGENT:
        by_id = {f.id: f for f in content.red_flags}
        routes = [
            flag.route
            for reason in verdict.reasons
            if reason.urgency == level.id and (flag := by_id.get(reason.id)) is not None and flag.route
        ]
        if routes:
            return " ".join(with_number(route, number) for route in dict.fromkeys(routes))
    return level_action(level, number, night)


def level_label(content: Content, urgency: str) -> str:
    return next(level.label for level in content.urgency_levels if level.id == urgency).lower()


def add_answer_notes(page: Page, content: Content, verdict: Verdict, stopped: bool) -> None:
    unsure = sum(answer == "unsure" for _, answer in verdict.answers)
    if unsure:
        page.add("text", f"You were not sure about {counted(unsure)}: to be safe, each counts as yes.", style="caution")
    if stopped:
        page.add("text", "The check stopped here: this answer alone is an emergency. Act on it now.", style="caution")
        return
    flags = {f.id for f in content.red_flags}
    page.add("text", unanswered_line([i for i in verdict.unanswered if i in flags]), style="muted")


def unanswered_line(unanswered: list[str], shown: int = 4) -> str:
    """In plain words: were all the warning signs asked? (The look-alike questions are optional.)"""
    if not unanswered:
        return "You answered every warning-sign question."
    more = len(unanswered) - shown
    ids = ", ".join(unanswered[:shown]) + (f" and {more} more" if more > 0 else "")
    some = "One warning sign was" if len(unanswered) == 1 else f"{len(unanswered)} warning signs were"
    return f"{some} not answered, so not counted: {ids}."


def counted(n: int) -> str:
    return f"{n} question" + ("" if n == 1 else "s")


def reason_json(reason: Reason, number: str | None) -> dict[str, str]:
    return {"id": reason.id, "sign": reason.sign, "advice": with_number(reason.advice, number), "answer": reason.answer}


def lookalike_json(verdict: Verdict) -> dict[str, object] | None:
    look = verdict.lookalike
    if look is None:
        return None
    return {"id": look.id, "name": look.name, "features": look.features, "urgency": look.urgency}


def lookalike_line(verdict: Verdict) -> str:
    if verdict.lookalike is not None:
        return f"Your answers point to: {verdict.lookalike.name}. {verdict.lookalike.features}"
    best = max((score for _, score in verdict.lookalike_scores), default=0)
    if not best:
        return "Your answers cannot tell whether this is a cramp or something that looks like one."
    tied = [look.name for look, score in verdict.lookalike_scores if score == best]
    return "Your answers cannot tell between: " + "; ".join(tied) + "."


# The questions, for people writing --yes/--no/--answers


def questions_page(content: Content) -> Page:
    asks = questions(content)
    page = Page("check-questions", data={"questions": [question_json(a) for a in asks]})
    page.add("title", "The questions of cramp check, in order")
    gated = {screen.id: [f.id for f in content.red_flags if f.asked_if == screen.id] for screen in content.screens}
    if content.screens:
        page.add("heading", "Screening questions (a no answers each flag it gates no)")
        page.add("bullets", *(f"{s.id}: {s.question} (gates: {', '.join(gated[s.id])})" for s in content.screens))
    for urgency in URGENCIES:
        group = [a for a in asks if a.urgency == urgency and a.lookalike is None]
        if group:
            label = next(level.label for level in content.urgency_levels if level.id == urgency)
            page.add("heading", f"Red flags: {label}", style=urgency)
            page.add("bullets", *(f"{a.id}: {a.text}" for a in group))
    for look in content.lookalikes:
        page.add("heading", f"Look-alike: {look.name}")
        page.add("bullets", *(f"{q.id}: {q.text}" + sign_note(content, q.urgency) for q in look.questions))
    page.add(
        "text",
        "Answer by id: cramp check --answer-yes ID,ID --answer-no ID --answer-unsure ID, or --answers FILE "
        '(a JSON object such as {"clot-signs": "no"}). Every emergency and same-day question needs an '
        "answer; --rest no (or unsure) answers all the others.",
        style="muted",
    )
    return page


def sign_note(content: Content, urgency: str | None) -> str:
    if urgency is None:
        return ""
    return f" (a yes alone: {level_label(content, urgency)})"


def question_json(ask: Ask) -> dict[str, object]:
    kind = "screen" if ask.is_screen else "lookalike" if ask.lookalike else "red-flag"
    return {**as_json(ask), "kind": kind}
