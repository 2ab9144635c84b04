"""The clinical corrections the content keeps: safe night steps, cautions where the risk is,
advice that matches the sources named, and every reference traceable."""

from __future__ import annotations

import re
import textwrap

from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Caution, Content, Nutrient, ReliefPlan
from crampcli.content.validate import walk
from crampcli.guide.pages import step_line


def all_text(part: object) -> list[tuple[str, str]]:
    """(item id, text) for every text field of every item inside part."""
    found = []
    for item in walk(part):
        item_id = getattr(item, "id", type(item).__name__)
        for name in getattr(item, "_fields", ()):
            value = getattr(item, name)
            if isinstance(value, str):
                found.append((item_id, value))
            elif isinstance(value, tuple):
                found.extend((item_id, v) for v in value if isinstance(v, str))
    return found


def nutrient(content: Content, nutrient_id: str) -> Nutrient:
    return next(n for n in content.nutrients if n.id == nutrient_id)


def plans(content: Content) -> tuple[ReliefPlan, ...]:
    return (content.relief.general, content.relief.night, *content.relief.areas)


def every_caution(content: Content) -> list[Caution]:
    found = [c for plan in plans(content) for c in plan.cautions]
    found += [c for r in content.remedies for c in r.cautions]
    found += [c for n in content.nutrients for c in n.cautions]
    found += [c for t in content.topics for tip in t.tips for c in tip.cautions]
    return found


# Night: a fall risk for the people most affected (dizzy on standing, in the dark)


def test_night_first_step_is_seated_not_standing(content: Content) -> None:
    night = content.relief.night
    assert "stand" not in night.first.lower()
    assert re.search(r"\b(sit|sitting|lying|lie)\b", night.first.lower())
    assert "stand" not in night.steps[0].text.lower()
    assert re.search(r"\b(sitting|lying)\b", night.steps[0].text.lower())


def test_night_stands_only_holding_something_firm_and_no_shower(content: Content) -> None:
    for step in content.relief.night.steps:
        text = step.text.lower()
        if re.search(r"\bstand", text):
            assert "hold" in text and "firm" in text, step.text
        if "shower" in text or "bath" in text:
            assert "morning" in text, step.text  # a warm shower at 3 a.m. is a fall on a wet floor
        assert "walk around" not in text and "walk about" not in text, step.text


def test_night_names_dizziness_for_older_adults_water_pills_and_sedatives(content: Content) -> None:
    dizzy = [c for c in content.relief.night.cautions if "dizzy" in c.text.lower()]
    assert dizzy
    assert {"older-adult", "diuretics"} <= set(dizzy[0].conditions)
    assert "water pills" in dizzy[0].text and "sedatives" in dizzy[0].text


# Relief fits a screen: one plain first sentence, steps of at most two lines at 80 columns


def test_relief_first_is_one_plain_sentence_and_steps_fit_two_lines(content: Content) -> None:
    for plan in plans(content):
        assert len(plan.first) <= 80 and plan.first.endswith(".")
        assert not re.search(r"[.!?;:] ", plan.first), plan.first
        for step in plan.steps:
            # "  1. " before each step: 5 columns of indent on an 80-column terminal
            assert len(textwrap.wrap(step_line(step), width=75)) <= 2, (plan.id, step.text)


def test_foot_first_line_says_what_to_do(content: Content) -> None:
    foot = next(a for a in content.relief.areas if a.id == "foot")
    assert "toes" in foot.first and "shin" in foot.first
    assert foot.evidence is not None and "no reputable source" in foot.evidence.summary


# Statins (#19): ordinary cramps keep the statin; stop and call the same day only for the
# muscle signs (new, lasting pain or weakness, dark urine, feeling unwell)

STATINS = ("atorvastatin", "simvastatin", "rosuvastatin", "pravastatin")


