"""Ctrl-C, Ctrl-D and a polite kill in every prompt and live display, in a real terminal:
exit 130 (or 143), the terminal's modes and cursor back as they were, no traceback, and
nothing stored lost."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CRAMP

pexpect = pytest.importorskip("pexpect")

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
    "check": (["check"], "numbers, none or not sure:"),
    "check, second question": (["check"], "numbers, none or not sure:"),
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
        child.sendline("none")
    child.expect(prompt)
    # Python's input() misses a Ctrl-C that lands between writing its prompt and starting to read
    # (the read then waits for a line): a person's key comes later than that, so does ours.
    time.sleep(0.3)


@pytest.mark.slow  # among the longest: left out of the quick run
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


@pytest.mark.slow  # among the longest: left out of the quick run
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
    child.expect("numbers, none or not sure:")
    child.sendline("none")
    child.expect("numbers, none or not sure:")
    child.sendintr()
    status, shown, _ = finish(child)
    assert status == 130 and '"level"' not in shown  # half the questions answered is no verdict
    assert "check stopped before the end" in shown


# Ctrl-Z and fg, and a window that narrows, in an interactive shell with job control

STOP_AND_GO = {
    "relief --guide, holding": ["relief", "calf", "--guide"],
    "routine, holding": ["routine", "bedtime"],
}


def shell(env: dict[str, str], columns: int = 80) -> pexpect.spawn:
    """An interactive bash with job control, as a person has it, showing everything in a log."""
    values = {**env, "PS1": "$ ", "HISTFILE": "/dev/null"}
    child = pexpect.spawn(
        "bash", ["--norc", "--noprofile", "-i"], env=values, encoding="utf-8", dimensions=(24, columns), timeout=30
    )
    child.logfile_read = io.StringIO()
    child.expect_exact("$ ")
    return child


def modes_now(child: pexpect.spawn) -> str:
    child.sendline("stty -a; echo modes-end")
    child.expect(r"(?s)speed .*?modes-end")
    return str(child.after)


@pytest.mark.parametrize("kind", list(STOP_AND_GO))
def test_ctrl_z_shows_the_cursor_and_fg_brings_the_session_back(kind: str, env: dict[str, str]) -> None:
    child = shell(env)
    child.sendline(" ".join([CRAMP, *STOP_AND_GO[kind]]))
    child.expect(r"Hold \d+ s")
    child.send("\x1a")  # Ctrl-Z
    child.expect(r"\[1\]\+ +Stopped")  # the shell's word, not the session's
    child.expect_exact("$ ")
    stopped = child.logfile_read.getvalue()
    assert stopped.rfind(SHOW_CURSOR) > stopped.rindex(HIDE_CURSOR), "the cursor stays hidden while stopped"
    assert restored(modes_now(child)), "the shell is left without line editing or echo"
    mark = len(child.logfile_read.getvalue())
    child.sendline("fg")
    child.expect(r"Hold \d+ s")  # the status line is drawn again
    resumed = child.logfile_read.getvalue()[mark:]
    assert HIDE_CURSOR in resumed
    child.send("q")  # one key, no Enter: only in the session's mode does it arrive at once
    child.expect_exact("Stopped.", timeout=10)
    child.expect_exact("$ ")
    child.sendline("echo status=$?")
    child.expect(r"status=(\d+)")
    assert child.match.group(1) == "0"
    child.expect_exact("$ ")
    assert restored(modes_now(child))
    child.sendline("exit")
    child.expect(pexpect.EOF)
    everything = child.logfile_read.getvalue()
    assert "Traceback" not in everything
    assert everything.rindex(SHOW_CURSOR) > everything.rindex(HIDE_CURSOR)


def test_a_narrowed_window_is_redrawn_at_once_without_the_old_line(env: dict[str, str]) -> None:
    child = session(["routine", "bedtime"], env)
    child.expect(r"Hold \d+ s - left leg, 1 of 3 - Enter: skip, q: quit")  # 51 columns of 80
    child.setwinsize(24, 30)  # SIGWINCH
    # Wrapped onto two rows by a terminal that reflows: up one and erase down; then the step
    # again (a terminal that cuts lines instead lost its last row), and the shorter line.
    child.expect_exact("\r\x1b[1A\x1b[J")
    child.expect(r"Step 1 of \d+")
    child.expect(r"\r\x1b\[K(?:\x1b\[[0-9;]*m)*((Hold|Rest) \d+ s[^\r\x1b]*)")
    assert len(child.match.group(1)) < 30
    child.send("q")
    status, shown, modes = finish(child)
    assert status == 0 and "Traceback" not in shown and restored(modes)


TMUX = shutil.which("tmux")


@pytest.mark.skipif(not TMUX, reason="tmux is not installed")
def test_in_tmux_a_narrowed_window_keeps_one_status_line(env: dict[str, str], tmp_path: Path) -> None:
    """tmux reflows a line wrapped by a resize, as most terminals do: what the screen shows."""
    tmux = [str(TMUX), "-L", f"cramp-{os.getpid()}", "-f", "/dev/null"]
    variables = [f"{k}={v}" for k, v in env.items() if k.startswith(("CRAMPCLI_", "PATH", "HOME", "LANG"))]
    command = ["env", *variables, "TERM=xterm", CRAMP, "routine", "bedtime"]

    def screen() -> str:
        return pexpect.run(" ".join([*tmux, "capture-pane", "-p", "-t", "s"]), encoding="utf-8")

    pexpect.run(" ".join([*tmux, "new-session", "-d", "-s", "s", "-x", "80", "-y", "20", *command]))
    try:
        for _ in range(100):
            if "Enter: skip" in screen():
                break
            pexpect.run("sleep 0.1")
        assert "Enter: skip" in screen()
        pexpect.run(" ".join([*tmux, "resize-window", "-t", "s", "-x", "30", "-y", "20"]))
        for _ in range(30):
            shown = screen()
            if "Enter: skip" not in shown:
                break
            pexpect.run("sleep 0.1")
        lines = [line for line in shown.splitlines() if re.search(r"(Hold|Rest) \d+ s", line)]
        assert len(lines) == 1 and "Enter: skip" not in shown, shown
    finally:
        pexpect.run(" ".join([*tmux, "kill-server"]))
