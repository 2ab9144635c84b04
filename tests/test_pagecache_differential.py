"""A page served from the cache is the page the full command writes, byte for byte.

Every run here goes through the installed `cramp` twice with a page cache (the first run stores
the page, the second must be served from it) and once through the full path alone
(`crampcli.cli.app:main`, which never reads or writes a page, with a content cache of its own so
that it does not parse the YAML each time); all three must write the same bytes. The conditions
change one after another over the same cache, so a condition the key left out would serve the
page of the condition before, which the full path would not write.

The matrix is sampled to keep the suite short on a shared machine: every covered command runs
piped in the plain condition and in two of the nine other conditions (a rotation, so that each
condition meets four or five commands); terminals, profiles, user content, dates and code
edits each run on three commands they change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""
pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
REPO = Path(__file__).resolve().parent.parent
FULL_PATH = "import sys; sys.argv[0] = 'cramp'; from crampcli.cli.app import main; main()"
HEAVY = ("typer", "click", "rich", "yaml", "sqlite3", "json", "_json", "hashlib", "pathlib")

COMMANDS = [
    ["tip", "--oneline"],
    ["tip", "--json"],
    ["tip", "--date", "2026-01-31"],
    ["tip", "--topic", "sleep", "--plain"],
    ["relief"],
    ["relief", "calf"],
    ["relief", "--night"],
    ["relief", "hamstring", "--json"],
    ["relief", "foot", "--plain"],
    ["relief", "calf", "--night", "--all"],
    ["remedies", "magnesium"],
    ["prevent"],
    ["prevent", "sleep"],
    ["foods", "magnesium"],
    ["foods", "--json"],
    ["causes"],
    ["remedies"],
    ["remedies", "pickle-juice", "--json"],
    ["when-to-see-doctor"],
    ["doctor", "--json"],
    ["sources"],
    ["disclaimer"],
]
# (name, environment, arguments before the command, arguments after it)
CONDITIONS: list[tuple[str, dict[str, str], list[str], list[str]]] = [
    ("NO_COLOR", {"NO_COLOR": "1"}, [], []),
    ("FORCE_COLOR", {"FORCE_COLOR": "1"}, [], []),
    ("--color always", {}, [], ["--color", "always"]),
    ("--color never first", {}, ["--color", "never"], []),
    ("TERM=dumb with FORCE_COLOR", {"TERM": "dumb", "FORCE_COLOR": "1"}, [], []),
    ("LANG=C", {"LANG": "C", "LC_ALL": "C"}, [], []),
    ("PYTHONIOENCODING=ascii", {"PYTHONIOENCODING": "ascii"}, [], []),
    ("COLUMNS=20", {"COLUMNS": "20"}, [], []),
    ("COLUMNS=200", {"COLUMNS": "200"}, [], []),
]


@dataclass
class Run:
    stdout: bytes
    stderr: bytes
    code: int
    outcome: str  # what the page cache said: hit, stored, not stored: why, or "" (not covered)


class Cramp:
    """Runs of `cramp` with one page cache, and of the full path with the cache off."""

    def __init__(self, tmp_path: Path) -> None:
        self.cache = tmp_path / "cache"
        self.trace = tmp_path / "trace"
        self.env = {
            **os.environ,
            "CRAMPCLI_CACHE_DIR": str(self.cache),
            "CRAMPCLI_PAGECACHE_TRACE": str(self.trace),
            "CRAMPCLI_CONFIG": str(tmp_path / "profile.toml"),
            "CRAMPCLI_USER_CONTENT": str(tmp_path / "mine"),
            "CRAMP_PAGER": "cat",  # should a long page go to a pager, it must not wait for a key
            "PAGER": "cat",
        }
        for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "PYTHONIOENCODING", "LC_ALL"):
            self.env.pop(name, None)
        self.full_cache = tmp_path / "full-cache"
        self.command = [CRAMP]
        self.full_command = [sys.executable, "-c", FULL_PATH]
        self.prefix: list[str] = []  # faketime and its date
        self.cwd: Path | None = None

    def cached(
        self, args: list[str], env: dict[str, str] | None = None, terminal: tuple[int, int] | None = None
    ) -> Run:
        return self._run([*self.prefix, *self.command, *args], {**self.env, **(env or {})}, terminal)

    def full(self, args: list[str], env: dict[str, str] | None = None, terminal: tuple[int, int] | None = None) -> Run:
        full_env = {**self.env, **(env or {}), "CRAMPCLI_CACHE_DIR": str(self.full_cache)}
        return self._run([*self.prefix, *self.full_command, *args], full_env, terminal)

    def _run(self, argv: list[str], env: dict[str, str], terminal: tuple[int, int] | None) -> Run:
        said = self.trace.read_text() if self.trace.exists() else ""
        if terminal is None:
            done = subprocess.run(argv, capture_output=True, env=env, timeout=120, cwd=self.cwd)
            stdout, stderr, code = done.stdout, done.stderr, done.returncode
        else:
            import pexpect

            child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=terminal, timeout=120, cwd=self.cwd)
            child.expect(pexpect.EOF)
            child.close()
            stdout, stderr, code = child.before, b"", child.exitstatus
        now = self.trace.read_text() if self.trace.exists() else ""
        return Run(stdout, stderr, code, now[len(said) :].strip())

    def check(self, args: list[str], env: dict[str, str] | None = None, terminal: tuple[int, int] | None = None) -> Run:
        """Cached twice and full once: the same bytes each time; the second run served from the
        cache unless the first could not be kept (it warned on stderr or went to a pager)."""
        first = self.cached(args, env, terminal)
        second = self.cached(args, env, terminal)
        full = self.full(args, env, terminal)
        where = f"{args} {env or ''} {terminal or 'piped'}"
        assert first.code == full.code == second.code, where
        assert first.stdout == full.stdout, f"{where}: the run that stored the page changed it ({first.outcome})"
        assert second.stdout == full.stdout, f"{where}: served page differs from the full path's ({second.outcome})"
        assert second.stderr == full.stderr, where
        kept = first.outcome in ("stored", "hit")  # hit: stored by an earlier check
        assert second.outcome == ("hit" if kept else first.outcome), where
        if not full.stderr and "started a program" not in first.outcome:
            assert kept, f"{where}: {first.outcome}"
        return second


@pytest.fixture
def cramp(tmp_path: Path) -> Cramp:
    return Cramp(tmp_path)


@pytest.mark.parametrize("number", range(len(COMMANDS)), ids=[" ".join(c) for c in COMMANDS])
def test_piped_pages_under_changing_conditions(cramp: Cramp, number: int) -> None:
    args = COMMANDS[number]
    cramp.check(args)
    for step in range(2):
        _name, env, before, after = CONDITIONS[(2 * number + step) % len(CONDITIONS)]
        cramp.check([*before, *args, *after], env)
    assert cramp.cached(args).outcome == "hit"  # back where it started: served again


@pytest.mark.parametrize("args", [["relief", "calf"], ["tip", "--oneline"], ["when-to-see-doctor"]])
def test_pages_in_a_terminal(cramp: Cramp, args: list[str]) -> None:
    # rows: enough for any page, so no pager is wanted; columns: COLUMNS 20, 80 and 200 in a pty.
    for columns in (80, 20, 200):
        served = cramp.check(args, terminal=(400, columns))
        assert served.stdout.strip() and served.outcome == "hit"
        assert b"\x1b[" in served.stdout or args == ["tip", "--oneline"]  # colour, served as it was written
    cramp.check(args, {"NO_COLOR": "1"}, terminal=(400, 80))
    cramp.check(args, {"TERM": "dumb"}, terminal=(400, 80))


USER_TOPIC = """topics:
  - id: my-physio
    name: From my physiotherapist
    summary: What my physio showed me.
    tips:
      - id: heel-drops
        text: Slow heel drops on a step, morning and evening.
        short: Heel drops on a step, morning and evening.
        sources: [nhs-lc]
