"""Which output may go through the pager, decided in one place: never a confirmation, a warning
or anything after a change; never because of the four-line disclaimer (#21)."""

import os
from pathlib import Path

import pytest
from helpers import CRAMP

pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")


@pytest.fixture
def terminal(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A terminal's environment whose pager records what it was given, and that record."""
    record = tmp_path / "paged"
    pager = tmp_path / "pager"
    pager.write_text(f"#!/bin/sh\ncat >> {record}\n", encoding="utf-8")
    pager.chmod(0o755)
    keep = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM")}
    env = {
        **keep,
        "TERM": "xterm",
        "CRAMP_PAGER": pager.as_posix(),
        "CRAMPCLI_HOME": str(tmp_path / "home"),
        "CRAMPCLI_CONFIG": str(tmp_path / "profile.toml"),
    }
    return env, record


def run(args: list[str], env: dict[str, str], rows: int = 24, columns: int = 80) -> str:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(CRAMP, args, env=env, encoding="utf-8", dimensions=(rows, columns), timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before)


@pytest.mark.parametrize(
    "args",
    [
        ["log", "add", "calf", "12m", "--note", "woke me up"],  # a change, and a warning about a long cramp
        ["profile", "set", "diabetes=yes"],
        ["check", "--list"],
        ["disclaimer"],
    ],
    ids=" ".join,
)
def test_a_change_a_warning_or_a_confirmation_is_never_paged(
    args: list[str], terminal: tuple[dict[str, str], Path]
) -> None:
    env, record = terminal
    shown = run(args, env, rows=6)  # a screen too short for any of them
    assert shown.strip() and not record.exists()


def test_a_page_on_a_terminal_ends_with_the_one_line_disclaimer(terminal: tuple[dict[str, str], Path]) -> None:
    env, record = terminal
    shown = run(["relief", "calf"], env)
    assert "General information, not medical advice." in shown and "cannot diagnose you" not in shown
    assert not record.exists()
    full = run(["disclaimer"], env)
    assert "cannot diagnose you" in " ".join(full.split())


def test_a_long_reading_page_may_still_be_paged(terminal: tuple[dict[str, str], Path]) -> None:
    env, record = terminal
    run(["prevent"], env)
    assert record.exists() and "Stretching" in record.read_text(encoding="utf-8")
