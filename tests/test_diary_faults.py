"""Faults the diary must survive beyond those in test_diary_store.py: a full disk, writers
killed at any moment among others, a write-ahead log torn or damaged by a crash, more kinds of
damaged file, a newer diary met by export and report, and read-only files. Each ends in a
clear message or in the last committed state, and what was stored is still there."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.diary import store as diary

CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""
needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
runner = CliRunner()


def home() -> Path:
    return Path(os.environ["CRAMPCLI_HOME"])


def db_file(folder: Path | None = None) -> Path:
    return (folder or home()) / diary.FILE_NAME


def rows(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT * FROM entries ORDER BY id").fetchall()
    finally:
        connection.close()


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def add_some(count: int, prefix: str = "before") -> None:
    for i in range(count):
        result = runner.invoke(
            app, ["log", "add", "calf", f"{i + 1}m", "--start", f"-{i + 1}h", "--note", f"{prefix} {i}"]
        )
        assert result.exit_code == 0, result.stderr


def run_cramp(*args: str, limit: Callable[[], None] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRAMP, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
        preexec_fn=limit,
        input=stdin,
    )


def file_size_limit(size: int) -> Callable[[], None]:
    """In the child: files can grow to size bytes, as if the disk were full there (EFBIG, not a signal)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


# A full disk


@needs_cramp
def test_adding_to_a_full_disk_is_a_clear_error_and_keeps_every_entry() -> None:
    add_some(3)
    full = file_size_limit(db_file().stat().st_size + 48 * 1024)
    refused = None
    for i in range(40):  # notes of 9 kB until the disk is full
        result = run_cramp("log", "add", "calf", "2m", "--note", f"{i} " + "x" * 9000, limit=full)
        if result.returncode:
            refused = result
            break
    assert refused is not None, "the disk never filled"
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "cannot write the diary" in refused.stderr and "Nothing was changed" in refused.stderr
    kept = rows(db_file())
    assert [r[11] for r in kept[:3]] == ["before 0", "before 1", "before 2"]
    assert [str(r[11]).split()[0] for r in kept[3:]] == [str(n) for n in range(len(kept) - 3)]  # no half entry
    assert integrity(db_file()) == "ok"
    assert run_cramp("log", "add", "foot", "1m").returncode == 0  # with room again, it goes on
    assert len(rows(db_file())) == len(kept) + 1


@needs_cramp
def test_an_import_onto_a_full_disk_imports_nothing() -> None:
    add_some(2)
    before = rows(db_file())
    many = {
        "entries": [
            {
                "started": f"2026-01-{1 + i % 28:02d}T03:00:00+00:00",
                "duration_seconds": 60,
                "area": "calf",
                "note": "y" * 500,
            }
            for i in range(400)
        ]
    }
    result = run_cramp(
        "log",
        "import",
        "-",
        "--format",
        "json",
        stdin=json.dumps(many),
        limit=file_size_limit(db_file().stat().st_size + 64 * 1024),
    )
    assert result.returncode == 1 and "Nothing was changed" in result.stderr, result.stderr
    assert rows(db_file()) == before and integrity(db_file()) == "ok"


@needs_cramp
def test_creating_the_diary_on_a_full_disk(tmp_path: Path) -> None:
    result = run_cramp("log", "add", "calf", "2m", limit=file_size_limit(0))
    assert result.returncode == 1 and "cannot write the diary" in result.stderr and "Traceback" not in result.stderr
    assert run_cramp("log", "add", "calf", "2m").returncode == 0  # the empty file left behind is taken up
    assert len(rows(db_file())) == 1


def test_a_database_size_limit_is_a_full_disk_too() -> None:
    add_some(2)
    before = rows(db_file())
    connect = diary.connect

    def tight(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 1}")
        return connection

    many = {
        "entries": [
            {
                "started": "2026-01-01T03:00:00+00:00",
                "duration_seconds": 60,
                "area": "calf",
                "note": f"{i} " + "z" * 2000,
            }
            for i in range(50)
        ]
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diary, "connect", tight)
        result = runner.invoke(app, ["log", "import", "-", "--format", "json"], input=json.dumps(many))
        assert result.exit_code == 1 and "full" in result.stderr and "Nothing was changed" in result.stderr
        result = runner.invoke(app, ["log", "edit", "1", "--note", "z" * 10_000])
        assert result.exit_code == 1 and "full" in result.stderr
    assert rows(db_file()) == before and integrity(db_file()) == "ok"


