"""The diary's SQLite store: private files, migrations, and nothing lost or overwritten,
whatever the file holds and however many cramp processes write at once."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.diary import store as diary

CRAMP = str(Path(sys.executable).parent / "cramp")
runner = CliRunner()


def cramp(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def home() -> Path:
    return Path(os.environ["CRAMPCLI_HOME"])


def db_file() -> Path:
    return home() / diary.FILE_NAME


def rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT * FROM entries ORDER BY id").fetchall()


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def add_some(count: int) -> None:
    for i in range(count):
        code, _, err = cramp("log", "add", "calf", f"{i + 1}m", "--start", f"-{i + 1}h", "--note", f"n{i}")
        assert code == 0, err


# Files and folders


def test_folder_0700_and_file_0600_and_its_log_files_too() -> None:
    add_some(1)
    assert stat.S_IMODE(home().stat().st_mode) == 0o700
    assert stat.S_IMODE(db_file().stat().st_mode) == 0o600
    store = diary.open_diary(create=False)
    assert store is not None
    with store:
        store.get(1)  # a read opens the write-ahead log and its index
        for suffix in ("-wal", "-shm"):
            side = db_file().with_name(diary.FILE_NAME + suffix)
            assert stat.S_IMODE(side.stat().st_mode) == 0o600


def test_reading_commands_create_nothing() -> None:
    for args in (["list"], ["stats"], ["export"], ["report"], ["list", "--json"]):
        code, out, _ = cramp("log", *args)
        assert code == 0 and out
    assert not home().exists()


def test_path_says_where_the_diary_lives() -> None:
    code, out, _ = cramp("log", "path")
    assert code == 0 and out.strip() == str(db_file())
    document = json.loads(cramp("log", "path", "--json")[1])
    assert document["path"] == str(db_file()) and document["exists"] is False


def test_the_platform_data_folder_without_crampcli_home(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("CRAMPCLI_HOME")
    assert diary.home() == Path(platformdirs.user_data_dir("crampcli", appauthor=False))


def test_schema_version_and_application_id() -> None:
    add_some(1)
    with sqlite3.connect(db_file()) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == diary.schema_version()
        assert connection.execute("PRAGMA application_id").fetchone()[0] == diary.APPLICATION_ID
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(entries)")}
        assert "entries_by_start" in indexes


def test_an_older_diary_is_backed_up_then_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    add_some(3)
    before = rows(db_file())
    step = ("ALTER TABLE entries ADD COLUMN mood TEXT",)
    monkeypatch.setattr(diary, "MIGRATIONS", (*diary.MIGRATIONS, step))
    store = diary.open_diary(create=False)
    assert store is not None
    store.close()
    with sqlite3.connect(db_file()) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert [row[:-1] for row in connection.execute("SELECT * FROM entries ORDER BY id")] == before
    backup = db_file().with_name(f"{diary.FILE_NAME}.v1.bak")
    assert rows(backup) == before
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_failed_migration_changes_nothing() -> None:
    add_some(2)
    before = rows(db_file())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diary, "MIGRATIONS", (*diary.MIGRATIONS, ("ALTER TABLE entries ADD COLUMN x", "BOGUS SQL")))
        assert cramp("log", "list")[0] == 1
    with sqlite3.connect(db_file()) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert rows(db_file()) == before


# Files that are not (this version's) diary: exit 1, and not a byte changed


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def write_foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.close()


def write_newer_diary(path: Path) -> None:
    add_some(2)
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {diary.schema_version() + 1}")
    connection.close()


def write_damaged_diary(path: Path) -> None:
    add_some(20)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the first
    path.write_bytes(bytes(data))


def write_app_id_without_table(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA application_id = {diary.APPLICATION_ID}")
        connection.execute("CREATE TABLE other (x)")
    connection.close()


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (lambda p: write_bytes(p, os.urandom(5000)), "not an SQLite database"),
    "text": (lambda p: write_bytes(p, b"my cramps: many\n"), "not an SQLite database"),
    "foreign SQLite": (write_foreign_sqlite, "not a cramp diary"),
    "our id, no table": (write_app_id_without_table, "not a cramp diary"),
    "newer schema": (write_newer_diary, "newer version"),
    "damaged": (write_damaged_diary, "damaged"),
}


ONE_ENTRY = '{"entries": [{"started": "2026-11-20T03:10:00+00:00", "duration_seconds": 60, "area": "calf"}]}'


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_our_diary_is_left_alone(kind: str) -> None:
    make, message = BAD_FILES[kind]
    home().mkdir(parents=True, exist_ok=True)
    make(db_file())
    before = db_file().read_bytes()
    for args in (
        ["add", "calf", "2m"],
        ["list"],
        ["stats"],
        ["import", "-", "--format", "json"],
        ["rm", "1", "--yes"],
        ["edit", "1", "-d", "1m"],
    ):
        result = runner.invoke(app, ["log", *args], input=ONE_ENTRY)
        assert result.exit_code == 1, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert "left as it is" in result.stderr
    assert db_file().read_bytes() == before


def drop_root_powers() -> None:
    """In the child: without these capabilities, root too is bound by file modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP: gone after exec


def run_cramp(*args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRAMP, *args], capture_output=True, text=True, timeout=60, env=os.environ.copy(), preexec_fn=preexec
    )


