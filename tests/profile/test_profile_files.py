"""The profile's files: planted links and files, folders of other users, devices, FIFOs and
paths that cannot be printed never cost the user or the machine anything."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CRAMP, swap_for_link
from typer.testing import CliRunner

from crampcli import safefile
from crampcli.cli.app import app
from crampcli.errors import ContentError
from crampcli.profile import store
from crampcli.profile.store import Profile, read_profile, remove_profile, write_profile

needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
needs_root = pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
runner = CliRunner()


def cramp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run([CRAMP, *args], capture_output=True, text=True, env=full, timeout=30, check=False)


@pytest.fixture
def profile_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    path = folder / "profile.toml"
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(path))
    return path


def test_a_planted_link_at_the_old_temp_name_is_never_followed(profile_path: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    victim.chmod(0o600)
    (profile_path.parent / f".{profile_path.name}.{os.getpid()}.tmp").symlink_to(victim)
    result = runner.invoke(app, ["profile", "set", "diabetes=yes"])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == b"keep"
    assert "diabetes" in profile_path.read_text(encoding="utf-8")


def test_a_planted_open_file_at_the_old_temp_name_is_not_reused(profile_path: Path) -> None:
    planted = profile_path.parent / f".{profile_path.name}.{os.getpid()}.tmp"
    planted.write_bytes(b"")
    planted.chmod(0o666)
    if os.getuid() == 0:
        os.chown(planted, 65534, 65534)
    assert runner.invoke(app, ["profile", "set", "diabetes=yes"]).exit_code == 0
    info = profile_path.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_uid == os.getuid()


def test_the_config_folder_is_made_owner_only_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new" / "crampcli" / "profile.toml"
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(path))
    old = os.umask(0)
    try:
        assert runner.invoke(app, ["profile", "set", "diabetes=yes"]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_config_folder_others_can_write_is_refused(profile_path: Path) -> None:
    profile_path.parent.chmod(0o777)
    result = runner.invoke(app, ["profile", "set", "diabetes=yes"])
    assert result.exit_code == 1 and "can be written by other users" in result.output
    assert os.listdir(profile_path.parent) == []


@needs_root
def test_a_config_folder_of_another_user_is_refused(profile_path: Path) -> None:
    os.chown(profile_path.parent, 65534, 65534)
    result = runner.invoke(app, ["profile", "set", "diabetes=yes"])
    assert result.exit_code == 1 and "belongs to another user" in result.output
    assert os.listdir(profile_path.parent) == []


@pytest.fixture
def own_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The profile where cramp keeps it, in the config folder it makes for itself."""
    monkeypatch.delenv("CRAMPCLI_CONFIG", raising=False)
    monkeypatch.setattr(store, "config_dir", lambda: tmp_path / "config-home" / "crampcli")
    path = store.config_file()
    write_profile(path, Profile(emergency_number="112"))
    return path


def swap_for_attackers_folder(folder: Path, tmp_path: Path, forged: str | None = None) -> Path:
    """Move folder away (to moved-away) and put a link to a folder of the attacker's in its
    place, holding a profile with the forged emergency number when given; the attacker's folder."""
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    if forged is not None:
        (planted / "profile.toml").write_text(f'emergency_number = "{forged}"\n', encoding="utf-8")
    swap_for_link(folder, planted, tmp_path / "moved-away")
    return planted


def test_the_own_config_folder_swapped_for_a_link_is_never_read_through(own_profile: Path, tmp_path: Path) -> None:
    assert read_profile(own_profile).emergency_number == "112"
    swap_for_attackers_folder(own_profile.parent, tmp_path, forged="666")
    with pytest.raises(ContentError, match="is a symbolic link, not a folder") as refused:
        read_profile(own_profile)
    assert f"set CRAMPCLI_CONFIG to {tmp_path / 'planted' / 'profile.toml'}" in str(refused.value)
    with pytest.raises(ContentError, match="is a symbolic link"):
        remove_profile(own_profile)
    assert (tmp_path / "planted" / "profile.toml").exists()


def test_an_own_config_folder_others_can_write_is_not_read(own_profile: Path) -> None:
    own_profile.parent.chmod(0o775)
    with pytest.raises(ContentError, match=r"can be written by other users \(mode 775\).*chmod go-w"):
        read_profile(own_profile)
    own_profile.parent.chmod(0o700)
    assert read_profile(own_profile).emergency_number == "112"


def test_a_profile_named_in_a_shared_folder_is_still_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: the folder check refuses it, the profile chosen there is read
    (shared / "p.toml").write_text('emergency_number = "112"\n', encoding="utf-8")
    assert read_profile(shared / "p.toml").emergency_number == "112"


def test_a_save_into_a_config_folder_swapped_after_its_check_writes_nothing_through(
    own_profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = safefile.private_folder

    def check_then_swap(folder: Path) -> Path:
        checked(folder)
        swap_for_attackers_folder(folder, tmp_path)
        return folder

    monkeypatch.setattr(safefile, "private_folder", check_then_swap)
    with pytest.raises(ContentError, match=r"cannot save the profile: .* is a symbolic link, not a folder"):
        write_profile(own_profile, Profile(emergency_number="666"))
    assert os.listdir(tmp_path / "planted") == []
    assert 'emergency_number = "112"' in (tmp_path / "moved-away" / "profile.toml").read_text(encoding="utf-8")


@pytest.fixture
def dev_null_untouchable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails the test, instead of replacing the machine's /dev/null, if anything tries to."""
    real_replace, real_unlink, real_remove = os.replace, os.unlink, os.remove

    def guarded(real):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            if any(os.path.realpath(str(a)) == os.devnull for a in args if isinstance(a, (str, Path))):
                pytest.fail(f"{real.__name__} reached /dev/null")
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "unlink", guarded(real_unlink))
    monkeypatch.setattr(os, "remove", guarded(real_remove))
    yield


