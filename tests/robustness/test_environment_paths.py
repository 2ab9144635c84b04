"""Paths from the environment that cannot be used: a clear message naming the variable, never a
traceback, and never after something was changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import CRAMP

pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
COMMANDS = (("relief", "calf"), ("log", "add", "calf", "2m"), ("profile", "set", "diabetes=yes"), ("tip", "--oneline"))
# Which commands need the folder each variable names (the others must run as if it were unset).
NEEDED_BY = {
    "CRAMPCLI_CONFIG": COMMANDS,
    "CRAMPCLI_USER_CONTENT": COMMANDS,
    "CRAMPCLI_CONTENT_DIR": COMMANDS,
    "CRAMPCLI_HOME": (("log", "add", "calf", "2m"),),
    "CRAMPCLI_CACHE_DIR": (),  # a cache is never worth failing a command for: a warning
}


@pytest.mark.slow  # among the longest: left out of the quick run
@pytest.mark.parametrize("variable", sorted(NEEDED_BY))
def test_an_unknown_user_in_a_path_variable_is_a_clear_message(variable: str, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    base = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "CRAMPCLI_HOME": str(tmp_path / "data"),
        "CRAMPCLI_CONFIG": str(tmp_path / "config" / "profile.toml"),
        "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    env = {**base, variable: "~nosuchuser/x"}
    for run, command in enumerate(COMMANDS):
        result = subprocess.run([CRAMP, *command], capture_output=True, text=True, env=env, timeout=60, cwd=work)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        lines = result.stderr.splitlines()
        if command in NEEDED_BY[variable]:
            assert result.returncode == 1, (command, result.stderr)
            assert lines == [f"cramp: {variable} is '~nosuchuser/x', but there is no user named 'nosuchuser'"]
            assert result.stdout == ""
        else:
            assert result.returncode == 0, (command, result.stderr)
            assert all(variable not in line for line in lines) or variable == "CRAMPCLI_CACHE_DIR"
        if variable == "CRAMPCLI_CACHE_DIR" and run == 0:
            assert len(lines) == 1 and variable in lines[0] and "warning" in lines[0]
        elif variable == "CRAMPCLI_CACHE_DIR":
            assert lines == [], "the same warning once a day, not on every run"
    assert os.listdir(work) == [], "nothing is made where the command runs (a folder named ~nosuchuser)"
    assert not (tmp_path / "home").exists()
    if variable != "CRAMPCLI_CACHE_DIR":  # every command that failed changed nothing
        failed = {" ".join(c) for c in NEEDED_BY[variable]}
        assert ("profile set diabetes=yes" in failed) == (not (tmp_path / "config" / "profile.toml").exists())
        assert ("log add calf 2m" in failed) == (not (tmp_path / "data" / "diary.sqlite3").exists())


def test_no_home_folder_at_all_is_a_clear_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMPCLI_", "XDG_"))}
    env["HOME"] = "~nosuchuser"  # a home that cannot be found
    env["CRAMPCLI_CACHE_DIR"] = ""
    for command in COMMANDS:
        result = subprocess.run([CRAMP, *command], capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode in (0, 1), (command, result.stderr)
        if result.returncode == 1:
            assert result.stderr.startswith("cramp: cannot find your home folder (HOME is '~nosuchuser')")
            assert len(result.stderr.splitlines()) == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="pwd is POSIX")
def test_the_suite_never_reaches_the_real_home_or_xdg_folders() -> None:
    # Every test, and every process it starts, sees a home and XDG folders of the run's own.
    import pwd  # POSIX only: not at the top, where Windows would fail to collect the file

    real_home = pwd.getpwuid(os.getuid()).pw_dir
    variables = ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "CRAMPCLI_CACHE_DIR")
    for name in variables:
        value = os.environ.get(name, "")
        assert value, name
        assert not value.startswith(real_home + os.sep) and value != real_home, (name, value)
