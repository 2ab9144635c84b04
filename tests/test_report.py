"""`cramp log report`: the doctor's report in the terminal, Markdown, HTML and PDF; its period,
its honest numbers, and the files it writes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content
from crampcli.diary.report.data import Period, change_of, choose_period, weeks_of

runner = CliRunner()
LONG_NOTE = "calf knotted after the long walk, " + " ".join(f"word{i}" for i in range(120)) + " END-OF-NOTE"
HOSTILE_NOTE = "<script>alert(1)</script> *bold* [link](http://example.com) \x1b[2J"


def cramp(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["log", *args])
    return result.exit_code, result.stdout, result.stderr


def log(*args: str) -> None:
    code, _, err = cramp("add", *args)
    assert code == 0, err


def log_a_month() -> None:
    """One cramp 40 days ago, then six in the last week: '1 → 6'."""
    log("calf", "90s", "--start", "-40d", "--side", "left", "--severity", "4")
    for day in range(1, 7):
        log("calf", f"{day}m", "--start", f"-{day}d", "--side", "right", "--trigger", "exercise")
    log("foot", "12m", "--start", "-2d", "--symptom", "swelling", "--note", HOSTILE_NOTE)
    log("foot", "2m", "--start", "-3d", "--note", LONG_NOTE)


# In the terminal


def test_without_output_the_report_is_a_rendered_page_not_markdown(content: Content) -> None:
    log_a_month()
    code, out, err = cramp("report")
    assert code == 0, err
    assert "Leg cramp diary: a report for the doctor" in out
    assert not re.search(r"^(#+ |\| )", out, re.MULTILINE) and "**" not in out  # no Markdown source
    assert out.index("Warning signs") < out.index("Summary") < out.index("Every entry of the period")
    assert "\x1b" not in out  # the note's escape sequence is neutralised
    assert "END-OF-NOTE" in out  # the long note is whole
    assert out.rstrip().endswith(content.disclaimer.text.split(". ")[-1].rstrip())  # the disclaimer closes it


# The words, in every format


def report_file(tmp_path: Path, name: str, *args: str) -> Path:
    target = tmp_path / name
    code, _, err = cramp("report", "--output", str(target), *args)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the owner's only
    return target


def test_markdown_holds_the_same_content_escaped(content: Content, tmp_path: Path) -> None:
    log_a_month()
    text = report_file(tmp_path, "r.md").read_text(encoding="utf-8")
    assert text.startswith("# Leg cramp diary: a report for the doctor")
    for label in ("Patient's name", "Date of birth", "Period", "Time zone", "Nights disturbed", "Lately"):
        assert f"{label}" in text
    assert "1 → 8 cramps" in text  # 1 cramp 40 days ago, then 8 in the last four weeks
    assert "<script>" not in text and r"\<script\>" in text and r"\*bold\*" in text and r"\[link\]" in text
    assert "END-OF-NOTE" in text and "\x1b" not in text
    assert text.index("## Warning signs") < text.index("## Summary")
    assert content.disclaimer.text.split(".")[0] in text.splitlines()[-1]


def test_html_is_one_semantic_self_contained_document(content: Content, tmp_path: Path) -> None:
    log_a_month()
    page = report_file(tmp_path, "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page and "<title>Leg cramp diary" in page
    assert page.count("<thead>") == 1 and '<th scope="col">Note</th>' in page and "<svg" in page
    assert "display: table-header-group" in page and "@media print" in page
    assert "<script" not in page and "&lt;script&gt;" in page  # the note is text, never markup
    assert not re.search(r"(src|href)=", page) and "@import" not in page  # nothing fetched
    assert "END-OF-NOTE" in page and "\x1b" not in page
    rows = re.findall(r"<tr><td class=\"number\">", page)
    assert len(rows) == 9  # every entry of the period
    assert page.index("Warning signs") < page.index(">Summary<") < page.index("<footer>")
    assert content.disclaimer.text.split(".")[0] in page[page.index("<footer>") :]


@pytest.mark.skipif(importlib.util.find_spec("reportlab") is None, reason="the pdf extra (reportlab) is not installed")
def test_pdf_is_a_real_pdf_with_every_entry(tmp_path: Path) -> None:
    log_a_month()
    for i in range(50):  # enough for the table to run over pages
        log("hamstring", "1m", "--start", f"-{i + 7}d", "--note", f"later-{i:02d}")
    target = report_file(tmp_path, "r.pdf")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if not shutil.which("pdftotext"):
        return
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True).stdout
    assert "Leg cramp diary: a report for the doctor" in text and "END-OF-NOTE" in text
    assert "Warning signs" in text and "not a check-up" not in text  # the swelling raised a flag
    assert all(f"later-{i:02d}" in text for i in range(50))
    pages = [page for page in text.split("\f") if re.search(r"later-\d\d|note-", page) or "END-OF-NOTE" in page]
    assert len(pages) >= 2
    for page in pages:  # the table's header on every page it runs across
        assert re.search(r"#\s+Date\s+Time\s+Night/day\s+Area\s+Side\s+Duration", page), page[:300]
    assert text.rindex("not medical advice") > text.rindex("later-")  # the disclaimer comes after the table


def test_pdf_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "reportlab" else real(name, *a))
    code, _, err = cramp("report", "--output", str(tmp_path / "r.pdf"))
    assert code == 1 and "pip install 'crampcli[pdf]'" in err and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "{tmp}/r.txt"], "a report is a .md, .html or .pdf file"),
        (["--output", "{tmp}/r.html", "--format", "md"], "does not match the file name"),
        (["--output", "{tmp}/r.pdf", "--format", "html"], "does not match the file name"),
        (["--format", "docx"], "unknown report format 'docx'"),
        (["--since", "2026-11-01", "--until", "2026-10-01"], "--since must come before --until"),
        (["--until", "nope"], "'nope' is not a period"),
    ],
)
def test_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    code, _, err = cramp("report", *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert code == 2 and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_link_or_a_folder_is_never_written_over(tmp_path: Path) -> None:
    log("calf", "2m")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "r.html"
    link.symlink_to(victim)
    code, _, err = cramp("report", "--output", str(link), "--force")
    assert code == 1 and "symbolic link" in err and victim.read_text() == "keep me" and link.is_symlink()
    (tmp_path / "d.md").mkdir()
    code, _, err = cramp("report", "--output", str(tmp_path / "d.md"), "--force")
    assert code == 1 and "folder" in err


def test_the_format_without_a_file_writes_the_source_to_stdout() -> None:
    log("calf", "2m")
    code, out, _ = cramp("report", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    code, out, _ = cramp("report", "--format", "md")
    assert code == 0 and out.startswith("# Leg cramp diary")


def test_a_dash_writes_the_document_to_stdout(tmp_path: Path) -> None:
    log("calf", "2m")
    code, out, _ = cramp("report", "--output", "-")
    assert code == 0 and out.startswith("# Leg cramp diary")
    assert not (Path.cwd() / "-").exists()
    if importlib.util.find_spec("reportlab") is not None:
        result = runner.invoke(app, ["log", "report", "--output", "-", "--format", "pdf"])
        assert result.exit_code == 0 and result.stdout_bytes.startswith(b"%PDF-")


def test_an_empty_diary_still_makes_a_report_with_the_disclaimer(content: Content, tmp_path: Path) -> None:
    text = report_file(tmp_path, "r.md").read_text(encoding="utf-8")
    assert "none in this period" in text and content.disclaimer.text.split(".")[0] in text


# The period


def test_default_period_is_twelve_weeks_and_says_what_it_leaves_out(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-200d")
    log("calf", "3m", "--start", "-100d")
    log("foot", "4m", "--start", "-10d")
    text = report_file(tmp_path, "r.md").read_text(encoding="utf-8")
    assert "(12 weeks)" in text and "2 earlier entries are not in this report" in text
    assert "--since DATE includes them" in text
    assert "## Every entry of the period (1)" in text
    every = report_file(tmp_path, "all.md", "--since", "300d").read_text(encoding="utf-8")
    assert "earlier entr" not in every and "## Every entry of the period (3)" in every


def test_red_flags_come_from_the_period_only(tmp_path: Path) -> None:
    log("calf", "14m", "--start", "-200d", "--symptom", "swelling")  # long ago, outside the period
    log("calf", "2m", "--start", "-2d")
    text = report_file(tmp_path, "r.md").read_text(encoding="utf-8")
    assert "None of the warning signs" in text and "more than 10 minutes" not in text
    every = report_file(tmp_path, "all.md", "--since", "300d").read_text(encoding="utf-8")
    assert "more than 10 minutes" in every and "swelling" in every


def test_until_ends_the_period_on_the_day_named(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-20d")
    log("calf", "2m", "--start", "-2d")
    until = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    text = report_file(tmp_path, "r.md", "--since", "60d", "--until", until).read_text(encoding="utf-8")
    assert f"to {until}" in text and "1 later entry is not in this report" in text
    assert "## Every entry of the period (1)" in text


# Honest numbers


def period(first: str, last: str) -> Period:
    since = dt.datetime.fromisoformat(first).astimezone()
    until = dt.datetime.fromisoformat(last).astimezone() + dt.timedelta(days=1)
    return Period(since, until, since.date(), until.date() - dt.timedelta(days=1), True)


def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days


def test_weeks_before_the_first_entry_are_not_recorded_not_zero() -> None:
    span = period("2026-09-08", "2026-11-30")  # 12 weeks
    weeks = weeks_of(span, {day("2026-11-20"): 2}, dt.date(2026, 11, 1))
    assert len(weeks) == 12 and weeks[-1].last_day == dt.date(2026, 11, 30)
    assert [w.episodes for w in weeks[:7]] == [None] * 7  # the weeks that end before 1 November
    assert [w.episodes for w in weeks[7:]] == [0, 0, 0, 2, 0]


def test_what_changed_lately_is_counts_not_percentages() -> None:
    span = period("2026-09-08", "2026-11-30")
    by_day = {day("2026-10-10"): 1, **{day(f"2026-11-{d:02d}"): 1 for d in range(20, 26)}}
    change = change_of(span, by_day, dt.date(2026, 9, 1), ())
    assert (change.before, change.recent, change.before_partly) == (1, 6, False)
    unrecorded = change_of(span, by_day, dt.date(2026, 11, 10), ())
    assert unrecorded.before is None  # before the first entry: not recorded, not zero


def test_the_default_period_ends_today() -> None:
    now = dt.datetime(2026, 11, 30, 9, 0).astimezone()
    chosen = choose_period(None, None, 12, now)
    assert chosen.last_day == dt.date(2026, 11, 30) and (chosen.last_day - chosen.first_day).days == 83
    assert not chosen.chosen


def test_files_are_written_whole_through_a_private_temp_file(tmp_path: Path) -> None:
    log("calf", "2m", "--note", LONG_NOTE)
    report_file(tmp_path, "r.html")
    assert sorted(os.listdir(tmp_path)) == ["r.html"]  # no temp file left behind
