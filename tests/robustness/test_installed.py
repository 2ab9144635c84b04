"""The installed `cramp` as a process: pipes, locales, narrow terminals, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CRAMP

pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")


def run(
    *args: str, env: dict[str, str] | None = None, shell: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    if shell:
        return subprocess.run(shell, shell=True, capture_output=True, text=True, env=full_env, timeout=60, cwd=cwd)
    return subprocess.run([CRAMP, *args], capture_output=True, text=True, env=full_env, timeout=60, cwd=cwd)


def test_runs_from_another_folder(tmp_path: Path) -> None:
    result = run("relief", "calf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_piped_output_is_plain() -> None:
    result = run("relief", "calf")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout


def test_head_closes_the_pipe_early_without_traceback() -> None:
    result = run(shell=f"'{CRAMP}' relief calf | head -1; exit ${{PIPESTATUS[0]}}")
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    for command in ("when-to-see-doctor", "causes", "sources"):
        result = run(shell=f"'{CRAMP}' {command} | head -c 10")
        assert "Traceback" not in result.stderr and "Exception" not in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "C", "LC_ALL": "C"},
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    ],
)
def test_c_locale_and_ascii_output(env: dict[str, str]) -> None:
    for args in (["relief", "calf"], ["foods"], ["when-to-see-doctor", "--color", "always"], ["tip", "--oneline"]):
        result = run(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    result = run("foods", env={"PYTHONIOENCODING": "ascii"})
    result.stdout.encode("ascii")  # raises if anything but ASCII came out


@pytest.mark.parametrize("columns", ["1", "5", "20", "200"])
def test_narrow_and_wide_terminals(columns: str) -> None:
    for args in (["relief", "calf"], ["relief", "calf", "--color", "always"]):
        result = run(*args, env={"COLUMNS": columns})
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()


def test_columns_wraps_plain_text() -> None:
    result = run("when-to-see-doctor", env={"COLUMNS": "40"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 40


def test_exit_codes() -> None:
    assert run("relief", "calf").returncode == 0
    unknown = run("relief", "elbow")
    assert unknown.returncode == 2 and unknown.stdout == "" and "cramp:" in unknown.stderr
    assert run("tip", "--date", "nope").returncode == 2
    assert run("no-such-command").returncode == 2


def test_broken_content_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("relief: [\n", encoding="utf-8")
    result = run("relief", "calf", env={"CRAMPCLI_CONTENT_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_disk_is_a_clear_error() -> None:
    result = run(shell=f"'{CRAMP}' relief calf > /dev/full")
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crampcli", "relief", "toes"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip()


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("cramp relief ch", "2", "charley-horse"),
        ("cramp foods mag", "2", "magnesium"),
        ("cramp prevent st", "2", "stretching"),
        ("cramp re", "1", "relief"),
        ("cramp log add calf 2m --side ", "6", "left right both"),
        ("cramp log add calf 2m --trigger heat,c", "6", "heat,cold"),
        ("cramp log add calf 2m --symptom swelling,n", "6", "swelling,numbness"),
        ("cramp profile set em", "3", "emergency-number="),
        ("cramp profile set units=", "3", "units=metric units=us"),
        ("cramp profile set diabetes=", "3", "diabetes=yes diabetes=no"),
    ],
)
def test_shell_completion_offers_areas_topics_and_nutrients(words: str, cword: str, expected: str) -> None:
    result = run(env={"_CRAMP_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert result.returncode == 0
    assert set(expected.split()) <= set(result.stdout.split())


def test_completion_offers_ids_before_aliases() -> None:
    env = {"_CRAMP_COMPLETE": "complete_bash", "COMP_WORDS": "cramp relief ", "COMP_CWORD": "2"}
    assert run(env=env).stdout.split() == ["calf", "hamstring", "quadriceps", "foot"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_honours_the_shell_named(shell: str) -> None:
    result = run("--show-completion", shell)
    assert result.returncode == 0
    marker = {"bash": "complete -o default -F", "zsh": "#compdef cramp", "fish": "complete --command cramp"}[shell]
    assert marker in result.stdout


@pytest.mark.parametrize(
    ("shell", "installed"),
    [("bash", ".bash_completions/cramp.sh"), ("zsh", ".zfunc/_cramp"), ("fish", ".config/fish/completions/cramp.fish")],
)
def test_install_completion_honours_the_shell_named(shell: str, installed: str, tmp_path: Path) -> None:
    # Run from bash, as a user would type it: the shell named wins over the shell running.
    result = run("--install-completion", shell, env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert result.returncode == 0, result.stderr
    assert f"{shell} completion installed" in result.stdout
    assert (tmp_path / installed).is_file()
    others = {".bash_completions", ".zfunc", ".config"} - {installed.split("/")[0]}
    assert not any((tmp_path / other).exists() for other in others)
