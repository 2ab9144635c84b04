"""The content cache as untrusted input: planted links, folders and entries of other users,
flipped bits and forged entries never change the advice printed, nor give a traceback."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import CRAMP

from crampcli import __version__, paths
from crampcli.content import cache, record
from crampcli.content.load import builtin_dir, content_files, load_content, parse_content, read_files, stamps
from crampcli.content.model import Content

needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
needs_root = pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
TRUE_FIRST_LINE = "Straighten your leg and pull your toes up toward you."


def cramp(cache_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRAMPCLI_CACHE_DIR": str(cache_dir)}
    return subprocess.run([CRAMP, *args], capture_output=True, text=True, env=env, timeout=60, check=False, cwd=cwd)


def slot_and_key() -> tuple[str, str]:
    folder = builtin_dir()
    return str(folder), cache.key_for(stamps(content_files(folder)))


def forged(content: Content, first: object) -> Content:
    """content with the calf's first line replaced, the way someone rewriting the cache would."""
    areas = tuple(record.replace(plan, first=first) if plan.id == "calf" else plan for plan in content.relief.areas)
    return record.replace(content, relief=record.replace(content.relief, areas=areas))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def truth() -> Content:
    """The built-in content, parsed past any cache."""
    folder = builtin_dir()
    return parse_content(read_files(content_files(folder), folder.name))


# Files another user can reach


def test_a_planted_link_at_the_old_predictable_temp_name_is_never_followed(cache_folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    victim.chmod(0o600)
    cache_folder.mkdir(mode=0o700)
    slot, key = slot_and_key()
    path = cache.entry_path(slot)
    assert path is not None
    for name in (f".{path.name}.{os.getpid()}.tmp", f"{path.name}.tmp"):
        (cache_folder / name).symlink_to(victim)
    cache.store(slot, key, load_content())
    assert victim.read_bytes() == b"keep"
    assert path.is_file() and not path.is_symlink()


def test_the_folder_is_made_owner_only_whatever_the_umask(cache_folder: Path) -> None:
    old = os.umask(0)
    try:
        load_content()
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache_folder.stat().st_mode) == 0o700
    (entry,) = cache_folder.glob("content-*.bin")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@needs_cramp
