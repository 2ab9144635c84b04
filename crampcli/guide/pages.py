"""Lay out answers as pages: blocks for the screen and one JSON object, no formatting yet.

A page says what to show and how much it matters (a block's style); the output layer decides how
that looks in a terminal, in plain text or in JSON, and adds the disclaimer.
"""

from typing import Any

from crampcli.content.model import (
    Cause,
    Caution,
    Content,
    Disclaimer,
    Evidence,
    Lookalike,
    Nutrient,
    RedFlag,
    ReliefPlan,
    Remedy,
    Source,
    Step,
    Tip,
    Topic,
    UrgencyLevel,
)
from crampcli.guide.find import Hit
from crampcli.output.page import Page, as_json
from crampcli.profile.store import NO_FIT, Fit


def seconds(n: int) -> str:
    return f"{n} s" if n < 60 or n % 60 else f"{n // 60} min"


def step_line(step: Step) -> str:
    """The step's text with its timing, e.g. 'Hold ... (hold 30 s, 5 times, each leg)'."""
    extras = []
    if step.hold_seconds:
        extras.append(f"hold {seconds(step.hold_seconds)}")
    if step.repeats and step.repeats > 1:
        extras.append(f"{step.repeats} times")
    if step.rest_seconds:
        extras.append(f"rest {seconds(step.rest_seconds)} between")
    if step.both_sides:
        extras.append("each leg")
    return f"{step.text} ({', '.join(extras)})" if extras else step.text


def evidence_line(evidence: Evidence | None) -> str | None:
    return f"Evidence: {evidence.grade} - {evidence.summary}" if evidence else None


def sources_line(sources: tuple[str, ...]) -> str:
    return "Sources: " + ", ".join(sources) + " (cramp sources)"


def caution_lines(cautions: tuple[Caution, ...]) -> list[str]:
    return [c.text for c in cautions]


def add_cautions(page: Page, cautions: tuple[Caution, ...], fit: Fit, heading: bool = True) -> None:
    """Cautions about the user's own conditions first, under their own heading; then the rest."""
    mine = tuple(c for c in cautions if fit.applies(c.conditions))
    others = tuple(c for c in cautions if c not in mine)
    if mine:
        page.add("heading", "For you (from your profile)", style="personal")
        page.add("alert", *caution_lines(mine), style="personal")
        page.data.setdefault("cautions_for_you", []).extend(caution_lines(mine))
    if others:
        if heading:
            page.add("heading", "Take care")
        page.add("alert", *caution_lines(others), style="caution")


def not_for_you(page: Page, item_id: str, unsuitable_for: tuple[str, ...], fit: Fit) -> str | None:
    """' (not advised for you: ...)' for an item that does not suit the user, recorded in the JSON."""
    names = fit.unsuitable(unsuitable_for)
    if not names:
        return None
    page.data.setdefault("unsuitable", []).append(item_id)
    return f" (not advised for you: {', '.join(names)})"


def add_profile(page: Page, fit: Fit) -> None:
    if fit.conditions:
        page.data["profile"] = sorted(fit.conditions)


def add_item_notes(
    page: Page, evidence: Evidence | None, cautions: tuple[Caution, ...], sources: tuple[str, ...], fit: Fit = NO_FIT
) -> None:
    add_cautions(page, cautions, fit)
    line = evidence_line(evidence)
    if line:
        page.add("text", line, style="evidence")
    page.add("text", sources_line(sources), style="muted")


# Relief

SCREEN_LINES = 23  # an 80x24 terminal, less the line the shell prompt comes back on
SCREEN_WIDTH = 80
WARNINGS_SHOWN = 2  # at most, on the short page: the rest are one flag away


def relief_page(
    plan: ReliefPlan,
    areas: tuple[ReliefPlan, ...] | None = None,
    fit: Fit = NO_FIT,
    *,
    full: bool = True,
    width: int | None = None,
    command: str = "cramp relief",
    disclaimer: Disclaimer | None = None,
    height: int | None = None,
) -> Page:
    """The relief page: in full, or the short page that fits one screen during a cramp.

    The short page holds the first action, the steps, the warning that matters most now and
    where to find the rest, laid out for width (80 when unknown). The JSON is the same for
    both: the whole plan. With areas, the page ends with the areas to ask for.
    """
    if full:
        return full_relief_page(plan, areas, fit)
    brief = disclaimer or Disclaimer("", "General information, not medical advice.")
    return short_relief_page(plan, areas, fit, width or SCREEN_WIDTH, command, brief, height or SCREEN_LINES)


