"""The manual pages: written from the commands' help, one per group, and shipped in the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import typer
from helpers import REPO

from crampcli.cli.manpage import cramp_command, is_group, man_pages, subcommands


def test_every_command_and_every_option_is_on_a_page() -> None:
    pages = man_pages()
    root = cramp_command()
    context = typer.Context(root, info_name="cramp")
    groups = [name for name, command, _ in subcommands(root, context) if is_group(command)]
    assert set(pages) == {"cramp.1", *(f"cramp-{name}.1" for name in groups)}
    assert {"log", "profile", "content"} <= set(groups)
    for name, command, sub_context in subcommands(root, context):
        assert f".SS cramp {name}".replace("-", "\\-") in pages["cramp.1"]
        page = pages[f"cramp-{name}.1"] if name in groups else pages["cramp.1"]
        leaves = subcommands(command, sub_context) if name in groups else [(name, command, sub_context)]
        for _, leaf, leaf_context in leaves:
            assert f".SS {leaf_context.command_path}".replace("-", "\\-") in page
            shown = [p for p in leaf.params if p.get_help_record(leaf_context) is not None]  # not hidden
            for parameter in shown:
                for option in getattr(parameter, "opts", []):
                    if option.startswith("-"):
                        assert option.replace("-", "\\-") in page, (leaf_context.command_path, option)


def test_pages_are_roff_that_man_reads_without_a_warning(tmp_path: Path) -> None:
    if not shutil.which("man"):
        pytest.skip("man is not installed")
    for name, text in man_pages().items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        shown = subprocess.run(["man", "-l", str(path)], capture_output=True, text=True, env={"MANWIDTH": "80"})
        assert shown.returncode == 0 and shown.stdout.strip(), (name, shown.stderr)
        assert "warning" not in shown.stderr.lower(), (name, shown.stderr)
    assert "A self\\-care guide for leg cramps" in man_pages()["cramp.1"]


def test_the_same_sources_give_the_same_pages() -> None:
    assert man_pages() == man_pages()  # no date or other run-time detail (a reproducible wheel)


@pytest.mark.slow  # builds the wheel: a fresh build environment
def test_the_wheel_ships_every_page_under_share_man_man1(tmp_path: Path) -> None:
    pytest.importorskip("build")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if "/data/share/man/man1/" in n}
    assert shipped == set(man_pages())
    assert any(n.startswith("crampcli/schemas/") and n.endswith("relief.schema.json") for n in names)
