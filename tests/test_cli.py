"""Every content command through typer's CliRunner, in plain, rich and JSON form."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crampcli.cli import app
from crampcli.model import Content

runner = CliRunner()

COMMANDS = [
    ["relief", "calf"],
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
    ["search", "heat"],
    ["sources"],
    ["disclaimer"],
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_plain_output_ends_with_disclaimer(command: list[str], content: Content) -> None:
    code, out, _ = invoke(*command, "--plain")
    assert code == 0
    assert content.disclaimer.text.split()[0] in out
    assert out.rstrip().endswith(content.disclaimer.text.split()[-1])
    assert "\x1b[" not in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_json_output_is_one_object_with_disclaimer(command: list[str], content: Content) -> None:
    code, out, _ = invoke(*command, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["disclaimer"] == content.disclaimer.text
    assert isinstance(document["kind"], str)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_rich_output_has_colour_and_disclaimer(command: list[str], content: Content) -> None:
    code, out, _ = invoke(*command, "--color", "always")
    assert code == 0
    assert "\x1b[" in out
    assert content.disclaimer.text.split()[0] in out


def test_relief_first_line_is_the_first_thing_to_do(content: Content) -> None:
    calf = next(a for a in content.relief.areas if a.id == "calf")
    for args in (["--plain"], ["--color", "always"]):
        _, out, _ = invoke("relief", "calf", *args)
        first = out.splitlines()[0]
        assert calf.first.split()[0] in first and calf.first.split()[-1] in first


def test_relief_json_shape(content: Content) -> None:
    document = json.loads(invoke("relief", "charley-horse", "--json")[1])
    assert document["kind"] == "relief"
    assert document["plan"]["id"] == "calf"
    assert document["plan"]["steps"] and "text" in document["plan"]["steps"][0]
    general = json.loads(invoke("relief", "--json")[1])
    assert [a["id"] for a in general["areas"]] == ["calf", "hamstring", "quadriceps", "foot"]


def test_unknown_area_is_a_usage_error_on_stderr() -> None:
    code, out, err = invoke("relief", "calff")
    assert code == 2
    assert out == ""
    assert "Did you mean 'calf'?" in err
    assert "Traceback" not in err


def test_global_color_option_before_the_command() -> None:
    code, out, _ = invoke("--color", "always", "relief", "calf")
    assert code == 0 and "\x1b[" in out
    code, out, _ = invoke("--color", "never", "relief", "calf")
    assert code == 0 and "\x1b[" not in out


def test_no_color_and_dumb_terminal_give_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in invoke("relief", "calf")[1]
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" not in invoke("relief", "calf")[1]


def test_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in invoke("relief", "calf")[1]


def test_doctor_lists_emergency_first(content: Content) -> None:
    _, out, _ = invoke("when-to-see-doctor", "--plain")
    emergency = next(level for level in content.urgency_levels if level.id == "emergency")
    self_care = next(level for level in content.urgency_levels if level.id == "self-care")
    assert out.index(emergency.label.upper()) < out.index(self_care.label.upper())
    for flag in content.red_flags:
        assert flag.sign.split()[0] in out
    document = json.loads(invoke("doctor", "--json")[1])
    assert document["levels"][0]["id"] == "emergency"


def test_tip_same_date_same_output_and_oneline() -> None:
    first = invoke("tip", "--date", "2026-07-01", "--plain")[1]
    assert first == invoke("tip", "--date", "2026-07-01", "--plain")[1]
    assert first != invoke("tip", "--date", "2026-07-02", "--plain")[1]
    code, line, _ = invoke("tip", "--date", "2026-07-01", "--oneline")
    assert code == 0
    assert line.count("\n") == 1
    document = json.loads(invoke("tip", "--date", "2026-07-01", "--json")[1])
    assert document["date"] == "2026-07-01" and document["tip"]["short"] in line


def test_tip_oneline_carries_a_disclaimer_marker(content: Content) -> None:
    line = invoke("tip", "--oneline")[1]
    assert content.disclaimer.short in line


def test_tip_random_and_topic() -> None:
    code, out, _ = invoke("tip", "--random", "--topic", "fluids", "--json")
    assert code == 0 and json.loads(out)["topic"] == "fluids"
    assert invoke("tip", "--random", "--date", "2026-01-01")[0] == 2


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "31/01/2026"])
def test_tip_bad_date(bad: str) -> None:
    code, _, err = invoke("tip", "--date", bad)
    assert code == 2 and "YYYY-MM-DD" in err


def test_search_says_which_command_shows_it() -> None:
    _, out, _ = invoke("search", "pickle", "--plain")
    assert "cramp remedies pickle-juice" in out


def test_version() -> None:
    from crampcli import __version__

    code, out, _ = invoke("--version")
    assert code == 0 and __version__ in out


def test_help_has_examples() -> None:
    code, out, _ = invoke("--help")
    assert code == 0 and "cramp relief calf" in out


@pytest.mark.parametrize(
    "args",
    [
        ["relief", "calf", "--bogus"],
        ["foods", "kryptonite"],
        ["prevent", "nap"],
        ["remedies", "unicorn"],
        ["search"],
        ["relief", "calf", "--color", "purple"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert "Traceback" not in err


def test_quinine_is_only_ever_advised_against(content: Content) -> None:
    quinine = next(r for r in content.remedies if r.id == "quinine")
    assert quinine.evidence.grade == "not-recommended"
