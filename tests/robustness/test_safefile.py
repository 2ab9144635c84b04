"""The primitives every writer goes through: exclusive temp files, private folders, and
nothing that is not a regular file replaced or removed."""

import os
import stat
from pathlib import Path

import pytest

from crampcli import safefile
from crampcli.safefile import UnsafePathError


def test_write_atomic_makes_an_owner_only_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    old = os.umask(0)
    try:
        safefile.write_atomic(target, b"hello")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["f.txt"]


def test_a_planted_symlink_at_any_predictable_temp_name_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    target = tmp_path / "f.txt"
    for name in (f".f.txt.{os.getpid()}.tmp", "f.txt.tmp", ".f.txt.tmp"):
        (tmp_path / name).symlink_to(victim)
    safefile.write_atomic(target, b"new")
    assert victim.read_bytes() == b"keep"
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("make", ["fifo", "dir", "symlink"])
def test_what_is_not_a_regular_file_is_neither_replaced_nor_removed(tmp_path: Path, make: str) -> None:
    target = tmp_path / "x"
    if make == "fifo":
        os.mkfifo(target)
    elif make == "dir":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "elsewhere")
    before = os.lstat(target)
    with pytest.raises(UnsafePathError, match="not a regular file"):
        safefile.write_atomic(target, b"x")
    with pytest.raises(UnsafePathError):
        safefile.remove_regular(target)
    after = os.lstat(target)
    assert (before.st_ino, before.st_mode) == (after.st_ino, after.st_mode)


def test_dev_null_is_refused() -> None:
    with pytest.raises(UnsafePathError, match="a device"):
        safefile.write_atomic(Path("/dev/null"), b"x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_private_folder_is_made_0700_and_a_group_writable_one_is_refused(tmp_path: Path) -> None:
    made = safefile.private_folder(tmp_path / "a" / "b")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    with pytest.raises(UnsafePathError, match="written by other users"):
        safefile.private_folder(open_folder)


@pytest.mark.skipif(os.name != "posix", reason="modes and umask are POSIX")
def test_every_missing_folder_above_is_made_0700_even_under_umask_000(tmp_path: Path) -> None:
    # As ~/.cache and ~/.config when they do not exist yet: the XDG spec asks for 0700.
    kept = tmp_path / "kept"
    kept.mkdir(mode=0o755)
    old = os.umask(0)
    try:
        made = safefile.private_folder(kept / ".cache" / "crampcli" / "pages")
    finally:
        os.umask(old)
    modes = {path.name: stat.S_IMODE(os.lstat(path).st_mode) for path in (made, made.parent, made.parent.parent)}
    assert modes == {"pages": 0o700, "crampcli": 0o700, ".cache": 0o700}
    assert stat.S_IMODE(os.lstat(kept).st_mode) == 0o755  # what existed is left as it was


def test_a_folder_of_another_owner_is_refused(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("changing a folder's owner needs root")
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    assert "another user" in (safefile.folder_problem(theirs) or "")


def test_sweep_removes_only_old_own_temp_files(tmp_path: Path) -> None:
    old = tmp_path / ".f.txt.0123456789abcdef.tmp"
    fresh = tmp_path / ".f.txt.fedcba9876543210.tmp"
    other = tmp_path / "notes.tmp"
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    os.utime(old, (1, 1))
    os.utime(other, (1, 1))
    assert safefile.sweep_stale_temps(tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def test_read_regular_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafePathError, match="a named pipe, not a regular file"):
        safefile.read_regular(fifo, 100)
    with pytest.raises(UnsafePathError, match="a device"):
        safefile.read_regular(Path("/dev/zero"), 100)


def test_read_regular_reads_at_most_the_limit_and_refuses_links_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"0123456789")
    data, info = safefile.read_regular(target, 4)
    assert data == b"0123" and info.st_size == 10
    link = tmp_path / "link"
    link.symlink_to(target)
    assert safefile.read_regular(link, 100)[0] == b"0123456789"
    with pytest.raises(UnsafePathError, match="symbolic link"):
        safefile.read_regular(link, 100, follow=False)
    with pytest.raises(FileNotFoundError):
        safefile.read_regular(tmp_path / "missing", 100)


def test_expand_user_names_the_setting_when_the_user_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert safefile.expand_user("~/x", "CRAMPCLI_HOME") == Path("/home/someone/x")
    assert safefile.expand_user("a/~b", "CRAMPCLI_HOME") == Path("a/~b")
    with pytest.raises(
        UnsafePathError, match="CRAMPCLI_HOME is '~nosuchuser/x', but there is no user named 'nosuchuser'"
    ):
        safefile.expand_user("~nosuchuser/x", "CRAMPCLI_HOME")


def test_dev_null_is_known_through_a_link_and_nothing_else_is(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert safefile.is_dev_null(Path("/dev/null")) and safefile.is_dev_null(link)
    assert not safefile.is_dev_null(Path("/dev/zero"))
    assert not safefile.is_dev_null(tmp_path)
    assert not safefile.is_dev_null(tmp_path / "missing")
