"""The installed `cramp` under odd terminals and streams: an ASCII-only C locale, 1 to 20
columns, TERM=dumb, NO_COLOR and FORCE_COLOR, output closed early or going to a full disk,
and the interactive commands without a terminal on stdin."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""
pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
runner = CliRunner()

# One of each kind of output: plain, rich, JSON, help, the diary's pages, report and export.
COMMANDS = [
    "relief calf",
    "relief calf --color always",
    "relief calf --json",
    "relief --night --guide",
    "prevent sleep",
    "foods magnesium --color always",
    "causes",
    "remedies quinine",
    "doctor --color always",
    "tip --oneline",
    "tip --date 2026-01-31 --json",
    "search magnesium",
    "sources",
    "disclaimer",
    "check --list",
    "check --answer-no clot-signs --rest no --color always",
    "routine bedtime",
    "log list",
    "log stats --color always",
    "log report",
    "log export",
    "log export --format json",
    "profile show",
    "content paths",
    "--help",
    "log add --help",
    "--version",
]
ESCAPE = re.compile(r"\x1b[\[\]]")
NOTE = "caf\u00e9 \u2013 \x1b[31mred\x1b[0m [bold]x[/] \u202eevil"


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A home with a diary and a profile, for the commands that read them."""
    base = tmp_path_factory.mktemp("terminals")
    env = {"CRAMPCLI_HOME": str(base / "home"), "CRAMPCLI_CONFIG": str(base / "profile.toml")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for args in (
            ["log", "add", "calf", "2m", "--note", NOTE],
            ["log", "add", "foot", "12m", "--start", "-1d"],
            ["profile", "set", "diabetes=yes", "emergency-number=112"],
        ):
            assert runner.invoke(app, args).exit_code == 0
    yield env


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM")}
    return {**env, **extra}


def shell(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        errors="backslashreplace",
    )


def cramp(command: str) -> str:
    return f"{shlex.quote(CRAMP)} {command}"


def all_at_once(scripts: list[str], env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda script: shell(script, env), scripts))


def quiet(stderr: str) -> bool:
    return "Traceback" not in stderr and "Exception ignored" not in stderr and "Error" not in stderr


# Locale and encoding


@pytest.mark.parametrize(
    "locale",
    [
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C"},
    ],
    ids=["C locale, ASCII", "ASCII", "C locale"],
)
def test_every_kind_of_output_in_an_ascii_terminal(locale: dict[str, str], user: dict[str, str]) -> None:
    ascii_only = locale.get("PYTHONIOENCODING") == "ascii"
    results = all_at_once([cramp(c) for c in COMMANDS], clean_env(**user, **locale))
    for command, result in zip(COMMANDS, results, strict=True):
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.strip() and quiet(result.stderr), (command, result.stderr)
        if ascii_only and not command.startswith("log export") and command != "log report":
            result.stdout.encode("ascii")  # bullets, dashes and boxes fall back to ASCII
    if ascii_only:  # the diary note's own characters: an export to a pipe is the exact data, in UTF-8
        assert "caf\u00e9" in shell(cramp("log export"), clean_env(**user, **locale)).stdout


