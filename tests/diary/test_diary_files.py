"""The diary's files on every platform: SQLite's side files checked before SQLite opens them,
no os.fchmod on Windows, one folder for the diary and the profile, and '~user' paths."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from helpers import swap_for_link
from typer.testing import CliRunner

from crampcli import safefile
from crampcli.cli.app import app
from crampcli.diary import store as diary

runner = CliRunner()


def cramp(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["log", *args])
    return result.exit_code, result.stdout, result.stderr


def diary_file() -> Path:
    return diary.diary_path()


def entries() -> list[int]:
    code, out, err = cramp("list", "--json")
    assert code == 0, err
    return [e["id"] for e in json.loads(out)["entries"]]


# SQLite's side files


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_hard_link_at_a_side_file_is_refused_and_not_written_through(tmp_path: Path, suffix: str) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    victim = tmp_path / "victim"
    victim.write_bytes(b"someone else's file")
    side = Path(f"{diary_file()}{suffix}")
    side.unlink(missing_ok=True)
    os.link(victim, side)
    before = diary_file().read_bytes()
    for args in (("add", "calf", "2m"), ("list",), ("stats",), ("export",)):
        code, _, err = cramp(*args)
        assert code == 1 and "hard links" in err and str(side) in err, (args, err)
        assert "Traceback" not in err
    assert victim.read_bytes() == b"someone else's file" and os.lstat(victim).st_nlink == 2
    assert diary_file().read_bytes() == before
    side.unlink()
    assert entries() == [1]  # moved away: the diary opens again, as it was


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_fifo_at_a_side_file_is_refused_and_left_in_place(suffix: str) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    side = Path(f"{diary_file()}{suffix}")
    side.unlink(missing_ok=True)
    os.mkfifo(side)
    code, _, err = cramp("add", "calf", "2m")
    assert code == 1 and "named pipe" in err and str(side) in err
    assert stat.S_ISFIFO(os.lstat(side).st_mode)  # SQLite never got to delete it
    side.unlink()
    assert entries() == [1]


def test_a_device_at_a_side_file_is_refused_and_left_in_place() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    side = Path(f"{diary_file()}-wal")
    side.unlink(missing_ok=True)
    try:
        os.mknod(side, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device needs privileges this run does not have")
    code, _, err = cramp("list")
    assert code == 1 and "a device" in err
    assert stat.S_ISCHR(os.lstat(side).st_mode)
    side.unlink()


def test_a_symlink_at_a_side_file_is_refused(tmp_path: Path) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    side = Path(f"{diary_file()}-shm")
    side.unlink(missing_ok=True)
    side.symlink_to(tmp_path / "elsewhere")
    code, _, err = cramp("add", "calf", "2m")
    assert code == 1 and "symbolic link" in err
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_diary_or_side_file_of_another_user_is_refused_and_left_in_place(
    monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    side = Path(f"{diary_file()}{suffix}")
    if not side.exists():
        side.write_bytes(b"")
    before = side.read_bytes()
    theirs = os.lstat(side).st_ino
    owned = safefile._owner_is_us
    # Giving a file away needs privileges a test may not have; the check sees it as another user's.
    monkeypatch.setattr(safefile, "_owner_is_us", lambda info: info.st_ino != theirs and owned(info))
    for args in (("add", "calf", "2m"), ("list",)):
        code, _, err = cramp(*args)
        assert code == 1 and "belongs to another user" in err and str(side) in err, (args, err)
        assert "Traceback" not in err
    assert side.read_bytes() == before
    monkeypatch.setattr(safefile, "_owner_is_us", owned)
    assert entries() == [1]


def test_the_backups_journal_is_checked_before_the_copy_is_made(tmp_path: Path) -> None:
    source = tmp_path / diary.FILE_NAME
    source.write_bytes(b"")
    victim = tmp_path / "victim"
    victim.write_bytes(b"someone else's file")
    journal = tmp_path / f"{diary.FILE_NAME}.v0.bak-journal"
    os.link(victim, journal)
    with pytest.raises(diary.DiaryError, match="hard links"):
        diary.back_up(source, 0)
    assert not (tmp_path / f"{diary.FILE_NAME}.v0.bak").exists()  # the next run still makes its backup
    assert victim.read_bytes() == b"someone else's file"


def test_ordinary_side_files_left_by_a_crash_are_used() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    Path(f"{diary_file()}-wal").write_bytes(b"")  # an empty log, as a killed process can leave
    assert cramp("add", "calf", "2m")[0] == 0
    assert entries() == [1, 2]


# Windows


def test_the_diary_is_created_where_os_fchmod_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fchmod")  # Windows before Python 3.13
    code, _, err = cramp("add", "calf", "1m")
    assert code == 0, err
    assert entries() == [1]


def test_on_windows_the_profile_and_the_diary_share_one_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs
    import platformdirs.windows

    from crampcli.profile import store as profile_store

    local = str(tmp_path / "AppData" / "Local")
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": str(tmp_path / "AppData" / "Roaming")}
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: folders[name])
    monkeypatch.delenv("CRAMPCLI_HOME")
    monkeypatch.delenv("CRAMPCLI_CONFIG")
    assert diary.home() == Path(local) / "crampcli"
    assert profile_store.config_dir() == diary.home()  # not %LOCALAPPDATA%\crampcli\crampcli
    assert profile_store.config_file() == Path(local) / "crampcli" / "profile.toml"


# '~user' in a file name


def test_export_to_an_unknown_users_home_is_a_usage_error() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    code, out, err = cramp("export", "-o", "~nosuchuser-crampcli/x.csv")
    assert code == 2 and out == ""
    assert "no user named 'nosuchuser-crampcli'" in err and "Traceback" not in err


def test_a_report_to_an_unknown_users_home_is_a_usage_error_that_names_the_user() -> None:
    assert cramp("add", "calf", "1m")[0] == 0
    code, out, err = cramp("report", "-o", "~nosuchuser-crampcli/x.md")
    assert code == 2 and out == ""
    assert err == "cramp: --output is '~nosuchuser-crampcli/x.md', but there is no user named 'nosuchuser-crampcli'\n"
    assert not Path("~nosuchuser-crampcli").exists()


def test_a_report_to_the_home_folder_expands_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cramp("add", "calf", "1m")[0] == 0
    code, _, err = cramp("report", "-o", "~/report.md")
    assert code == 0, err
    assert "calf" in (tmp_path / "report.md").read_text(encoding="utf-8").lower()
    assert not Path("~").exists()


def test_export_to_the_home_folder_expands_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cramp("add", "calf", "1m")[0] == 0
    code, _, err = cramp("export", "-o", "~/cramps.csv")
    assert code == 0, err
    assert "calf" in (tmp_path / "cramps.csv").read_text(encoding="utf-8")
    assert not Path("~").exists()


def planted_copy_of_the_diary(tmp_path: Path) -> tuple[Path, bytes]:
    """After one entry: a folder of another user's holding a copy of the diary, and its bytes."""
    assert cramp("add", "calf", "2m")[0] == 0
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    (planted / diary_file().name).write_bytes(diary_file().read_bytes())
    return planted, (planted / diary_file().name).read_bytes()