def test_a_forged_entry_in_a_folder_others_can_write_is_refused_with_one_warning(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert cramp(folder, "relief", "calf").returncode == 0  # a true entry first
    (entry,) = folder.glob("content-*.bin")
    _, key = slot_and_key()
    # A forgery that passes every check of the entry itself: only the folder gives it away.
    entry.write_bytes(cache.entry_bytes(key, forged(load_content(), "FORGED: drink quinine")))
    folder.chmod(0o777)
    result = cramp(folder, "relief", "calf")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == TRUE_FIRST_LINE
    assert "FORGED" not in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and "can be written by other users" in warnings[0], result.stderr
    assert entry.read_bytes() != b"" and "Traceback" not in result.stderr


@needs_root
def test_a_folder_of_another_user_is_refused(
    cache_folder: Path, truth: Content, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    slot, key = slot_and_key()
    cache.store(slot, key, forged(truth, "FORGED"))
    os.chown(cache_folder, 65534, 65534)
    monkeypatch.setattr(cache, "_warned", False)
    assert cache.load(slot, key, lambda: truth) is None
    assert "belongs to another user" in capsys.readouterr().err
    assert load_content().relief.areas == truth.relief.areas


@needs_root
def test_an_entry_of_another_user_is_refused(cache_folder: Path, truth: Content) -> None:
    slot, key = slot_and_key()
    cache.store(slot, key, forged(truth, "FORGED"))
    (entry,) = cache_folder.glob("content-*.bin")
    os.chown(entry, 65534, 65534)
    assert cache.load(slot, key, lambda: truth) is None


def test_an_entry_others_can_write_is_refused(cache_folder: Path, truth: Content) -> None:
    slot, key = slot_and_key()
    cache.store(slot, key, forged(truth, "FORGED"))
    (entry,) = cache_folder.glob("content-*.bin")
    entry.chmod(0o666)
    assert cache.load(slot, key, lambda: truth) is None
    assert load_content() == truth


def test_a_fifo_or_link_in_place_of_an_entry_is_a_miss_and_left_alone(cache_folder: Path, truth: Content) -> None:
    slot, _ = slot_and_key()
    cache_folder.mkdir(mode=0o700)
    path = cache.entry_path(slot)
    assert path is not None
    os.mkfifo(path)
    assert load_content() == truth  # would block on a FIFO opened for reading
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    path.unlink()
    path.symlink_to(cache_folder / "elsewhere")
    assert load_content() == truth
    assert path.is_symlink()


# Integrity and shape


def true_entry() -> tuple[bytes, str, Content]:
    _, key = slot_and_key()
    truth = load_content()
    return cache.entry_bytes(key, truth), key, truth


def loaded_or_none(data: bytes, key: str, reparse: Callable[[], Content]) -> Content | None:
    try:
        found = cache.read_entry(data, key, reparse)
    except Exception:
        return None  # what cache.load does with any damage it finds before use
    return None if found is None else found[0]


@pytest.mark.slow  # among the longest: left out of the quick run
def test_every_flipped_bit_in_the_header_and_index_and_a_sample_in_the_sections_is_caught() -> None:
    data, key, truth = true_entry()
    index_end = len(cache.MAGIC) + 8 + int.from_bytes(data[len(cache.MAGIC) : len(cache.MAGIC) + 4], "little")
    draw = random.Random(15)
    positions = list(range(index_end)) + draw.sample(range(index_end, len(data)), 3000)
    reparsed = 0

    def reparse() -> Content:
        nonlocal reparsed
        reparsed += 1
        return truth

    for position in positions:
        damaged = bytearray(data)
        damaged[position] ^= 1 << draw.randrange(8)
        found = loaded_or_none(bytes(damaged), key, reparse)
        assert found is None or found == truth, f"a flipped bit at byte {position} changed the content"
    assert reparsed >= 3000, "every flip inside a section was found and the content parsed again"


def test_damage_of_every_kind_is_a_miss_never_an_error() -> None:
    data, key, truth = true_entry()
    draw = random.Random(7)
    variants = [data[:n] for n in (0, 1, 7, 15, 16, 100, len(data) // 2, len(data) - 1)]
    variants += [data + b"\0", data + data, b"\0" * len(data), bytes(draw.randbytes(len(data)))]
    for _ in range(200):  # runs of random bytes written over the entry
        start = draw.randrange(len(data))
        damaged = bytearray(data)
        damaged[start : start + draw.randrange(1, 64)] = draw.randbytes(draw.randrange(1, 64))
        variants.append(bytes(damaged))
    for damaged in variants:
        found = loaded_or_none(damaged, key, lambda: truth)
        assert found is None or found == truth


def test_a_string_rewritten_in_place_with_the_key_kept_is_never_printed(cache_folder: Path, truth: Content) -> None:
    from typer.testing import CliRunner

    from crampcli.cli.app import app

    load_content()
    (entry,) = cache_folder.glob("content-*.bin")
    data = entry.read_bytes()
    original = TRUE_FIRST_LINE.encode()
    assert original in data
    rewritten = b"FORGED: take two quinine." + b" " * (len(original) - 25)
    entry.write_bytes(data.replace(original, rewritten))
    result = CliRunner().invoke(app, ["relief", "calf", "--plain"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == TRUE_FIRST_LINE
    assert "FORGED" not in result.output


@pytest.mark.parametrize(
    "wrong",
    [42, None, True, ("a", "tuple"), b"bytes", {"a": "b"}, ("", "Step", ("text",))],
    ids=["int", "none", "bool", "tuple", "bytes", "dict", "record"],
)
def test_a_value_of_the_wrong_type_is_parsed_again(wrong: object, cache_folder: Path, truth: Content) -> None:
    from typer.testing import CliRunner

    from crampcli.cli.app import app

    slot, key = slot_and_key()
    cache.store(slot, key, forged(truth, wrong))  # every check of integrity passes; only the shape is wrong
    result = CliRunner().invoke(app, ["relief", "calf", "--plain"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == TRUE_FIRST_LINE


def test_records_of_another_class_or_length_are_refused(truth: Content) -> None:
    _, key = slot_and_key()
    step = truth.relief.general.steps[0]
    cases = [
        ("", "Caution", (step.text, ())),  # another class with the same first field
        ("", "Step", (step.text,)),  # a field short
        ("x", "Step", cache.encode(step)[2]),
    ]
    for wrong in cases:
        general = record.replace(truth.relief.general, steps=(wrong, *truth.relief.general.steps[1:]))
        content = record.replace(truth, relief=record.replace(truth.relief, general=general))
        found = loaded_or_none(cache.entry_bytes(key, content), key, lambda: truth)
        assert found is not None and found.relief == truth.relief


def test_every_annotation_of_the_model_has_a_stored_shape() -> None:
    for name in Content._fields:
        cache._decoder_for(cache.annotation(Content, name))
    for cls in cache._CLASSES.values():
        for field in cls._fields:
            cache._decoder_for(cache.annotation(cls, field))


def test_a_sound_entry_is_served_without_parsing(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crampcli.content import load as content_module

    expected = load_content()
    monkeypatch.setattr(content_module, "parse_content", lambda *args: pytest.fail("parsed despite a sound entry"))
    assert load_content() == expected


def test_an_entry_of_the_previous_format_is_a_miss(cache_folder: Path, truth: Content) -> None:
    import marshal

    slot, key = slot_and_key()
    cache_folder.mkdir(mode=0o700)
    path = cache.entry_path(slot)
    assert path is not None
    sections = {name: marshal.dumps(cache.encode(getattr(forged(truth, "OLD"), name))) for name in Content._fields}
    path.write_bytes(marshal.dumps((key, sections)))
    assert load_content() == truth


# Leftovers


def test_stale_temp_files_and_entries_of_old_installs_go_when_an_entry_is_stored(cache_folder: Path) -> None:
    cache_folder.mkdir(mode=0o700)
    long_ago = time.time() - 40 * 86_400
    stale_temp = cache_folder / ".content-0.1.0-0000abcd.bin.0123456789abcdef.tmp"
    fresh_temp = cache_folder / ".content-0.1.0-0000abcd.bin.fedcba9876543210.tmp"  # maybe another run's
    other_version = cache_folder / "content-0.0.1-0000abcd.bin"
    old_format = cache_folder / "content-0000abcd.bin"
    unused_for_long = cache_folder / f"content-{__version__}-0000abcd.bin"
    in_use = cache_folder / f"content-{__version__}-0000beef.bin"
    not_ours = cache_folder / "pages.bin"
    for path in (stale_temp, fresh_temp, other_version, old_format, unused_for_long, in_use, not_ours):
        path.write_bytes(b"x")
    for path in (stale_temp, unused_for_long, not_ours):
        os.utime(path, (long_ago, long_ago))
    load_content()
    left = {path.name for path in cache_folder.iterdir()}
    assert left == {fresh_temp.name, in_use.name, not_ours.name, cache.entry_name(slot_and_key()[0])}


def test_an_entry_in_use_is_kept_fresh_so_pruning_spares_it(cache_folder: Path) -> None:
    load_content()
    (entry,) = cache_folder.glob("content-*.bin")
    long_ago = time.time() - 40 * 86_400
    os.utime(entry, (long_ago, long_ago))
    load_content()
    assert time.time() - entry.stat().st_mtime < 86_400


# Where the cache lives


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"XDG_CACHE_HOME": "/x/cache"}, "/x/cache/crampcli"),
        ("linux", {}, "{home}/.cache/crampcli"),
        ("freebsd14", {}, "{home}/.cache/crampcli"),
        ("darwin", {"XDG_CACHE_HOME": "/ignored"}, "{home}/Library/Caches/crampcli"),
        ("win32", {"LOCALAPPDATA": "/appdata/local"}, "/appdata/local/crampcli/Cache"),
        ("win32", {}, "{home}/AppData/Local/crampcli/Cache"),
    ],
)
def test_the_cache_goes_where_each_system_keeps_caches(
    platform: str, env: dict[str, str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CRAMPCLI_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    assert paths.cache_dir() == expected.format(home=tmp_path)


def test_an_unknown_user_in_the_cache_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", "~nosuchuser/x")
    assert paths.cache_dir() is None
    assert "no user named 'nosuchuser'" in (paths.setting_problem() or "")
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", "~/x")
    assert paths.setting_problem() is None


def test_no_home_at_all_means_no_cache_rather_than_one_in_the_working_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CRAMPCLI_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    assert paths.cache_dir() is None


def test_the_warning_is_said_once_and_never_during_completion(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cache, "_warned", False)
    monkeypatch.setenv("_CRAMP_COMPLETE", "complete_bash")
    cache.warn_once("problem")
    assert capsys.readouterr().err == ""
    monkeypatch.delenv("_CRAMP_COMPLETE")
    cache.warn_once("problem")
    cache.warn_once("problem")
    assert capsys.readouterr().err.count("problem") == 1


def test_the_same_warning_is_said_once_a_day_and_a_new_one_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A refused folder stays refused until the user acts: each run after the first stays quiet
    # that day; another problem, or the next day, is said again.
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "data"))
    for _run in range(2):
        monkeypatch.setattr(cache, "_warned", False)
        cache.warn_once("the folder can be written by other users")
    assert capsys.readouterr().err.count("written by other users") == 1
    monkeypatch.setattr(cache, "_warned", False)
    cache.warn_once("the folder belongs to another user")
    assert "belongs to another user" in capsys.readouterr().err
    note = tmp_path / "data" / cache.WARNED_FILE
    note.write_text("2000-01-01 the folder belongs to another user")  # said on an earlier day
    monkeypatch.setattr(cache, "_warned", False)
    cache.warn_once("the folder belongs to another user")
    assert "belongs to another user" in capsys.readouterr().err
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


# Files changed with their old stamp kept


def calf_first(content: Content) -> str:
    return next(plan.first for plan in content.relief.areas if plan.id == "calf")


@pytest.mark.parametrize("how", ["edited in place", "copied over (cp -p, rsync -a)"])
def test_a_same_size_edit_with_the_old_modification_time_restored_is_seen(
    how: str, cache_folder: Path, content_copy: Path, tmp_path: Path
) -> None:
    assert calf_first(load_content(content_copy)) == TRUE_FIRST_LINE  # parsed and stored
    assert calf_first(load_content(content_copy)) == TRUE_FIRST_LINE  # from the entry
    relief = content_copy / "relief.yaml"
    before = os.stat(relief)
    corrected = relief.read_text().replace(TRUE_FIRST_LINE, TRUE_FIRST_LINE.upper())
    if how == "edited in place":
        relief.write_text(corrected)
    else:
        copy = tmp_path / "relief.yaml"
        copy.write_text(corrected)
        os.replace(copy, relief)
    os.utime(relief, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(relief)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert calf_first(load_content(content_copy)) == TRUE_FIRST_LINE.upper()


def test_a_whole_second_stamp_of_the_current_second_never_matches_an_entry() -> None:
    second = 10**9
    now = time.time_ns() // second * second
    racy = [("/c/relief.yaml", 10, now, now, 7)]
    assert cache.key_for(racy) != cache.key_for(racy)  # may still change within this second unseen
    settled = [("/c/relief.yaml", 10, now - 2 * second, now - 2 * second, 7)]
    assert cache.key_for(settled) == cache.key_for(settled)
    fine = [("/c/relief.yaml", 10, now + 5, now + 5, 7)]  # nanoseconds kept: any later change shows
    assert cache.key_for(fine) == cache.key_for(fine)
    assert cache.key_for([("/c/relief.yaml", 10, 1, 1, 7)]) != cache.key_for([("/c/relief.yaml", 10, 1, 1, 8)])


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A folder of another user's, and a link to it named like the cache folder: what another
    user who can rename ~/.cache/crampcli puts in its place after the folder's check."""
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    swapped = tmp_path / "swapped"
    swapped.symlink_to(planted)
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "data"))  # where the once-a-day note goes
    return planted, swapped


def checked_as(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """folder as trusted_folder() hands it on after its check; a refusal is warned afresh."""
    monkeypatch.setattr(cache, "trusted_folder", lambda create: folder)
    monkeypatch.setattr(cache, "_warned", False)


@pytest.mark.skipif(os.open not in os.supports_dir_fd, reason="no opening relative to a folder here")
def test_a_folder_swapped_for_a_link_after_its_check_is_never_read(
    truth: Content,
    planted: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The swap between the folder's check and the entry's read: the read goes through the
    # folder as opened and checked, never through the link.
    attackers, swapped = planted
    slot, key = slot_and_key()
    (attackers / cache.entry_name(slot)).write_bytes(cache.entry_bytes(key, forged(truth, "FORGED: take quinine")))
    checked_as(monkeypatch, attackers)
    loaded = cache.load(slot, key, lambda: truth)  # the same entry in a real folder is read
    assert loaded is not None and "FORGED" in str(loaded[0].relief.areas)
    checked_as(monkeypatch, swapped)
    assert cache.load(slot, key, lambda: truth) is None
    assert "is a symbolic link, not a folder" in capsys.readouterr().err
    attackers.chmod(0o777)  # and a folder others can write into, seen on the descriptor
    checked_as(monkeypatch, attackers)
    assert cache.load(slot, key, lambda: truth) is None
    assert "can be written by other users" in capsys.readouterr().err


def test_a_store_into_a_folder_swapped_for_a_link_writes_nothing_through(
    truth: Content,
    planted: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The same swap while an entry is stored: the entry goes into the folder as opened and
    # checked, or nowhere; never into the folder the link points at.
    attackers, swapped = planted
    slot, key = slot_and_key()
    checked_as(monkeypatch, swapped)
    cache.store(slot, key, truth)
    assert os.listdir(attackers) == []
    assert "is a symbolic link, not a folder" in capsys.readouterr().err
    checked_as(monkeypatch, attackers)  # a real folder takes it
    cache.store(slot, key, truth)
    assert os.listdir(attackers) == [cache.entry_name(slot)]
