"""The page cache through the installed command: two copies of crampcli, odd files where an
entry or the trace should be, and a content folder named with ~."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CRAMP, REPO

from crampcli.startup import store as pagecache

pytestmark = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
ENTRY = "import sys; sys.argv[0] = 'cramp'; from crampcli.startup.entry import main; sys.exit(main())"


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache"),
        "CRAMPCLI_HOME": str(tmp_path / "home"),
        "CRAMPCLI_CONFIG": str(tmp_path / "none.toml"),
        "CRAMPCLI_PAGECACHE_TRACE": str(tmp_path / "trace"),
    }
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "CRAMPCLI_CONTENT_DIR"):
        env.pop(name, None)
    return {**env, **extra}


def run(
    argv: list[str], env: dict[str, str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """The run, and what the page cache said of it."""
    trace = Path(env["CRAMPCLI_PAGECACHE_TRACE"])
    said = trace.read_text() if trace.is_file() else ""
    done = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, timeout=60, check=False)
    now = trace.read_text() if trace.is_file() else ""
    return done, now[len(said) :].strip()


def copy_of_the_package(where: Path) -> Path:
    shutil.copytree(REPO / "crampcli", where / "crampcli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "content", where / "content")
    return where


def test_another_copy_of_crampcli_never_gets_this_copys_page(tmp_path: Path) -> None:
    first = copy_of_the_package(tmp_path / "a")
    second = copy_of_the_package(tmp_path / "b")  # the same version, another checkout
    layout = second / "crampcli" / "output" / "layout.py"
    source = layout.read_text()
    layout.write_text(source.replace('f"-- {disclaimer_text(', 'f"== {disclaimer_text('))
    env = environment(tmp_path)
    command = [sys.executable, "-c", ENTRY, "relief", "calf"]  # python -c loads crampcli from its current folder
    assert run(command, env, first)[1] == "stored"
    served, said = run(command, env, first)
    assert said == "hit" and b"\n-- " in served.stdout
    other, said = run(command, env, second)
    assert said == "stored" and b"\n== " in other.stdout and b"\n-- " not in other.stdout


@pytest.mark.timeout(120)
def test_a_named_pipe_at_an_entrys_name_neither_hangs_nor_changes_the_page(tmp_path: Path) -> None:
    env = environment(tmp_path)
    first, said = run([CRAMP, "sources"], env)
    assert said == "stored"
    (entry,) = (tmp_path / "cache" / pagecache.SUBFOLDER).iterdir()
    entry.unlink()
    os.mkfifo(entry)
    again, said = run([CRAMP, "sources"], env)  # opening the FIFO to read it used to wait for ever
    assert again.returncode == 0 and again.stdout == first.stdout
    assert said == "not stored: the cache refused it"


@pytest.mark.timeout(120)
def test_a_named_pipe_as_the_trace_does_not_hang_the_run(tmp_path: Path) -> None:
    fifo = tmp_path / "trace-fifo"
    os.mkfifo(fifo)
    env = environment(tmp_path, CRAMPCLI_PAGECACHE_TRACE=str(fifo))
    for _ in range(2):  # stored, then served
        done = subprocess.run([CRAMP, "sources"], capture_output=True, env=env, timeout=60, check=False)
        assert done.returncode == 0 and done.stdout


def test_a_content_folder_named_with_a_tilde_is_served_from_the_cache(tmp_path: Path) -> None:
    home = tmp_path / "someone"
    shutil.copytree(REPO / "content", home / "x")
    env = environment(tmp_path, HOME=str(home), CRAMPCLI_CONTENT_DIR="~/x")
    first, said = run([CRAMP, "relief", "calf"], env, tmp_path)
    assert first.returncode == 0 and said == "stored"
    second, said = run([CRAMP, "relief", "calf"], env, tmp_path)
    assert said == "hit" and second.stdout == first.stdout
