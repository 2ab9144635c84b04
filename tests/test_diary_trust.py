"""The diary's trust boundaries: what an import, a wrong clock, another tool or an odd file
can do to it. Each test first reproduces what once stranded entries or hung a command."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from crampcli.cli import app
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
