"""A catalogue of bad input, tried on every command: each is refused with its exit code and a
message that names the bad value safely (escaped, cut when long), and nothing stored changes.

CATALOGUE is the data: (arguments, expected exit code, a fragment of the message). "{tmp}"
in an argument is a folder holding the files in FILES. A diary with one entry (#1) and a
profile exist before each run; both must be exactly as they were after it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

runner = CliRunner()

BIG = "a" * 1_000_000  # a 1 MB argument (a shell passes at most 128 KiB in one; in-process there is no limit)
ESC = "\x1b[31mred\x1b[0m"  # an ANSI colour sequence
OSC = "\x1b]0;owned\x07"  # sets a terminal's title
CLEAR = "\x1b[2J"
C1 = "\x9b31m"  # the one-byte form of ESC [
MARKUP = "[bold red]x[/]"  # rich markup: must stay literal text
BIDI = "\u202eevil"  # right-to-left override
NOT_UTF8 = "caf\udce9"  # how Python hands over an argument whose bytes are not UTF-8
NUL = "a\x00b"

FILES: dict[str, bytes] = {
    "bad.json": b"{not json",
    "list.json": b'["clot-signs"]',
    "empty.json": b"{}",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "bigint.json": b'{"clot-signs": ' + b"9" * 5000 + b"}",
    "latin1.json": '{"clot-signs": "nö"}'.encode("latin-1"),
    "escape.json": b'{"\\u001b[2Jclot-signs": "yes"}',
    "answer.json": b'{"clot-signs": "\\u001b[31mmaybe"}',
    "bad.yaml": b"topics: [\n",
    "tag.yaml": b"topics: !!python/object/apply:os.system ['echo owned']\n",
    "notes.csv": b"started,duration_seconds,area\n2026-01-01T00:00:00+00:00,60,elbow\n",
    "wide.csv": b"a," * 200_000 + b"\n",
    "bigint-import.json": b'{"entries": [{"started": "2026-01-01T00:00+00:00", "duration_seconds": '
    + b"9" * 5000
    + b', "area": "calf"}]}',
    "deep-import.json": b"[" * 100_000 + b"]" * 100_000,
    "year-one.csv": b"started,duration_seconds,area\n0001-01-01T00:00:00+00:00,60,calf\n",
    "existing.md": b"mine\n",
    "existing.csv": b"mine\n",
}

Case = tuple[list[str], int, str]

CATALOGUE: list[Case] = [
    # The root group
    (["elbow"], 2, "No such command 'elbow'"),
    ([ESC], 2, "No such command '\\x1b[31mred\\x1b[0m'"),
    ([BIG], 2, "No such command 'aaaaaaaaaa"),
    (["--color", "purple", "relief"], 2, "'purple' is not one of"),
    (["--color", BIG, "relief"], 2, "Invalid value for '--color'"),
    (["--" + ESC], 2, "No such option"),
    # relief
    (["relief", "elbow"], 2, "unknown area 'elbow'"),
    (["relief", "calff"], 2, "Did you mean 'calf'"),
    (["relief", ""], 2, "no area given"),
    (["relief", "   "], 2, "no area given"),
    (["relief", BIG], 2, "unknown area 'aaaaaaaaaa"),
    (["relief", ESC], 2, "unknown area '\\x1b[31mred\\x1b[0m'"),
    (["relief", OSC], 2, "unknown area '\\x1b]0;owned\\x07'"),
    (["relief", C1], 2, "unknown area '\\x9b31m'"),
    (["relief", MARKUP], 2, "unknown area '[bold red]x[/]'"),
    (["relief", BIDI], 2, "unknown area '\\u202eevil'"),
    (["relief", NOT_UTF8], 2, "unknown area 'caf\\udce9'"),
    (["relief", NUL], 2, "unknown area 'a\\x00b'"),
    (["relief", "calf", "--no-timer"], 2, "--no-timer and --bell go with --guide"),
    (["relief", "calf", "--bell"], 2, "--no-timer and --bell go with --guide"),
    (["relief", "calf", "--color", "purple"], 2, "'purple' is not one of"),
    (["relief", "calf", "--" + BIG], 2, "No such option: --aaaaaaaa"),
    (["relief", "calf", "--profile", "{tmp}/no-such-profile.toml"], 1, "no profile at"),
    (["relief", "calf", "--profile", BIG], 1, "File name too long"),
    (["relief", "calf", "extra"], 2, "unexpected extra argument"),
    # prevent, foods, remedies
    (["prevent", "nope"], 2, "unknown topic 'nope'"),
    (["prevent", ""], 2, "no topic given"),
    (["prevent", BIG], 2, "unknown topic 'aaaaaaaaaa"),
    (["prevent", ESC], 2, "unknown topic '\\x1b[31mred\\x1b[0m'"),
    (["foods", "nope"], 2, "unknown nutrient 'nope'"),
    (["foods", ""], 2, "no nutrient given"),
    (["foods", OSC], 2, "unknown nutrient '\\x1b]0;owned\\x07'"),
    (["foods", BIG], 2, "unknown nutrient 'aaaaaaaaaa"),
    (["remedies", "nope"], 2, "unknown remedy 'nope'"),
    (["remedies", ""], 2, "no remedy given"),
    (["remedies", MARKUP], 2, "unknown remedy '[bold red]x[/]'"),
    (["remedies", BIG], 2, "unknown remedy 'aaaaaaaaaa"),
    # pages without arguments
    (["causes", "extra"], 2, "unexpected extra argument"),
    (["causes", BIG], 2, "unexpected extra argument(s) (aaaaaaaaaa"),
    (["when-to-see-doctor", ESC], 2, "unexpected extra argument(s) (\\x1b[31mred\\x1b[0m)"),
    (["doctor", "--json", "--plain", "x"], 2, "unexpected extra argument"),
    (["sources", CLEAR], 2, "unexpected extra argument"),
    (["disclaimer", "--color", ESC], 2, "Invalid value for '--color'"),
    # tip
    (["tip", "--date", "2026-02-30"], 2, "'2026-02-30' is not a date"),
    (["tip", "--date", "31/01/2026"], 2, "'31/01/2026' is not a date"),
    (["tip", "--date", ""], 2, "'' is not a date"),
    (["tip", "--date", "99999-01-01"], 2, "'99999-01-01' is not a date"),
    (["tip", "--date", BIG], 2, "'aaaaaaaaaa"),
    (["tip", "--date", CLEAR], 2, "'\\x1b[2J' is not a date"),
    (["tip", "--topic", "nope"], 2, "unknown topic 'nope'"),
    (["tip", "--topic", ""], 2, "no topic given"),
    (["tip", "--topic", ESC], 2, "unknown topic '\\x1b[31mred\\x1b[0m'"),
    (["tip", "--random", "--date", "2026-01-31"], 2, "use --date or --random, not both"),
    # search
    (["search"], 2, "Missing argument"),
    (["search", ""], 2, "give a word to search for"),
    (["search", "  ", "--"], 2, "give a word to search for"),
    (["search", ESC[0]], 2, "give a word to search for"),
    # check
    (["check"], 2, "no answers given, and no terminal"),
    (["check", "--yes", "nope"], 2, "unknown question id 'nope'"),
    (["check", "--yes", ESC], 2, "unknown question id '\\x1b[31mred\\x1b[0m'"),
    (["check", "--no", BIG], 2, "unknown question id 'aaaaaaaaaa"),
    (["check", "--unsure", MARKUP], 2, "'[bold red]x[/]'"),
    (["check", "--yes", "clot-signs", "--no", "clot-signs"], 2, "clot-signs"),
    (["check", "--emergency-number", ESC], 2, "--emergency-number '\\x1b[31mred\\x1b[0m' is not a phone number"),
    (["check", "--emergency-number", "1" * 16], 2, "is not a phone number"),
    (["check", "--emergency-number", BIG], 2, "is not a phone number"),
    (["check", "--emergency-number", ""], 2, "is not a phone number"),
    (["check", "--answers", "{tmp}/missing.json"], 1, "cannot read the answers file"),
    (["check", "--answers", "{tmp}"], 1, "cannot read the answers file"),
    (["check", "--answers", BIG], 1, "File name too long"),
    (["check", "--answers", "{tmp}/bad.json"], 1, "is not JSON"),
    (["check", "--answers", "{tmp}/list.json"], 1, "must be one JSON object"),
    (["check", "--answers", "{tmp}/empty.json"], 2, "has no answers"),
    (["check", "--answers", "{tmp}/deep.json"], 1, "is not JSON"),
    (["check", "--answers", "{tmp}/bigint.json"], 1, "is not JSON"),
    (["check", "--answers", "{tmp}/latin1.json"], 1, "is not UTF-8 text"),
    (["check", "--answers", "{tmp}/escape.json"], 2, "unknown question id '\\x1b[2Jclot-signs'"),
    (["check", "--answers", "{tmp}/answer.json"], 2, "not '\"\\\\u001b[31mmaybe\"'"),
    # routine
    (["routine", "nope"], 2, "unknown routine 'nope'"),
    (["routine", ""], 2, "no routine given"),
    (["routine", BIG], 2, "unknown routine 'aaaaaaaaaa"),
    (["routine", OSC], 2, "unknown routine '\\x1b]0;owned\\x07'"),
    (["routine", "--bell"], 2, "--no-timer and --bell go with a routine"),
    (["routine", "--no-timer"], 2, "--no-timer and --bell go with a routine"),
    # log add
    (["log", "add"], 2, "say where the cramp was"),
    (["log", "add", "calf"], 2, "say how long it lasted"),
    (["log", "add", "elbow", "2m"], 2, "unknown area 'elbow'"),
    (["log", "add", "", "2m"], 2, "no area given"),
    (["log", "add", ESC, "2m"], 2, "unknown area '\\x1b[31mred\\x1b[0m'"),
    (["log", "add", BIG, "2m"], 2, "unknown area 'aaaaaaaaaa"),
    (["log", "add", "calf", ""], 2, "'' is not a duration"),
    (["log", "add", "calf", "0s"], 2, "a cramp lasts longer than '0s'"),
    (["log", "add", "calf", "-5m"], 2, "No such option: -5"),
    (["log", "add", "calf", "--duration=-5m"], 2, "'-5m' is not a duration"),
    (["log", "add", "calf", "1.5m"], 2, "'1.5m' is not a duration"),
    (["log", "add", "calf", "25h"], 2, "'25h' is longer than a day"),
    (["log", "add", "calf", "9" * 5000 + "s"], 2, "is longer than a day"),
    (["log", "add", "calf", "2 fortnights"], 2, "is not a duration"),
    (["log", "add", "calf", BIG], 2, "'aaaaaaaaaa"),
    (["log", "add", "calf", CLEAR], 2, "'\\x1b[2J' is not a duration"),
    (["log", "add", "calf", "2m", "--severity", "11"], 2, "11 is not in the range 0<=x<=10"),
    (["log", "add", "calf", "2m", "--severity", "-1"], 2, "-1 is not in the range 0<=x<=10"),
    (["log", "add", "calf", "2m", "--severity", "9" * 30], 2, "is not in the range 0<=x<=10"),
    (["log", "add", "calf", "2m", "--severity", "bad"], 2, "'bad' is not a valid int"),
    (["log", "add", "calf", "2m", "--severity", ESC], 2, "'\\x1b[31mred\\x1b[0m' is not a valid int"),
    (["log", "add", "calf", "2m", "--severity", BIG], 2, "Invalid value for '--severity'"),
    (["log", "add", "calf", "2m", "--start", "2999-01-01T00:00"], 2, "'2999-01-01T00:00' is in the future"),
    (["log", "add", "calf", "2m", "--start", "9999-12-31T23:59"], 2, "is in the future"),
    (["log", "add", "calf", "2m", "--start", "0001-01-01T00:00"], 2, "is before the year 2000"),
    (["log", "add", "calf", "2m", "--start", "1999-12-31T23:00"], 2, "is before the year 2000"),
    (["log", "add", "calf", "2m", "--start", "-99999999999999d"], 2, "is before the year 2000"),
    (["log", "add", "calf", "2m", "--start", "2026-02-30T03:10"], 2, "is not a start time"),
    (["log", "add", "calf", "2m", "--start", "25:00"], 2, "'25:00' is not a start time"),
    (["log", "add", "calf", "2m", "--start", "yesterday 99:00"], 2, "is not a start time"),
    (["log", "add", "calf", "2m", "--start", "2026-11-20T03:10+25:00"], 2, "is not a start time"),
    (["log", "add", "calf", "2m", "--start", OSC], 2, "'\\x1b]0;owned\\x07' is not a start time"),
    (["log", "add", "calf", "2m", "--start", BIG], 2, "'aaaaaaaaaa"),
    (["log", "add", "calf", "2m", "--side", "up"], 2, "unknown side 'up'"),
    (["log", "add", "calf", "2m", "--side", ""], 2, "unknown side ''"),
    (["log", "add", "calf", "2m", "--side", MARKUP], 2, "unknown side '[bold red]x[/]'"),
    (["log", "add", "calf", "2m", "--trigger", "beer"], 2, "unknown trigger 'beer'"),
    (["log", "add", "calf", "2m", "--trigger", BIG], 2, "unknown trigger 'aaaaaaaaaa"),
    (["log", "add", "calf", "2m", "--symptom", ESC], 2, "unknown symptom '\\x1b[31mred\\x1b[0m'"),
    (["log", "add", "calf", "2m", "--note", NUL], 2, "a note cannot contain a NUL character"),
    (["log", "add", "calf", "2m", "--note", NOT_UTF8], 2, "the note is not valid text"),
    (["log", "add", "calf", "2m", "--note", "x" * 10_001], 2, "a note can be at most 10000 characters"),
    (["log", "add", "calf", "2m", "--note", BIG], 2, "a note can be at most 10000 characters, not 1000000"),
    (["log", "add", "calf", "2m", "--area", "foot"], 2, "give the area once"),
    # log edit and rm
    (["log", "edit", "1"], 2, "say what to change"),
    (["log", "edit", "999", "--duration", "2m"], 2, "there is no entry #999"),
    (["log", "edit", "9" * 30, "--duration", "2m"], 2, "is not in the range"),
    (["log", "edit", "x", "--duration", "2m"], 2, "'x' is not a valid int"),
    (["log", "edit", BIG, "--duration", "2m"], 2, "Invalid value for 'ID'"),
    (["log", "edit", "1", "--duration", "0s"], 2, "a cramp lasts longer than '0s'"),
    (["log", "edit", "1", "--start", "2999-01-01T00:00"], 2, "is in the future"),
    (["log", "edit", "1", "--severity", "42"], 2, "42 is not in the range"),
    (["log", "rm", "999", "--yes"], 2, "no entry #999 in the diary; nothing was removed"),
    (["log", "rm", "1", "999", "--yes"], 2, "no entry #999 in the diary; nothing was removed"),
    (["log", "rm", "9" * 30, "--yes"], 2, "is not in the range"),
    (["log", "rm", CLEAR, "--yes"], 2, "'\\x1b[2J' is not a valid int"),
    (["log", "rm", "1"], 2, "removing needs a yes"),
    # log list, stats, report, export, import
    (["log", "list", "--since", "nope"], 2, "'nope' is not a period"),
    (["log", "list", "--since", ""], 2, "'' is not a period"),
    (["log", "list", "--since", "9999-12-31"], 2, "'9999-12-31' is in the future"),
    (["log", "list", "--since", "99999999999d"], 2, "is too far back"),
    (["log", "list", "--since", ESC], 2, "'\\x1b[31mred\\x1b[0m' is not a period"),
    (["log", "list", "--since", BIG], 2, "'aaaaaaaaaa"),
    (["log", "list", "--area", "elbow"], 2, "unknown area 'elbow'"),
    (["log", "list", "--latest", "0"], 2, "0 is not in the range 1<=x<="),
    (["log", "list", "--latest", "9" * 30], 2, "is not in the range"),
    (["log", "stats", "--weeks", "0"], 2, "0 is not in the range 1<=x<=520"),
    (["log", "stats", "--weeks", "521"], 2, "521 is not in the range 1<=x<=520"),
    (["log", "stats", "--weeks", ESC], 2, "'\\x1b[31mred\\x1b[0m' is not a valid int"),
    (["log", "stats", "--since", "2999-01-01"], 2, "is in the future"),
    (["log", "report", "--format", "pdf"], 2, "a PDF report needs a file"),
    (["log", "report", "--format", BIG], 2, "unknown report format 'aaaaaaaaaa"),
    (["log", "report", "--output", "{tmp}/existing.md"], 2, "already exists; add --force"),
    (["log", "report", "--output", "{tmp}/no-folder/report.md"], 1, "cannot write"),
    (["log", "export", "--format", "xml"], 2, "unknown format 'xml'"),
    (["log", "export", "--format", OSC], 2, "unknown format '\\x1b]0;owned\\x07'"),
    (["log", "export", "--output", "{tmp}/existing.csv"], 2, "already exists; add --force"),
    (["log", "export", "--output", BIG], 1, "File name too long"),
    (["log", "import", "{tmp}/missing.csv"], 1, "cannot read"),
    (["log", "import", "{tmp}/notes.txt"], 2, "cannot tell the format"),
    (["log", "import", "{tmp}/notes.csv", "--format", "xml"], 2, "unknown format 'xml'"),
    (["log", "import", "{tmp}/notes.csv"], 1, "unknown area 'elbow'"),
    (["log", "import", "{tmp}/year-one.csv"], 1, "is not a date the diary can hold"),
    (["log", "import", "{tmp}/wide.csv"], 1, "the CSV header must name columns"),
    (["log", "import", "{tmp}/bad.json"], 1, "not a readable JSON file"),
    (["log", "import", "{tmp}/deep-import.json"], 1, "not a readable JSON file"),
    (["log", "import", "{tmp}/bigint-import.json"], 1, "not a readable JSON file"),
    (["log", "import", BIG], 2, "cannot tell the format of 'aaaaaaaaaa"),
    (["log", "import", ""], 2, "cannot tell the format of ''"),
    (["log", CLEAR], 2, "No such command '\\x1b[2J'"),
    (["log", BIG], 2, "No such command 'aaaaaaaaaa"),
    # profile
    (["profile", "set"], 2, "Missing argument"),
    (["profile", "set", "diabetes"], 2, "settings look like KEY=VALUE, not 'diabetes'"),
    (["profile", "set", "=yes"], 2, "settings look like KEY=VALUE"),
    (["profile", "set", ""], 2, "settings look like KEY=VALUE, not ''"),
    (["profile", "set", ESC + "=1"], 2, "unknown setting '\\x1b[31mred\\x1b[0m'"),
    (["profile", "set", BIG + "=1"], 2, "unknown setting 'aaaaaaaaaa"),
    (["profile", "set", "units=imperial"], 2, "units are metric or us"),
    (["profile", "set", "emergency-number=" + ESC], 2, "the emergency number is digits"),
    (["profile", "set", "emergency-number=" + "1" * 16], 2, "the emergency number is digits"),
    (["profile", "set", "diabetes=maybe"], 2, "say yes or no"),
    (["profile", "set", "conditions=nope"], 2, "unknown condition 'nope'"),
    (["profile", "set", "conditions=" + OSC], 2, "unknown condition '\\x1b]0;owned\\x07'"),
    (["profile", "set", "conditions=" + BIG], 2, "unknown condition 'aaaaaaaaaa"),
    (["profile", "set", "diabetes=yes", "units=imperial"], 2, "units are metric or us"),
    (["profile", BIG], 2, "No such command 'aaaaaaaaaa"),
    # content
    (["content", "validate", "{tmp}/missing.yaml"], 1, "no such file or folder"),
    (["content", "validate", BIG], 1, "File name too long"),
    (["content", "validate", "{tmp}/bad.yaml"], 1, "bad.yaml:2: not valid YAML"),
    (["content", "validate", "{tmp}/tag.yaml"], 1, "could not determine a constructor"),
    (["content", ESC], 2, "No such command '\\x1b[31mred\\x1b[0m'"),
]

# What must never reach the terminal from a message: C0/C1 controls (but newline), bidi overrides.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LONGEST_MESSAGE = 2000  # characters; a 1 MB argument must not come back as a 1 MB message


def case_id(case: Case) -> str:
    shown = " ".join(a if len(a) <= 24 else f"{a[:12]}...({len(a)})" for a in case[0])
    return shown.encode("unicode_escape").decode("ascii") or "(none)"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("files")
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary with one entry and a profile, made once and copied for each case."""
    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRAMPCLI_HOME", str(folder / "home"))
        patch.setenv("CRAMPCLI_CONFIG", str(folder / "profile.toml"))
        assert runner.invoke(app, ["log", "add", "calf", "2m", "--note", "first"]).exit_code == 0
        assert runner.invoke(app, ["profile", "set", "diabetes=yes", "units=metric"]).exit_code == 0
    return folder