def test_no_text_tells_statin_users_to_stop_for_any_cramp(content: Content) -> None:
    advice = (content.relief, content.topics, content.remedies, content.causes, content.red_flags, content.nutrients)
    for item_id, text in all_text(advice):
        lowered = " ".join(text.lower().split())
        assert "cramps that you cannot explain, stop" not in lowered, item_id
        assert "cramps you cannot explain, stop" not in lowered, item_id
        assert "apart from statins, do not stop" not in lowered, item_id
        if "stop" in lowered and "statin" in lowered and "do not stop" not in lowered:
            assert re.search(r"dark urine|lasting days|lasts for days|muscle signs", lowered), (item_id, text)


def test_statin_cause_and_cautions_keep_the_statin_for_ordinary_cramps(content: Content) -> None:
    statin = next(c for c in content.causes if c.id == "statin-medicines")
    assert "keep taking the statin" in statin.text and "111" in statin.text
    assert "dark urine" in statin.text and "both thighs" in statin.text
    assert {"nhs-statin", "statin-myalgia-uk"} <= set(statin.sources)
    for plan in (content.relief.general, content.relief.night):
        cautions = [c for c in plan.cautions if c.conditions == ("statins",)]
        assert cautions and "no reason to stop" in cautions[0].text and "111 today" in cautions[0].text
    new_medicine = next(f for f in content.red_flags if f.id == "new-medicine")
    assert "Do not stop a prescribed medicine on your own" in new_medicine.advice


def test_statins_are_named_in_full_wherever_they_are_listed(content: Content) -> None:
    for item_id, text in all_text(content):
        if "atorvastatin" in text and "simvastatin" in text and "grapefruit" not in text.lower():
            assert all(name in text for name in STATINS), (item_id, text)
    statins = next(c for c in content.conditions if c.id == "statins")
    assert {"rosuvastatin", "pravastatin"} <= set(statins.aliases)


# Heat and cold (#19): the burn warning stands on every page that suggests heat, for everyone


def test_every_plan_that_suggests_heat_warns_everyone_of_burns(content: Content) -> None:
    for plan in plans(content):
        suggests = any(re.search(r"warm|heat", step.text.lower()) for step in plan.steps)
        if suggests:
            general = [c for c in plan.cautions if not c.conditions and re.search(r"burn", c.text)]
            assert general, plan.id
            text = general[0].text
            assert "numb" in text and "circulation" in text and "older" in text, (plan.id, text)
    general = content.relief.general.cautions[0]
    assert not general.conditions and "heating pad" in general.text and "Raynaud's" in general.text


def test_ice_and_compression_stockings_carry_their_circulation_cautions(content: Content) -> None:
    heat_and_cold = next(r for r in content.remedies if r.id == "heat-and-cold")
    ice = [c for c in heat_and_cold.cautions if "ice" in c.text.lower()]
    assert ice and all(w in ice[0].text for w in ("poor circulation", "Raynaud's", "nerve damage"))
    stockings = next(r for r in content.remedies if r.id == "compression-stockings")
    caution = stockings.cautions[0]
    assert "poor-circulation" in caution.conditions and "nurse or doctor has checked" in caution.text


# Cautions where the risk is: the food list itself, grapefruit, heat


def test_potassium_food_list_carries_the_kidney_and_medicines_caution(content: Content) -> None:
    potassium = nutrient(content, "potassium")
    first = potassium.cautions[0]
    for words in (
        "kidney",
        "dialysis",
        "ACE inhibitor",
        "ARB",
        "spironolactone",
        "eplerenone",
        "amiloride",
        "triamterene",
        "trimethoprim",
        "heart failure",
        "salt substitute",
        "foods",
    ):
        assert words.lower() in first.text.lower(), words
    assert {"kidney-disease", "heart-failure", "ace-inhibitor-or-arb", "potassium-sparing-diuretic"} <= set(
        first.conditions
    )
    uk = [i for i in potassium.daily_intake if "UK" in i.who]
    assert [i.amount for i in uk] == ["3,500 mg"]