@pytest.mark.skipif(not Path(CRAMP).exists(), reason="the cramp script is not installed beside this Python")
def test_a_read_only_folder_is_a_clear_error_and_nothing_changes() -> None:
    add_some(2)
    before = db_file().read_bytes()
    home().chmod(0o500)
    db_file().chmod(0o400)
    try:
        preexec = drop_root_powers if os.geteuid() == 0 else None
        probe = subprocess.run(
            [sys.executable, "-c", f"open({str(home() / 'probe')!r}, 'w')"], preexec_fn=preexec, capture_output=True
        )
        assert probe.returncode != 0, "the folder must really be read-only for the child"
        for args in (["log", "add", "calf", "2m"], ["log", "list"], ["log", "rm", "1", "--yes"]):
            result = run_cramp(*args, preexec=preexec)
            assert result.returncode == 1, (args, result.stderr)
            assert "read-only" in result.stderr and "Traceback" not in result.stderr
    finally:
        home().chmod(0o700)
        db_file().chmod(0o600)
    assert db_file().read_bytes() == before


def test_a_folder_that_cannot_be_made_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CRAMPCLI_HOME", str(blocker / "diary"))
    code, _, err = cramp("log", "add", "calf", "2m")
    assert code == 1 and "cannot create the diary folder" in err
    assert blocker.read_text() == "not a folder"


# Several writers at once, and writers killed mid-way


def start_children(script: str, count: int) -> list[subprocess.Popen[str]]:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for n in range(count)
    ]
    for child in children:  # a barrier: every child is ready before any starts
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    return children


WRITER = """
    import sys
    from crampcli.diary.store import open_diary
    from crampcli.diary.model import Entry, new_uid

    writer = int(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(25):
        store = open_diary(create=True)
        with store:
            store.add(Entry(id=None, uid=new_uid(), started=1763600000 + i, utc_offset=0, duration=60 + writer,
                            area="calf", side=None, severity=None, period="night", triggers=(), symptoms=(),
                            note=f"writer {writer} entry {i}", logged=1763600000))
    print("done", flush=True)
"""


def test_eight_processes_adding_25_entries_each_all_land() -> None:
    children = start_children(WRITER, 8)  # on a fresh diary: they also race to create it
    for child in children:
        child.communicate("go\n", timeout=120)
        assert child.returncode == 0, child.stderr
    notes = sorted(str(row[11]) for row in rows(db_file()))
    assert notes == sorted(f"writer {w} entry {i}" for w in range(8) for i in range(25))
    assert integrity(db_file()) == "ok"


CLI_WRITER = f"""
    import subprocess, sys
    print("ready", flush=True)
    sys.stdin.readline()
    n = sys.argv[1]
    result = subprocess.run([{CRAMP!r}, "log", "add", "foot", "1m", "--note", "cli " + n], capture_output=True)
    sys.exit(result.returncode)
"""


@pytest.mark.skipif(not Path(CRAMP).exists(), reason="the cramp script is not installed beside this Python")
def test_cramp_log_add_run_eight_times_at_once_on_a_new_diary() -> None:
    children = start_children(CLI_WRITER, 8)
    for child in children:
        child.communicate("go\n", timeout=120)
        assert child.returncode == 0, child.stderr
    assert sorted(str(row[11]) for row in rows(db_file())) == sorted(f"cli {n}" for n in range(8))


KILLED_IN_A_TRANSACTION = """
    import sys
    from crampcli.diary.store import open_diary

    store = open_diary(create=True)
    store.connection.execute("BEGIN IMMEDIATE")
    store.connection.execute(
        "INSERT INTO entries (uid, started, utc_offset, duration, area, period, logged) "
        "VALUES ('half-written', 1763600000, 0, 60, 'calf', 'night', 1763600000)"
    )
    print("ready", flush=True)
    sys.stdin.readline()
    store.connection.execute("COMMIT")
"""


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL


def test_a_writer_killed_before_commit_leaves_no_trace() -> None:
    add_some(3)
    before = rows(db_file())
    (child,) = start_children(KILLED_IN_A_TRANSACTION, 1)
    kill(child)
    assert integrity(db_file()) == "ok"
    assert rows(db_file()) == before
    code, _, err = cramp("log", "add", "calf", "2m")  # the lock died with it
    assert code == 0, err
    assert rows(db_file())[:3] == before


KILLED_MID_IMPORT = """
    import sys
    from crampcli.diary.store import open_diary
    from crampcli.diary.model import Entry

    def halfway(added):
        if added == 100:
            print("ready", flush=True)
            sys.stdin.readline()

    entries = [Entry(id=None, uid=f"import-{i}", started=1763600000 + i, utc_offset=0, duration=60, area="calf",
                     side=None, severity=None, period="night", triggers=(), symptoms=(), note="", logged=1763600000)
               for i in range(200)]
    store = open_diary(create=True)
    store.import_entries(entries, on_row=halfway)
"""


def test_an_import_killed_halfway_imports_nothing() -> None:
    add_some(2)
    before = rows(db_file())
    stdout_reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_MID_IMPORT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert stdout_reader.stdout is not None
    assert stdout_reader.stdout.readline().strip() == "ready"  # 100 rows written, not committed
    kill(stdout_reader)
    assert integrity(db_file()) == "ok"
    assert rows(db_file()) == before
