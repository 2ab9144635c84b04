"""Rules the shipped content keeps: its own words, honest grades, no doses, red flags intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from crampcli.content.model import Content
from crampcli.content.validate import walk

COPYCHECK = Path(__file__).resolve().parents[2] / "shared" / "tools" / "copycheck.py"
CONTENT = Path(__file__).resolve().parents[1] / "content"


def all_text(content: object) -> list[tuple[str, str]]:
    """(item id, text) for every text field of every item inside content."""
    found = []
    for item in walk(content):
        item_id = getattr(item, "id", type(item).__name__)
        for name in item._fields:
            value = getattr(item, name)
            if isinstance(value, str):
                found.append((item_id, value))
            elif isinstance(value, tuple):
                found.extend((item_id, v) for v in value if isinstance(v, str))
    return found


@pytest.mark.skipif(not COPYCHECK.exists(), reason="the seed documents are not beside this checkout")
def test_content_is_in_its_own_words() -> None:
    result = subprocess.run([sys.executable, str(COPYCHECK), str(CONTENT)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]


def test_quinine_is_never_suggested(content: Content) -> None:
    quinine = next(r for r in content.remedies if r.id == "quinine")
    assert quinine.evidence.grade == "not-recommended"
    explained = {text for _, text in all_text(quinine)}  # the remedy that says why it is not used
    explained |= {text for _, text in all_text(content.sources)}  # titles of the references
    for item_id, text in all_text(content):
        if "quinine" in text.lower() and text not in explained:
            assert re.search(r"not |never|no longer|warn|bleed|bruis|danger", text.lower()), (item_id, text)


def test_no_supplement_or_medicine_dose(content: Content) -> None:
    food_amounts = (
        {f.amount for n in content.nutrients for f in n.foods}
        | {i.amount for n in content.nutrients for i in n.daily_intake}
        | {n.upper_limit for n in content.nutrients}
    )
    dose = re.compile(r"\b\d+(\.\d+)?\s*(mg|g|mcg|ml|iu|tablespoons?|teaspoons?|tbsp|tsp|oz)\b", re.IGNORECASE)
    for item_id, text in all_text(content):
        if text in food_amounts or any(text == f.serving for n in content.nutrients for f in n.foods):
            continue
        if item_id in {n.id for n in content.nutrients} or item_id.startswith(("ods", "nap-dri", "dga")):
            continue
        assert not dose.search(text), f"{item_id}: {text}"


def test_every_area_has_a_short_first_line(content: Content) -> None:
    ids = [a.id for a in content.relief.areas]
    assert ids == ["calf", "hamstring", "quadriceps", "foot"]
    for plan in (content.relief.general, content.relief.night, *content.relief.areas):
        assert len(plan.first) <= 80 and "\n" not in plan.first
        assert plan.steps


def test_red_flags_cover_every_urgency_and_emergency_names_numbers(content: Content) -> None:
    urgencies = {f.urgency for f in content.red_flags}
    assert urgencies == {"emergency", "urgent", "soon", "self-care"}
    emergency = next(level for level in content.urgency_levels if level.id == "emergency")
    assert all(number in emergency.action for number in ("911", "112", "999"))
    assert any("10 minutes" in f.sign for f in content.red_flags if f.urgency == "urgent")


def test_weak_claims_are_graded_as_weak(content: Content) -> None:
    grades = {r.id: r.evidence.grade for r in content.remedies}
    for weak in ("apple-cider-vinegar", "pickle-juice", "acupuncture", "epsom-salt", "magnesium-supplements"):
        assert grades[weak] in ("unproven", "not-shown-to-help", "limited", "not-recommended"), weak