@needs_cramp
@pytest.mark.parametrize(
    "command", [["log", "export", "--output"], ["log", "report", "--since", "2026-01-01", "--output"]]
)
def test_an_export_onto_a_full_disk_leaves_no_part_file(command: list[str], tmp_path: Path) -> None:
    many = {
        "entries": [
            {
                "started": f"2026-01-{1 + i % 28:02d}T03:00:00+00:00",
                "duration_seconds": 60,
                "area": "calf",
                "note": f"{i} " + "n" * 300,
            }
            for i in range(300)
        ]
    }
    assert runner.invoke(app, ["log", "import", "-", "--format", "json"], input=json.dumps(many)).exit_code == 0
    target = tmp_path / "out" / "file"
    target.parent.mkdir()
    # Room for the diary's shared-memory file (32 kB), not for the export (some 100 kB)
    result = run_cramp(*command, str(target), limit=file_size_limit(40 * 1024))
    assert result.returncode == 1 and "File too large" in result.stderr and "Traceback" not in result.stderr
    assert list(target.parent.iterdir()) == []


# Writers killed at any moment, while others write


KEEPS_WRITING = """
    import sys
    from crampcli.diary.store import open_diary
    from crampcli.diary.model import Entry, new_uid

    writer = int(sys.argv[1])
    for i in range(10_000):
        with open_diary(create=True) as store:
            store.add(Entry(id=None, uid=f"w{writer}-{i}", started=1763600000 + i, utc_offset=0, duration=60,
                            area="calf", side="left", severity=writer % 11, period="night", triggers=("heat",),
                            symptoms=(), note=f"writer {writer} entry {i}", logged=1763600000))
        print(i, flush=True)  # entry i is committed
"""


def test_writers_killed_at_any_moment_among_others_lose_no_committed_entry() -> None:
    add_some(2)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(KEEPS_WRITING), str(w)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(6)
    ]
    committed: dict[int, int] = {}
    try:
        for w, child in enumerate(writers):  # each killed after a different number of entries, mid-way in the next
            assert child.stdout is not None
            for _ in range(3 + 4 * w):
                committed[w] = int(child.stdout.readline())
            child.send_signal(signal.SIGKILL)
    finally:
        for child in writers:
            child.kill()
            child.communicate(timeout=60)
    assert integrity(db_file()) == "ok"
    stored = rows(db_file())
    assert [r[11] for r in stored[:2]] == ["before 0", "before 1"]
    by_writer: dict[int, list[int]] = {}
    for row in stored[2:]:
        note = str(row[11]).split()
        assert row[1] == f"w{note[1]}-{note[3]}" and row[4:9] == (60, "calf", "left", int(note[1]) % 11, "night")
        by_writer.setdefault(int(note[1]), []).append(int(note[3]))
    for w, last in committed.items():
        landed = sorted(by_writer[w])
        # Every entry it reported is there, and the rest of what it wrote before it died, in order:
        # a gap would be a lost commit, a duplicate a commit written twice.
        assert landed == list(range(len(landed))) and len(landed) > last
    assert runner.invoke(app, ["log", "add", "calf", "1m"]).exit_code == 0  # no lock left behind


# The write-ahead log after a crash: cut short, or damaged


COMMITTED_THEN_KILLED = """
    import os, signal
    from crampcli.diary.store import open_diary
    from crampcli.diary.model import Entry

    store = open_diary(create=True)
    store.add(Entry(id=None, uid="in-the-log", started=1763600000, utc_offset=0, duration=90, area="foot", side=None,
                    severity=3, period="day", triggers=(), symptoms=(), note="in the log", logged=1763600000))
    os.kill(os.getpid(), signal.SIGKILL)  # before any checkpoint: the entry is only in the -wal file
"""