"""


@pytest.mark.parametrize("args", [["relief", "calf"], ["prevent", "--json"], ["tip", "--oneline"]])
def test_profile_and_own_content_changes(cramp: Cramp, tmp_path: Path, args: list[str]) -> None:
    profile = tmp_path / "profile.toml"
    mine = tmp_path / "mine"
    pages = [cramp.check(args).stdout]
    profile.write_text('conditions = ["diabetes"]\n')  # added
    pages.append(cramp.check(args).stdout)
    profile.write_text('conditions = ["pregnancy", "kidney-disease", "older-adult"]\nemergency_number = "112"\n')
    pages.append(cramp.check(args).stdout)  # edited
    profile.unlink()  # removed
    assert cramp.check(args).stdout == pages[0]
    mine.mkdir()
    (mine / "physio.yaml").write_text(USER_TOPIC)  # added
    pages.append(cramp.check(args).stdout)
    (mine / "physio.yaml").write_text(USER_TOPIC.replace("Slow heel drops", "Slow, careful heel drops"))
    pages.append(cramp.check(args).stdout)  # edited
    (mine / "physio.yaml").write_text("topics: [\n")  # broken: a warning, so never stored
    broken = cramp.check(args)
    assert broken.stderr and broken.outcome.startswith("not stored")
    (mine / "physio.yaml").unlink()  # removed
    assert cramp.check(args).stdout == pages[0]
    assert len(set(pages)) > 1  # the conditions did change this page


@pytest.mark.skipif(not shutil.which("faketime"), reason="faketime (Debian faketime) is not installed")
def test_the_date_changes_the_tip_of_the_day(cramp: Cramp) -> None:
    tips = []
    for day in ("2026-03-05 10:00:00", "2026-03-06 10:00:00", "2026-03-05 23:59:00"):
        cramp.prefix = ["faketime", day]
        tips.append(cramp.check(["tip", "--oneline"]).stdout)
        cramp.check(["tip", "--json"])
        cramp.check(["relief", "calf"])
    assert tips[0] != tips[1] and tips[0] == tips[2]


def copy_of_the_package(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "crampcli", root / "crampcli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "content", root / "content")
    return root


def test_a_new_version_or_an_edit_to_the_code_is_a_miss(cramp: Cramp, tmp_path: Path) -> None:
    cramp.cwd = copy_of_the_package(tmp_path)  # python -c finds the copy first, in its current folder
    entry = "import sys; sys.argv[0] = 'cramp'; from crampcli.startup.entry import main; sys.exit(main())"
    cramp.command = [sys.executable, "-c", entry]  # the full path runs from the copy too
    args = ["relief", "calf"]
    before = cramp.check(args)
    assert before.outcome == "hit"
    version = cramp.cwd / "crampcli" / "__init__.py"
    version.write_text(version.read_text().replace('__version__ = "', '__version__ = "9'))
    assert cramp.cached(args).outcome == "stored"
    render = cramp.cwd / "crampcli" / "output" / "layout.py"
    source = render.read_text()
    edited = source.replace('f"-- {disclaimer_text(', 'f"== {disclaimer_text(')
    assert edited != source  # the edit must change how the disclaimer line is drawn
    render.write_text(edited)
    after = cramp.check(args)
    assert b"\n== " in after.stdout and b"\n-- " in before.stdout


def test_a_served_page_loads_no_framework(cramp: Cramp) -> None:
    probe = (
        "import os, sys\n"
        "sys.argv = ['cramp', 'relief', 'calf']\n"
        "from crampcli.startup.entry import main\n"
        "main()\n"
        "os.write(2, ' '.join(sorted(sys.modules)).encode())\n"
    )
    cramp.command = [sys.executable, "-c", probe]
    assert cramp.cached([]).outcome == "stored"
    served = cramp.cached([])
    assert served.outcome == "hit"
    loaded = set(served.stderr.decode().split())
    assert {m for m in loaded if m.split(".")[0] in HEAVY} == set()
    assert "crampcli.cli.app" not in loaded


def test_output_that_fails_on_a_served_page_is_reported_as_the_full_path_does(cramp: Cramp) -> None:
    cramp.check(["relief", "calf"])
    with open("/dev/full", "wb") as full_disk:
        done = subprocess.run([CRAMP, "relief", "calf"], stdout=full_disk, stderr=subprocess.PIPE, env=cramp.env)
    assert done.returncode == 1
    assert done.stderr == b"cramp: cannot write the output: No space left on device\n"
    shell = f"'{CRAMP}' relief calf | head -c 10; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, env=cramp.env, timeout=60)
    assert done.returncode == 0 and done.stderr == b"" and len(done.stdout) == 10


def test_commands_that_are_not_covered_are_never_stored(cramp: Cramp) -> None:
    for args in (["relief", "calf", "--guide"], ["tip", "--random"], ["search", "calf"], ["relief", "--help"]):
        cramp.cached(args)
        cramp.cached(args)
    assert not cramp.trace.exists() or cramp.trace.read_text() == ""
    assert not (cramp.cache / "pages").exists() or not any((cramp.cache / "pages").iterdir())


def test_a_failed_run_is_not_stored(cramp: Cramp) -> None:
    for args in (["relief", "elbow"], ["tip", "--date", "2026-02-30"], ["relief", "calf", "--color", "purple"]):
        first = cramp.cached(args)
        second = cramp.cached(args)
        assert first.code == second.code == 2
        assert first.outcome == second.outcome == "not stored: exit status 2"
