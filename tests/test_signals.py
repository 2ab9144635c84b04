"""Ctrl-C, Ctrl-D and a polite kill in every prompt and live display, in a real terminal:
exit 130 (or 143), the terminal's modes and cursor back as they were, no traceback, and
nothing stored lost."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""
pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
HIDE_CURSOR, SHOW_CURSOR = "\x1b[?25l", "\x1b[?25h"
# After cramp ends, in the same terminal: its exit status, then the terminal's modes.
SCRIPT = '"$0" "$@"; echo "status=$?"; stty -a'


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A terminal user with one diary entry and a profile."""
    values = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR")}
    values.update(TERM="xterm", CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CONFIG=str(tmp_path / "profile.toml"))
    for args in (["log", "add", "calf", "2m", "--note", "kept"], ["profile", "set", "diabetes=yes"]):
        child = pexpect.spawn(CRAMP, args, env=values, encoding="utf-8", timeout=30)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, child.before
    yield values


def session(args: list[str], env: dict[str, str]) -> pexpect.spawn:
    child = pexpect.spawn(
        "bash", ["-c", SCRIPT, CRAMP, *args], env=env, encoding="utf-8", dimensions=(24, 80), timeout=30
    )
    child.logfile_read = io.StringIO()  # everything the terminal showed, from the start
    return child


def finish(child: pexpect.spawn) -> tuple[int, str, str]:
    """(exit status, all that cramp wrote, the terminal's modes afterwards)."""
    child.expect(r"status=(\d+)")
    status = int(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    everything = child.logfile_read.getvalue()
    end = everything.rindex("status=")
    return status, everything[:end], everything[end:]


def restored(modes: str) -> bool:
    """Line editing and echo on, as a shell leaves them (not cbreak, not -echo)."""
    return bool(re.search(r"(?<!-)icanon", modes) and re.search(r"(?<![-\w])echo\b", modes))


PROMPTS = {  # command, what it shows when it waits for the user
    "check": (["check"], r"\[y/n/\?\]"),
    "check, second question": (["check"], r"\[y/n/\?\]"),
    "relief --guide, holding": (["relief", "calf", "--guide"], r"Hold \d+ s"),
    "relief --guide, a step that waits": (["relief", "--night", "--guide"], "Enter: next step"),
    "routine, holding": (["routine", "bedtime"], r"Hold \d+ s"),
    "routine, a step that waits": (["routine", "calf-wall", "--bell"], r"Enter: next step|Hold \d+ s"),
    "log rm": (["log", "rm", "1"], r"\[y/N\]"),
    "profile clear": (["profile", "clear"], r"\[y/N\]"),
}


def wait_for(child: pexpect.spawn, kind: str) -> None:
    prompt = PROMPTS[kind][1]
    if kind == "check, second question":
        child.expect(prompt)
        child.sendline("n")
    child.expect(prompt)


@pytest.mark.parametrize("kind", list(PROMPTS))
def test_ctrl_c_exits_130_with_the_terminal_restored(kind: str, env: dict[str, str], tmp_path: Path) -> None:
    diary = tmp_path / "home" / "diary.sqlite3"
    profile = Path(env["CRAMPCLI_CONFIG"]).read_bytes()
    child = session(PROMPTS[kind][0], env)
    wait_for(child, kind)
    child.sendintr()
    status, shown, modes = finish(child)
    assert status == 130, shown
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert restored(modes), modes
    if HIDE_CURSOR in shown:  # a live display hid the cursor: it is shown again, last
        assert shown.rindex(SHOW_CURSOR) > shown.rindex(HIDE_CURSOR)
    if kind.startswith("relief"):
        assert "not medical advice" in " ".join(shown.split())  # the ending and the disclaimer, however it ends
    assert Path(env["CRAMPCLI_CONFIG"]).read_bytes() == profile
    listed = pexpect.run(f"{CRAMP} log list", env=env, encoding="utf-8")
    assert "kept" in listed and diary.exists()


@pytest.mark.parametrize("kind", ["check", "log rm", "profile clear", "routine, holding"])
def test_ctrl_d_is_a_clean_end(kind: str, env: dict[str, str]) -> None:
    profile = Path(env["CRAMPCLI_CONFIG"]).read_bytes()
    child = session(PROMPTS[kind][0], env)
    wait_for(child, kind)
    child.sendeof() if kind != "routine, holding" else child.send("\x04")
    status, shown, modes = finish(child)
    assert status == {"check": 130, "routine, holding": 0}.get(kind, 1), shown
    assert "Traceback" not in shown and "Aborted!" not in shown and restored(modes)
    assert Path(env["CRAMPCLI_CONFIG"]).read_bytes() == profile
    assert "kept" in pexpect.run(f"{CRAMP} log list", env=env, encoding="utf-8")


@pytest.mark.parametrize("kind", ["relief --guide, holding", "routine, a step that waits"])
def test_a_polite_kill_restores_the_terminal(kind: str, env: dict[str, str]) -> None:
    child = session(PROMPTS[kind][0], env)
    wait_for(child, kind)
    (pid,) = (int(p) for p in pexpect.run(f"pgrep -P {child.pid}", encoding="utf-8").split())  # cramp, under bash
    os.kill(pid, signal.SIGTERM)
    status, shown, modes = finish(child)
    assert status == 143 and "Traceback" not in shown, shown
    assert restored(modes), modes
    assert shown.rindex(SHOW_CURSOR) > shown.rindex(HIDE_CURSOR)


def test_answering_then_ctrl_c_gives_no_result(env: dict[str, str]) -> None:
    child = session(["check", "--json"], env)
    child.expect(r"\[y/n/\?\]")
    child.sendline("n")
    child.expect(r"\[y/n/\?\]")
    child.sendintr()
    status, shown, _ = finish(child)
    assert status == 130 and '"level"' not in shown  # half the questions answered is no verdict
    assert "check stopped before the end" in shown