def test_dev_null_as_the_profile_is_no_profile_and_never_replaced_or_removed(
    dev_null_untouchable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPCLI_CONFIG", os.devnull)
    before = os.stat(os.devnull)
    result = runner.invoke(app, ["profile", "set", "diabetes=yes"])
    assert result.exit_code == 1
    assert "/dev/null is a device, not a regular file" in result.output
    cleared = runner.invoke(app, ["profile", "clear", "--yes"])
    assert cleared.exit_code == 0 and "no profile to clear" in cleared.output
    shown = runner.invoke(app, ["profile", "show", "--plain"])
    assert shown.exit_code == 0 and "no profile" in shown.output
    page = runner.invoke(app, ["relief", "calf", "--plain", "--strict"])
    assert page.exit_code == 0, page.output
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@needs_root
def test_another_device_is_neither_replaced_nor_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    device = tmp_path / "null-copy"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(device))
    for args in (["profile", "set", "diabetes=yes"], ["profile", "clear", "--yes"], ["profile", "show"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "is a device, not a regular file" in result.output, args
        assert stat.S_ISCHR(os.lstat(device).st_mode)


@needs_cramp
@pytest.mark.parametrize("make", ["fifo", "folder", "link"])
def test_what_is_not_a_regular_file_is_never_read_replaced_or_removed(make: str, tmp_path: Path) -> None:
    target = tmp_path / "profile.toml"
    real = tmp_path / "real.toml"
    real.write_text('conditions = ["diabetes"]\n', encoding="utf-8")
    if make == "fifo":
        os.mkfifo(target)
    elif make == "folder":
        target.mkdir()
    else:
        target.symlink_to(real)
    before = os.lstat(target)
    env = {"CRAMPCLI_CONFIG": str(target)}
    for args in (("profile", "set", "pregnancy=yes"), ("profile", "clear", "--yes")):
        result = cramp(*args, env=env)
        assert result.returncode == 1, (args, result.stderr)
        assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    shown = cramp("profile", "show", env=env)  # a FIFO would hang here without a writer
    if make == "link":  # a profile kept elsewhere through a link is read, only never replaced
        assert shown.returncode == 0 and "[x] diabetes" in shown.stdout
    else:
        assert shown.returncode == 1 and "not a regular file" in shown.stderr
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert real.read_text(encoding="utf-8") == 'conditions = ["diabetes"]\n'


def test_reading_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)
    with pytest.raises(ContentError, match="a named pipe, not a regular file"):
        read_profile(fifo)
    assert read_profile(Path(os.devnull)).conditions == ()


# Paths printed as user text


def test_a_profile_path_with_escape_sequences_is_printed_neutralised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "\x1b]0;owned\x07\x1b[31mred"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(folder / "profile.toml"))
    for args in (["profile", "set", "diabetes=yes"], ["profile", "show", "--plain"], ["profile", "clear", "--yes"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "red" in result.output


@needs_cramp
def test_a_non_ascii_profile_path_under_an_ascii_output_works_throughout(tmp_path: Path) -> None:
    folder = tmp_path / "café"
    folder.mkdir(mode=0o700)
    path = folder / "prófile.toml"
    env = {"CRAMPCLI_CONFIG": str(path), "PYTHONIOENCODING": "ascii"}
    saved = cramp("profile", "set", "diabetes=yes", env=env)
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.isascii() and "Saved" in saved.stdout and saved.stderr == ""
    assert "diabetes" in path.read_text(encoding="utf-8")
    shown = cramp("profile", "show", env=env)
    assert shown.returncode == 0 and shown.stdout.isascii() and "[x] diabetes" in shown.stdout
    cleared = cramp("profile", "clear", "--yes", env=env)
    assert cleared.returncode == 0 and cleared.stdout.isascii() and cleared.stderr == ""
    assert not path.exists()


def test_temp_files_left_by_a_killed_or_full_disk_run_are_swept_on_the_next_save(profile_path: Path) -> None:
    import time

    long_ago = time.time() - 7200
    leaked = [profile_path.parent / ".profile.toml.4242.tmp", profile_path.parent / ".profile.toml.0123abcd.tmp"]
    fresh = profile_path.parent / ".profile.toml.fedcba98.tmp"  # maybe a save happening now
    for path in (*leaked, fresh):
        path.write_bytes(b"conditions = []\n")
    for path in leaked:
        os.utime(path, (long_ago, long_ago))
    assert runner.invoke(app, ["profile", "set", "diabetes=yes"]).exit_code == 0
    assert sorted(os.listdir(profile_path.parent)) == sorted([fresh.name, profile_path.name])


def test_a_run_without_a_profile_does_not_import_the_toml_reader(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom crampcli.cli.app import app\n"
        "try:\n    app(['relief', 'calf', '--plain'])\nexcept SystemExit:\n    pass\n"
        "print('tomllib' in sys.modules)\n"
    )
    env = {**os.environ, "CRAMPCLI_CONFIG": str(tmp_path / "none" / "profile.toml")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.splitlines()[-1] == "False", result.stderr