@pytest.fixture
def crashed(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A diary folder whose last entry was committed to the write-ahead log by a process that then died."""
    add_some(3)
    assert not Path(f"{db_file()}-wal").exists() or Path(f"{db_file()}-wal").stat().st_size == 0
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(COMMITTED_THEN_KILLED)],
        env=os.environ.copy(),
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    wal = Path(f"{db_file()}-wal")
    page = sqlite3.connect(db_file()).execute("PRAGMA page_size").fetchone()[0]
    assert wal.stat().st_size > 32 + page
    saved = tmp_path / "crashed"
    shutil.copytree(home(), saved)
    yield saved, page


def open_copy(source: Path, target: Path, change: Callable[[Path], None]) -> list[str]:
    """The notes `cramp log list` shows for a copy of the crashed folder, changed first."""
    shutil.copytree(source, target)
    change(Path(f"{target / diary.FILE_NAME}-wal"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRAMPCLI_HOME", str(target))
        result = runner.invoke(app, ["log", "list", "--json"])
    assert result.exit_code == 0, result.stderr
    assert integrity(target / diary.FILE_NAME) == "ok"
    return [entry["note"] for entry in json.loads(result.stdout)["entries"]]


BEFORE = ["before 0", "before 1", "before 2"]


def test_a_whole_log_keeps_the_entry(crashed: tuple[Path, int], tmp_path: Path) -> None:
    saved, _ = crashed
    assert sorted(open_copy(saved, tmp_path / "whole", lambda wal: None)) == sorted([*BEFORE, "in the log"])


@pytest.mark.parametrize(
    "cut", ["empty", "header only", "inside the first frame", "first frame whole", "one byte short", "half"]
)
def test_a_log_cut_short_gives_the_last_whole_commit(cut: str, crashed: tuple[Path, int], tmp_path: Path) -> None:
    saved, page = crashed

    def truncate(wal: Path) -> None:
        size = wal.stat().st_size
        at = {
            "empty": 0,
            "header only": 32,
            "inside the first frame": 32 + 100,
            "first frame whole": 32 + 24 + page,
            "one byte short": size - 1,
            "half": size // 2,
        }[cut]
        with wal.open("r+b") as handle:
            handle.truncate(at)

    assert sorted(open_copy(saved, tmp_path / "cut", truncate)) == sorted(BEFORE)  # never a part of an entry


@pytest.mark.parametrize("damage", ["random bytes", "one flipped byte", "zeros"])
def test_a_damaged_log_is_ignored_past_the_damage(damage: str, crashed: tuple[Path, int], tmp_path: Path) -> None:
    saved, page = crashed

    def spoil(wal: Path) -> None:
        data = bytearray(wal.read_bytes())
        middle = 32 + 24 + page // 2
        if damage == "random bytes":
            data[middle:] = os.urandom(len(data) - middle)
        elif damage == "one flipped byte":
            data[-10] ^= 0xFF
        else:
            data[32:] = bytes(len(data) - 32)
        wal.write_bytes(bytes(data))

    assert sorted(open_copy(saved, tmp_path / "spoilt", spoil)) == sorted(BEFORE)


# Damaged diary files: a clear error, and not a byte changed


def truncated(fraction: float) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        with path.open("r+b") as handle:
            handle.truncate(int(path.stat().st_size * fraction))

    return cut


def zeroed_schema(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes(4096 - 100)  # the first page's content: the table of tables
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {diary.schema_version() + 1}")
    connection.commit()
    connection.close()


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "cut to half": (truncated(0.5), "damaged"),
    "cut to 100 bytes": (truncated(100 / 40960), "damaged"),
    "schema page zeroed": (zeroed_schema, "left as it is"),
    "newer schema": (newer, "newer version"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_or_newer_diary_is_left_as_it_is_by_every_command(kind: str) -> None:
    add_some(10)
    spoil, message = DAMAGE[kind]
    spoil(db_file())
    before = db_file().read_bytes()
    for args in (
        ["export"],
        ["export", "--format", "json"],
        ["report"],
        ["list"],
        ["stats"],
        ["add", "calf", "2m"],
        ["edit", "1", "--note", "x"],
        ["rm", "1", "--yes"],
        ["import", "-", "--format", "json"],
    ):
        result = runner.invoke(app, ["log", *args], input='{"entries": []}')
        assert result.exit_code == 1, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr and result.stdout == "", args
    assert db_file().read_bytes() == before
    assert runner.invoke(app, ["log", "path"]).exit_code == 0  # where it is can always be asked


# Read-only files


def drop_root_powers() -> None:
    """In the child: without these capabilities, root too is bound by file modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(24, capability, 0, 0, 0)


@needs_cramp
def test_a_read_only_diary_can_be_read_but_not_changed() -> None:
    add_some(2)
    db_file().chmod(0o400)
    before = db_file().read_bytes()
    try:
        for args, code in (
            (["log", "list"], 0),
            (["log", "stats"], 0),
            (["log", "export"], 0),
            (["log", "add", "calf", "1m"], 1),
            (["log", "edit", "1", "-d", "3m"], 1),
            (["log", "rm", "1", "--yes"], 1),
        ):
            result = run_cramp(*args, limit=drop_root_powers if os.geteuid() == 0 else None)
            assert result.returncode == code, (args, result.stderr)
            assert "Traceback" not in result.stderr
            if code:
                assert "is read-only" in result.stderr, result.stderr
    finally:
        db_file().chmod(0o600)
    assert db_file().read_bytes() == before


@needs_cramp
def test_a_read_only_parent_folder_without_a_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("CRAMPCLI_HOME", str(locked / "diary"))
    limit = drop_root_powers if os.geteuid() == 0 else None
    try:
        listed = run_cramp("log", "list", limit=limit)
        assert listed.returncode == 0 and "No entries" in listed.stdout  # reading creates nothing
        for args in (["log", "add", "calf", "1m"], ["log", "import", "-", "--format", "json"]):
            result = run_cramp(
                *args,
                limit=limit,
                stdin='{"entries": [{"started": "2026-01-01T00:00+00:00", "duration_seconds": 60, "area": "calf"}]}',
            )
            assert result.returncode == 1 and "cannot create the diary folder" in result.stderr, result.stderr
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []
