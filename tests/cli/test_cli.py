"""Every content command through typer's CliRunner, in plain, rich and JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content

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


def disclaimer_of(command: list[str], content: Content) -> str:
    """The short relief page ends with the one-line disclaimer; other pages with the full one."""
    return content.disclaimer.short if command[0] == "relief" else content.disclaimer.text


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_plain_output_ends_with_disclaimer(command: list[str], content: Content) -> None:
    code, out, _ = invoke(*command, "--plain")
    assert code == 0
    assert out.rstrip().endswith(" ".join(disclaimer_of(command, content).split()[-3:]))
    assert "\x1b[" not in out


@pytest.mark.parametrize("command", [c for c in COMMANDS if c[0] == "relief"], ids=" ".join)
def test_full_relief_page_keeps_the_full_disclaimer(command: list[str], content: Content) -> None:
    code, out, _ = invoke(*command, "--all", "--plain")
    assert code == 0
    assert out.rstrip().endswith(content.disclaimer.text.split()[-1])
    assert "Sources:" in out and "Take care" in out


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
    assert disclaimer_of(command, content).split()[0] in out


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
    document = json.loads(invoke("tip", "--date", "2026-07-01", "--oneline", "--json")[1])
    assert document["date"] == "2026-07-01" and line.startswith(" ".join(document["tip"]["oneline"].split()))


def test_tip_oneline_fits_80_columns_with_its_marker_and_says_when_untested() -> None:
    import datetime as dt

    seen = set()
    for offset in range(60):  # every tip of the pool comes round within this many days
        day = (dt.date(2026, 1, 1) + dt.timedelta(days=offset)).isoformat()
        line = invoke("tip", "--date", day, "--oneline")[1].rstrip("\n")
        tip = json.loads(invoke("tip", "--date", day, "--oneline", "--json")[1])["tip"]
        seen.add(tip["id"])
        assert len(line) <= 80 and "…" not in line and "..." not in line, line
        assert line.startswith(" ".join(tip["oneline"].split())), line  # whole, never cut
        assert line.endswith("advice)")  # not medical advice, however short it has to be said
        assert ("(untested" in line) == (tip["evidence"]["grade"] in ("unproven", "not-recommended")), line
    assert len(seen) > 10


def test_tip_oneline_narrower_terminal_keeps_the_whole_tip() -> None:
    result = runner.invoke(app, ["tip", "--date", "2026-01-03", "--oneline"], env={"COLUMNS": "50"})
    tip = json.loads(invoke("tip", "--date", "2026-01-03", "--oneline", "--json")[1])["tip"]
    assert result.stdout.startswith(tip["oneline"]) and result.stdout.rstrip().endswith("advice)")


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


@pytest.mark.parametrize(
    "command",
    [["relief", "calf"], ["tip"], ["prevent"], ["foods"], ["remedies"], ["doctor"], ["when-to-see-doctor"]],
)
def test_a_profile_in_an_unknown_users_home_is_a_usage_error(command: list[str]) -> None:
    code, out, err = invoke(*command, "--profile", "~nosuchuser-crampcli/p")
    assert code == 2 and out == ""
    assert err == "cramp: --profile is '~nosuchuser-crampcli/p', but there is no user named 'nosuchuser-crampcli'\n"


def test_a_profile_in_the_home_folder_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "p.toml").write_text('emergency_number = "000"\n', encoding="utf-8")
    code, out, err = invoke("doctor", "--plain", "--profile", "~/p.toml")
    assert code == 0, err
    assert "000" in out


def test_quinine_is_only_ever_advised_against(content: Content) -> None:
    quinine = next(r for r in content.remedies if r.id == "quinine")
    assert quinine.evidence.grade == "not-recommended"


# The relief page at 3 a.m.: one 80x24 screen

SCREEN_LINES = 23


def relief_commands(content: Content) -> list[list[str]]:
    areas = [[a.id] for a in content.relief.areas]
    return [[*where, *night] for where in [[], *areas] for night in ([], ["--night"])]


@pytest.fixture
def many_conditions(tmp_path: Path, content: Content) -> str:
    profile = tmp_path / "profile.toml"
    ids = ", ".join(f'"{c.id}"' for c in content.conditions)
    profile.write_text(f"conditions = [{ids}]\n", encoding="utf-8")
    return str(profile)


@pytest.mark.parametrize("mode", ["--plain", "--color=always"])
def test_every_relief_page_fits_one_screen_with_or_without_a_profile(
    content: Content, many_conditions: str, mode: str
) -> None:
    for command in relief_commands(content):
        for profile in ("none", many_conditions):
            result = runner.invoke(app, ["relief", *command, mode, "--profile", profile], env={"COLUMNS": "80"})
            assert result.exit_code == 0, result.stderr
            lines = result.stdout.splitlines()
            assert len(lines) <= SCREEN_LINES, (command, profile, result.stdout)
            assert all(len(line) <= 80 for line in lines if "\x1b" not in line)
            assert "--all" in result.stdout and "--guide" in result.stdout
            assert content.disclaimer.short in lines[-1]


def test_short_relief_page_shows_the_first_action_steps_and_a_warning(content: Content, many_conditions: str) -> None:
    for plan in content.relief.areas:
        out = runner.invoke(app, ["relief", plan.id, "--plain"], env={"COLUMNS": "80"}).stdout
        assert out.splitlines()[0] == plan.first
        assert all(f"  {n}. " in out for n in range(1, len(plan.steps) + 1))
        if plan.cautions:
            assert "  ! " in out
        personal = runner.invoke(app, ["relief", plan.id, "--plain", "--profile", many_conditions]).stdout
        mine = [c for c in plan.cautions if c.conditions]
        if mine:  # the user's own caution is on the short page
            assert any(" ".join(c.text.split()[:5]) in " ".join(personal.split()) for c in mine)


def test_the_sign_that_it_may_be_a_clot_stays_on_the_short_calf_page(content: Content, many_conditions: str) -> None:
    for extra in ([], ["--night"], ["--profile", many_conditions], ["--night", "--profile", many_conditions]):
        out = " ".join(runner.invoke(app, ["relief", "calf", "--plain", *extra]).stdout.split())
        assert "blood clot" in out, extra


def test_relief_without_an_area_lists_the_areas_on_one_line(content: Content) -> None:
    out = runner.invoke(app, ["relief", "--plain"], env={"COLUMNS": "80"}).stdout
    line = next(line for line in out.splitlines() if line.startswith("Areas:"))
    assert all(a.id in line for a in content.relief.areas)
    assert out.splitlines()[0] == content.relief.general.first


def test_night_with_an_area_combines_both(content: Content) -> None:
    document = json.loads(invoke("relief", "calf", "--night", "--json")[1])
    calf = next(a for a in content.relief.areas if a.id == "calf")
    assert calf.night is not None
    assert document["plan"]["id"] == "calf" and document["plan"]["first"] == calf.night.first
    assert "night" in document["plan"]["name"]
    full = invoke("relief", "calf", "--night", "--all", "--plain")[1]
    for line in content.relief.night.after:
        assert " ".join(line.split()[:6]) in " ".join(full.split())
    assert invoke("relief", "calf", "--night", "--plain")[1] != invoke("relief", "calf", "--plain")[1]


def test_json_is_the_whole_plan_with_or_without_all() -> None:
    assert invoke("relief", "calf", "--json")[1] == invoke("relief", "calf", "--all", "--json")[1]


# One command line


def every_command_path() -> list[list[str]]:
    from crampcli.cli.examples import EXAMPLES

    return [path.split() for path in EXAMPLES]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["lgo", "list"], "did you mean 'log'"),
        (["prfile", "clear"], "did you mean 'profile'"),
        (["relief", "calf", "--bogus"], "no such option: --bogus"),
        (["relief", "calf", "extra"], "unexpected extra argument"),
        (["log", "ad", "calf"], "did you mean 'add'"),
        (["log", "list", "--since"], "requires an argument"),
        (["--bogus", "relief"], "no such option"),
        (["help", "lgo"], "did you mean 'log'"),
        (["relief", "calf", "--color", "purple"], "purple"),
    ],
)
def test_every_usage_error_is_one_line_starting_cramp(args: list[str], fragment: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cramp: "), err
    assert fragment.lower() in err.lower()


@pytest.mark.parametrize("path", [["relief"], ["log", "add"], ["profile", "set"]], ids=" ".join)
def test_help_command_shows_the_same_help_as_dash_h(path: list[str]) -> None:
    code, out, _ = invoke("help", *path)
    assert code == 0 and out == invoke(*path, "-h")[1]


def test_help_all_is_the_full_help() -> None:
    code, out, _ = invoke("help", "--all")
    assert code == 0 and out.rstrip("\n") == invoke("-h")[1].rstrip("\n")


@pytest.mark.parametrize("path", every_command_path(), ids=" ".join)
def test_every_commands_help_ends_with_examples_that_fit_80_columns(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.rstrip().splitlines()
    examples = lines[lines.index("  Examples:") + 1 :]
    commands = [line for line in examples if line.strip().startswith("cramp ")]
    assert 2 <= len(commands) <= 3, result.stdout
    assert all(len(line) <= 80 for line in lines), result.stdout


@pytest.mark.parametrize("path", [[], ["log"], ["profile"], ["content"]], ids=" ".join)
def test_group_help_and_its_examples_fit_80_columns(path: list[str]) -> None:
    out = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "80"}).stdout
    assert "Examples:" in out and all(len(line) <= 80 for line in out.splitlines()), out


@pytest.mark.parametrize("path", [[], ["log"], ["profile"], ["content"]], ids=" ".join)
def test_command_summaries_are_not_cut_off(path: list[str]) -> None:
    out = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "80"}).stdout
    commands = out[out.index("Commands:") :]
    assert "..." not in commands.split("Examples:")[0]


@pytest.mark.parametrize("path", [[], *every_command_path()], ids=" ".join)
def test_help_at_40_columns_breaks_no_word(path: list[str]) -> None:
    def words(columns: str) -> set[str]:
        return set(runner.invoke(app, [*path, "-h"], env={"COLUMNS": columns}).stdout.split())

    assert words("40") <= words("200")


@pytest.mark.parametrize("option", ["--json", "--plain", "--no-pager", "--color=never"])
def test_output_options_work_before_the_command_too(option: str) -> None:
    before = invoke(option, "prevent", "sleep")
    after = invoke("prevent", "sleep", option)
    assert before[0] == after[0] == 0 and before[1] == after[1]


def test_json_before_the_command_reaches_tip_oneline_and_routines() -> None:
    assert json.loads(invoke("--json", "tip", "--oneline")[1])["kind"] == "tip"
    assert json.loads(invoke("--json", "routine")[1])["kind"] == "routines"


@pytest.mark.parametrize(
    ("variable", "value", "coloured"),
    [
        ("FORCE_COLOR", "0", False),
        ("FORCE_COLOR", "1", True),
        ("CLICOLOR_FORCE", "1", True),
        ("CLICOLOR_FORCE", "0", False),
    ],
)
def test_force_colour_variables(variable: str, value: str, coloured: bool) -> None:
    result = runner.invoke(app, ["relief", "calf"], env={variable: value, "NO_COLOR": ""})
    assert ("\x1b[" in result.stdout) is coloured


def test_every_example_in_help_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the help suggests typing is never a usage error (data may be missing: exit 1)."""
    import shlex

    monkeypatch.chdir(tmp_path)  # the examples write cramps.md, diary.csv...
    from crampcli.cli.examples import EXAMPLES

    env = {"CRAMPCLI_HOME": str(tmp_path), "CRAMPCLI_CONFIG": str(tmp_path / "profile.toml")}
    for _ in range(4):  # entries for the examples that edit and remove some
        assert runner.invoke(app, ["log", "add", "calf", "2m", "--start", "-1h"], env=env).exit_code == 0
    for examples in EXAMPLES.values():
        for command, _ in examples:
            args = shlex.split(command.replace(" < d.json", ""))[1:]
            if (args[:2] == ["content", "validate"] and len(args) > 2) or args in (
                ["check"],
                ["profile", "clear"],
                ["log", "rm", "3"],
            ):
                continue  # a file that is not there; questions asked on a terminal
            result = runner.invoke(app, args, env=env, input="n\n")
            assert result.exit_code != 2, (command, result.stderr)