def relief_data(plan: ReliefPlan, areas: tuple[ReliefPlan, ...] | None, fit: Fit) -> dict[str, Any]:
    data: dict[str, Any] = {"plan": as_json(plan)}
    if fit.conditions:
        data["profile"] = sorted(fit.conditions)
    if areas is not None:
        data["areas"] = [{"id": a.id, "name": a.name, "aliases": list(a.aliases)} for a in areas]
    return data


def full_relief_page(plan: ReliefPlan, areas: tuple[ReliefPlan, ...] | None, fit: Fit) -> Page:
    page = Page("relief", data=relief_data(plan, areas, fit))
    page.add("first", plan.first)
    page.add("title", plan.name)
    page.add("steps", *(step_line(s) for s in plan.steps))
    if plan.after:
        page.add("heading", "Once it eases")
        page.add("bullets", *plan.after)
    add_cautions(page, plan.cautions, fit)
    line = evidence_line(plan.evidence)
    if line:
        page.add("text", line, style="evidence")
    page.add("text", sources_line(plan.sources), style="muted")
    if areas is not None:
        page.add("heading", "For one area: cramp relief " + "|".join(a.id for a in areas))
        page.add("text", "Other names work too: " + ", ".join(alias for a in areas for alias in a.aliases[:2]) + ".")
    return page


def cautions_by_relevance(cautions: tuple[Caution, ...], fit: Fit) -> list[tuple[Caution, str]]:
    """Cautions with their style, most relevant now first: the first about everyone (where a
    sign that it may not be a cramp is), the user's own, the other general ones, then those
    about conditions the user has not said they have."""
    mine = [(c, "personal") for c in cautions if fit.applies(c.conditions)]
    everyone = [(c, "caution") for c in cautions if not c.conditions]
    rest = [(c, "caution") for c in cautions if c.conditions and not fit.applies(c.conditions)]
    return [*everyone[:1], *mine[:1], *mine[1:], *everyone[1:], *rest]


def warnings_for_now(
    cautions: tuple[Caution, ...], fit: Fit
) -> tuple[list[tuple[Caution, str]], list[tuple[Caution, str]]]:
    """The cautions for the short page: those always shown (the burn caution beside heat, the
    cautions about getting up at night), then the others in order of relevance. One per group
    of conditions (the night plan says the heating-pad warning again for bed); none of the
    others about conditions the user does not have."""
    kept: list[tuple[Caution, str]] = []
    optional: list[tuple[Caution, str]] = []
    seen: set[frozenset[str]] = set()
    ranked = cautions_by_relevance(tuple(c for c in cautions if not c.always_shown), fit)
    always = [(c, "personal" if fit.applies(c.conditions) else "caution") for c in cautions if c.always_shown]
    for caution, style in always + ranked:  # those always shown in the content's order
        about = frozenset(caution.conditions)
        if about and about in seen:
            continue
        if not caution.always_shown and fit.conditions and about and style != "personal":
            continue
        seen.add(about)
        (kept if caution.always_shown else optional).append((caution, style))
    return kept, optional


def short_relief_page(
    plan: ReliefPlan,
    areas: tuple[ReliefPlan, ...] | None,
    fit: Fit,
    width: int,
    command: str,
    disclaimer: Disclaimer,
    height: int = SCREEN_LINES,
) -> Page:
    """The largest of a few layouts, from roomiest to tightest, that fits height lines at width:
    whatever the length of the text, the first action, the first steps and the cautions that
    are always shown stay on the screen."""
    from crampcli.output.layout import page_height

    kept, optional = warnings_for_now(plan.cautions, fit)
    extra = min(WARNINGS_SHOWN, len(optional))
    steps = len(plan.steps)
    # (titled, extra warnings, steps shown, compact: the hint line short and no list of areas)
    layouts = [(True, n, steps, False) for n in range(extra, -1, -1)]
    layouts += [(False, n, steps, False) for n in range(min(1, extra), -1, -1)]
    # one optional warning stays, unless cautions kept in view already warn
    layouts += [(False, 0 if kept else min(1, extra), shown, True) for shown in range(steps, 0, -1)]
    page = Page("relief")
    for titled, warned, shown, compact in layouts:
        page = short_layout(plan, areas, fit, command, titled, [*kept, *optional[:warned]], shown, compact)
        if page_height(page, disclaimer, width) <= height:
            break
    return page