@pytest.mark.parametrize(
    "locale", [{"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}, {}], ids=["C locale, ASCII", "default"]
)
def test_errors_with_text_that_is_not_ascii(locale: dict[str, str], user: dict[str, str]) -> None:
    scripts = [
        cramp(c)
        for c in (
            "relief caf\u00e9",
            "relief $'caf\\xe9'",
            "tip --date \u2013",
            "log add calf 2m --side \u00e9",
            "--color \u00e9 relief",
            "nope\u00e9",
        )
    ]
    for result in all_at_once(scripts, clean_env(**user, **locale)):
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert result.stderr.startswith(("cramp: ", "Usage: ")) and "Traceback" not in result.stderr
        if locale:
            result.stderr.encode("ascii")


# Width


@pytest.mark.parametrize("columns", range(1, 21))
def test_1_to_20_columns(columns: int, user: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for name, value in user.items():
        monkeypatch.setenv(name, value)
    for command in (
        "relief calf",
        "relief calf --color always",
        "doctor --color always",
        "foods",
        "log list",
        "log stats",
        "log stats --color always",
        "check --answer-no clot-signs --rest no",
        "routine",
        "--help",
    ):
        result = runner.invoke(app, command.split())
        assert result.exit_code == 0, (command, result.stderr, result.exception)
        words = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).split())
        assert "not medical advice" in words or command == "--help"
        if "--color" not in command:
            widest = max(len(line) for line in result.stdout.splitlines())
            assert widest <= max(columns, 24) or command in ("--help", "log list"), (command, widest)


def test_1_and_20_columns_in_a_real_process(user: dict[str, str]) -> None:
    for columns in ("1", "20"):
        results = all_at_once(
            [cramp(c) for c in ("relief calf --color always", "log stats", "--help")],
            clean_env(**user, COLUMNS=columns),
        )
        for result in results:
            assert result.returncode == 0 and result.stdout.strip() and quiet(result.stderr), result.stderr


# Colour


def test_term_dumb_no_color_and_force_color(user: dict[str, str]) -> None:
    plain = [
        "relief calf",
        "log stats",
        "check --answer-no clot-signs --rest no",
        "routine bedtime",
        "relief calf --guide",
    ]
    for env in (clean_env(**user, TERM="dumb"), clean_env(**user, NO_COLOR="1")):
        for command, result in zip(plain, all_at_once([cramp(c) for c in plain], env), strict=True):
            assert result.returncode == 0 and not ESCAPE.search(result.stdout), (command, result.stdout[:200])
    forced = shell(cramp("relief calf"), clean_env(**user, FORCE_COLOR="1"))
    assert "\x1b[" in forced.stdout  # colour in a pipe, when forced
    assert not ESCAPE.search(shell(cramp("relief calf --color never"), clean_env(FORCE_COLOR="1")).stdout)
    both = shell(cramp("relief calf"), clean_env(NO_COLOR="1", FORCE_COLOR="1"))
    assert not ESCAPE.search(both.stdout)  # NO_COLOR wins


def test_hostile_text_in_colour_output_stays_text(user: dict[str, str]) -> None:
    for command in ("log list --color always", "log add calf 1m --note $'\\x1b]0;owned\\x07\\x9b2J' --color always"):
        out = shell(cramp(command), clean_env(**user)).stdout
        without_colour = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", without_colour), repr(without_colour)


# Output closed early, or nowhere to go


def test_output_closed_early(user: dict[str, str]) -> None:
    scripts = [f"{cramp(c)} | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}" for c in COMMANDS]
    scripts += [f"{cramp(c)} | head -n 1 > /dev/null; exit ${{PIPESTATUS[0]}}" for c in COMMANDS[:6]]
    for script, result in zip(scripts, all_at_once(scripts, clean_env(**user)), strict=True):
        assert result.returncode == 0, (script, result.stderr)
        assert result.stderr == "", (script, result.stderr)


def test_a_long_output_into_a_closed_pipe(tmp_path: Path) -> None:
    env = clean_env(CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CONFIG=str(tmp_path / "profile.toml"))
    rows = "started,duration_seconds,area\r\n" + "".join(
        f"2026-0{1 + i % 9}-1{i % 10}T03:10:00+00:00,60,calf\r\n" for i in range(3000)
    )
    (tmp_path / "many.csv").write_text(rows, encoding="utf-8")
    assert shell(cramp(f"log import {tmp_path / 'many.csv'}"), env).returncode == 0
    for command in ("log list", "log list --color always", "log export", "log list --json"):
        result = shell(f"{cramp(command)} | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}", env)
        assert result.returncode == 0 and result.stderr == "", (command, result.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_output_to_a_full_disk(user: dict[str, str], tmp_path: Path) -> None:
    scripts = [f"{cramp(c)} > /dev/full" for c in COMMANDS]
    for script, result in zip(scripts, all_at_once(scripts, clean_env(**user)), strict=True):
        assert result.returncode == 1, (script, result.stderr)
        assert result.stderr.startswith("cramp: cannot write the output: No space left on device"), (
            script,
            result.stderr,
        )
        assert result.stderr.count("\n") == 1
    mine = clean_env(CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CONFIG=str(tmp_path / "profile.toml"))
    for command in ("log add calf 2m", "profile set units=metric", "log report"):
        result = shell(f"{cramp(command)} > /dev/full", mine)
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr)
        assert "No space left on device" in result.stderr
    result = shell(cramp("log report --output /dev/full"), mine)  # a device is never written over as a file
    assert result.returncode == 1 and "is a device, not a regular file" in result.stderr, result.stderr
    assert "calf" in shell(cramp("log list"), mine).stdout  # the entry was kept; only telling about it failed


def test_streams_closed_before_the_start(user: dict[str, str]) -> None:
    env = clean_env(**user)
    closed_out = shell(f"{cramp('relief calf')} >&-", env)
    assert closed_out.returncode == 1 and "standard output is closed" in closed_out.stderr
    closed_err = shell(f"{cramp('relief elbow')} 2>&-", env)
    assert closed_err.returncode == 2 and closed_err.stdout == ""
    assert shell(f"{cramp('relief calf')} 2>&-", env).stdout.startswith("Straighten")


# The interactive commands without a terminal


STDIN_KINDS = {"/dev/null": "< /dev/null", "a pipe": "echo y |", "closed": "<&-"}
INTERACTIVE = [  # (command, exit code, what stderr or stdout says)
    ("check", 2, "no terminal to ask the questions in"),
    ("relief calf --guide", 0, "Straighten your leg"),
    ("routine bedtime", 0, "Bedtime"),
    ("log rm 1", 2, "removing needs a yes"),
    ("profile clear", 2, "needs --yes when there is no terminal"),
]


@pytest.mark.parametrize("stdin", list(STDIN_KINDS))
def test_interactive_commands_without_a_terminal(stdin: str, tmp_path: Path) -> None:
    env = clean_env(CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CONFIG=str(tmp_path / "profile.toml"))
    assert shell(cramp("log add calf 2m"), env).returncode == 0
    assert shell(cramp("profile set diabetes=yes"), env).returncode == 0
    diary, profile = (tmp_path / "home" / "diary.sqlite3").read_bytes(), (tmp_path / "profile.toml").read_bytes()
    redirect = STDIN_KINDS[stdin]
    scripts = [
        f"{redirect} {cramp(c)}" if redirect.endswith("|") else f"{cramp(c)} {redirect}" for c, _, _ in INTERACTIVE
    ]
    for (command, code, says), result in zip(INTERACTIVE, all_at_once(scripts, env), strict=True):
        assert result.returncode == code, (command, result.stderr)
        assert says.lower() in (result.stdout + result.stderr).lower(), (command, result.stdout[:300], result.stderr)
        assert "Traceback" not in result.stderr and "\x1b[?25l" not in result.stdout  # no live display
    assert (tmp_path / "profile.toml").read_bytes() == profile
    assert "calf" in shell(cramp("log list"), env).stdout and diary  # the entry is still there


def test_term_dumb_in_a_real_terminal_gives_the_page() -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        CRAMP,
        ["relief", "calf", "--guide"],
        env=clean_env(TERM="dumb"),
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Straighten" in child.before and "\x1b[?25l" not in child.before and "\x1b[" not in child.before


@pytest.mark.parametrize("columns", [1, 5, 20])
def test_a_guided_session_in_a_terminal_1_to_20_columns_wide(columns: int) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        CRAMP,
        ["routine", "bedtime"],
        env=clean_env(TERM="xterm"),
        encoding="utf-8",
        dimensions=(24, columns),
        timeout=30,
    )
    child.expect(r"Hold \d+ s|Enter")  # the status line, cut to fit
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before
    assert "Stopped." in child.before and "\x1b[?25h" in child.before


# Long pages through a pager, as git does it


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that records what it was given and the LESS it saw, then quits."""
    record = tmp_path / "paged"
    script = tmp_path / "pager"
    script.write_text(f'#!/bin/sh\nprintf "LESS=%s\\n" "$LESS" > {record}\ncat >> {record}\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script), record


def in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(CRAMP, args, env=env, encoding="utf-8", dimensions=(24, 80), timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return str(child.before)


def test_a_long_page_goes_through_the_pager_in_colour(fake_pager: tuple[str, Path]) -> None:
    pager, record = fake_pager
    shown = in_a_terminal(["prevent"], clean_env(TERM="xterm", CRAMP_PAGER=pager, PAGER="false"))
    paged = record.read_text(encoding="utf-8")
    assert paged.startswith("LESS=FRX\n")  # less's -F: a page that fits quits at once
    assert "\x1b[" in paged and "Stretching" in paged  # colour survives: the pager gets -R
    assert "Stretching" not in shown


def test_pager_is_cramp_pager_then_pager_and_keeps_the_users_less(fake_pager: tuple[str, Path]) -> None:
    pager, record = fake_pager
    in_a_terminal(["causes"], clean_env(TERM="xterm", PAGER=pager, LESS="-S"))
    assert record.read_text(encoding="utf-8").startswith("LESS=-S\n")


@pytest.mark.parametrize(
    "args",
    [
        ["relief", "calf"],  # fits the screen: straight out, as less -F would
        ["prevent", "--no-pager"],
        ["--no-pager", "prevent"],
        ["prevent", "--json"],
        ["--json", "prevent"],
    ],
    ids=" ".join,
)
def test_no_pager_for_a_page_that_fits_or_when_told(args: list[str], fake_pager: tuple[str, Path]) -> None:
    pager, record = fake_pager
    shown = in_a_terminal(args, clean_env(TERM="xterm", CRAMP_PAGER=pager))
    assert not record.exists()
    assert shown.strip()


def test_no_pager_when_piped_or_set_empty(fake_pager: tuple[str, Path]) -> None:
    pager, record = fake_pager
    piped = subprocess.run([CRAMP, "prevent"], capture_output=True, text=True, env=clean_env(CRAMP_PAGER=pager))
    assert piped.returncode == 0 and "Stretching" in piped.stdout and not record.exists()
    shown = in_a_terminal(["prevent"], clean_env(TERM="xterm", CRAMP_PAGER="", PAGER=pager))
    assert "Stretching" in shown and not record.exists()