def test_fluid_advice_carries_the_fluid_limit_caution(content: Content) -> None:
    tips = {tip.id: tip for t in content.topics for tip in t.tips}
    for tip_id in ("fluids-through-the-day", "fluids-around-exercise", "exercise-cramps-drink-to-thirst"):
        limits = [c for c in tips[tip_id].cautions if "limit" in c.text]
        assert limits and {"kidney-disease", "heart-failure"} <= set(limits[0].conditions), tip_id
    fluids = next(t for t in content.topics if t.id == "fluids")
    assert "fluid limit" in fluids.summary and "heart failure" in fluids.summary


def test_the_pregnancy_clot_tip_takes_one_swollen_leg_alone(content: Content) -> None:
    tip = next(tip for t in content.topics for tip in t.tips if tip.id == "pregnancy-warning-signs")
    assert "One leg swollen, even without redness" in tip.text and "red and swollen" not in tip.text
    for sign in ("bad headache", "sight", "just below the ribs", "vomiting", "very unwell"):
        assert sign in tip.text, sign


def test_magnesium_evidence_names_the_pregnancy_trials(content: Content) -> None:
    for item_id, text in all_text(content):
        assert "mostly older\nadults" not in text and "735 people, mostly older" not in text, item_id
    remedy = next(r for r in content.remedies if r.id == "magnesium-supplements")
    assert "Five of the 11 trials were in pregnant women" in remedy.evidence.summary


def test_added_causes_and_profile_conditions(content: Content) -> None:
    causes = {c.id: c for c in content.causes}
    assert "mhra-ppi" in causes["ppi-long-term-use"].sources and "magnesium" in causes["ppi-long-term-use"].text
    assert "bleeding into" in causes["anticoagulants"].text
    assert "motor neurone disease" in causes["motor-neurone-disease"].text
    conditions = {c.id for c in content.conditions}
    assert {
        "ace-inhibitor-or-arb",
        "potassium-sparing-diuretic",
        "anticoagulant",
        "heart-failure",
        "liver-condition",
    } <= (conditions)
    for cause in content.causes:
        if "strongly linked" in cause.text:
            assert "few people who take" in cause.text and "do not stop" in cause.text, cause.id
    for item_id, text in all_text(content):
        assert "65 and over" not in text and "after 65" not in text, item_id


def test_citrus_next_to_grapefruit_caution_for_statins(content: Content) -> None:
    for n in content.nutrients:
        if any("citrus" in f.name.lower() or "grapefruit" in f.name.lower() for f in n.foods):
            grapefruit = [c for c in n.cautions if "grapefruit" in c.text.lower()]
            assert grapefruit, n.id
            assert "simvastatin" in grapefruit[0].text and "atorvastatin" in grapefruit[0].text
            assert "statins" in grapefruit[0].conditions


def test_baked_potato_with_skin_is_926_mg(content: Content) -> None:
    foods = {f.name: f.amount for f in nutrient(content, "potassium").foods}
    assert foods["Potato, baked, with skin"] == "926 mg"
    assert foods["Potato, baked, flesh only"] == "610 mg"


def test_intakes_say_whose_figures_they_are(content: Content) -> None:
    for n in content.nutrients:
        for intake in n.daily_intake:
            assert "(US " in intake.who or "(UK " in intake.who, (n.id, intake.who)
    assert any(i.amount == "700 mg" and "UK" in i.who for i in nutrient(content, "calcium").daily_intake)
    uk_magnesium = {i.amount for i in nutrient(content, "magnesium").daily_intake if "UK" in i.who}
    assert uk_magnesium == {"300 mg", "270 mg"}


def test_heat_cautions_cover_poor_circulation(content: Content) -> None:
    heat = [c for c in every_caution(content) if re.search(r"heating pad|hot water|heat well", c.text)]
    assert heat
    for caution in heat:
        if "diabetes" in caution.conditions:
            assert "poor-circulation" in caution.conditions, caution.text


# "Tender": soreness for a day is normal; a swollen, warm or red calf, or longer pain, is not