def short_layout(
    plan: ReliefPlan,
    areas: tuple[ReliefPlan, ...] | None,
    fit: Fit,
    command: str,
    titled: bool,
    warnings: list[tuple[Caution, str]],
    steps_shown: int,
    compact: bool = False,
) -> Page:
    page = Page("relief", data=relief_data(plan, areas, fit), brief=True)
    page.add("first", plan.first)
    if titled:
        page.add("title", plan.name)
    page.add("steps", *(step_line(s) for s in plan.steps[:steps_shown]))
    for caution, style in warnings:  # the user's own, marked as in the full page's heading
        page.add("alert", ("For you: " if style == "personal" else "") + caution.text, style=style)
    if fit.conditions:
        page.data["cautions_for_you"] = [
            c.text for c, style in cautions_by_relevance(plan.cautions, fit) if style == "personal"
        ]
    hidden = len(plan.steps) - steps_shown
    left = len(plan.cautions) - len(warnings)
    counted = [f"{n} more {noun}{'s' if n > 1 else ''}" for n, noun in ((hidden, "step"), (left, "caution")) if n]
    hint = f" ({', '.join(counted)})" if counted else ""
    if compact:
        page.add("text", f"More: {command} --all{hint}", style="muted")
    else:
        page.add("text", f"More: {command} --all{hint}; --guide for a countdown", style="muted")
    if areas is not None and not compact:
        page.add("text", "Areas: " + ", ".join(a.id for a in areas) + " (cramp relief AREA)")
    return page


# Prevention


def prevent_page(topics: tuple[Topic, ...] | list[Topic], fit: Fit = NO_FIT) -> Page:
    """Topics with their tips; tips that suit the user first, unsuitable ones marked or left out."""
    page = Page("prevent", data={"topics": as_json(list(topics))})
    add_profile(page, fit)
    single = len(topics) == 1
    for t in topics:
        page.add("title" if single else "heading", t.name)
        page.add("text", t.summary)
        for tip in sorted(t.tips, key=lambda tip: not fit.suits(tip.suits)):
            add_tip(page, tip, single, fit)
    if not single:
        page.add(
            "text", "One topic in full: cramp prevent TOPIC (" + ", ".join(t.id for t in topics) + ")", style="muted"
        )
    return page


def add_tip(page: Page, tip: Tip, detailed: bool, fit: Fit = NO_FIT) -> None:
    warning = not_for_you(page, tip.id, tip.unsuitable_for, fit)
    if warning and fit.hide_unsuitable:
        return
    grade = f" [{tip.evidence.grade}]" if tip.evidence else ""
    mark = "For you: " if fit.suits(tip.suits) else ""
    page.add("bullets", mark + tip.text + grade + (warning or ""), style="personal" if warning else "")
    if detailed:
        add_cautions(page, tip.cautions, fit, heading=False)
        if tip.evidence:
            page.add("detail", evidence_line(tip.evidence) or "", style="evidence")


# Foods


def foods_page(nutrients: tuple[Nutrient, ...] | list[Nutrient], fit: Fit = NO_FIT) -> Page:
    page = Page("foods", data={"nutrients": as_json(list(nutrients))})
    add_profile(page, fit)
    single = len(nutrients) == 1
    for n in nutrients:
        page.add("title" if single else "heading", n.name)
        page.add("text", n.role)
        if n.foods:
            page.add(
                "table",
                "Food\tServing\tAmount",
                *(food_row(f.name, in_units(f.serving, fit), f.amount) for f in n.foods),
            )
        if n.daily_intake:
            page.add("text", "Adults need a day: " + "; ".join(f"{i.who} {i.amount}" for i in n.daily_intake))
        if n.upper_limit:
            page.add("text", f"Upper limit: {n.upper_limit}", style="caution")
        if single:
            add_item_notes(page, n.evidence, n.cautions, n.sources, fit)
        else:
            page.add("text", f"Evidence: {n.evidence.grade}", style="evidence")
            add_cautions(page, n.cautions, fit, heading=False)
    if not single:
        page.add(
            "text",
            "One nutrient in full: cramp foods NUTRIENT (" + ", ".join(n.id for n in nutrients) + ")",
            style="muted",
        )
    return page


