"""Every command's --json output against the JSON Schema of its `kind` (crampcli/schemas).

The schemas are the interface scripts rely on: a key renamed, dropped or of another type
fails here, and so does a kind without a schema or a --json command that no case runs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from helpers import REPO
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.cli.manpage import cramp_command, is_group, subcommands
from crampcli.output.write import JSON_VERSION

SCHEMAS = REPO / "crampcli" / "schemas"
runner = CliRunner()

# Each case runs its commands in order (in one home, so the diary carries over) and checks
# every JSON object they print. The cases cover each --json command and each shape it has.
CASES: dict[str, list[list[str]]] = {
    "relief": [["relief", "--json"]],
    "relief area": [["relief", "calf", "--json"]],
    "relief area all": [["relief", "foot", "--all", "--json"]],
    "relief night": [["relief", "--night", "--json"]],
    "relief area night": [["relief", "calf", "--night", "--json"]],
    "relief with a profile": [
        ["profile", "set", "diabetes=yes", "pregnant=yes", "emergency-number=112", "units=metric"],
        ["relief", "calf", "--json"],
        ["prevent", "--json"],
        ["foods", "magnesium", "--json"],
        ["remedies", "--json"],
        ["tip", "--date", "2026-02-03", "--json"],
        ["when-to-see-doctor", "--json"],
        ["profile", "show", "--json"],
    ],
    "prevent": [["prevent", "--json"], ["prevent", "sleep", "--json"]],
    "foods": [["foods", "--json"], ["foods", "potassium", "--json"]],
    "remedies": [["remedies", "--json"], ["remedies", "quinine", "--json"], ["remedies", "magnesium", "--json"]],
    "causes": [["causes", "--json"]],
    "when-to-see-doctor": [["when-to-see-doctor", "--json"], ["doctor", "--json"]],
    "tip": [["tip", "--date", "2026-02-03", "--json"], ["tip", "--random", "--json"]],
    "search": [["search", "heat", "--json"], ["search", "zzzz", "--json"]],
    "sources": [["sources", "--json"]],
    "disclaimer": [["disclaimer", "--json"], ["--json", "disclaimer"]],
    "check": [
        ["check", "--rest", "no", "--json"],
        ["check", "--rest", "yes", "--emergency-number", "112", "--json"],
        ["check", "--rest", "unsure", "--json"],
        ["check", "--list", "--json"],
    ],
    "profile show": [["profile", "show", "--json"]],
    "content paths": [["content", "paths", "--json"]],
    "content validate": [["content", "validate", "--json"]],
    "routine": [["routine", "--json"], ["routine", "bedtime", "--json"]],
    "log": [
        ["log", "path", "--json"],
        ["log", "list", "--json"],
        ["log", "stats", "--json"],
        ["log", "add", "calf", "2m", "--json"],
        ["log", "add", "calf", "15m", "--side", "left", "--symptom", "swelling", "--note", "after a walk", "--json"],
        ["log", "edit", "1", "--severity", "7", "--json"],
        ["log", "list", "--json"],
        ["log", "stats", "--json"],
        ["log", "path", "--json"],
        ["log", "rm", "2", "--yes", "--json"],
    ],
    "log import": [["log", "import", "-", "--format", "csv", "--json"]],
}
STDIN = {"log import": "started,duration_seconds,area\n2026-01-05T03:10:00+01:00,120,calf\n"}


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def outputs(case: str) -> list[tuple[list[str], dict[str, Any]]]:
    """(command, JSON object) for every command of the case that printed one."""
    found = []
    for command in CASES[case]:
        result = runner.invoke(app, command, input=STDIN.get(case))
        assert result.exit_code in (0, 3, 4, 5), (command, result.stderr)  # check exits with the level
        if "--json" in command:
            found.append((command, json.loads(result.stdout)))
    return found


@pytest.mark.parametrize("case", CASES)
def test_json_output_matches_the_schema_of_its_kind(case: str) -> None:
    for command, document in outputs(case):
        assert (SCHEMAS / f"{document['kind']}.schema.json").is_file(), f"no schema for {document['kind']}"
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(document["kind"]).iter_errors(document)]
        assert not errors, (command, errors[:5])
        assert document["version"] == JSON_VERSION


def test_a_changed_shape_fails_its_schema() -> None:
    [(_, document)] = outputs("causes")
    assert validator("causes").is_valid(document)
    for broken in (
        {**document, "version": JSON_VERSION + 1},
        {key: value for key, value in document.items() if key != "disclaimer"},
        {**document, "causes": [{**document["causes"][0], "sources": "nhs-lc"}]},
        {**document, "renamed": document["causes"]},
    ):
        assert not validator("causes").is_valid(broken)


def json_commands() -> set[str]:
    """Every command (its path after `cramp`) that takes --json."""
    import typer

    found: set[str] = set()

    def walk(group: Any, context: Any, path: list[str]) -> None:
        for name, command, sub_context in subcommands(group, context):
            if is_group(command):
                walk(command, sub_context, [*path, name])
            elif any("--json" in getattr(p, "opts", ()) for p in command.params):
                found.add(" ".join([*path, name]))

    root = cramp_command()
    walk(root, typer.Context(root, info_name="cramp"), [])
    return found


def test_every_json_command_and_every_schema_is_covered() -> None:
    def words(command: list[str]) -> list[str]:
        return [word for word in command if not word.startswith("-")]

    run = [words(command) for commands in CASES.values() for command in commands if "--json" in command]
    missing = {name for name in json_commands() if not any(ran[: len(name.split())] == name.split() for ran in run)}
    assert not missing, f"no case runs these with --json: {sorted(missing)}"
    kinds = {document["kind"] for case in CASES for _, document in outputs(case)}
    assert kinds == {path.name.removesuffix(".schema.json") for path in SCHEMAS.glob("*.schema.json")}
