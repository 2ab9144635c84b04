"""A cramp at 3 a.m.: every area's night page is seated or lying, its night cautions on the
screen, and it fits a 60x20 terminal; heat is never suggested without its burn caution (#21)."""

import re

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content, ReliefPlan

runner = CliRunner()
AREAS = ["calf", "hamstring", "quadriceps", "foot"]
HEAT = re.compile(r"\b(warm|heat|heating|hot)\b", re.IGNORECASE)


def page(*args: str, columns: int = 80, lines: int = 24, profile: str = "none") -> str:
    result = runner.invoke(
        app, [*args, "--plain", "--profile", profile], env={"COLUMNS": str(columns), "LINES": str(lines)}
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def area(content: Content, name: str) -> ReliefPlan:
    return next(a for a in content.relief.areas if a.id == name)


@pytest.mark.parametrize("name", AREAS)
def test_every_area_has_a_night_plan_seated_or_lying_that_never_walks_about(content: Content, name: str) -> None:
    night = area(content, name).night
    assert night is not None and night.sources
    first_words = flat(night.first).lower()
    assert first_words.startswith(("sit", "lie", "stay")), night.first
    for step in night.steps:
        text = flat(step.text).lower()
        assert "walk" not in text, step.text
        if "stand" in text:  # standing only when steady, with a light and a firm hold
            assert "only if you feel steady" in text and "light" in text, step.text


@pytest.mark.parametrize(("columns", "lines"), [(60, 20), (80, 24)])
@pytest.mark.parametrize("name", [*AREAS, None])
def test_the_night_page_fits_and_shows_the_night_cautions(
    content: Content, name: str | None, columns: int, lines: int
) -> None:
    args = ["relief", *([name] if name else []), "--night"]
    out = page(*args, columns=columns, lines=lines)
    assert out.count("\n") <= lines - 1, out  # the prompt's line stays free: no pager, nothing scrolled off
    assert all(len(line) <= columns for line in out.splitlines()), out
    plan = area(content, name).night if name else content.relief.night
    assert plan is not None
    assert out.splitlines()[0] == flat(plan.first) or flat(plan.first).startswith(out.splitlines()[0])
    shown = [step for step in plan.steps if flat(step.text) in flat(out)]
    assert shown == list(plan.steps[: len(shown)]) and len(shown) >= (len(plan.steps) if name else 2)
    if len(shown) < len(plan.steps):  # the general night page: the rest are counted, one flag away
        assert f"{len(plan.steps) - len(shown)} more step" in flat(out)
    for caution in content.relief.night.cautions:
        if caution.always_shown:
            assert flat(caution.text) in flat(out), caution.text
    assert "stand with your weight" not in flat(out).lower().split("1.")[1].split("2.")[0]


@pytest.mark.parametrize("profile_conditions", [[], ["athlete"], ["older-adult", "diuretics"]])
@pytest.mark.parametrize("args", [["relief"], *(["relief", a] for a in AREAS)])
def test_heat_suggested_means_its_burn_caution_is_on_the_same_screen(
    content: Content, args: list[str], profile_conditions: list[str], tmp_path: object
) -> None:
    from pathlib import Path

    profile = Path(str(tmp_path)) / "profile.toml"
    profile.write_text(f"conditions = {profile_conditions!r}\n".replace("'", '"'), encoding="utf-8")
    out = page(*args, profile=str(profile))
    steps = out.split("  ! ")[0]
    plan = content.relief.general if len(args) == 1 else area(content, args[1])
    burn = [c for c in plan.cautions if c.always_shown and re.search(r"\bburn", c.text)]
    if HEAT.search(steps):  # heat is suggested: its burn caution is kept, and on this screen
        assert burn and all(flat(c.text) in flat(out) for c in burn), out


def test_the_night_title_and_first_line_are_not_the_day_page(content: Content) -> None:
    for name in AREAS:
        night, day = page("relief", name, "--night"), page("relief", name)
        assert night.splitlines()[0] != day.splitlines()[0]
        assert ", at night" in night


@pytest.mark.parametrize(
    ("word", "lands_on", "said"),
    [
        ("leg", "Any leg cramp", None),
        ("now", "Any leg cramp", None),
        ("thigh", "Any leg cramp", "'quadriceps'"),
        ("ankle", "Foot and toes", "the foot"),
        ("toe", "Foot and toes", None),
        ("sole", "Foot and toes", None),
        ("shin", "Any leg cramp", "general first steps"),
        ("knee", "Any leg cramp", "general first steps"),
    ],
)
def test_natural_words_lead_to_a_page_with_one_line_saying_so(word: str, lands_on: str, said: str | None) -> None:
    result = runner.invoke(app, ["relief", word, "--plain", "--profile", "none"])
    assert result.exit_code == 0 and lands_on in result.stdout
    lines = result.stderr.splitlines()
    assert (len(lines) == 1 and said in lines[0]) if said else not lines, result.stderr


def test_a_word_of_no_part_is_still_a_usage_error() -> None:
    result = runner.invoke(app, ["relief", "elbow"])
    assert result.exit_code == 2 and "unknown area" in result.stderr
