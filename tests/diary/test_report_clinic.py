"""The doctor's report as a clinician reads it: findings that name the entries, marked rows,
the profile's conditions and medicines, severity, notes with room, an honest period; long
notes in the PDF, every script in its text layer, the paper of the user's country, Markdown
that never links, and progress on a terminal only."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.diary.flags import note_signs
from crampcli.diary.report.fonts import platform_files
from crampcli.diary.report.markdown import md
from crampcli.diary.report.paper import file_paper, paper_for, territory_paper

runner = CliRunner()
HAS_REPORTLAB = importlib.util.find_spec("reportlab") is not None
HAS_PDFTOTEXT = shutil.which("pdftotext") is not None
needs_pdf = pytest.mark.skipif(not HAS_REPORTLAB, reason="the pdf extra (reportlab) is not installed")
needs_pdftotext = pytest.mark.skipif(not (HAS_REPORTLAB and HAS_PDFTOTEXT), reason="needs reportlab and pdftotext")


def cramp(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def log(*args: str) -> None:
    code, _, err = cramp("log", "add", *args)
    assert code == 0, err


def report(tmp_path: Path, name: str, *args: str) -> tuple[Path, str]:
    target = tmp_path / name
    code, _, err = cramp("log", "report", "--output", str(target), *args)
    assert code == 0, err
    return target, err


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


# Findings for a clinician


def test_findings_name_the_entry_and_its_row_is_marked(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-6d")
    log("calf", "12m", "--start", "-4d", "--side", "left")  # #2: over 10 minutes
    log("foot", "3m", "--start", "-3d", "--symptom", "swelling")  # #3: a sign of a clot
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert "### Cramps longer than 10 minutes: 1 entry" in text
    assert "### Cramps logged with swelling, redness or warmth: 1 entry" in text
    assert f"#2, {days_ago(4)}: one cramp lasting 12 min (calf, left)" in text
    assert f"#3, {days_ago(3)}: one cramp lasting 3 min (foot) with swelling" in text
    assert "Get medical help" not in text and "What to do" not in text  # written for the clinician
    items = {m.group(1): m.group(2) for m in re.finditer(r"^- \*\*#(\d+)( \\!)?\*\*", text, re.M)}
    assert items == {"1": None, "2": " \\!", "3": " \\!"}  # only the rows that raised a finding
    page = report(tmp_path, "r.html")[0].read_text(encoding="utf-8")
    assert page.count('<tr class="marked') == 2


def test_notes_that_mention_a_sign_are_worth_raising(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-3d", "--note", "Calf is swollen and warm to touch; I can't walk on it")
    log("calf", "2m", "--start", "-2d", "--note", "tired, bored, stared at the ceiling")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert "### Notes worth raising" in text
    assert f'#1, {days_ago(3)}: the note says "swelling", "warmth", "cannot walk"' in text.replace("\\", "")
    assert "#2," not in text.split("## Summary")[0]  # 'tired', 'bored', 'stared' are not 'red'


@pytest.mark.parametrize(
    ("note", "signs"),
    [
        ("leg SWOLLEN tonight", ("swelling",)),
        ("swelling round the ankle, it's red", ("swelling", "redness")),
        ("warmth in the calf", ("warmth",)),
        ("couldn't walk to the bathroom", ("cannot walk",)),
        ("I can\u2019t walk", ("cannot walk",)),
        ("not swollen, had a warm bath", ()),
        ("tired and bored, shredded wheat, warmed up first", ()),
        ("", ()),
    ],
)
def test_note_signs(note: str, signs: tuple[str, ...]) -> None:
    assert note_signs(note) == signs


# The profile, the age, severity


def test_the_profile_s_conditions_medicines_and_age_are_in_the_heading(tmp_path: Path) -> None:
    for setting in ("diabetes=yes", "statins=yes", "diuretics=yes", "older-adult=yes"):
        code, _, err = cramp("profile", "set", setting)
        assert code == 0, err
    log("calf", "2m", "--start", "-1d")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert "**Conditions (profile):** Diabetes  " in text
    assert "**Medicines (profile):** diuretics (water pills); a statin (cholesterol medicine)" in text
    age = next(line for line in text.splitlines() if line.startswith("**Age:**"))
    assert "\\_\\_\\_" in age and "the profile says: older age" in age  # a line to fill in, and what the profile says
    code, out, err = cramp("log", "report", "--format", "md", "--profile", "none")
    assert code == 0 and "Diabetes" not in out and "none recorded in the profile" in out, err


def test_without_a_profile_the_heading_says_so(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-1d")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert "**Conditions (profile):** none recorded in the profile" in text


def test_severity_summary(tmp_path: Path) -> None:
    for severity in ("2", "5", "6", "9"):
        log("calf", "1m", "--start", f"-{severity}d", "--severity", severity)
    log("calf", "1m", "--start", "-1d")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("| Severity |"))
    assert "median 6/10, from 2 to 9 (mild 0-3: 1, moderate 4-6: 2, severe 7-10: 1); not given for 1 episode" in line


# Notes with room, the period, the order


def test_a_note_has_a_full_width_line_under_its_row(tmp_path: Path) -> None:
    note = "\n".join(f"line {i} of a long note" for i in range(14))
    log("calf", "2m", "--start", "-1d", "--note", note)
    page = report(tmp_path, "r.html")[0].read_text(encoding="utf-8")
    assert '<th scope="col">Note</th>' not in page  # not a narrow column
    row = re.search(r'<tr class="has-note">(.*?)</tr>\n<tr class="note"><td colspan="10">(.*?)</td></tr>', page, re.S)
    assert row is not None and "line 13 of a long note" in row.group(2) and "line 0" not in row.group(1)
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    item = text.split("## Every entry of the period (1)")[1]
    assert re.search(r"^- \*\*#1\*\* .*  \n  \*Note:\* line 0 of a long note\\\n  line 1 of", item, re.M)


def test_the_period_says_when_the_diary_began_inside_it(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-10d")
    log("calf", "2m", "--start", "-3d")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert f"first entry on {days_ago(10)}, so the days before it were not recorded" in text
    whole = report(tmp_path, "w.md", "--since", days_ago(10))[0].read_text(encoding="utf-8")
    assert "first entry on" not in whole  # the period starts on the first entry's day


def test_rows_are_in_date_order_whatever_order_they_were_logged_in(tmp_path: Path) -> None:
    for days in (3, 9, 1, 6):
        log("calf", "2m", "--start", f"-{days}d")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    dates = re.findall(r"^- \*\*#\d+\*\* (\d{4}-\d\d-\d\d)", text, re.M)
    assert dates == sorted(dates) and len(dates) == 4
    assert re.findall(r"^- \*\*#(\d+)\*\*", text, re.M) == ["2", "4", "1", "3"]


# Markdown never links


AUTOLINK_TRIGGERS = re.compile(r"(?i)(?:[a-z][a-z0-9+.\-]*://|\bwww\.|\bmailto:|[\w.+\-]@[\w\-]+\.\w|<[a-z]+:)")
HOSTILE = (
    "see https://evil.example/x?y=1 and http://a.b, www.nhs.uk/conditions, ftp://f.g, "
    "mail nurse.jo@clinic.example or mailto:x@y.zz, <https://angle.example> <x@y.example> "
    "[t](http://t.co) ![i](http://i.co/p.png) HTTPS://UPPER.EXAMPLE"
)


def test_markdown_text_never_becomes_a_link() -> None:
    escaped = md(HOSTILE)
    assert not AUTOLINK_TRIGGERS.search(escaped), AUTOLINK_TRIGGERS.findall(escaped)
    assert escaped.replace("\u2060", "").replace("\\", "") == HOSTILE  # it still reads the same
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(escaped)
    assert "<a " not in rendered and "<img" not in rendered


def test_a_note_with_links_in_the_markdown_report(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-1d", "--note", HOSTILE)
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert not AUTOLINK_TRIGGERS.search(text), AUTOLINK_TRIGGERS.findall(text)
    from markdown_it import MarkdownIt

    assert "<a " not in MarkdownIt("commonmark").enable("table").render(text)


# The PDF: long notes, every script


@needs_pdftotext
def test_a_note_of_ten_thousand_characters_or_300_lines_makes_a_pdf(tmp_path: Path) -> None:
    words = ("cramp woke me " * 800)[:9980] + " LONG-TAIL"
    log("calf", "2m", "--start", "-3d", "--note", words)
    log("calf", "2m", "--start", "-2d", "--note", "\n".join(f"row {i}" for i in range(300)))
    log("calf", "2m", "--start", "-1d", "--note", "y" * 10_000)  # no space to break at
    target, err = report(tmp_path, "r.pdf")
    assert "Traceback" not in err
    text = pdf_text(target)
    assert "LONG-TAIL" in text and all(f"row {i}\n" in text for i in range(300))
    assert text.replace("\n", "").count("y" * 50) >= 10_000 // 50 - 2  # the whole of it, over many lines


@needs_pdftotext
def test_a_note_drawn_much_longer_than_it_is_is_cut_between_lines_and_makes_a_pdf(tmp_path: Path) -> None:
    # No font draws an emoji: each is drawn as [U+1F600], nine characters wide, so a piece of
    # the note that fits by its length made a row taller than a page (reportlab's LayoutError).
    log("calf", "2m", "--start", "-1d", "--note", "\U0001f600" * 3000 + " EMOJI-TAIL")
    target, err = report(tmp_path, "r.pdf")
    assert "Traceback" not in err
    text = pdf_text(target)
    assert "EMOJI-TAIL" in text
    assert text.replace("\n", "").count("[U+1F600]") >= 2990  # all of it, whatever the lines it was cut at


@needs_pdftotext
def test_every_script_extracts_from_the_pdf_and_what_cannot_be_shown_is_said_once(tmp_path: Path) -> None:
    chinese, greek, cyrillic = "小腿抽筋很痛", "Κράμπα στη γάμπα", "Судорога ночью"
    log("calf", "2m", "--start", "-3d", "--note", f"{chinese} {greek}")
    log("calf", "2m", "--start", "-2d", "--note", f"{cyrillic} \U0001f600")
    log("calf", "2m", "--start", "-1d", "--note", "again \U0001f600 こむら返り 다리 쥐")
    if not any(os.path.isfile(regular) for regular, _ in platform_files()):
        pytest.skip("no DejaVu font installed (apt-get install fonts-dejavu-core)")
    target, err = report(tmp_path, "r.pdf")
    text = pdf_text(target)
    for words in (chinese, greek, cyrillic, "こむら返り", "다리 쥐"):
        assert words in text
    assert "\U0001f600" not in text and "[U+1F600]" in text  # a stand-in that reads as it looks, never a wrong letter
    assert err.count("warning:") == 1 and "U+1F600 (grinning face)" in err and "1 character" in err


@needs_pdf
def test_without_a_unicode_font_greek_is_a_stand_in_and_named() -> None:
    from crampcli.diary.report.fonts import Fonts

    fonts = Fonts(files=())  # no TrueType font at all: Helvetica, Latin-1
    markup = fonts.markup("caf\u00e9 \u03b1 \u5c0f")
    assert "caf\u00e9" in markup and "[U+03B1]" in markup and '<font name="STSong-Light">\u5c0f</font>' in markup
    assert fonts.missing_words() == "1 character: U+03B1 (greek small letter alpha)"


# Paper


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LANG": "fr_CA.UTF-8"}, "letter"),
        ({"LANG": "es_MX"}, "letter"),
        ({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "a4"),  # LC_PAPER first
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "en_US.UTF-8"}, "letter"),  # then LC_ALL
        ({"LANG": "C.UTF-8"}, "a4"),
        ({}, "a4"),
    ],
)
def test_paper_by_locale(environ: dict[str, str], paper: str, tmp_path: Path) -> None:
    assert paper_for(None, environ, tmp_path / "no-papersize") == paper


def test_paper_from_etc_papersize(tmp_path: Path) -> None:
    papersize = tmp_path / "papersize"
    papersize.write_text("# set by the installer\nletter\n")
    assert file_paper(papersize) == "letter" and paper_for(None, {"LANG": "C"}, papersize) == "letter"
    assert paper_for(None, {"LANG": "de_DE.UTF-8"}, papersize) == "a4"  # the locale comes first
    assert paper_for("a4", {"LANG": "en_US.UTF-8"}, papersize) == "a4"  # --paper before all
    os.mkfifo(tmp_path / "fifo")
    assert file_paper(tmp_path / "fifo") is None  # never waits on a pipe
    assert territory_paper("POSIX") is None


@needs_pdf
def test_us_locale_gets_letter_in_the_pdf_and_the_print_stylesheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_PAPER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    log("calf", "2m", "--start", "-1d")
    letter = report(tmp_path, "letter.pdf")[0].read_bytes()
    assert b"/MediaBox [ 0 0 612 792 ]" in letter
    assert "@page { size: letter;" in report(tmp_path, "r.html")[0].read_text(encoding="utf-8")
    a4 = report(tmp_path, "a4.pdf", "--paper", "A4")[0].read_bytes()
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in a4
    assert "@page { size: A4;" in report(tmp_path, "a4.html", "--paper", "a4")[0].read_text(encoding="utf-8")
    code, _, err = cramp("log", "report", "--output", str(tmp_path / "x.pdf"), "--paper", "legal")
    assert code == 2 and "unknown paper 'legal'; use a4 or letter." in err


# Progress: on a terminal only


def big_diary(home: Path, entries: int) -> None:
    """A diary of entries over the last 80 days, written straight through the store (quick)."""
    os.environ["CRAMPCLI_HOME"] = str(home)
    from crampcli.diary.store import INSERT, open_diary

    now = int(time.time())
    rows = [
        (
            None,
            f"{i:016x}",
            now - 3600 - i * 600,
            0,
            60 + i % 200,
            "calf",
            None,
            i % 11,
            "day",
            "",
            "",
            f"note {i}",
            now,
        )
        for i in range(entries)
    ]
    diary = open_diary(create=True)
    assert diary is not None
    with diary:
        diary.write(lambda connection: connection.executemany(INSERT, rows))


@needs_pdf
def test_a_long_report_shows_progress_on_a_terminal_and_nothing_in_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CRAMPCLI_HOME", str(home))
    big_diary(home, 2500)  # some 5 s of PDF on one core: over the one second before a bar
    env = {**os.environ, "CRAMPCLI_HOME": str(home), "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    argv = ["-m", "crampcli", "log", "report", "--since", "90d", "--force", "--output"]
    child = pexpect.spawn(sys.executable, [*argv, str(tmp_path / "tty.pdf")], env=env, encoding="utf-8", timeout=120)
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close()
    shown = child.before or ""
    assert child.exitstatus == 0, shown
    assert re.search(r"(Reading the diary|Writing the report|Laying out pages)", shown), shown[-500:]
    assert re.search(r"\d+/2500", shown) and "entries/s" in shown  # the count and the rate
    piped = subprocess.run([sys.executable, *argv, str(tmp_path / "pipe.pdf")], env=env, capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == "" and piped.stdout == ""


def test_a_quick_report_on_a_terminal_stays_silent(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-1d")
    env = {**os.environ, "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crampcli", "log", "report", "--output", str(tmp_path / "r.html")],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and (child.before or "").strip() == ""


def test_only_night_cramps_disturb_a_night(tmp_path: Path) -> None:
    log("calf", "2m", "--start", "-3d", "--day")
    log("calf", "2m", "--start", "-2d", "--night")
    log("calf", "2m", "--start", "-1d", "--night")
    text = report(tmp_path, "r.md")[0].read_text(encoding="utf-8")
    assert re.search(r"\| Nights disturbed \| 2 of \d+ nights recorded \|", text)
    assert "| Night and day | 2 at night (22:00 to 06:59), 1 by day |" in text
