"""The main pages, exactly as a user sees them at 80 columns, checked in under tests/golden/: a
change to a page's words or layout shows as a diff in review, not only as a passing test.

After a change made on purpose, refresh them with `pytest tests/cli/test_golden_pages.py
--refresh-golden` and read the diff before committing it.
"""

import pytest
from helpers import REPO
from typer.testing import CliRunner

from crampcli.check import cli as check_cli
from crampcli.cli.app import app

GOLDEN = REPO / "tests" / "golden"
runner = CliRunner()

# name -> the command's arguments. Dates are given so that a page never depends on the day.
PAGES: dict[str, list[str]] = {
    "cramp.txt": [],
    "relief-calf.txt": ["relief", "calf", "--plain"],
    "relief-calf-night.txt": ["relief", "calf", "--night", "--plain"],
    "relief-foot.txt": ["relief", "foot", "--plain"],
    "relief-calf.json": ["relief", "calf", "--json"],
    "prevent.txt": ["prevent", "--plain"],
    "foods.txt": ["foods", "--plain"],
    "causes.txt": ["causes", "--plain"],
    "when-to-see-doctor.txt": ["when-to-see-doctor", "--plain"],
    "when-to-see-doctor.json": ["when-to-see-doctor", "--json"],
    "tip.txt": ["tip", "--date", "2026-12-02", "--plain"],
    "tip-oneline.txt": ["tip", "--date", "2026-12-02", "--oneline"],
    "tip.json": ["tip", "--date", "2026-12-02", "--json"],
    "check-all-no.txt": ["check", "--rest", "no", "--plain"],
    "check-all-no.json": ["check", "--rest", "no", "--json"],
}


def page(args: list[str]) -> str:
    # No profile, no colour, 80 columns: the same page on every machine.
    result = runner.invoke(app, args, env={"COLUMNS": "80", "LINES": "24", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, (args, result.exit_code, result.output)
    return result.stdout


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_main_page_is_exactly_its_golden_copy(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_cli, "is_night", lambda: False)  # the check's results mention the hour
    shown = page(PAGES[name])
    golden = GOLDEN / name
    if request.config.getoption("--refresh-golden"):
        golden.write_text(shown, encoding="utf-8")
    assert golden.is_file(), f"no golden copy of {name}: run with --refresh-golden"
    assert shown == golden.read_text(encoding="utf-8"), f"{name} changed: read the diff, then --refresh-golden"


def test_every_golden_file_belongs_to_a_page() -> None:
    # A page dropped from PAGES leaves no copy behind that nobody checks.
    assert sorted(path.name for path in GOLDEN.iterdir()) == sorted(PAGES)