def in_units(serving: str | None, fit: Fit) -> str | None:
    """'1 oz (28 g)' as '28 g' for metric or '1 oz' for US units; as given otherwise."""
    if not serving or not fit.units or not serving.endswith(")") or " (" not in serving:
        return serving
    us, metric = serving[:-1].split(" (", 1)
    return metric if fit.units == "metric" else us


def food_row(name: str, serving: str | None, amount: str | None) -> str:
    return "\t".join(cell(text) for text in (name, serving or "", amount or ""))


def cell(text: str) -> str:
    """Text for a table cell: a tab or line break in content would split the row."""
    return " ".join(text.split())


def food_line(name: str, serving: str | None, amount: str | None) -> str:
    detail = ", ".join(part for part in (serving, amount) if part)
    return f"{name}: {detail}" if detail else name


# Remedies


GRADE_VERDICTS = {
    "strong": "Shown to help in good trials.",
    "moderate": "Trials suggest it helps.",
    "limited": "Some support, small trials.",
    "advice-only": "Sensible advice, untested.",
    "unproven": "No good evidence it helps.",
    "not-shown-to-help": "Trials found no help.",
    "not-recommended": "Do not use: risks too high.",
}


def remedies_page(remedies: tuple[Remedy, ...] | list[Remedy], fit: Fit = NO_FIT, asked: str | None = None) -> Page:
    """One remedy in full, or a table of remedies (name, grade, verdict): all of them, or
    those that match a word (asked)."""
    page = Page("remedies", data={"remedies": as_json(list(remedies))})
    add_profile(page, fit)
    if len(remedies) == 1:
        remedy_in_full(page, remedies[0], fit)
        return page
    if asked is not None:
        page.data["matched"] = asked
        page.add("title", f"Remedies that match {asked!r}")
    else:
        page.add("title", "Remedies and supplements people ask about")
    rows, shown = [], []
    for r in remedies:
        warning = not_for_you(page, r.id, r.unsuitable_for, fit)
        if warning and fit.hide_unsuitable:
            continue
        shown.append(r)
        verdict = GRADE_VERDICTS.get(r.evidence.grade, "") + (warning or "")
        rows.append("\t".join((cell(r.name), r.evidence.grade, cell(verdict))))
    if rows:
        page.add("table", "Remedy\tEvidence\tVerdict", *rows)
    mine = [(r, [c for c in r.cautions if fit.applies(c.conditions)]) for r in shown]
    if any(cautions for _, cautions in mine):  # the table has no room for them; the user's own stay
        page.add("heading", "For you (from your profile)", style="personal")
        for r, cautions in mine:
            if cautions:
                page.add("text", f"{r.name}:", style="personal")
                page.add("alert", *caution_lines(tuple(cautions)), style="personal")
                page.data.setdefault("cautions_for_you", []).extend(caution_lines(tuple(cautions)))
    page.add("text", "One in full: cramp remedies NAME (" + ", ".join(r.id for r in remedies) + ")", style="muted")
    return page


def remedy_in_full(page: Page, r: Remedy, fit: Fit) -> None:
    warning = not_for_you(page, r.id, r.unsuitable_for, fit)
    page.add("title", f"{r.name} [{r.evidence.grade}]" + (warning or ""), style="personal" if warning else "")
    page.add("text", r.summary)
    page.add("text", evidence_line(r.evidence) or "", style="evidence")
    add_cautions(page, r.cautions, fit, heading=False)
    page.add("text", sources_line(r.sources), style="muted")


# Causes


CAUSE_GROUPS = (
    ("everyday", "Everyday triggers"),
    ("condition", "Health conditions linked to cramps"),
    ("medicine", "Medicines linked to cramps"),
    ("mineral", "Minerals and vitamins"),
)


def causes_page(content: Content) -> Page:
    page = Page("causes", data={"overview": as_json(content.overview), "causes": as_json(content.causes)})
    page.add("title", "What causes leg cramps")
    page.add("bullets", *(f.text for f in content.overview))
    for group, heading in CAUSE_GROUPS:
        causes = [c for c in content.causes if c.group == group]
        if causes:
            page.add("heading", heading)
            page.add("bullets", *(cause_line(c) for c in causes))
    if any(c.group == "medicine" for c in content.causes):
        page.add(
            "text", "Do not stop a prescribed medicine on your own: ask the doctor who prescribed it.", style="caution"
        )
    return page


