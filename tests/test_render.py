"""How pages are laid out: one screen for relief, tables, hanging indents, grade colours."""

import itertools

import pytest

from crampcli.content.model import Content
from crampcli.output import layout as render


def test_a_relief_page_with_long_text_still_fits_one_screen(content: Content) -> None:
    """Whatever the length of the content, the short page keeps to 23 lines at 80 columns and
    keeps the first action, the first step and a warning."""
    from crampcli.content.model import Caution, Step
    from crampcli.content.record import replace
    from crampcli.guide.pages import SCREEN_LINES, relief_page

    long_words = " ".join(["stretch the muscle gently and hold it"] * 12)
    for plan in (content.relief.general, *content.relief.areas):
        longer = replace(
            plan,
            steps=tuple(Step(long_words) for _ in range(9)),
            cautions=(Caution(long_words), Caution(long_words, ("diabetes",))),
        )
        for width in (80, 100):
            page = relief_page(longer, content.relief.areas, full=False, width=width, disclaimer=content.disclaimer)
            text = render.plain_text(page, content.disclaimer, width)
            assert text.count("\n") <= SCREEN_LINES, text
            assert text.startswith(plan.first[:20])
            assert "  1. " in text and "  ! " in text and "more step" in text


def plain(*args: str, columns: str = "80") -> str:
    from typer.testing import CliRunner

    from crampcli.cli.app import app

    result = CliRunner().invoke(app, [*args, "--plain"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_remedies_are_a_table_with_grade_and_verdict(content: Content) -> None:
    from crampcli.guide.pages import GRADE_VERDICTS

    out = plain("remedies")
    header = next(line for line in out.splitlines() if line.split()[:3] == ["Remedy", "Evidence", "Verdict"])
    grade_at = header.index("Evidence")
    for remedy in content.remedies:
        row = next(line for line in out.splitlines() if line.startswith("  " + remedy.name))
        assert row[grade_at:].startswith(remedy.evidence.grade)  # spelled out, in its column
        assert GRADE_VERDICTS[remedy.evidence.grade].split()[0] in row


def test_foods_are_a_table_of_food_serving_amount(content: Content) -> None:
    nutrient = content.nutrients[0]
    out = plain("foods", nutrient.id)
    header = next(line for line in out.splitlines() if line.split()[:3] == ["Food", "Serving", "Amount"])
    for food in (f for f in nutrient.foods if f.amount):
        row = next(line for line in out.splitlines() if line.startswith("  " + food.name))
        assert row.rstrip().endswith(str(food.amount)) and row.index(str(food.amount)) == header.index("Amount")


def test_lookalikes_are_a_table(content: Content) -> None:
    out = plain("when-to-see-doctor", columns="100")
    assert any(line.split()[:2] == ["Could", "be"] for line in out.splitlines())
    lines = out.splitlines()
    for look in content.lookalikes:  # each in its row, its name in the first column
        assert any(line.startswith("  " + look.name.split()[0]) for line in lines), look.name


@pytest.mark.parametrize("columns", ["40", "60", "80", "100", "200"])
def test_wrapped_lines_keep_their_hanging_indent_and_the_measure(columns: str) -> None:
    """No line is wider than the terminal or 100 columns, and a wrapped bullet, step, warning
    or evidence line never falls back to the left margin."""
    for args in (["prevent", "sleep"], ["prevent"], ["relief", "calf", "--all"], ["remedies"], ["foods"]):
        lines = plain(*args, columns=columns).splitlines()
        assert all(len(line) <= min(int(columns), 100) for line in lines), args
        for above, line in itertools.pairwise(lines):
            if above.startswith(" ") and line and not line.startswith(" "):
                assert not line[0].islower(), (args, above, line)  # an indented sentence goes on at the margin


def test_evidence_grades_have_one_colour_each_and_the_word_stays() -> None:
    from typer.testing import CliRunner

    from crampcli.cli.app import app
    from crampcli.output.colour import GRADE_STYLES

    out = CliRunner().invoke(app, ["remedies", "--color", "always"], env={"COLUMNS": "80"}).stdout
    for grade in ("unproven", "limited", "advice-only", "not-recommended"):
        assert grade in out
    from rich.color import ColorSystem
    from rich.style import Style

    unproven = Style.parse(GRADE_STYLES["unproven"]).render("unproven", color_system=ColorSystem.STANDARD)
    assert unproven in out
    tips = CliRunner().invoke(app, ["prevent", "sleep", "--color", "always"]).stdout
    assert unproven in tips  # the same colour for the same grade on another page


def test_table_too_narrow_becomes_a_list() -> None:
    out = plain("remedies", columns="30")
    assert "  - Pickle juice [unproven]" in out.replace("\n    ", " ")
