"""The diary's trust boundaries: what an import, a wrong clock, another tool or an odd file
can do to it. Each test first reproduces what once stranded entries or hung a command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.diary import store as diary
from crampcli.diary.model import MAX_KEPT_ID

runner = CliRunner()
HEADER = "id,uid,started,duration_seconds,area,side,severity,period,triggers,symptoms,note,logged"


def cramp(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["log", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def listed() -> list[dict[str, Any]]:
    code, out, err = cramp("list", "--json")
    assert code == 0, err
    entries: list[dict[str, Any]] = json.loads(out)["entries"]
    return entries


def home() -> Path:
    return Path(os.environ["CRAMPCLI_HOME"])


def db_file() -> Path:
    return home() / diary.FILE_NAME


def import_csv(tmp_path: Path, *rows: str) -> tuple[int, str, str]:
    file = tmp_path / "in.csv"
    file.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return cramp("import", str(file))


# Ids


def test_an_imported_huge_id_is_renumbered_and_the_diary_takes_new_entries(tmp_path: Path) -> None:
    code, _, err = import_csv(tmp_path, f"{2**63 - 1},u1,2026-11-20T03:10:00+00:00,60,calf,,,night,,,,")
    assert code == 0, err
    assert [e["id"] for e in listed()] == [1]  # kept only within the sane range
    for _ in range(3):
        code, _, err = cramp("add", "calf", "1m")
        assert code == 0, err
    assert [e["id"] for e in listed()] == [1, 2, 3, 4]


def test_a_diary_that_already_holds_the_largest_id_still_takes_entries() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    with sqlite3.connect(db_file()) as connection:  # as an earlier version's import left it
        connection.execute("UPDATE entries SET id = ? WHERE id = 1", (2**63 - 1,))
    code, _, err = cramp("add", "foot", "1m")
    assert code == 0, err
    assert cramp("rm", str(2**63 - 1), "--yes")[0] == 0
    code, _, err = cramp("add", "foot", "2m")
    assert code == 0, err
    ids = [e["id"] for e in listed()]
    assert len(ids) == 2 and all(0 < i <= MAX_KEPT_ID for i in ids) and len(set(ids)) == 2


def test_imported_ids_in_range_are_kept(tmp_path: Path) -> None:
    code, _, err = import_csv(
        tmp_path,
        "7,u7,2026-11-20T03:10:00+00:00,60,calf,,,night,,,,",
        f"{MAX_KEPT_ID},u8,2026-11-20T04:10:00+00:00,60,calf,,,night,,,,",
        f"{MAX_KEPT_ID + 1},u9,2026-11-20T05:10:00+00:00,60,calf,,,night,,,,",
    )
    assert code == 0, err
    ids = [e["id"] for e in listed()]
    assert ids[:2] == [7, MAX_KEPT_ID] and ids[2] <= MAX_KEPT_ID
    assert cramp("add", "calf", "1m")[0] == 0


def test_an_id_beyond_any_integer_is_renumbered_too(tmp_path: Path) -> None:
    code, _, err = import_csv(
        tmp_path,
        "-5,u1,2026-11-20T03:10:00+00:00,60,calf,,,night,,,,",
        "0,u2,2026-11-20T04:10:00+00:00,60,calf,,,night,,,,",
    )
    assert code == 0, err
    assert [e["id"] for e in listed()] == [1, 2]


# A wrong clock


def test_entries_logged_on_a_wrong_clock_export_and_import_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import cli as diary_cli

    for year in (1970, 2099):  # a device without a clock battery
        moment = dt.datetime(year, 1, 1, 3, 10, tzinfo=dt.UTC)
        with monkeypatch.context() as clock:
            clock.setattr(diary_cli, "now", lambda moment=moment: moment)
            code, _, err = cramp("add", "calf", "2m")
        assert code == 0, err
    assert cramp("add", "foot", "1m")[0] == 0
    for fmt in ("csv", "json"):
        code, exported, err = cramp("export", "--format", fmt)
        assert code == 0, err
        file = tmp_path / f"backup.{fmt}"
        file.write_text(exported, encoding="utf-8", newline="")
        monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / f"restored-{fmt}"))
        code, _, err = cramp("import", str(file))
        assert code == 0 and "2 entries are dated before 2000 or in the future" in err, err
        assert cramp("export", "--format", fmt)[1] == exported  # the whole backup, exactly
        code, out, _ = cramp("list", "--plain")
        assert out.count("(date?)") == 2 and "1970-01-01 03:10 (date?)" in out


# Files that are not what they seem


def test_a_diary_with_a_second_hard_link_is_refused(tmp_path: Path) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    os.link(db_file(), tmp_path / "other-name.sqlite3")
    for args in (["add", "calf", "2m"], ["list"], ["export"]):
        code, out, err = cramp(*args)
        assert code == 1 and "2 names (hard links)" in err and out == "", (args, err)


@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink"])
def test_a_diary_that_is_not_a_regular_file_is_refused_without_waiting(kind: str, tmp_path: Path) -> None:
    home().mkdir(mode=0o700)
    if kind == "fifo":
        os.mkfifo(db_file())
    elif kind == "folder":
        db_file().mkdir()
    else:
        (tmp_path / "real").write_bytes(b"")
        db_file().symlink_to(tmp_path / "real")
    for args in (["add", "calf", "2m"], ["list"], ["stats"]):
        code, _, err = cramp(*args)
        assert code == 1 and "not a regular diary file" in err, (args, err)
    assert not stat.S_ISREG(os.lstat(db_file()).st_mode)


def test_a_diary_folder_others_can_write_is_refused() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    home().chmod(0o777)
    code, _, err = cramp("list")
    assert code == 1 and "can be written by other users" in err
    home().chmod(0o700)
    assert cramp("list")[0] == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_diary_folder_of_another_user_is_refused() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    os.chown(home(), 65534, 65534)
    code, _, err = cramp("add", "calf", "1m")
    assert code == 1 and "belongs to another user" in err


def test_a_new_diary_folder_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "a" / "b"))
    os.umask(0o022)
    assert cramp("add", "calf", "1m")[0] == 0
    assert stat.S_IMODE(os.stat(tmp_path / "a" / "b").st_mode) == 0o700


def test_export_never_writes_over_a_device_or_pipe(tmp_path: Path) -> None:
    assert cramp("add", "calf", "1m", "--note", "x")[0] == 0
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/null"):
        code, _, err = cramp("export", "--output", target, "--force")
        assert code == 1 and "not a regular file" in err and "-o - writes to standard output" in err, err
    code, _, err = cramp("export", "--output", str(tmp_path), "--force")
    assert code == 1 and "it is a folder; name a file in it" in err, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    code, out, _ = cramp("export", "-o", "-")
    assert code == 0 and out.startswith("id,uid,")
    code, out, _ = cramp("export", "-o", "/dev/stdout", "--format", "json")  # documented: standard output
    assert code == 0 and json.loads(out)["kind"] == "cramp-diary"
    code, _, err = cramp("export", "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 1 and "no such folder" in err and "missing" in err


def test_export_file_is_written_through_a_private_temp_file(tmp_path: Path) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    target = tmp_path / "out.csv"
    (tmp_path / ".out.csv.1234.tmp").symlink_to(tmp_path / "victim")  # the old predictable name
    assert cramp("export", "-o", str(target))[0] == 0
    assert not (tmp_path / "victim").exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.1234.tmp", "out.csv"]


def test_import_from_a_pipe_or_device_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait for ever
    for source in (str(fifo), "/dev/zero", str(tmp_path)):
        code, _, err = cramp("import", source, "--format", "csv")
        assert code == 1 and "not a regular file to import" in err and "'-' reads standard input" in err, err
    link = tmp_path / "link.csv"
    (tmp_path / "real.csv").write_text("started,duration_seconds,area\n2026-11-20T03:10,60,calf\n")
    link.symlink_to(tmp_path / "real.csv")  # a link to a regular file is read
    code, _, err = cramp("import", str(link))
    assert code == 0, err


# Rows another tool wrote

DAMAGES = {
    "started 'abc'": ("UPDATE entries SET started = 'abc' WHERE id = 2", "started is 'abc', not a time"),
    "an absurd UTC offset": ("UPDATE entries SET utc_offset = 1000000000000 WHERE id = 2", "the UTC offset is"),
    "a BLOB note": ("UPDATE entries SET note = x'ff00fe' WHERE id = 2", "note is a BLOB"),
    "a far-future time": ("UPDATE entries SET started = 9000000000000 WHERE id = 2", "started is"),
    "a text duration": ("UPDATE entries SET duration = '90s' WHERE id = 2", "duration is"),
}


def spoil(statement: str) -> None:
    """What another tool may write: SQLite stores any type in any column, and checks can be off."""
    with sqlite3.connect(db_file()) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(statement)


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_row_is_listed_and_exported_as_it_is(damage: str, tmp_path: Path) -> None:
    for area in ("calf", "foot", "calf"):
        assert cramp("add", area, "12m", "--start", "-2h", "--symptom", "swelling")[0] == 0
    statement, problem = DAMAGES[damage]
    spoil(statement)
    for args in (["list"], ["list", "--plain"], ["list", "--color", "always"], ["stats"], ["stats", "--json"]):
        code, out, err = cramp(*args)
        assert code == 0 and "Traceback" not in err, (args, err)
    code, out, _ = cramp("list", "--plain")
    assert f"#2 damaged ({problem}" in out and "#1 " in out and "#3 " in out
    listing = {e["id"]: e for e in listed()}
    assert sorted(listing) == [1, 2, 3] and problem in listing[2]["damaged"] and "damaged" not in listing[1]
    stats = json.loads(cramp("stats", "--json")[1])
    assert stats["count"] >= 2 and stats["longest"]["id"] in (1, 3)
    for fmt in ("csv", "json"):
        code, exported, err = cramp("export", "--format", fmt)
        assert code == 0, err
        assert "\n2," in exported or '"id": 2,' in exported
    document = json.loads(cramp("export", "--format", "json")[1])
    assert [e["id"] for e in document["entries"]] == [1, 2, 3]
    assert cramp("report", "--output", str(tmp_path / "r.md"))[0] == 0
    report = (tmp_path / "r.md").read_text()
    assert "1 damaged row of the diary is left out" in report and "2 entries" in report.replace("**", "")
    code, _, err = cramp("edit", "2", "--note", "x")
    assert code == 1 and "is damaged" in err
    code, out, err = cramp("rm", "2", "--yes")
    assert code == 0 and "#2 damaged" in out, err
    assert [e["id"] for e in listed()] == [1, 3]


def test_damaged_rows_are_counted_and_left_out_of_what_statistics_read() -> None:
    for _ in range(3):
        assert cramp("add", "calf", "12m", "--start", "-2h")[0] == 0
    spoil(DAMAGES["started 'abc'"][0])
    with diary.open_diary(create=False) as store:  # type: ignore[union-attr]
        assert store.damaged_count() == 1
        assert [e.id for e in store.entries()] == [1, 3]
        assert [getattr(r, "id", None) for r in store.rows()] == [1, 3, 2]  # SQLite sorts text after numbers


def test_a_blob_note_is_exported_as_its_text() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    spoil("UPDATE entries SET note = CAST('caf\u00e9' AS BLOB) WHERE id = 1")
    exported = json.loads(cramp("export", "--format", "json")[1])
    assert exported["entries"][0]["note"] == "caf\u00e9"


# Spreadsheets


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'=already", "''+two", "plain"]


def test_csv_export_neutralises_formulas_and_import_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for note in FORMULAS:
        assert cramp("add", "calf", "1m", "--note", note)[0] == 0
    code, exported, _ = cramp("export", "--format", "csv")
    assert code == 0

    notes = [row["note"] for row in csv.DictReader(io.StringIO(exported, newline=""))]
    assert notes == ["'" + n if n != "plain" else n for n in FORMULAS]
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in csv.reader(io.StringIO(exported)) for cell in row
    )
    raw = cramp("export", "--format", "csv", "--raw")[1]
    assert [row["note"] for row in csv.DictReader(io.StringIO(raw, newline=""))] == FORMULAS
    file = tmp_path / "d.csv"
    file.write_text(exported, encoding="utf-8", newline="")
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "again"))
    assert cramp("import", str(file))[0] == 0
    assert [e["note"] for e in listed()] == FORMULAS  # exactly as typed
    assert cramp("export", "--format", "csv")[1] == exported


# The list: streamed, the same text as the page it replaces, a table on a terminal


def test_plain_and_json_lists_are_the_bytes_the_page_gave(monkeypatch: pytest.MonkeyPatch) -> None:
    from crampcli.content.load import load_content
    from crampcli.diary.view import list_page
    from crampcli.output import layout as render
    from crampcli.output.write import json_text

    for args in (
        ["calf", "2m", "--start", "-3h", "--side", "left", "--severity", "6", "--trigger", "exercise,heat"],
        ["foot", "90s", "--start", "-30h", "--note", "\x1b[31mred\x1b[0m caf\u00e9 " + "long " * 40],
        ["hamstring", "1m30s", "--start", "-20h", "--day"],
    ):
        assert cramp("add", *args)[0] == 0
    with diary.open_diary(create=False) as store:  # type: ignore[union-attr]
        entries = store.entries()
    disclaimer = load_content().disclaimer
    page = list_page(entries, "")
    for columns in ("", "40"):
        monkeypatch.setenv("COLUMNS", columns) if columns else monkeypatch.delenv("COLUMNS", raising=False)
        code, out, _ = cramp("list", "--plain")
        width = int(columns) if columns else None
        assert code == 0 and out == render.plain_text(page, disclaimer, width, True)
    code, out, _ = cramp("list", "--json")
    assert code == 0 and out == json_text(page, disclaimer)
    monkeypatch.setenv("CRAMPCLI_HOME", str(home().parent / "empty"))
    empty = list_page([], "")
    assert cramp("list", "--plain")[1] == render.plain_text(empty, disclaimer, 40, True)
    assert cramp("list", "--json")[1] == json_text(empty, disclaimer)


def test_on_a_terminal_the_list_is_a_table_with_fixed_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    note = "woke me up twice; the second time it went on and on, with the toes curling " * 3
    assert cramp("add", "calf", "2m", "--start", "-3h", "--side", "left", "--severity", "6")[0] == 0
    assert cramp("add", "back-of-thigh", "90s", "--start", "-2h", "--trigger", "heat", "--note", note)[0] == 0
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = cramp("list", "--color", "always")
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()]
    assert code == 0 and all(len(line) <= 80 for line in lines)
    header = lines[1]
    assert header.split() == ["#", "When", "How", "long", "Area", "Side", "Sev", "Notes"]
    notes_at = header.index("Notes")
    first, second = lines[2], lines[3]
    assert first.startswith("#1 ") and first.index("calf") == header.index("Area") and first[notes_at:] == ""
    assert second.startswith("#2 ") and second[notes_at:].startswith("triggers: heat; woke me")
    continued = lines[4 : 4 + 3]  # the note wraps inside its cell, at most four lines, then "..."
    assert all(line[:notes_at].strip() == "" and line[notes_at:] for line in continued)
    assert continued[-1].endswith("...") and lines[7] == ""
    monkeypatch.setenv("COLUMNS", "40")  # too narrow for a table: the plain lines, wrapped
    code, out, _ = cramp("list", "--color", "always")
    assert "When" not in out and "#1 " in out


def test_a_json_import_is_read_an_entry_at_a_time_across_any_chunk_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    from crampcli.content.load import load_content
    from crampcli.diary import io as diary_io
    from crampcli.errors import CrampError

    entry = (
        '{"started": "2026-11-20T03:10:00+01:00", "duration_seconds": NUMBER, "area": "calf",'
        ' "note": "a \\u00e9 \\"q\\" ]}"}'
    )
    body = ",\n ".join(entry.replace("NUMBER", str(n)) for n in range(1, 40))
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    content = load_content()
    shapes = [
        '{"kind": "cramp-diary", "version": 1, "entries": [' + body + "]}",
        "[" + body + "]",
        '  {"entries": [' + body + '], "after": {"deep": [1, 2.5e3, null]}}\n',
    ]
    broken = [('{"entries": [' + body, 39), ('{"entries": [' + body + "]} x", 39), ('{"other": 1}', 0)]
    for chunk in (1, 7, 64, 1 << 20):
        monkeypatch.setattr(diary_io.JsonEntries, "CHUNK", chunk)
        for text in shapes:
            entries = diary_io.parse_import(text.encode(), "json", content, now)
            assert [e.duration for e in entries] == list(range(1, 40)), (chunk, text[:30])
            assert entries[0].note == 'a \u00e9 "q" ]}'
        for text, line in broken:
            with pytest.raises(CrampError) as error:
                diary_io.parse_import(text.encode(), "json", content, now)
            assert (f"line {line}" in str(error.value)) if line else '{"entries": [...]}' in str(error.value)


def test_an_endless_import_on_standard_input_stops_at_the_limit_and_imports_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crampcli.diary import io as diary_io

    monkeypatch.setattr(diary_io, "MAX_IMPORT_BYTES", 50_000)
    rows = "".join(f"2026-11-20T03:10:00+00:00,{60 + i % 100},calf\n" for i in range(5_000))
    for fmt, text in (("csv", "started,duration_seconds,area\n" + rows), ("json", "[" + "{}, " * 30_000)):
        code, _, err = cramp("import", "-", "--format", fmt, stdin=text)
        assert code == 1 and "too large to be a diary export" in err, err
    assert listed() == []
