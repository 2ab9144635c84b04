"""Every page's JSON is exactly what json.dumps(indent=2, ensure_ascii=True) writes for it: an
indented object in ASCII, keys in the page's order, one newline at the end."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

PAGES = [
    ["relief", "calf"],
    ["relief", "calf", "--all"],
    ["relief", "hamstring"],
    ["relief", "quadriceps"],
    ["relief", "foot"],
    ["relief"],
    ["relief", "--night"],
    ["prevent"],
    ["prevent", "sleep"],
    ["foods"],
    ["foods", "potassium"],
    ["causes"],
    ["remedies"],
    ["remedies", "quinine"],
    ["when-to-see-doctor"],
    ["doctor"],
    ["tip", "--date", "2026-02-03"],
    ["tip", "--topic", "sleep"],
    ["search", "heat"],
    ["search", "\u00e9tirement"],
    ["sources"],
    ["disclaimer"],
    ["check", "--rest", "no"],
    ["check", "--rest", "yes"],
    ["routine"],
    ["routine", "bedtime"],
    ["content", "paths"],
    ["content", "validate"],
    ["profile", "show"],
    ["log", "add", "calf", "2m", "--note", "n\u00e4chtlich \x1b[31m"],
    ["log", "list"],
    ["log", "stats"],
    ["log", "path"],
]


@pytest.mark.parametrize("command", PAGES, ids=" ".join)
def test_page_json_is_what_json_dumps_writes(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(tmp_path / "profile.toml"))
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", "")
    result = CliRunner().invoke(app, [*command, "--json"])
    assert result.exit_code == (5 if command == ["check", "--rest", "yes"] else 0), result.stderr  # 5: emergency
    assert result.stdout == json.dumps(json.loads(result.stdout), indent=2, ensure_ascii=True) + "\n"