def set_up(template: Path) -> tuple[Path, Path]:
    home, profile = Path(os.environ["CRAMPCLI_HOME"]), Path(os.environ["CRAMPCLI_CONFIG"])
    shutil.copytree(template / "home", home)
    shutil.copy2(template / "profile.toml", profile)
    return home, profile


def stored(home: Path, profile: Path) -> tuple[list[tuple[object, ...]], bytes]:
    """Every row of the diary and the profile's bytes."""
    with sqlite3.connect(home / "diary.sqlite3") as connection:
        rows = connection.execute("SELECT * FROM entries ORDER BY id").fetchall()
    connection.close()
    return rows, profile.read_bytes()


@pytest.mark.parametrize("case", CATALOGUE, ids=[case_id(c) for c in CATALOGUE])
def test_catalogue(case: Case, files: Path, template: Path) -> None:
    args, code, fragment = case
    home, profile = set_up(template)
    before = stored(home, profile)

    result = runner.invoke(app, [a.replace("{tmp}", str(files)) for a in args])

    assert not (result.exception and not isinstance(result.exception, SystemExit)), repr(result.exception)
    validating = args[:2] == ["content", "validate"]  # its list of problems is its output
    assert result.exit_code == code, result.stderr[:500]
    assert fragment in (result.stdout + result.stderr if validating else result.stderr), result.stderr[:500]
    if not validating:
        assert result.stdout == ""  # nothing half done on stdout
    for stream in (result.stdout, result.stderr):
        assert len(stream) < LONGEST_MESSAGE
        assert not UNSAFE.search(stream), repr(stream[:500])
        assert "Traceback" not in stream
    assert stored(home, profile) == before  # refused input changes nothing stored


def test_the_catalogue_covers_every_command() -> None:
    commands = {
        "relief",
        "prevent",
        "foods",
        "remedies",
        "causes",
        "when-to-see-doctor",
        "doctor",
        "tip",
        "search",
        "sources",
        "disclaimer",
        "check",
        "routine",
        "log",
        "profile",
        "content",
    }
    tried = {args[0] for args, _, _ in CATALOGUE}
    assert commands <= tried, commands - tried
    log_commands = {args[1] for args, _, _ in CATALOGUE if args[0] == "log" and len(args) > 1}
    assert {"add", "edit", "rm", "list", "stats", "report", "export", "import"} <= log_commands


# Hostile text that is not an error: it is shown, but never as terminal codes or rich markup.


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("note", [ESC, OSC, C1, MARKUP, BIDI, "[link=http://x]y[/link]", "plain :smile: text"])
def test_a_hostile_note_is_shown_as_text(note: str, color: str) -> None:
    assert runner.invoke(app, ["log", "add", "calf", "2m", "--note", note]).exit_code == 0
    for args in (["log", "list"], ["log", "add", "foot", "1m", "--note", note], ["log", "stats"]):
        result = runner.invoke(app, [*args, "--color", color])
        assert result.exit_code == 0, result.stderr
        text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # rich's own colours, when asked for
        assert not UNSAFE.search(text), repr(text)
        if note in (MARKUP, "[link=http://x]y[/link]", "plain :smile: text") and args[1] != "stats":
            assert note in text  # markup and emoji codes print literally
    exported = runner.invoke(app, ["log", "export", "--format", "json"])
    assert json.loads(exported.stdout)["entries"][0]["note"] == note  # the data stays exact


def test_json_output_escapes_what_a_terminal_would_act_on() -> None:
    assert runner.invoke(app, ["log", "add", "calf", "2m", "--note", C1 + BIDI + ESC]).exit_code == 0
    result = runner.invoke(app, ["log", "list", "--json"])
    assert not UNSAFE.search(result.stdout), repr(result.stdout)
    notes = [e["note"] for e in json.loads(result.stdout)["entries"]]
    assert notes == [C1 + BIDI + ESC]  # the same data, escaped as JSON


def test_an_argument_that_is_not_utf8_is_searched_and_shown_in_json() -> None:
    result = runner.invoke(app, ["search", "magnesium" + NOT_UTF8[-1], "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["query"] == "magnesium" + NOT_UTF8[-1]
