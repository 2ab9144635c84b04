"""Personal profile and user content: the guide follows who the user is, and never breaks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Caution, Content
from crampcli.guide import pages as views
from crampcli.profile.store import Fit

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def config() -> Path:
    return Path(os.environ["CRAMPCLI_CONFIG"])


def user_content() -> Path:
    folder = config().parent / "content"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def all_pages(content: Content, fit: Fit) -> list[views.Page]:
    relief = content.relief
    pages = [views.relief_page(plan, None, fit) for plan in (relief.general, relief.night, *relief.areas)]
    pages += [views.prevent_page([topic], fit) for topic in content.topics]
    pages += [views.foods_page([nutrient], fit) for nutrient in content.nutrients]
    pages.append(views.remedies_page(content.remedies, fit))
    return pages


def personal_lines(pages: list[views.Page]) -> set[str]:
    return {line for page in pages for block in page.blocks if block.style == "personal" for line in block.lines}


def all_cautions(content: Content) -> list[Caution]:
    from crampcli.content.validate import walk

    return [item for item in walk(content) if isinstance(item, Caution)]


def fit_for(content: Content, *conditions: str, hide: bool = False) -> Fit:
    return Fit(frozenset(conditions), {c.id: c.name for c in content.conditions}, hide)


def test_each_condition_brings_its_cautions_forward(content: Content) -> None:
    tested = 0
    for condition in content.conditions:
        expected = {c.text for c in all_cautions(content) if condition.id in c.conditions}
        if not expected:
            continue
        shown = personal_lines(all_pages(content, fit_for(content, condition.id)))
        assert expected <= shown, f"{condition.id}: cautions not brought forward"
        assert not personal_lines(all_pages(content, fit_for(content))), "nothing is personal without a profile"
        tested += 1
    assert tested >= 3, "the content names cautions for several conditions"


def test_unsuitable_items_are_marked_or_hidden(content: Content) -> None:
    marked = [(r, c) for r in content.remedies for c in r.unsuitable_for]
    assert marked, "the content marks some remedy as unsuitable for a condition"
    remedy, condition = marked[0]
    page = views.remedies_page(content.remedies, fit_for(content, condition))
    assert remedy.id in page.data["unsuitable"]
    titles = [line for block in page.blocks for line in block.lines if line.startswith(remedy.name)]
    assert titles and "not advised for you" in titles[0]
    hidden = views.remedies_page(content.remedies, fit_for(content, condition, hide=True))
    assert not any(line.startswith(remedy.name) for block in hidden.blocks for line in block.lines)
    plain = views.remedies_page(content.remedies, fit_for(content))
    assert "unsuitable" not in plain.data


def test_tips_that_suit_come_first(content: Content) -> None:
    for topic in content.topics:
        suited = [t for t in topic.tips if t.suits]
        if not suited or suited[0] is topic.tips[0]:
            continue
        condition = suited[0].suits[0]
        page = views.prevent_page([topic], fit_for(content, condition))
        bullets = [b for b in page.blocks if b.kind == "bullets"]
        assert bullets[0].lines[0].startswith("For you: ")
        return
    pytest.skip("no topic has a suited tip after an unsuited one")


def test_profile_set_show_clear_round_trip() -> None:
    code, _, err = invoke("profile", "set", "pregnancy=yes", "emergency-number=112", "units=metric")
    assert code == 0, err
    document = json.loads(invoke("profile", "show", "--json")[1])
    assert document["conditions"] == ["pregnancy"]
    assert document["emergency_number"] == "112" and document["units"] == "metric"
    assert oct(config().stat().st_mode & 0o777) == "0o600"
    assert invoke("profile", "set", "pregnancy=no")[0] == 0
    assert json.loads(invoke("profile", "show", "--json")[1])["conditions"] == []
    assert invoke("profile", "clear", "--yes")[0] == 0
    assert not config().exists()


@pytest.mark.parametrize(
    "setting",
    ["nonsense=yes", "diabetes=maybe", "emergency-number=call-me", "units=furlongs", "conditions=unicorn", "x"],
)
def test_bad_settings_are_usage_errors_and_change_nothing(setting: str) -> None:
    invoke("profile", "set", "diabetes=yes")
    before = config().read_bytes()
    code, _, err = invoke("profile", "set", setting)
    assert code == 2 and "cramp:" in err
    assert config().read_bytes() == before


def test_malformed_profile_warns_and_shows_the_plain_guide() -> None:
    config().parent.mkdir(parents=True, exist_ok=True)
    config().write_text("conditions = [unclosed\n", encoding="utf-8")
    code, out, err = invoke("relief", "calf", "--plain")
    assert code == 0 and out.strip()
    assert "warning" in err and str(config()) in err and "line 1" in err
    code, _, err = invoke("relief", "calf", "--strict")
    assert code == 1 and str(config()) in err


def test_set_never_overwrites_a_malformed_profile() -> None:
    config().parent.mkdir(parents=True, exist_ok=True)
    config().write_text("conditions = 'oops\n", encoding="utf-8")
    before = config().read_bytes()
    code, _, err = invoke("profile", "set", "diabetes=yes")
    assert code == 1 and "not a valid profile" in err
    assert config().read_bytes() == before


def test_profile_none_shows_the_plain_guide() -> None:
    invoke("profile", "set", "diabetes=yes")
    personal = invoke("relief", "--plain")[1]
    assert "For you" in personal
    assert "For you" not in invoke("relief", "--plain", "--profile", "none")[1]


def test_profile_changes_the_tip_pool_and_emergency_number(content: Content) -> None:
    invoke("profile", "set", "emergency-number=000")
    assert "000" in invoke("when-to-see-doctor", "--plain")[1]
    assert json.loads(invoke("doctor", "--json")[1])["emergency_number"] == "000"


def test_user_content_adds_and_replaces_by_id(content: Content) -> None:
    (user_content() / "mine.yaml").write_text(
        "topics:\n"
        "  - id: sleep\n    name: My sleep notes\n    summary: What works for me.\n    tips:\n"
        "      - id: my-pillow\n        text: A pillow under my knees helps.\n        short: Pillow under the knees.\n"
        "        sources: [nhs-lc]\n"
        "  - id: my-physio\n    name: From my physio\n    summary: Exercises.\n    tips:\n"
        "      - id: heel-drops\n        text: Slow heel drops on a step.\n        short: Heel drops.\n"
        "        sources: [nhs-lc]\n",
        encoding="utf-8",
    )
    out = invoke("prevent", "sleep", "--plain")[1]
    assert "My sleep notes" in out and "pillow under my knees" in out.lower()
    assert invoke("prevent", "my-physio", "--plain")[0] == 0
    document = json.loads(invoke("content", "paths", "--json")[1])
    origins = {item["id"]: item["file"] for item in document["items"]}
    assert origins["my-physio"].endswith("mine.yaml") and origins["sleep"].endswith("mine.yaml")
    assert origins["calf"].startswith("content/")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("disclaimer: {text: none, short: none}\n", "cannot be changed"),
        (
            "red_flags:\n  - id: {flag}\n    urgency: self-care\n    sign: x\n    advice: x\n    question: x?\n"
            "    sources: [nhs-lc]\n",
            "cannot be replaced",
        ),
    ],
)
def test_user_content_cannot_soften_safety_text(content: Content, text: str, complaint: str) -> None:
    (user_content() / "soft.yaml").write_text(text.replace("{flag}", content.red_flags[0].id), encoding="utf-8")
    code, out, err = invoke("when-to-see-doctor", "--plain")
    assert code == 0 and "left out" in err and complaint in err
    assert content.red_flags[0].sign.split()[0] in out
    assert invoke("when-to-see-doctor", "--strict")[0] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("topics:\n  - id: x\n    name: X\n    summry: typo\n", "summry"),
        ("topics: [unclosed\n", "not valid YAML"),
        ("topics:\n  - id: x\n    name: X\n    summary: s\n    tips: []\n    sources: [nope]\n", "unknown key"),
        ("!!python/object/apply:os.system ['true']\n", "soft.yaml"),
        (
            "remedies:\n  - id: calf\n    name: dup\n    summary: s\n    evidence: {grade: unproven, summary: s}\n"
            "    sources: [nhs-lc]\n",
            "duplicate id 'calf'",
        ),
    ],
)
def test_broken_user_file_warns_with_file_and_line_and_keeps_the_guide(text: str, expected: str) -> None:
    (user_content() / "soft.yaml").write_text(text, encoding="utf-8")
    code, out, err = invoke("relief", "calf", "--plain")
    assert code == 0 and out.strip()
    assert "soft.yaml" in err and expected in err
    code, out, _ = invoke("content", "validate")
    assert code == 1 and "soft.yaml" in out and expected in out


def test_content_validate_reports_lines(tmp_path: Path) -> None:
    broken = tmp_path / "b.yaml"
    broken.write_text(
        "topics:\n  - id: x\n    name: X\n    summary: s\n    tips: []\n    colour: red\n", encoding="utf-8"
    )
    code, out, _ = invoke("content", "validate", str(broken))
    assert code == 1 and "b.yaml:6: topics[0].colour: unknown key" in out
    good = tmp_path / "g.yaml"
    good.write_text("topics:\n  - id: y\n    name: Y\n    summary: s\n    tips: []\n", encoding="utf-8")
    assert invoke("content", "validate", str(good))[0] == 0


def test_check_uses_the_profile_emergency_number(content: Content) -> None:
    invoke("profile", "set", "emergency-number=000")
    first = next(f for f in content.red_flags if f.urgency == "emergency")
    code, out, _ = invoke("check", "--yes", first.id, "--json")
    assert code == 5
    assert json.loads(out)["emergency_number"] == "000"