def cause_line(cause: Cause) -> str:
    grade = f" [{cause.evidence.grade}]" if cause.evidence else ""
    return f"{cause.name}: {cause.text}{grade}"


# When to see a doctor


def doctor_page(
    levels: list[tuple[UrgencyLevel, list[RedFlag]]], lookalikes: tuple[Lookalike, ...], fit: Fit = NO_FIT
) -> Page:
    page = Page(
        "when-to-see-doctor",
        data={
            "levels": [{**as_json(level), "red_flags": as_json(flags)} for level, flags in levels],
            "lookalikes": as_json(lookalikes),
            "emergency_number": fit.emergency_number,
        },
    )
    for level, flags in levels:
        page.add("heading", f"{level.label.upper()}: {level.action}", style=level.id)
        if level.id == "emergency" and fit.emergency_number:
            page.add("text", f"Your emergency number (from your profile): {fit.emergency_number}", style=level.id)
        page.add("alert" if level.id != "self-care" else "bullets", *(flag_line(f) for f in flags), style=level.id)
    page.add("heading", "A cramp, or something else?")
    if lookalikes:
        page.add(
            "table",
            "Could be\tWhat sets it apart",
            *(f"{cell(look.name)}\t{cell(look.features)}" for look in lookalikes),
        )
    page.add("text", "To answer the questions one by one: cramp check", style="muted")
    return page


def flag_line(flag: RedFlag) -> str:
    return f"{flag.sign} - {flag.advice}"


# Tip of the day


def tip_page(topic: Topic, tip: Tip, day: str | None, fit: Fit = NO_FIT) -> Page:
    page = Page("tip", data={"date": day, "topic": topic.id, "tip": as_json(tip)})
    add_profile(page, fit)
    page.add("title", f"Tip ({topic.name})")
    page.add("text", tip.text)
    add_item_notes(page, tip.evidence, tip.cautions, tip.sources, fit)
    return page


# Search, sources


def search_page(query: str, hits: list[Hit]) -> Page:
    page = Page("search", data={"query": query, "hits": as_json(hits)})
    if not hits:
        page.add(
            "text", "Nothing found. Try a shorter word, or browse: cramp relief, prevent, foods, causes, remedies."
        )
    for hit in hits:
        page.add("heading", f"{hit.title} ({hit.kind})")
        page.add("text", hit.text)
        page.add("text", f"-> {hit.command}", style="muted")
    return page


def sources_page(sources: tuple[Source, ...]) -> Page:
    page = Page("sources", data={"sources": as_json(sources)})
    page.add(
        "text",
        "Where the guide's advice comes from: medical references first, then the web articles the"
        " guide began from. Every piece of advice was checked against the references.",
    )
    page.add("heading", "References")
    for source in sources:
        if source.kind == "reference":
            text, links = split_links(source.detail)
            page.add("bullets", f"{source.id}: {source.title}" + (f" - {text}" if text else ""))
            page.add("link", *links)
    # Source documents by their titles: their detail is a file name, which tells a reader nothing.
    page.add("heading", "Web articles the guide began from")
    page.add("bullets", *(f"{s.id}: {s.title}" for s in sources if s.kind == "seed"))
    return page


def split_links(detail: str) -> tuple[str, list[str]]:
    """A source's citation and its web addresses apart, so that a terminal never breaks an
    address across lines. With more than one address, each is numbered where it stood."""
    import re

    address = r"https?://[^\s),;]+"
    found = re.findall(address, detail)
    if len(found) == 1:
        text = re.sub(r"[,;:]?\s*" + address, "", detail)
        return re.sub(r"\(\s*\)|\s+(?=[),.;])", "", " ".join(text.split())).strip(" ,;:-"), found
    numbered = iter(range(1, len(found) + 1))
    text = re.sub(address, lambda _: f"[{next(numbered)}]", detail)
    return " ".join(text.split()), [f"[{n}] {link}" for n, link in enumerate(found, 1)]


def disclaimer_page() -> Page:
    return Page("disclaimer")
