"""What `cramp log` shows people: warnings that know an entry's age, notes worth raising, weeks
before the first entry, `list --until`, the rm aliases, wide characters in the table, and a
progress bar only on a terminal."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import CRAMP
from rich.cells import cell_len
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content
from crampcli.diary import progress
from crampcli.diary.listing import Columns, wrap_cells, write_list
from crampcli.diary.model import Entry

runner = CliRunner()
needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
# \uff0c is a full-width comma
CHINESE_NOTE = "今天晚上小腿抽筋了很久\uff0c醒来以后还是很痛\uff0c早上走路也不舒服\uff0c脚也有点肿\u3002" * 3
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def cramp(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["log", *args])
    return result.exit_code, result.stdout, result.stderr


def cramp_json(*args: str) -> Any:
    code, out, err = cramp(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def add(*args: str) -> None:
    code, _, err = cramp("add", *args)
    assert code == 0, err


# Warnings and their age


def warnings_block(out: str) -> list[str]:
    """The lines between the title and the weekly chart."""
    lines = out.splitlines()
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("Episodes per week"))]


def test_a_long_cramp_logged_days_later_is_worth_raising_not_an_emergency() -> None:
    add("calf", "12m", "--start", "-96h")
    code, out, _ = cramp("add", "calf", "15m", "--start", "-14d", "--plain")
    assert code == 0 and "Worth raising with your doctor" in out
    _, out, _ = cramp("stats", "--plain")
    assert "TODAY" not in out and "emergency department" not in out
    assert "2 entries; the latest #1" in out


def test_a_sign_logged_today_keeps_its_urgency_and_an_old_one_is_one_line(content: Content) -> None:
    clot = next(f for f in content.red_flags if f.id == "clot-signs")
    for n in range(8):  # old signs of every kind, and a long cramp: all one line each
        add("calf", "11m", "--start", f"-{3 + n}d", "--symptom", "swelling,numbness", "--note", "leg swollen")
    _, out, _ = cramp("stats", "--plain")
    assert "TODAY" not in out and clot.advice not in out
    block = warnings_block(out)
    assert len(block) <= 12, "\n".join(block)
    assert "8 entries; the latest #1" in out
    add("calf", "2m", "--symptom", "swelling")
    _, out, _ = cramp("stats", "--plain")
    assert "SEE A DOCTOR TODAY" in out and clot.advice in out
    assert out.index("SEE A DOCTOR TODAY") < out.index("Worth raising")
    document = cramp_json("stats")
    clot_flag = next(f for f in document["flags"] if f["id"] == "diary-clot-signs")
    assert clot_flag["urgency"]["id"] == "urgent" and clot_flag["recent"] is True


def test_notes_worth_raising_are_pointed_out() -> None:
    add("calf", "2m", "--start", "-3d", "--note", "calf looked red and felt warm")
    add("calf", "2m", "--start", "-2d", "--note", "after a warm bath")
    add("foot", "1m", "--start", "-1d", "--note", "couldn't walk on it for an hour")
    _, out, _ = cramp("stats", "--plain")
    chart_start = dt.date.today() - dt.timedelta(days=7 * 12 - 1)
    assert f"Your notes since {chart_start:%b %d} mention warmth, redness and cannot walk (#3 and #1)." in out
    assert cramp_json("stats")["notes"] == {"signs": ["warmth", "redness", "cannot walk"], "entries": [1, 3]}
    assert cramp_json("stats", "--area", "foot")["notes"]["entries"] == [3]
    _, out, _ = cramp("add", "calf", "1m", "--note", "both ankles swollen", "--plain")
    assert "Your note mentions swelling (#4)." in out


def test_notes_are_read_over_the_weeks_the_chart_shows() -> None:
    add("calf", "2m", "--start", "-100d", "--note", "leg swollen")
    add("calf", "2m", "--start", "-1d")
    assert cramp_json("stats")["notes"] is None  # 12 weeks: 84 days
    assert cramp_json("stats", "--weeks", "15")["notes"]["entries"] == [1]


def test_stats_ends_with_the_html_report() -> None:
    add("calf", "2m")
    _, out, _ = cramp("stats", "--plain")
    tail = out[out.index("Trend") :]
    assert "cramp log report --output cramps.html" in tail


# Weeks and trend


def test_stats_weeks_before_the_first_entry_are_not_recorded_not_zero() -> None:
    for days in (20, 13, 12, 1):
        add("calf", "1m", "--start", f"-{days}d")
    document = cramp_json("stats", "--weeks", "6")
    assert [w["episodes"] for w in document["weeks"]] == [None, None, None, 1, 2, 1]
    assert document["weeks"][-1]["week_end"] == dt.date.today().isoformat()
    assert document["trend"]["previous_4_weeks"] is None and document["trend"]["change"] is None
    _, out, _ = cramp("stats", "--weeks", "6", "--plain")
    assert out.count("not recorded") == 2  # one line for the weeks before, one in the trend
    assert "(up" not in out and "(down" not in out


# list --until


def test_list_until_a_date_or_a_time_ago() -> None:
    for days in (10, 5, 1):
        add("calf", "1m", "--start", f"-{days}d")
    assert [e["id"] for e in cramp_json("list", "--until", "3d")["entries"]] == [1, 2]
    assert [e["id"] for e in cramp_json("list", "--since", "7d", "--until", "3d")["entries"]] == [2]
    day = (dt.date.today() - dt.timedelta(days=5)).isoformat()
    assert [e["id"] for e in cramp_json("list", "--until", day)["entries"]] == [1, 2]  # the day itself included
    assert cramp_json("list", "--until", day)["count"] == 2
    code, _, err = cramp("list", "--until", "soon")
    assert code == 2 and "--until" not in err and "'soon' is not a period" in err
    assert cramp("list", "--since", "3d", "--until", "7d")[0] == 2


# rm, delete, remove


@pytest.mark.parametrize("word", ["delete", "remove"])
def test_delete_and_remove_work_as_rm(word: str) -> None:
    add("calf", "1m")
    add("calf", "2m")
    document = cramp_json(word, "1", "--yes")
    assert document["kind"] == "diary-removed" and [e["id"] for e in document["removed"]] == [1]
    assert [e["id"] for e in cramp_json("list")["entries"]] == [2]
    code, _, err = cramp(word, "2")
    assert code == 2 and "--yes" in err


def test_help_names_the_aliases_of_rm() -> None:
    _, out, _ = cramp("--help")
    rm_line = next(line for line in out.splitlines() if line.strip().startswith("rm "))
    assert "delete" in rm_line and "remove" in rm_line


# Wide characters


def entry_with(note: str) -> Entry:
    started = int(dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC).timestamp())
    return Entry(7, "u" * 32, started, 0, 120, "calf", "left", 5, "night", (), (), note, started)


def table(note: str, width: int) -> list[str]:
    from crampcli.content.load import load_content

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    write_list([entry_with(note)], 1, "", "rich", load_content().disclaimer, now, out, lambda w: Columns(w, 1, 13))
    out.flush()
    return [ANSI.sub("", line) for line in raw.getvalue().decode("utf-8").splitlines()]


@pytest.mark.parametrize("note", [CHINESE_NOTE, "抽筋 " * 40, "🦵 cramp " * 20, "x" * 300])
def test_a_wide_note_stays_inside_80_columns(monkeypatch: pytest.MonkeyPatch, note: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = table(note, 80)
    assert max(cell_len(line) for line in lines) <= 80, lines
    assert any(note.split()[0][:4] in line for line in lines)  # shown, not replaced


def test_wrap_cells_counts_display_cells() -> None:
    lines = wrap_cells(CHINESE_NOTE, 20, 4)
    assert len(lines) == 4 and all(cell_len(line) <= 20 for line in lines)
    assert lines[0] == CHINESE_NOTE[:10] and lines[-1].endswith("...")
    assert wrap_cells("a short note", 20, 4) == ["a short note"]
    assert wrap_cells("", 20, 4) == []


# Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_appears_on_a_terminal_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setenv("TERM", "xterm")
    screen = Terminal()
    assert progress.wanted(screen) and not progress.wanted(screen, json_output=True)
    with progress.Progress("Exporting", 5_000, progress.wanted(screen), stream=screen) as bar:
        assert list(bar.counted(range(5_000))) == list(range(5_000))
        assert bar.bar is not None
    assert bar.bar is None  # cleared at the end
    assert "Exporting" in screen.getvalue() and "5000/5000" in screen.getvalue()


def test_no_progress_in_a_pipe_or_before_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    assert not progress.wanted(piped)
    monkeypatch.setenv("TERM", "dumb")
    assert not progress.wanted(Terminal())
    monkeypatch.setenv("TERM", "xterm")
    quick = Terminal()
    with progress.Progress("Importing", 2_000, True, stream=quick) as bar:  # the real one-second delay
        for _ in bar.counted(range(2_000)):
            pass
    assert quick.getvalue() == ""


def big_import(tmp_path: Path, count: int) -> Path:
    started = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    rows = [
        {"started": (started + dt.timedelta(minutes=n)).isoformat(timespec="seconds"), "duration_seconds": 60}
        for n in range(count)
    ]
    source = tmp_path / "many.json"
    source.write_text(json.dumps({"entries": [{**row, "area": "calf"} for row in rows]}), encoding="utf-8")
    return source


@needs_cramp
@pytest.mark.parametrize("json_output", [False, True])
def test_a_long_import_shows_progress_in_a_terminal_only(tmp_path: Path, json_output: bool) -> None:
    import pexpect  # type: ignore[import-untyped]

    source = big_import(tmp_path, 40_000)  # some 4 seconds: well past the one-second delay
    args = ["log", "import", str(source), *(["--json"] if json_output else [])]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    child = pexpect.spawn(CRAMP, args, env=env, encoding="utf-8", timeout=120, dimensions=(24, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.before or ""
    if json_output:
        assert "Importing" not in shown and '"added": 40000' in shown
    else:
        assert "Importing" in shown and "entries" in shown and "/s" in shown
        assert "Imported 40000 entries" in shown


@needs_cramp
def test_a_long_import_in_a_pipe_is_silent(tmp_path: Path) -> None:
    source = big_import(tmp_path, 40_000)
    result = subprocess.run([CRAMP, "log", "import", str(source)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "Imported 40000 entries" in result.stdout


NOTES = [
    "calf swollen",
    "Swelling",
    "warm leg",
    "a warm bath",
    "RED skin",
    "tired",
    "can\u2019t walk",
    "cannot stand up",
    "unable to put weight on it",
    "after the long walk",
    "hot",
    "not swollen",
    "",
]


def test_the_store_finds_every_note_the_pure_function_flags() -> None:
    from crampcli.diary import flags, store

    for note in NOTES:
        args = ("--note", note) if note else ()
        add("calf", "1m", *args)
    with store.open_diary(create=False) as diary:  # type: ignore[union-attr]
        fetched = diary.noted(flags.NOTE_HINTS)
        every = diary.entries()
    flagged = [e.id for e in every if flags.note_signs(e.note)]
    assert flagged == [1, 2, 3, 5, 7, 8, 9, 11]
    assert set(flagged) <= {e.id for e in fetched}
    assert 10 not in {e.id for e in fetched}  # "after the long walk" is not even fetched
