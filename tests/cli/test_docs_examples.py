"""Every `$ cramp ...` example in README.md and docs/ shows what cramp prints today: each
```console block is run and its output compared, so the examples cannot go stale.

A line holding only "..." in an example stands for lines left out of it: the lines above it
must open the real output and the lines below it must end it.
"""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
runner = CliRunner()


def examples() -> list[tuple[str, str, str]]:
    """(document, command, the output it shows) for every example."""
    found = []
    for document in DOCUMENTS:
        if not document.exists():
            continue
        for block in BLOCK.findall(document.read_text(encoding="utf-8")):
            command, shown = "", []
            for line in block.splitlines():
                if line.startswith("$ "):
                    if command:
                        found.append((document.name, command, "\n".join(shown)))
                    command, shown = line[2:], []
                else:
                    shown.append(line)
            if command:
                found.append((document.name, command, "\n".join(shown)))
    return found


def test_the_documents_have_examples() -> None:
    names = {name for name, _, _ in examples()}
    assert "README.md" in names and len(examples()) >= 10


@pytest.mark.parametrize(("document", "command", "shown"), examples(), ids=lambda v: str(v)[:60])
def test_an_example_shows_what_cramp_prints(document: str, command: str, shown: str) -> None:
    words = shlex.split(command)
    assert words[0] == "cramp", f"{document}: only cramp commands are run: {command}"
    result = runner.invoke(
        app,
        [*words[1:], "--profile", "none"] if takes_profile(words) else words[1:],
        env={"COLUMNS": "80", "LINES": "24", "NO_COLOR": "1"},
    )
    real = result.stdout.rstrip("\n").splitlines()
    expected = shown.rstrip("\n").splitlines()
    if "..." in expected:
        cut = expected.index("...")
        head, tail = expected[:cut], expected[cut + 1 :]
        assert real[: len(head)] == head and (not tail or real[-len(tail) :] == tail), f"{document}: {command}"
    else:
        assert real == expected, f"{document}: {command}"


def takes_profile(words: list[str]) -> bool:
    """Pages that depend on who reads them are shown as for a reader without a profile."""
    return len(words) > 1 and words[1] in ("relief", "prevent", "foods", "remedies", "tip") and "--help" not in words