def test_clot_warnings_name_swelling_and_more_than_a_day(content: Content) -> None:
    own_files = (content.relief, content.remedies, content.causes, content.overview, content.topics)
    warnings = [(i, t) for part in own_files for i, t in all_text(part) if "blood clot" in t]
    assert len(warnings) >= 5
    for item_id, text in warnings:
        assert "swollen" in text and "more than a day" in text, (item_id, text)
    for item_id, text in all_text(own_files):
        assert not re.search(r"red,? or tender|warm, red (and|or) tender", text), (item_id, text)


# Evidence graded as the trials found it


def test_stretching_grades_follow_the_trials(content: Content) -> None:
    routines = {r.id: r for r in content.routines}
    assert routines["bedtime"].evidence is not None and routines["bedtime"].evidence.grade == "limited"
    calf_wall = routines["calf-wall"].evidence
    assert calf_wall is not None and calf_wall.grade == "not-shown-to-help"
    assert "not shown to help" in calf_wall.summary
    tips = {tip.id: tip for t in content.topics for tip in t.tips}
    bedtime_tip, calf_tip = tips["stretching-at-bedtime"].evidence, tips["stretching-calves-daily"].evidence
    assert bedtime_tip is not None and bedtime_tip.grade == "limited" and "201" in bedtime_tip.summary
    assert (
        calf_tip is not None
        and calf_tip.grade == "not-shown-to-help"
        and "coppin-2005" in tips["stretching-calves-daily"].sources
    )
    for item_id, text in all_text(content):
        assert "only this one trial" not in text and "one small trial in adults" not in text, item_id


def test_quinine_never_for_self_treatment_and_no_substitutes(content: Content) -> None:
    quinine = next(r for r in content.remedies if r.id == "quinine")
    assert "Never use it to treat yourself" in quinine.summary
    assert "tonic water" in quinine.summary.lower() and "cinchona" in quinine.summary.lower()
    assert "mhra-q" in quinine.sources and "MHRA" in quinine.evidence.summary
    assert not re.search(r"\d+\s*mg", quinine.summary)


def test_muscle_relaxants_warn_of_drowsiness_and_falls(content: Content) -> None:
    medicines = next(r for r in content.remedies if r.id == "prescription-medicines")
    assert "drowsiness" in medicines.summary and "falls" in medicines.summary
    assert any("older-adult" in c.conditions and "fall" in c.text for c in medicines.cautions)


# Citations: each supports its claim, each reference can be found


def test_known_citation_misses_are_fixed(content: Content) -> None:
    acupuncture = next(r for r in content.remedies if r.id == "acupuncture")
    assert "nidirect" not in acupuncture.sources
    diabetes = next(c for c in content.causes if c.id == "diabetes-related")
    assert "mayo-nn" in diabetes.sources  # the page that names diabetes itself


def test_every_reference_has_a_url_doi_or_pmid(content: Content) -> None:
    for source in content.sources:
        if source.kind == "reference":
            assert re.search(r"https?://\S+|doi:10\.\S+|PMID \d+", source.detail), source.id


def test_sources_page_lists_documents_by_title_not_file_name() -> None:
    result = CliRunner().invoke(app, ["sources", "--plain"])
    assert result.exit_code == 0
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", result.stdout)
    assert "seed-003:" in result.stdout and "https://" in result.stdout


# Gaps the best patient resources cover


def test_gap_topics_and_medicines_are_covered(content: Content) -> None:
    topics = {t.id for t in content.topics}
    assert {"in-pregnancy", "exercise-cramps", "older-adults", "kidney-liver"} <= topics
    causes = " ".join(c.text for c in content.causes)
    assert "salbutamol" in causes and "Nifedipine" in causes
    assert "dialysis team" in causes and "liver team" in causes
    tips = {tip.id: tip.text for t in content.topics for tip in t.tips}
    assert "emergency number" in tips["exercise-cramps-heat-illness"]
    assert "thirst" in tips["exercise-cramps-drink-to-thirst"]
    assert "review your medicines" in tips["older-medicines-review"]
    children = next(f for f in content.overview if f.id == "children-not-covered")
    assert "adults" in children.text and "GP" in children.text
