"""The first command a person types: bare `cramp`, bare groups, `cramp help`, and slips (#21)."""

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

runner = CliRunner()
COMMAND_LIST_START = "Commands:"


@pytest.mark.parametrize(
    "args", [[], ["log"], ["profile"], ["content"], ["help"]], ids=lambda a: " ".join(a) or "cramp"
)
def test_a_bare_command_shows_a_short_screen_on_stdout_and_exits_0(args: list[str]) -> None:
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert 5 <= len(lines) <= 23 and all(len(line) <= 80 for line in lines), result.stdout
    assert "cramp help --all" in result.stdout or "-h" in result.stdout


def test_the_first_screen_says_what_to_run_during_a_cramp_and_how_to_get_help() -> None:
    out = runner.invoke(app, []).stdout
    during = out.split("During a cramp:")[1].split("\n\n")[0]
    assert "cramp relief calf" in during and "cramp relief --night" in during
    most_used = out.split("Most used:")[1].split("\n\n")[0].strip().splitlines()
    assert len(most_used) == 5
    for line in [*during.strip().splitlines(), *most_used]:  # every example is a command that exists
        words = line.split()[1:]
        assert runner.invoke(app, [*words[: 2 if words[0] == "log" else 1], "-h"]).exit_code == 0, line
    assert "cramp help" in out


def test_a_bare_group_lists_its_own_commands() -> None:
    out = runner.invoke(app, ["log"]).stdout
    assert out.startswith("cramp log:") and "cramp log add" in out and "cramp log list" in out


def test_help_lists_every_command_on_one_screen() -> None:
    out = runner.invoke(app, ["help"]).stdout
    for name in ("relief", "check", "log", "profile", "tip", "sources", "content"):
        assert f"cramp {name} " in out


@pytest.mark.parametrize(("typed", "ran"), [("releif", "relief"), ("reliefe", "relief"), ("sourses", "sources")])
def test_a_slip_in_a_read_only_command_runs_it_and_says_so(typed: str, ran: str) -> None:
    result = runner.invoke(app, [typed, "--plain"])
    assert result.exit_code == 0 and result.stdout == runner.invoke(app, [ran, "--plain"]).stdout
    assert result.stderr.count("\n") == 1 and f"running 'cramp {ran}'" in result.stderr


@pytest.mark.parametrize("typed", [["lgo", "add", "calf", "2m"], ["prfile", "clear"], ["contnet", "validate"]])
def test_a_command_that_writes_never_runs_by_guess(typed: list[str]) -> None:
    result = runner.invoke(app, typed)
    assert result.exit_code == 2 and result.stdout == "" and "Did you mean" in result.stderr