@pytest.mark.skipif(os.name != "posix", reason="swapping a folder for a symbolic link")
def test_a_diary_folder_swapped_while_sqlite_opens_it_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Another user who can rename the data folder swaps it for a link to a folder of theirs in
    # the moment between the checks and SQLite's open (by path): nothing is written there.
    planted, before = planted_copy_of_the_diary(tmp_path)
    folder = diary_file().parent
    real_connect = diary.connect

    def swapped_then_connect(path: Path):  # type: ignore[no-untyped-def]
        swap_for_link(folder, planted, tmp_path / "moved")
        return real_connect(path)

    monkeypatch.setattr(diary, "connect", swapped_then_connect)
    code, _out, err = cramp("add", "calf", "3m")
    assert code == 1 and "was replaced while the diary was being opened" in err, err
    assert (planted / diary_file().name).read_bytes() == before  # the planted diary got nothing
    assert "Traceback" not in err


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="the descriptors SQLite holds are listed in /proc")
def test_a_diary_folder_swapped_and_swapped_back_while_sqlite_opens_it_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The same swap, undone as soon as SQLite has opened its files: every name looks as it was
    # checked, but the files SQLite holds are the planted ones. Told from the descriptors.
    planted, before = planted_copy_of_the_diary(tmp_path)
    folder = diary_file().parent
    real_connect = diary.connect

    def swapped_back_after_connect(path: Path):  # type: ignore[no-untyped-def]
        swap_for_link(folder, planted, tmp_path / "moved")
        try:
            connection = real_connect(path)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the log and its index too
            return connection
        finally:
            folder.unlink()
            (tmp_path / "moved").rename(folder)

    monkeypatch.setattr(diary, "connect", swapped_back_after_connect)
    code, _out, err = cramp("add", "calf", "3m")
    assert code == 1 and "was replaced while the diary was being opened" in err, err
    assert (planted / diary_file().name).read_bytes() == before
    monkeypatch.setattr(diary, "connect", real_connect)
    assert cramp("add", "calf", "4m")[0] == 0  # the real folder, left as it was, takes the next entry
