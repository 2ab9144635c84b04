"""`cramp log` command by command: what a user sees, the JSON shapes, exit codes, and export
and import losing nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import CRAMP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content
from crampcli.diary.io import export_csv, export_json, parse_import
from crampcli.diary.model import FIELDS, Entry
from crampcli.errors import CrampError, UsageError

runner = CliRunner()
needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
ENTRY_KEYS = {
    "id",
    "uid",
    "started",
    "duration_seconds",
    "area",
    "side",
    "severity",
    "period",
    "triggers",
    "symptoms",
    "note",
    "logged",
}
AWKWARD_NOTE = '\x1b[31mred\x1b[0m, "quoted" note\nover two lines\twith a tab, =SUM(A1), <b>bold</b> | pipe é'


def cramp(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["log", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def cramp_json(*args: str) -> Any:
    code, out, err = cramp(*args, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert isinstance(document, dict) and document["disclaimer"]
    return document


def log_three() -> None:
    for args in (
        ["calf", "2m", "--start", "-3h", "--side", "left", "--severity", "6", "--trigger", "exercise,heat"],
        # Starts well clear of the one-day boundary, so `list --since 1d` is the same at any hour.
        ["foot", "90s", "--start", "-30h", "--note", AWKWARD_NOTE],
        ["back-of-thigh", "1m30s", "--start", "-20h", "--day", "--trigger", "standing", "--trigger", "cold"],
    ):
        code, _, err = cramp("add", *args)
        assert code == 0, err


# add


def test_quick_add_and_its_json(content: Content) -> None:
    document = cramp_json("add", "calf", "2m")
    assert document["kind"] == "diary-entry" and document["action"] == "added"
    entry = document["entry"]
    assert isinstance(entry, dict) and set(entry) == ENTRY_KEYS
    assert entry["id"] == 1 and entry["area"] == "calf" and entry["duration_seconds"] == 120
    assert entry["period"] in ("night", "day") and document["flags"] == []


def test_add_stores_the_canonical_area_and_every_field() -> None:
    code, out, _ = cramp(
        "add",
        "--area",
        "Charley Horse",
        "--duration",
        "10min",
        "--side",
        "both",
        "--start",
        "2026-11-20T03:10",
        "--severity",
        "0",
        "--night",
        "--trigger",
        "dehydration",
        "--note",
        "woke me",
        "--plain",
    )
    assert code == 0
    assert out.startswith("Logged #1 2026-11-20 03:10 night: calf, both, 10 min, severity 0/10")
    entry = cramp_json("list")["entries"][0]
    assert entry["started"].startswith("2026-11-20T03:10:00")
    assert (entry["area"], entry["side"], entry["severity"], entry["triggers"]) == ("calf", "both", 0, ["dehydration"])


def test_night_and_day_come_from_the_time_unless_told() -> None:
    assert cramp_json("add", "calf", "1m", "--start", "2026-11-20T23:30")["entry"]["period"] == "night"
    assert cramp_json("add", "calf", "1m", "--start", "2026-11-20T07:00")["entry"]["period"] == "day"
    forced = cramp_json("add", "calf", "1m", "--start", "2026-11-20T23:30", "--day")
    assert forced["entry"]["period"] == "day"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["elbow", "2m"], "unknown area 'elbow'"),
        (["calf"], "how long"),
        ([], "where the cramp was"),
        (["calf", "0s"], "longer than"),
        (["calf", "2 days"], "not a duration"),
        (["calf", "1500m"], "longer than a day"),
        (["calf", "2m", "--start", "tomorrow 03:00"], "not a start time"),
        (["calf", "2m", "--start", "2099-01-01T03:00"], "in the future"),
        (["calf", "2m", "--side", "middle"], "unknown side"),
        (["calf", "2m", "--trigger", "exercise,beer"], "unknown trigger 'beer'"),
        (["calf", "2m", "--symptom", "itching"], "unknown symptom"),
        (["calf", "2m", "--severity", "11"], "11"),
        (["calf", "2m", "--area", "foot"], "once"),
        (["calf", "2m", "--note", "a\0b"], "NUL"),
    ],
)
def test_bad_input_is_a_usage_error_and_nothing_is_written(args: list[str], message: str) -> None:
    code, out, err = cramp("add", *args)
    assert code == 2, err
    assert message in err and out == "" and "Traceback" not in err
    assert not Path(os.environ["CRAMPCLI_HOME"]).exists()


# red flags right after add


def test_a_long_cramp_is_worth_raising_right_away(content: Content) -> None:
    flag = next(f for f in content.diary_flags if f.id == "diary-long-cramp")
    code, out, _ = cramp("add", "calf", "12m", "--plain")
    assert code == 0
    assert "Worth raising with your doctor (see a doctor soon)" in out
    assert " ".join(flag.finding.split()[:6]) in out and "(#1," in out
    assert "TODAY" not in out and "emergency department" not in out  # it has passed: not today
    assert out.index("Logged #1") < out.index("Worth raising")
    assert out.rstrip().endswith(content.disclaimer.short)
    document = cramp_json("add", "calf", "11m")
    (found,) = document["flags"]
    assert found["red_flag"]["id"] == "cramp-over-ten-minutes" and found["urgency"]["id"] == "soon"
    assert found["entries"] == [2]


def test_swelling_shows_the_clot_advice(content: Content) -> None:
    flag = next(f for f in content.red_flags if f.id == "clot-signs")
    _, out, _ = cramp("add", "calf", "2m", "--symptom", "swelling", "--plain")
    assert flag.advice in out


def test_cramps_on_four_days_of_a_week_show_the_frequency_finding(content: Content) -> None:
    flag = next(f for f in content.diary_flags if f.id == "diary-most-days")
    for days_back in (6, 4, 2):
        _, out, _ = cramp("add", "calf", "1m", "--start", f"-{days_back * 24}h", "--plain")
        assert flag.finding not in out
    _, out, _ = cramp("add", "calf", "1m", "--plain")
    assert flag.finding in out and "cramps on 4 of the 7 days" in out and "Worth raising" in out


def test_an_ordinary_cramp_shows_no_red_flag(content: Content) -> None:
    _, out, _ = cramp("add", "calf", "2m", "--plain")
    assert not any(level.label.upper() in out for level in content.urgency_levels)


# list, edit, rm


def test_list_oldest_first_with_filters() -> None:
    log_three()
    code, out, _ = cramp("list", "--plain")
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("#")]
    assert [line.split()[0] for line in lines] == ["#2", "#3", "#1"]  # by start time
    assert "calf, left, 2 min, severity 6/10; triggers: exercise, heat" in out
    assert "hamstring" in out and "triggers: standing, cold" in out
    document = cramp_json("list", "--area", "calf")
    assert [e["area"] for e in document["entries"]] == ["calf"]
    assert document["count"] == 1
    assert [e["id"] for e in cramp_json("list", "--since", "1d")["entries"]] == [3, 1]
    assert [e["id"] for e in cramp_json("list", "--latest", "1")["entries"]] == [1]
    today = dt.date.today().isoformat()
    # Since midnight: #1 (3 hours ago), and #3 (20 hours ago) when that was still today.
    since_today = cramp_json("list", "--since", today)["entries"]
    assert since_today and all(dt.datetime.fromisoformat(e["started"]).date().isoformat() == today for e in since_today)
    assert cramp("list", "--since", "soon")[0] == 2


def test_a_note_never_reaches_the_terminal_raw() -> None:
    log_three()
    for args in (["list"], ["list", "--color", "always"], ["add", "calf", "1m", "--note", AWKWARD_NOTE]):
        _, out, _ = cramp(*args)
        assert "\x1b[31mred" not in out and "?[31mred" in out
    stored = [e["note"] for e in cramp_json("list")["entries"] if e["id"] == 2]
    assert stored == [AWKWARD_NOTE]  # kept exactly as typed


def test_edit_changes_only_what_is_given() -> None:
    log_three()
    before = cramp_json("list", "--area", "calf")["entries"][0]
    document = cramp_json("edit", "1", "--duration", "3m", "--note", "edited")
    after = document["entry"]
    assert document["action"] == "changed"
    assert after["duration_seconds"] == 180 and after["note"] == "edited"
    assert {k: v for k, v in after.items() if k not in ("duration_seconds", "note")} == {
        k: v for k, v in before.items() if k not in ("duration_seconds", "note")
    }
    cleared = cramp_json("edit", "1", "--trigger", "", "--start", "2026-11-20T14:00")["entry"]
    assert cleared["triggers"] == [] and cleared["period"] == "day"


def test_edit_errors() -> None:
    log_three()
    assert cramp("edit", "99", "--duration", "1m")[0] == 2
    assert cramp("edit", "1")[0] == 2
    assert cramp("edit", "one", "--duration", "1m")[0] == 2
    assert cramp("edit", "1", "--duration", "forever")[0] == 2


def test_rm_needs_yes_without_a_terminal() -> None:
    log_three()
    code, _, err = cramp("rm", "1")
    assert code == 2 and "--yes" in err
    assert len(cramp_json("list")["entries"]) == 3
    assert cramp("rm", "1", "7", "--yes")[0] == 2  # one missing: none removed
    assert len(cramp_json("list")["entries"]) == 3
    document = cramp_json("rm", "1", "2", "--yes")
    assert [e["id"] for e in document["removed"]] == [1, 2]
    assert [e["id"] for e in cramp_json("list")["entries"]] == [3]
    cramp("add", "calf", "1m")
    assert [e["id"] for e in cramp_json("list")["entries"]] == [3, 4]


@needs_cramp
@pytest.mark.parametrize(("answer", "code", "left"), [("y", 0, 2), ("n", 1, 3)])
def test_rm_asks_on_a_terminal(answer: str, code: int, left: int) -> None:
    import pexpect  # type: ignore[import-untyped]

    log_three()
    child = pexpect.spawn(CRAMP, ["log", "rm", "2"], env=dict(os.environ), encoding="utf-8", timeout=30)
    child.expect(r"Remove this entry\?")
    assert "?[31mred" in (child.before or "")  # the entry is shown, its note neutralised
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    assert len(cramp_json("list")["entries"]) == left


# stats


def test_stats_on_an_empty_diary() -> None:
    code, out, _ = cramp("stats", "--plain")
    assert code == 0 and "No entries" in out
    document = cramp_json("stats")
    assert document["count"] == 0 and document["median_seconds"] is None


def test_stats_numbers_and_json_shape(content: Content) -> None:
    log_three()
    cramp("add", "calf", "15m", "--start", "-2h")
    document = cramp_json("stats")
    assert document["kind"] == "diary-stats" and document["count"] == 4
    assert set(document) >= {"weeks", "by_area", "by_hour", "night", "day", "median_seconds", "longest", "trend"}
    assert document["by_area"] == {"calf": 2, "foot": 1, "hamstring": 1}
    assert document["median_seconds"] == 105 and document["longest"]["duration_seconds"] == 900
    assert len(document["weeks"]) == 12 and sum(w["episodes"] or 0 for w in document["weeks"]) == 4
    assert document["weeks"][0]["episodes"] is None  # before the first entry: not recorded, not 0
    assert document["weeks"][-1]["week_end"] == dt.date.today().isoformat()
    assert document["trend"]["last_4_weeks"] == 4 and document["trend"]["previous_4_weeks"] is None
    assert document["trend"]["change"] is None  # 4 entries are not a rising trend
    assert [f["id"] for f in document["flags"]] == ["diary-long-cramp"]
    _, out, _ = cramp("stats", "--plain")
    flag = next(f for f in content.diary_flags if f.id == "diary-long-cramp")
    assert flag.finding.split(".")[0] in out and out.index("Worth raising") < out.index("Episodes per week")
    assert ": not recorded (before the first entry)" in out and "not recorded (before the first entry)." in out
    assert "up" not in out[out.index("Trend") :].split("\n")[1]
    assert out.index("cramp log report --output cramps.html") > out.index("Trend")
    assert "Median 1 min 45 s; longest 15 min" in out
    assert cramp_json("stats", "--area", "foot")["count"] == 1
    assert cramp_json("stats", "--weeks", "3")["weeks"].__len__() == 3


# export and import


def export(fmt: str) -> str:
    code, out, err = cramp("export", "--format", fmt)
    assert code == 0, err
    return out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_loses_nothing(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_three()
    cramp("add", "calf", "12m", "--symptom", "swelling,warmth", "--severity", "10")
    cramp("rm", "2", "--yes")  # a gap in the numbers survives too
    first = export(fmt)
    file = tmp_path / f"diary.{fmt}"
    file.write_text(first, encoding="utf-8", newline="")
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "empty"))
    document = cramp_json("import", str(file))
    assert (document["added"], document["skipped"]) == (3, 0)
    assert export(fmt) == first
    again = cramp_json("import", str(file))
    assert (again["added"], again["skipped"]) == (0, 3)  # duplicates by uid are skipped and counted
    assert export(fmt) == first


def test_export_to_a_private_file_never_over_another(tmp_path: Path) -> None:
    log_three()
    target = tmp_path / "cramps.json"
    assert cramp("export", "--output", str(target))[0] == 0  # the format from the name
    assert json.loads(target.read_text())["kind"] == "cramp-diary"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    target.write_text("precious")
    code, _, err = cramp("export", "--output", str(target))
    assert code == 2 and "--force" in err and target.read_text() == "precious"
    assert cramp("export", "--output", str(target), "--force")[0] == 0
    assert target.read_text().startswith("{")
    assert cramp("export", "--format", "xml")[0] == 2


def test_an_import_with_one_bad_row_imports_nothing_and_names_it(tmp_path: Path) -> None:
    log_three()
    rows = export("csv").splitlines()
    fresh = [row.replace(row.split(",")[1], f"new{i}", 1) for i, row in enumerate(rows[1:])]
    bad = fresh[1].replace(",90,", ",ninety,", 1)
    file = tmp_path / "import.csv"
    file.write_text("\n".join([rows[0], fresh[0], bad, *fresh[2:]]) + "\n", encoding="utf-8")
    code, _, err = cramp("import", str(file))
    assert code == 1 and "row 2" in err and "duration_seconds" in err and "nothing was imported" in err
    assert len(cramp_json("list")["entries"]) == 3


def test_an_import_of_many_bad_rows_names_the_first_ten_and_counts_the_rest(tmp_path: Path) -> None:
    bad_rows = 50_000
    file = tmp_path / "import.csv"
    file.write_text("started,duration_seconds,area\n" + "2026-11-20T03:10,60,elbow\n" * bad_rows, encoding="utf-8")
    code, out, err = cramp("import", str(file))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "cramp: nothing was imported; fix these and try again:"
    named = [line.strip().split(":")[0] for line in lines[1:-1]]
    assert named == [f"row {n} (line {n + 1})" for n in range(1, 11)]
    assert lines[-1].strip() == f"... and {bad_rows - 10} more"
    assert not Path(os.environ["CRAMPCLI_HOME"]).exists()


def test_checking_bad_rows_keeps_only_ten_messages_in_memory(content: Content) -> None:
    import tracemalloc

    from crampcli.diary.io import RowReader, checked

    def peak(rows: int) -> int:
        records = ((f"row {n}", {"": f"has {n} cells, the header 3"}) for n in range(rows))
        tracemalloc.start()
        try:
            with pytest.raises(CrampError) as raised:
                list(checked(records, RowReader(content, dt.datetime.now(dt.UTC))))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert f"and {rows - 10} more" in str(raised.value)

    # Ten times the rows, about the same memory: a message kept for each row would take megabytes.
    assert peak(100_000) < peak(10_000) + 100_000


def test_a_bad_value_that_repeats_is_judged_once_and_what_is_remembered_is_bounded(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.content import names
    from crampcli.diary.io import RowReader

    looked_up = []
    find_named = names.find_named
    monkeypatch.setattr(names, "find_named", lambda *args: looked_up.append(args[1]) or find_named(*args))
    monkeypatch.setattr(RowReader, "KNOWN_LIMIT", 5)
    reader = RowReader(content, dt.datetime.now(dt.UTC))
    messages = []
    for area in ["elbow"] * 3 + [f"knee{n}" for n in range(20)]:
        with pytest.raises(UsageError) as raised:
            reader.entry({"started": "2026-11-20T03:10", "duration_seconds": "60", "area": area})
        messages.append(str(raised.value))
    assert messages[0] == messages[1] == messages[2] and "unknown area 'elbow'" in messages[0]
    assert looked_up.count("elbow") == 1  # its message, with suggestions, made once
    assert len(reader.known) == 5  # twenty different names, five remembered


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ('{"entries": [{"started": "2026-11-20T03:10", "duration_seconds": 60}]}', "json", "area is missing"),
        (
            '{"entries": [{"started": "2026-11-20T03:10", "duration_seconds": 60, "area": "calf", "x": 1}]}',
            "json",
            "unknown key",
        ),
        (
            '{"entries": [{"started": "0001-01-01T03:10", "duration_seconds": 60, "area": "calf"}]}',
            "json",
            "not a date the diary can hold",
        ),
        ('{"entries": [{"started": "2026-11-20T03:10", "duration_seconds": 0, "area": "calf"}]}', "json", "entry 1"),
        (
            '{"entries": [{"started": "2026-11-20T03:10", "duration_seconds": 60, "area": "calf", "severity": 12}]}',
            "json",
            "severity",
        ),
        ("[1, 2", "json", "not a readable JSON"),
        ("started,area\n", "csv", "duration_seconds"),
        ("started,duration_seconds,area\n2026-11-20T03:10,60,elbow\n", "csv", "row 1"),
    ],
)
def test_bad_imports(tmp_path: Path, text: str, fmt: str, message: str) -> None:
    file = tmp_path / f"in.{fmt}"
    file.write_text(text, encoding="utf-8")
    code, _, err = cramp("import", str(file))
    assert code == 1 and message in err and "Traceback" not in err
    assert not Path(os.environ["CRAMPCLI_HOME"]).exists()


def test_import_minimal_rows_and_from_stdin() -> None:
    text = "started,duration_seconds,area\n2026-11-20T03:10,2m,Charley Horse\n2026-11-20T15:10,90,foot\n"
    code, _, err = cramp("import", "-", "--format", "csv", stdin=text)
    assert code == 0, err
    entries = cramp_json("list")["entries"]
    assert [(e["area"], e["duration_seconds"], e["period"]) for e in entries] == [
        ("calf", 120, "night"),
        ("foot", 90, "day"),
    ]
    assert cramp("import", "-")[0] == 2  # no format, no file name to tell it by
    assert cramp("import", str(Path(os.environ["CRAMPCLI_HOME"]) / "none.csv"))[0] == 1


notes = st.text(st.characters(exclude_characters="\0", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.builds(
            lambda n, note, offset, sev: Entry(
                id=n,
                uid=f"u{n}",
                started=1_763_600_000 + n * 977,
                utc_offset=offset,
                duration=60 + n,
                area="calf",
                side=None if n % 2 else "left",
                severity=sev,
                period="night",
                triggers=("exercise", "heat")[: n % 3],
                symptoms=(),
                note=note,
                logged=1_763_700_000,
            ),
            n=st.integers(1, 10_000),
            note=notes,
            offset=st.sampled_from([-570, 0, 60, 345]),
            sev=st.none() | st.integers(0, 10),
        ),
        max_size=8,
        unique_by=lambda e: e.id,
    )
)
def test_files_read_back_exactly(content: Content, entries: list[Entry]) -> None:
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    for fmt, write in (("csv", export_csv), ("json", export_json)):
        text = write(entries)
        assert parse_import(text.encode("utf-8"), fmt, content, now) == entries


# as a user runs it: pipes, locales, narrow terminals


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRAMP, "log", *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=60
    )


@pytest.mark.slow  # among the longest: left out of the quick run
@needs_cramp
@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": "1"},
        {"LANG": "C", "LC_ALL": "C"},
        {"COLUMNS": "20"},
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii", "COLUMNS": "20"},
    ],
)
def test_as_a_user_runs_it(env: dict[str, str]) -> None:
    assert run("add", "calf", "2m", "--note", "café \x1b[2J", env=env).returncode == 0
    assert run("add", "foot", "14m", "--start", "-1d", env=env).returncode == 0
    for args in (["list"], ["stats"], ["stats", "--color", "always"], ["report"], ["export"], ["path"]):
        result = run(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout.strip()
        if args[0] != "export" and "--color" not in args:  # an export to a pipe is exact data
            assert "\x1b[" not in result.stdout
    stats = run("stats", env=env).stdout
    if env.get("PYTHONIOENCODING") == "ascii":
        stats.encode("ascii")  # the bars fall back to '#'
        assert "#" in stats
    else:
        assert "\u2588" in stats
    if env.get("COLUMNS") == "20":
        assert max(len(line) for line in stats.splitlines()) <= 24  # render's narrowest width


@needs_cramp
def test_piped_into_head_ends_quietly() -> None:
    many = [{"started": f"2026-11-{1 + i % 20:02d}T03:10", "duration_seconds": 60, "area": "calf"} for i in range(3000)]
    code, _, err = cramp("import", "-", "--format", "json", stdin=json.dumps({"entries": many}))
    assert code == 0, err  # far more output than a pipe holds
    result = subprocess.run(
        f"'{CRAMP}' log list | head -1; '{CRAMP}' log export | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_log_help_loads_no_heavy_module() -> None:
    probe = (
        "import sys, json\nfrom crampcli.cli.app import app\n"
        "try:\n    app(['log', 'add', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    modules = json.loads(result.stdout.splitlines()[-1])
    assert "crampcli.diary.cli" in modules
    assert not [m for m in modules if m.split(".")[0] in ("rich", "yaml", "sqlite3", "_sqlite3", "platformdirs")]


@needs_cramp
def test_export_on_a_terminal_shows_lines_but_no_escape_sequences() -> None:
    import pexpect  # type: ignore[import-untyped]

    log_three()
    child = pexpect.spawn(CRAMP, ["log", "export"], env=dict(os.environ), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    shown = (child.before or "").replace("\r\n", "\n")  # the terminal's own line endings
    child.close()
    assert child.exitstatus == 0
    assert shown.splitlines()[0] == ",".join(sorted(ENTRY_KEYS, key=FIELDS.index))
    assert "\x1b" not in shown and "?[31mred" in shown and "logged?" not in shown