def test_diary_and_profile_pages_end_with_the_one_line_disclaimer(content: Content) -> None:
    assert (
        invoke("log", "add", "calf", "2m", "--start", "-1h", "--plain")[1].rstrip().endswith(content.disclaimer.short)
    )
    assert invoke("log", "list", "--plain")[1].rstrip().endswith(content.disclaimer.short)
    assert invoke("profile", "show", "--plain")[1].rstrip().endswith(content.disclaimer.short)
    for command in (["profile", "set", "units=metric"], ["profile", "clear", "--yes"]):
        code, out, _ = invoke(*command)
        assert code == 0 and out.rstrip().endswith(content.disclaimer.short), command
    for full in (["log", "stats", "--plain"], ["prevent", "--plain"], ["relief", "calf", "--all", "--plain"]):
        assert invoke(*full)[1].rstrip().endswith(content.disclaimer.text.split()[-1]), full


def test_output_dash_is_standard_output_and_a_missing_folder_is_named(tmp_path: Path) -> None:
    invoke("log", "add", "calf", "2m")
    code, out, _ = invoke("log", "export", "-o", "-", "--format", "csv")
    assert code == 0 and out.startswith("id,")
    missing = tmp_path / "missing-folder"
    for given in (f"{missing}/", f"{missing}/diary.csv"):
        code, out, err = invoke("log", "export", "-o", given)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert "no such folder" in err and "missing-folder" in err
    code, _, err = invoke("log", "export", "-o", str(tmp_path))
    assert code == 1 and "it is a folder" in err
    assert not missing.exists()


def test_content_validate_without_user_files_says_where_they_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mine"
    monkeypatch.setenv("CRAMPCLI_USER_CONTENT", str(folder))
    code, out, _ = invoke("content", "validate")
    assert code == 0 and str(folder) in out
    folder.mkdir()
    code, out, _ = invoke("content", "validate")
    assert code == 0 and str(folder) in out
    assert json.loads(invoke("content", "validate", "--json")[1])["files"] == []


@pytest.mark.parametrize(
    ("environment", "mode"),
    [
        ({}, "rich"),
        ({"CLICOLOR": "0"}, "plain"),
        ({"CLICOLOR": "1"}, "rich"),
        ({"CLICOLOR": "0", "FORCE_COLOR": "1"}, "rich"),
        ({"CLICOLOR": "0", "CLICOLOR_FORCE": "1"}, "rich"),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "plain"),
    ],
)
def test_clicolor_0_turns_colour_off_on_a_terminal(
    environment: dict[str, str], mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.output import colour

    monkeypatch.setattr(colour, "is_terminal", lambda stream: True)
    monkeypatch.delenv("TERM", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert colour.pick_mode() == mode
