"""The page store on its own: entries, checksums, stamps, a folder it must not trust, pruning;
and the entry point's reading of argument lists and its key."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

import pytest

import crampcli
from crampcli.content import load as content
from crampcli.profile import store as profile
from crampcli.startup import entry as fastpath
from crampcli.startup import store as pagecache


@pytest.fixture
def pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / pagecache.SUBFOLDER


def test_a_stored_page_comes_back_while_its_stamps_hold(pages: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    source.write_text("a: 1\n")
    stamps = [(str(source), pagecache.stamp(str(source)))]
    assert pagecache.store("key", stamps, b"the page\n")
    assert pagecache.lookup("key") == b"the page\n"
    assert pagecache.lookup("another key") is None
    source.write_text("a: 2\n")  # same size: the modification time and the change time tell
    assert pagecache.lookup("key") is None


def test_a_file_that_appears_where_none_was_is_a_miss(pages: Path, tmp_path: Path) -> None:
    absent = tmp_path / "profile.toml"
    assert pagecache.store("key", [(str(absent), pagecache.stamp(str(absent)))], b"page")
    assert pagecache.lookup("key") == b"page"
    absent.write_text("")
    assert pagecache.lookup("key") is None


def test_an_edit_that_keeps_size_and_modification_time_is_seen(pages: Path, tmp_path: Path) -> None:
    source = tmp_path / "profile.toml"
    source.write_text('conditions = ["diabetes"]\n')
    before = os.stat(source)
    assert pagecache.store("key", [(str(source), pagecache.stamp(str(source)))], b"page")
    source.write_text('conditions = ["pregnancy"]\n'[: before.st_size])
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(source).st_mtime_ns == before.st_mtime_ns and os.stat(source).st_size == before.st_size
    assert pagecache.lookup("key") is None  # the change time moved


@pytest.mark.parametrize("where", [13, 20, 40, -3, -1])
def test_a_damaged_entry_is_a_miss(pages: Path, where: int) -> None:
    assert pagecache.store("key", [], b"the page, long enough to be damaged in several places\n")
    entry = pages / pagecache.entry_name("key")
    data = bytearray(entry.read_bytes())
    data[where] ^= 0x01
    entry.write_bytes(bytes(data))
    assert pagecache.lookup("key") is None


def test_a_cut_or_foreign_entry_is_a_miss(pages: Path) -> None:
    assert pagecache.store("key", [("/nowhere", "-")], b"page")
    entry = pages / pagecache.entry_name("key")
    whole = entry.read_bytes()
    for cut in (0, 5, len(pagecache.FORMAT) + 3, len(whole) - 1):
        entry.write_bytes(whole[:cut])
        assert pagecache.lookup("key") is None
    entry.write_bytes(b"\x00" * 100)
    assert pagecache.lookup("key") is None


def test_entries_round_trip_with_odd_paths_and_bytes() -> None:
    stamps = [("/a b/\udcff\n", "1:2:3:4:5"), ("/c", "-")]
    page = bytes(range(256))
    assert pagecache.decode(pagecache.encode("k\udcfe", stamps, page)) == ("k\udcfe", stamps, page)


def test_a_folder_others_can_write_into_is_not_read(pages: Path) -> None:
    assert pagecache.store("key", [], b"page")
    pages.chmod(0o777)
    assert pagecache.lookup("key") is None
    pages.chmod(0o700)
    assert pagecache.lookup("key") == b"page"


def test_a_planted_link_is_not_followed(pages: Path, tmp_path: Path) -> None:
    assert pagecache.store("key", [], b"page")
    entry = pages / pagecache.entry_name("key")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert pagecache.lookup("key") is None
    assert not pagecache.store("key", [], b"page")  # nor written through
    assert entry.is_symlink()


def test_caching_off_stores_and_serves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", "")
    assert pagecache.folder() is None
    assert not pagecache.store("key", [], b"page")
    assert pagecache.lookup("key") is None


def test_the_oldest_entries_are_pruned(pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagecache, "MAX_ENTRIES", 10)
    monkeypatch.setattr(pagecache, "KEEP_AFTER_PRUNING", 6)
    for number in range(11):
        assert pagecache.store(f"key {number}", [], b"page")
        entry = pages / pagecache.entry_name(f"key {number}")
        os.utime(entry, ns=(number * 10**9, number * 10**9))
    names = {p.name for p in pages.iterdir()}
    assert len(names) == 6
    assert pagecache.entry_name("key 10") in names and pagecache.entry_name("key 0") not in names


@pytest.mark.parametrize(
    "args",
    [
        ["relief", "calf"],
        ["relief"],
        ["--color", "never", "relief", "calf", "--night", "--json"],
        ["relief", "calf", "--all", "--no-pager"],
        ["--json", "tip"],
        ["--color=always", "tip", "--oneline"],
        ["tip", "--date", "2026-01-31", "--json"],
        ["tip", "--date=2026-01-31", "--topic", "sleep"],
        ["foods", "magnesium", "--profile", "none"],
        ["doctor", "--plain"],
        ["when-to-see-doctor", "--strict"],
        ["prevent", "sleep", "--hide-unsuitable"],
        ["sources"],
        ["disclaimer", "--no-pager"],
    ],
)
def test_covered_argument_lists(args: list[str]) -> None:
    assert fastpath.parse(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["relief", "--help"],
        ["--version"],
        ["relief", "calf", "--guide"],
        ["relief", "calf", "foot"],
        ["tip", "--random"],
        ["tip", "--date"],
        ["check"],
        ["routine", "bedtime"],
        ["log", "add", "calf", "2m"],
        ["profile", "show"],
        ["content", "paths"],
        ["search", "magnesium"],
        ["causes", "extra"],
        ["relief", "--", "calf"],
        ["relief", "-h"],
        ["relief", "calf", "--colour", "always"],
    ],
)
def test_other_argument_lists_are_not_covered(args: list[str]) -> None:
    assert fastpath.parse(args) is None


def test_the_key_holds_the_environment_the_output_reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path))
    argv = ["cramp", "relief", "calf"]
    request = fastpath.describe(argv)
    assert request is not None
    for name, value in [
        ("NO_COLOR", "1"),
        ("FORCE_COLOR", "1"),
        ("TERM", "dumb"),
        ("COLUMNS", "20"),
        ("LINES", "10"),
        ("LANG", "C"),
        ("LC_ALL", "C"),
        ("PYTHONIOENCODING", "ascii"),
        ("TZ", "Pacific/Kiritimati"),
        ("HOME", "/elsewhere"),
        ("XDG_CONFIG_HOME", "/elsewhere"),
        ("CRAMPCLI_CONFIG", "/elsewhere/p.toml"),
        ("CRAMP_PAGER", "more"),
        ("PAGER", "more"),
        ("LESS", "-R"),
        ("CLICOLOR", "0"),
        ("CLICOLOR_FORCE", "1"),
    ]:
        with monkeypatch.context() as changed:
            changed.setenv(name, value)
            other = fastpath.describe(argv)
            assert other is not None and other[0] != request[0], name
    with monkeypatch.context() as changed:
        changed.setenv(pagecache.TRACE, str(tmp_path / "trace"))
        assert fastpath.describe(argv) == request  # the trace changes no page
    with monkeypatch.context() as changed:
        changed.setenv("_CRAMP_COMPLETE", "bash_complete")
        assert fastpath.describe(argv) is None  # shell completion


def test_the_tip_of_the_day_is_keyed_by_the_date(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path))
    today = fastpath.describe(["cramp", "tip"])
    monkeypatch.setattr(fastpath, "today", lambda: "1999-12-31")
    assert fastpath.describe(["cramp", "tip"]) != today
    dated = fastpath.describe(["cramp", "tip", "--date", "2026-01-31"])
    monkeypatch.setattr(fastpath, "today", lambda: "2000-01-01")
    assert fastpath.describe(["cramp", "tip", "--date", "2026-01-31"]) == dated


def test_a_relative_path_keys_the_current_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path))
    first = tmp_path / "one"
    second = tmp_path / "two"
    first.mkdir()
    second.mkdir()
    keys = []
    for folder in (first, second):
        monkeypatch.chdir(folder)
        request = fastpath.describe(["cramp", "relief", "--profile", "mine.toml"])
        assert request is not None
        keys.append(request[0])
    assert keys[0] != keys[1]


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"CRAMPCLI_CONFIG": "~/p.toml"},
        {"XDG_CONFIG_HOME": "/xdg"},
        {"CRAMPCLI_USER_CONTENT": "~/mine"},
        {"CRAMPCLI_CONTENT_DIR": "/some/content"},
        {"CRAMPCLI_CONTENT_DIR": "~/content"},
        {"CRAMPCLI_CONTENT_DIR": "~/content", "HOME": "/home/someone"},
        {"HOME": "/home/someone"},
    ],
)
def test_the_stamped_files_are_those_the_full_command_reads(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRAMPCLI_CONFIG", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stamped = fastpath.sources({})
    assert str(content.builtin_dir().absolute()) in stamped
    assert str(profile.config_file().absolute()) in stamped
    assert str(profile.user_content_dir().absolute()) in stamped


def test_a_profile_named_on_the_command_line_is_stamped(tmp_path: Path) -> None:
    chosen = tmp_path / "other.toml"
    assert str(chosen) in fastpath.sources({"--profile": str(chosen)})
    assert all("none" not in Path(p).name for p in fastpath.sources({"--profile": "none"}))


def test_the_code_that_made_the_page_is_stamped() -> None:
    import crampcli.output.layout

    files = fastpath.code_files()
    assert crampcli.output.layout.__file__ in files
    assert fastpath.__file__ in files
    assert any("site-packages" in f and "typer" in f for f in files) or "typer" not in sys.modules


def watched(tmp_path: Path, action: object) -> tuple[bytes, list[str]]:
    from crampcli.startup import watch as pagewatch

    stamped = tmp_path / "content"
    stamped.mkdir(exist_ok=True)
    watch = pagewatch.Watch([str(stamped)], str(tmp_path / "cache"))
    watch.start()
    try:
        action()  # type: ignore[operator]
    finally:
        page = watch.stop()
    return page, watch.doubts


BOUND_OPEN = open  # bound before any run: only the audit hook sees a call through it


def test_the_watch_keeps_what_was_written_and_allows_stamped_reads(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.yaml").write_text("a: 1\n")

    def run() -> None:
        (tmp_path / "content" / "a.yaml").read_bytes()
        os.listdir(tmp_path / "content")
        (tmp_path / "cache").mkdir()
        (tmp_path / "cache" / "content.bin").write_bytes(b"x")
        sys.stdout.write("the page\n")

    page, doubts = watched(tmp_path, run)
    assert page == b"the page\n" and doubts == []


@pytest.mark.parametrize(
    "action, doubt",
    [
        (lambda tmp: __import__("subprocess").run(["true"], check=True), "started a program"),
        (lambda tmp: os.system("true"), "started a program"),
        (lambda tmp: (tmp / "elsewhere.txt").write_text("x"), "opened for writing"),
        (lambda tmp: os.open(tmp / "new", os.O_WRONLY | os.O_CREAT, 0o600), "opened for writing"),
        (lambda tmp: open("/etc/hostname", "rb").close(), "read /etc/hostname"),
        (lambda tmp: os.listdir("/etc"), "listed /etc"),
        (lambda tmp: os.remove(tmp / "content"), "remove"),
        (lambda tmp: sys.stderr.write("a warning\n"), "wrote to stderr"),
        (lambda tmp: os.write(1, b""), "wrote to a standard stream"),
        (lambda tmp: sys.stdin.read(), "read standard input"),
        (lambda tmp: sys.stdin.readline(), "read standard input"),
        # What only the audit hook sees: functions bound before the run, io.FileIO, C code.
        (lambda tmp: BOUND_OPEN("/etc/hostname", "rb").close(), "read /etc/hostname"),
        (lambda tmp: __import__("io").FileIO("/etc/hostname").close(), "read /etc/hostname"),
        (lambda tmp: __import__("_io").open(tmp / "elsewhere.txt", "w").close(), "opened for writing"),
        (lambda tmp: __import__("sqlite3").connect(tmp / "diary.db").close(), "opened a database"),
        (lambda tmp: os.mkfifo(tmp / "fifo"), "mkfifo"),
        (lambda tmp: os.read(0, 0), "read standard input"),
        (lambda tmp: open(0, closefd=False).close(), "opened a standard stream"),
        (lambda tmp: sys.__stdin__.readline(), "read standard input"),  # type: ignore[union-attr]
        (lambda tmp: sys.__stderr__.write("a warning\n"), "wrote to stderr"),  # type: ignore[union-attr]
    ],
)
def test_the_watch_doubts_a_run_that_did_more_than_write_a_page(tmp_path: Path, action: object, doubt: str) -> None:
    def run() -> None:
        with contextlib.suppress(OSError):
            action(tmp_path)  # type: ignore[operator]

    _page, doubts = watched(tmp_path, run)
    assert any(d.startswith(doubt) for d in doubts), doubts


def test_files_opened_relative_to_a_folder_are_judged_by_where_they_are(tmp_path: Path) -> None:
    from crampcli import safefile

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.yaml").write_text("a: 1\n")
    (tmp_path / "elsewhere.txt").write_text("x")
    seen: list[object] = []

    def through_checked_folders() -> None:
        seen.append(os.open in os.supports_dir_fd)  # asked as the caches ask it
        with safefile.checked_folder(tmp_path / "content") as content_folder:
            seen.append(content_folder)
            safefile.read_regular(tmp_path / "content" / "a.yaml", 100, dir_fd=content_folder)
        with safefile.private_folder_open(tmp_path / "cache") as cache_folder:
            safefile.write_atomic(tmp_path / "cache" / "entry.bin", b"x", dir_fd=cache_folder)
            os.listdir(cache_folder)
        sys.stdout.write("the page\n")

    page, doubts = watched(tmp_path, through_checked_folders)
    assert seen[0] is True and isinstance(seen[1], int) and page == b"the page\n" and doubts == []

    def outside(content_folder: int) -> None:
        os.close(os.open("../elsewhere.txt", os.O_RDONLY, dir_fd=content_folder))
        safefile.write_atomic(tmp_path / "content" / "b.yaml", b"x", dir_fd=content_folder)

    def run() -> None:
        content_folder = os.open(tmp_path / "content", os.O_RDONLY | os.O_DIRECTORY)
        try:
            outside(content_folder)
        finally:
            os.close(content_folder)

    _page, doubts = watched(tmp_path, run)
    assert "read something unnamed" in doubts  # '..' is not judged by the folder's name
    assert any(d.startswith(f"opened for writing {tmp_path / 'content'}{os.sep}.b.yaml") for d in doubts), doubts

    opened_before = os.open(tmp_path / "content", os.O_RDONLY | os.O_DIRECTORY)
    try:  # a folder the run did not open itself could be anything
        _page, doubts = watched(tmp_path, lambda: os.close(os.open("a.yaml", os.O_RDONLY, dir_fd=opened_before)))
    finally:
        os.close(opened_before)
    assert doubts == ["read something unnamed"]


def test_the_folder_of_a_stamped_file_may_be_opened_but_not_listed(tmp_path: Path) -> None:
    from crampcli import safefile
    from crampcli.startup import watch as pagewatch

    profile_file = tmp_path / "config" / "profile.toml"
    profile_file.parent.mkdir(mode=0o700)
    profile_file.write_text("units = 'metric'\n")
    for listed, expected in ((False, []), (True, [f"listed {profile_file.parent}"])):
        watch = pagewatch.Watch([str(profile_file)], None)
        watch.start()
        try:
            with safefile.checked_folder(profile_file.parent) as opened:
                safefile.read_regular(profile_file, 100, dir_fd=opened)
                if listed:
                    os.listdir(opened)
        finally:
            watch.stop()
        assert watch.doubts == expected


def test_the_watch_puts_everything_back(tmp_path: Path) -> None:
    import builtins
    import io

    def streams() -> tuple[object, ...]:
        return (sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__)

    def functions() -> tuple[object, ...]:
        return (builtins.open, io.open, os.open, os.close, os.listdir, os.fork, os.write, os.read, os.mkfifo)

    def capabilities() -> tuple[frozenset[object], ...]:
        return (frozenset(os.supports_dir_fd), frozenset(os.supports_fd), frozenset(os.supports_follow_symlinks))

    before = (*streams(), *functions(), *capabilities())
    watched(tmp_path, lambda: None)
    assert (*streams(), *functions(), *capabilities()) == before
    # The audit hook stays (it cannot be removed) but reports to no run.
    _page, doubts = watched(tmp_path, lambda: None)
    open("/etc/hostname", "rb").close()
    assert doubts == []


# Owners, odd files, and a folder swapped while it is read


needs_root = pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")


@needs_root
def test_an_entry_of_another_user_is_not_served(pages: Path) -> None:
    assert pagecache.store("key", [], b"page")
    entry = pages / pagecache.entry_name("key")
    os.chown(entry, 65534, 65534)
    assert pagecache.lookup("key") is None
    os.chown(entry, os.getuid(), os.getgid())
    assert pagecache.lookup("key") == b"page"


@pytest.mark.timeout(20)
def test_a_named_pipe_at_an_entry_is_a_miss_without_waiting_and_left_alone(pages: Path) -> None:
    assert pagecache.store("key", [], b"page")
    entry = pages / pagecache.entry_name("key")
    entry.unlink()
    os.mkfifo(entry)
    assert pagecache.lookup("key") is None  # opening it for reading used to wait for a writer
    assert not pagecache.store("key", [], b"page")
    assert stat.S_ISFIFO(os.lstat(entry).st_mode)


def test_a_folder_swapped_for_a_link_after_its_check_is_not_read_through(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pagecache.store("key", [], b"the true page")
    forged = tmp_path / "forged"
    forged.mkdir(mode=0o700)
    (forged / pagecache.entry_name("key")).write_bytes(pagecache.encode("key", [], b"a forged page"))
    real_open = os.open

    def swapping_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".page") and not pages.is_symlink():  # between the check and the open
            pages.rename(tmp_path / "moved")
            pages.symlink_to(forged)
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", swapping_open)
    assert pagecache.lookup("key") == b"the true page"  # read from the folder that was checked


def test_the_store_writes_only_into_the_folder_it_checked(pages: Path, tmp_path: Path) -> None:
    assert pagecache.store("key", [], b"page")
    pages.rename(tmp_path / "moved")
    pages.symlink_to(tmp_path / "moved")
    assert not pagecache.store("other", [], b"page")  # a link in place of the folder is refused
    assert not (tmp_path / "moved" / pagecache.entry_name("other")).exists()


def trace_lines(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def test_the_trace_goes_only_to_a_regular_file_of_this_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trace = tmp_path / "trace"
    monkeypatch.setenv(pagecache.TRACE, str(trace))
    pagecache.trace("hit")
    assert trace_lines(trace) == "hit\n"
    elsewhere = tmp_path / "elsewhere"
    trace.unlink()
    trace.symlink_to(elsewhere)
    pagecache.trace("hit")
    assert not elsewhere.exists()


@pytest.mark.timeout(20)
def test_a_named_pipe_as_the_trace_neither_hangs_nor_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "trace"
    os.mkfifo(fifo)
    monkeypatch.setenv(pagecache.TRACE, str(fifo))
    pagecache.trace("hit")  # no reader: an open that waited would hang here
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        pagecache.trace("hit")  # a reader: the open succeeds, but it is no regular file
        with contextlib.suppress(BlockingIOError):
            assert os.read(reader, 100) == b""
    finally:
        os.close(reader)


@needs_root
def test_the_trace_of_another_user_is_not_appended_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trace = tmp_path / "trace"
    trace.write_text("theirs\n")
    os.chown(trace, 65534, 65534)
    monkeypatch.setenv(pagecache.TRACE, str(trace))
    pagecache.trace("hit")
    assert trace.read_text() == "theirs\n"


# Whole-second file systems and changes during a run

SECOND = 10**9


def test_racy_stamps_on_a_whole_second_file_system_are_a_miss(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "profile.toml"
    source.write_text("a = 1\n")
    written = 1_700_000_000  # the second the entry was written, on a file system of whole seconds
    for changed, served in ((written - 1, True), (written, False), (written + 3, False)):
        faked = f"6:{changed * SECOND}:{changed * SECOND}:42:33188"  # as such a file system stamps it
        monkeypatch.setattr(pagecache, "stamp", lambda path, faked=faked: faked)
        assert pagecache.store("key", [(str(source), faked)], b"page")
        entry = pages / pagecache.entry_name("key")
        os.utime(entry, ns=(written * SECOND, written * SECOND))
        assert (pagecache.lookup("key") == b"page") is served, changed


def test_the_racy_rule_leaves_nanosecond_stamps_and_entries_alone() -> None:
    entry = 1_700_000_000 * SECOND
    assert not pagecache.racy([("/a", f"6:{entry + 5}:{entry + 5}:1:33188")], entry)  # the stamp tells
    assert not pagecache.racy([("/a", "-")], entry)
    assert pagecache.racy([("/a", f"6:{entry}:{entry - SECOND}:1:33188")], entry)


def test_a_change_since_the_run_started_is_found_by_its_stamp(tmp_path: Path) -> None:
    import time

    started = time.time_ns()
    old = 1_600_000_000 * SECOND
    assert fastpath.changed_since([("/a", f"1:{old}:{old}:1:33188"), ("/b", "-")], started) is None
    assert fastpath.changed_since([("/a", f"1:{old}:{started + 1}:1:33188")], started) == "/a"
    whole = started // SECOND * SECOND  # a whole-second file system: an edit later in the same second
    assert fastpath.changed_since([("/a", f"1:{whole}:{whole}:1:33188")], started) == "/a"
    future = started + 3600 * SECOND  # a clock that disagrees (faketime, a file from the future): no sign of this run
    assert fastpath.changed_since([("/a", f"1:{future}:{future}:1:33188")], started, started + SECOND) is None


def test_code_edited_during_the_run_keeps_the_page_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(pagecache.TRACE, str(tmp_path / "trace"))
    monkeypatch.setattr(sys, "argv", ["cramp", "sources"])
    request = fastpath.describe(sys.argv)
    assert request is not None
    code = tmp_path / "module.py"
    code.write_text("PAGE = 1\n")
    monkeypatch.setattr(fastpath, "code_files", lambda: [str(code)])
    paths = fastpath.sources({})
    time.sleep(0.05)
    started = time.time_ns()  # the run starts, loads module.py, then module.py is edited:
    time.sleep(0.05)
    code.write_text("PAGE = 2\n")  # the page came from PAGE = 1, the stamp would say PAGE = 2
    fastpath.keep(request[0], paths, fastpath.stamps_of(paths), b"page", [], started)
    said = trace_lines(tmp_path / "trace")
    assert said.startswith("not stored") and f"{code} changed since the run started" in said
    (tmp_path / "trace").unlink()
    time.sleep(0.05)
    fastpath.keep(request[0], paths, fastpath.stamps_of(paths), b"page", [], time.time_ns())  # a later run
    assert trace_lines(tmp_path / "trace") == "stored\n"


# Which code made the page


def test_the_key_holds_the_location_of_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path))
    request = fastpath.describe(["cramp", "relief", "calf"])
    assert request is not None and os.path.dirname(os.path.abspath(crampcli.__file__)) in request[0].split("\0")
    monkeypatch.setattr(fastpath, "PACKAGE", str(tmp_path / "another" / "crampcli"))
    assert fastpath.describe(["cramp", "relief", "calf"]) != request


def test_every_module_from_outside_the_standard_library_is_stamped() -> None:
    import rich.style
    import typer.core

    files = fastpath.code_files()
    assert rich.style.__file__ in files and typer.core.__file__ in files  # not only their __init__.py
    assert os.path.dirname(rich.style.__file__) in files  # the package's folder, which an upgrade replaces
    assert os.__file__ not in files and contextlib.__file__ not in files  # the interpreter's own


def test_a_run_that_reads_a_variable_the_key_does_not_hold_is_never_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.startup import entry
    from crampcli.startup import watch as pagewatch

    monkeypatch.setenv("CRAMPCLI_UNKEYED_PROBE_NOT", "set")  # keyed by its prefix
    monkeypatch.setenv("SOME_TOOL_SETTING", "2")

    def run(*names: str) -> list[str]:
        watch = pagewatch.Watch([str(tmp_path)], None, entry.keyed_variable)
        watch.start()
        try:
            for name in names:
                os.environ.get(name)
                _ = name in os.environ
                os.getenv(name)
        finally:
            watch.stop()
        return watch.doubts

    assert run("NO_COLOR", "COLUMNS", "CRAMPCLI_UNKEYED_PROBE_NOT", "XDG_CONFIG_HOME", "_CRAMP_COMPLETE") == []
    assert run("SOME_TOOL_SETTING") == ["read the environment variable SOME_TOOL_SETTING, which the key does not hold"]
    assert run("NOT_SET_ANYWHERE")  # absent now, but a value set later could change the page
    assert run("CRAMPCLI_PAGECACHE_TRACE")  # says what the cache did, so it is not in the key
    assert type(os.environ).__name__ == "_Environ"  # the real mapping is back
    os.environ["SET_DURING_TEST"] = "x"  # the real mapping is back, and works
    assert os.getenv("SET_DURING_TEST") == "x"
    del os.environ["SET_DURING_TEST"]
