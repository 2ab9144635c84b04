"""Content, profile and answers files that are broken, huge, deep, binary or built to attack
the loader: each ends in a clear error naming the file, in bounded time and memory, and no
YAML tag ever runs code."""

from __future__ import annotations

import copy
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crampcli.check.cli import read_answers
from crampcli.cli.app import app
from crampcli.content import model, record
from crampcli.content.load import builtin_dir, content_files, load_content, parse_document, read_files
from crampcli.content.model import Content
from crampcli.content.validate import Document, build_content
from crampcli.errors import ContentError, CrampError
from crampcli.profile.store import read_profile

CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""
needs_cramp = pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
runner = CliRunner()
LONGEST_MESSAGE = 10_000
MARKER_NAME = "tag-ran"


# Whole files, through the installed command, with limits on time and memory


def limited() -> None:
    """In the child: a minute of CPU and 1 GiB of memory; a loader that needs more fails the test."""
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRAMP, *args], capture_output=True, text=True, timeout=120, preexec_fn=limited, env={**os.environ, **env}
    )


def nested_by_indent(levels: int) -> bytes:
    return b"topics:\n" + b"".join(b" " * (i + 1) + b"- x:\n" for i in range(levels))


def laughs() -> bytes:
    """The billion laughs: nine aliases of nine aliases, nine levels deep."""
    lines = ["a0: &a0 [lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


def tag_payloads(marker: Path) -> dict[str, bytes]:
    command = f"touch {marker}"
    return {
        "python/object/apply": f'topics: !!python/object/apply:os.system ["{command}"]\n'.encode(),
        "python/object/new": (
            f'topics: !!python/object/new:subprocess.check_call [["sh", "-c", "{command}"]]\n'.encode()
        ),
        "python/name": b"topics: !!python/name:os.system\n",
        "python/module": b"topics: !!python/module:os\n",
        "local tag": f'topics: !<tag:yaml.org,2002:python/object/apply:os.system> ["{command}"]\n'.encode(),
        "tag directive": (
            f'%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\ntopics: !p!os.system ["{command}"]\n'.encode()
        ),
    }


HOSTILE: dict[str, tuple[bytes, str]] = {
    "flow nested 450,000 deep": (b"topics: " + b"[" * 450_000 + b"]" * 450_000, "nested too deeply"),
    "flow mappings 190,000 deep": (b"topics: " + b"{a: " * 190_000 + b"1" + b"}" * 190_000, "nested too deeply"),
    "compact sequences 400,000 deep": (b"topics:\n" + b"- " * 400_000 + b"x\n", "nested too deeply"),
    "complex keys 400,000 deep": (b"? " * 400_000 + b"x\n", "nested too deeply"),
    "nested by indentation, 1,400 deep": (nested_by_indent(1400), "zz-hostile.yaml"),
    "billion laughs": (laughs(), "anchors and aliases (& and *) are not allowed"),
    "merge key": (b"base: &b {id: x}\ntopics: [{<<: *b, name: y}]\n", "anchors and aliases"),
    "over 1 MB": (b"topics: []\n# " + b"x" * 1_100_000 + b"\n", "file is too large"),
    "binary": (bytes(range(256)) * 64, "not UTF-8 text"),
    "UTF-16": ("topics: []\n".encode("utf-16"), "not UTF-8 text"),
    "Latin-1": ("topics:\n  - name: café\n".encode("latin-1"), "not UTF-8 text (byte 21)"),
    "NUL byte": (b"topics: []\n\x00\n", "contains a NUL byte"),
    "number of 100,000 digits": (b"topics: " + b"9" * 100_000 + b"\n", "a value cannot be read"),
    "impossible date": (b"topics: 2026-13-45\n", "a value cannot be read"),
    "bad timestamp tag": (b"topics: !!timestamp 'soon'\n", "a value cannot be read"),
    "binary and set tags": (b"topics: !!binary aGVsbG8=\nsources: !!set {a: null}\n", "zz-hostile.yaml"),
    "empty": (b"", "the file is empty"),
    "comments only": (b"# nothing here\n", "the file is empty"),
    "two documents": (b"topics: []\n---\ntopics: []\n", "zz-hostile.yaml:2: not valid YAML"),
    "tab indentation": (b"topics:\n\t- id: x\n", "zz-hostile.yaml:2: not valid YAML"),
    "escape sequences in keys": (b'"\\e[2J\\e]0;owned\\a": 1\n', "zz-hostile.yaml"),
    "key of 500,000 characters": (b"? " + b"k" * 500_000 + b"\n: 1\n", "unknown section"),
}
SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "a FIFO": (lambda p: os.mkfifo(p), "not a regular file"),
    "a link to /dev/zero": (lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
    "a folder": (lambda p: p.mkdir(), "not a regular file"),
    "a link loop": (lambda p: p.symlink_to(p), "cannot read"),
}


def content_with(tmp_path: Path, make: Callable[[Path], None]) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(builtin_dir(), folder)
    make(folder / "zz-hostile.yaml")
    return folder


def check_refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, result.stderr[-2000:]
    assert "zz-hostile.yaml" in result.stderr and fragment in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and len(result.stderr) < LONGEST_MESSAGE
    assert result.stdout == ""


@needs_cramp
@pytest.mark.parametrize("kind", [*HOSTILE, *SPECIAL])
def test_a_hostile_content_file_is_a_clear_error(kind: str, tmp_path: Path) -> None:
    if kind in HOSTILE:
        data, fragment = HOSTILE[kind]
        folder = content_with(tmp_path, lambda p: p.write_bytes(data))
    else:
        make, fragment = SPECIAL[kind]
        folder = content_with(tmp_path, make)
    check_refused(run_limited("relief", "calf", env={"CRAMPCLI_CONTENT_DIR": str(folder)}), fragment)


@needs_cramp
@pytest.mark.parametrize(
    "kind",
    ["flow nested 450,000 deep", "billion laughs", "over 1 MB", "binary", "number of 100,000 digits", "two documents"],
)
def test_a_hostile_file_of_yours_is_a_warning_and_the_guide_still_shows(kind: str, tmp_path: Path) -> None:
    data, fragment = HOSTILE[kind]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "zz-hostile.yaml").write_bytes(data)
    env = {"CRAMPCLI_USER_CONTENT": str(mine)}
    shown = run_limited("relief", "calf", env=env)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert shown.stdout.startswith("Straighten") and "not medical advice" in shown.stdout
    assert "warning" in shown.stderr and fragment in shown.stderr and "Traceback" not in shown.stderr
    check_refused(run_limited("relief", "calf", "--strict", env=env), fragment)
    validated = run_limited("content", "validate", env=env)
    assert validated.returncode == 1 and fragment in validated.stdout and "Traceback" not in validated.stderr


@needs_cramp
@pytest.mark.parametrize("payload", list(tag_payloads(Path("unused"))))
def test_no_yaml_tag_runs_code(payload: str, tmp_path: Path) -> None:
    marker = tmp_path / MARKER_NAME
    data = tag_payloads(marker)[payload]
    folder = content_with(tmp_path, lambda p: p.write_bytes(data))
    result = run_limited("relief", "calf", env={"CRAMPCLI_CONTENT_DIR": str(folder)})
    assert result.returncode == 1 and "zz-hostile.yaml" in result.stderr, result.stderr
    assert not marker.exists()


@needs_cramp
def test_no_yaml_tag_in_a_file_of_yours_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / MARKER_NAME
    mine = tmp_path / "mine"
    mine.mkdir()
    payloads = tag_payloads(marker)
    for n, data in enumerate(payloads.values()):
        (mine / f"evil-{n}.yaml").write_bytes(data)
    env = {"CRAMPCLI_USER_CONTENT": str(mine)}
    validated = run_limited("content", "validate", env=env)
    assert validated.returncode == 1 and f"{len(payloads)} problem(s)" in validated.stdout, validated.stdout
    assert run_limited("relief", "calf", env=env).returncode == 0
    assert not marker.exists()


# The loader in-process: random structures and random text


@pytest.fixture(scope="module")
def builtin_documents() -> list[Document]:
    return [parse_document(name, data) for name, data in read_files(content_files(builtin_dir()), "content")]


FIELD_NAMES = sorted(
    {
        name
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, record.Record) and cls is not record.Record
        for name in record.fields(cls)
    }
)
TRICKY_TEXT = [
    "",
    " ",
    "\x1b[31mred",
    "[bold]x[/]",
    "x" * 5000,
    "calf",
    "nhs-lc",
    "diabetes",
    "emergency",
    "Not-An-Id",
    "-",
    "\u202eevil",
    "\udcff",
    "quinine",
    "10 minutes",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(TRICKY_TEXT),
    st.binary(max_size=10),
    st.dates(),
    st.datetimes(),
    st.sets(st.integers(), max_size=3),
)
keys = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.text(max_size=15),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(TRICKY_TEXT),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=15
)


def mutate(data: Any, draw: Callable[..., Any]) -> Any:
    """data with one value somewhere inside replaced by a random one (or a key added or dropped)."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data, key=str)))
        action = draw(st.sampled_from(["descend", "replace", "drop", "add"]))
        if action == "descend":
            data[key] = mutate(data[key], draw)
        elif action == "replace":
            data[key] = draw(values)
        elif action == "drop":
            del data[key]
        else:
            data[draw(keys)] = draw(values)
        return data
    if isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        data[index] = mutate(data[index], draw) if draw(st.booleans()) else draw(values)
        return data
    return draw(values)


def check_error(error: CrampError) -> None:
    assert isinstance(error, ContentError)
    assert str(error) and len(str(error)) < LONGEST_MESSAGE


def as_document(name: str, data: object) -> Document:
    return Document(name, data, lambda path: None)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_changed_content_is_content_or_a_content_error(data: st.DataObject, builtin_documents: list[Document]) -> None:
    documents = [as_document(d.name, copy.deepcopy(d.data)) for d in builtin_documents]
    index = data.draw(st.integers(0, len(documents) - 1))
    documents[index] = as_document(documents[index].name, mutate(documents[index].data, data.draw))
    try:
        assert isinstance(build_content(documents), Content)
    except CrampError as error:
        check_error(error)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_a_changed_file_of_yours_is_merged_or_a_content_error(
    data: st.DataObject, builtin_documents: list[Document]
) -> None:
    source = data.draw(st.sampled_from(builtin_documents))
    overlay = as_document("mine/" + source.name, mutate(copy.deepcopy(source.data), data.draw))
    try:
        content = build_content(builtin_documents, [overlay])
    except CrampError as error:
        check_error(error)
        return
    assert content.disclaimer == build_content(builtin_documents).disclaimer  # never replaced by a user file


@settings(max_examples=100, deadline=None)
@given(values)
def test_any_structure_is_content_or_a_content_error(value: object) -> None:
    try:
        build_content([as_document("random.yaml", value)])
    except CrampError as error:
        check_error(error)


YAML_PIECES = [
    "[",
    "]",
    "{",
    "}",
    "- ",
    "? ",
    ": ",
    ",",
    "\n",
    "  ",
    "\t",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "!!python/object/apply:os.system ",
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "%TAG ! x\n",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "'",
    '"',
    "#",
    "id",
    "topics",
    "relief",
    "calf",
    "9" * 40,
    "2026-13-45",
    "\\x1b",
    "\x1b[2J",
    "é",
    "\ufeff",
    "\u2028",
    "\x85",
    "~",
    "null",
    ".inf",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=60))
def test_any_text_parses_or_is_a_content_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        document = parse_document("random.yaml", text.encode("utf-8", "surrogatepass"))
    except CrampError as error:
        check_error(error)
        return
    try:
        build_content([document])
    except CrampError as error:
        check_error(error)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_a_content_error(data: bytes) -> None:
    try:
        parse_document("random.yaml", data)
    except CrampError as error:
        check_error(error)


@pytest.mark.parametrize("kind", [k for k in HOSTILE if "deep" not in k or "indentation" in k])
def test_load_content_on_a_folder_names_the_file(kind: str, tmp_path: Path) -> None:
    data, fragment = HOSTILE[kind]
    folder = content_with(tmp_path, lambda p: p.write_bytes(data))
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert "zz-hostile.yaml" in str(caught.value) and fragment in str(caught.value)
    assert len(str(caught.value)) < LONGEST_MESSAGE


def test_a_tag_in_a_shipped_folder_never_runs_in_process(tmp_path: Path) -> None:
    marker = tmp_path / MARKER_NAME
    for payload in tag_payloads(marker).values():
        with pytest.raises(ContentError):
            parse_document("evil.yaml", payload)
    assert not marker.exists()


# The profile file (TOML)


PROFILE_FILES: dict[str, tuple[bytes, str]] = {
    "arrays 40,000 deep": (b"conditions = " + b"[" * 40_000 + b"]" * 40_000 + b"\n", "nesting too deep"),
    "inline tables 15,000 deep": (b"x = " + b"{a = " * 15_000 + b"1" + b"}" * 15_000 + b"\n", "nesting too deep"),
    "number of 5,000 digits": (b"x = " + b"9" * 5000 + b"\n", "a number too long"),
    "over 100 kB": (b"# " + b"x" * 200_000 + b"\n", "too large to be a profile"),
    "binary": (bytes(range(256)), "not UTF-8 text"),
    "Latin-1": ('conditions = ["café"]\n'.encode("latin-1"), "not UTF-8 text"),
    "not TOML": (b"conditions: [diabetes]\n", "not a valid profile"),
    "a string for the list": (b'conditions = "diabetes"\n', "conditions must be a list of names"),
    "a number for the phone": (b"emergency_number = 112\n", "emergency_number must be digits"),
    "escape sequences in a key": (b'"\\u001b[2J" = 1\n', "unknown key '\\x1b[2J'"),
    "key of 50,000 characters": (b"k" * 50_000 + b" = 1\n", "unknown key 'kkkkkkkkkk"),
    "unknown units": (b'units = "furlongs"\n', "units must be metric or us"),
}


@pytest.mark.parametrize("kind", list(PROFILE_FILES))
def test_a_hostile_profile_is_a_clear_error(kind: str, tmp_path: Path) -> None:
    data, fragment = PROFILE_FILES[kind]
    path = tmp_path / "profile.toml"
    path.write_bytes(data)
    with pytest.raises(ContentError) as caught:
        read_profile(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)
    assert len(str(caught.value)) < 1000


@pytest.mark.parametrize("kind", ["arrays 40,000 deep", "binary", "not TOML", "key of 50,000 characters"])
def test_a_hostile_profile_never_takes_the_guide_down_and_is_never_overwritten(kind: str) -> None:
    data, fragment = PROFILE_FILES[kind]
    path = Path(os.environ["CRAMPCLI_CONFIG"])
    path.write_bytes(data)
    shown = runner.invoke(app, ["relief", "calf"])
    assert shown.exit_code == 0 and "warning" in shown.stderr and fragment in shown.stderr
    strict = runner.invoke(app, ["relief", "calf", "--strict"])
    assert strict.exit_code == 1 and fragment in strict.stderr and strict.stdout == ""
    changed = runner.invoke(app, ["profile", "set", "diabetes=yes"])
    assert changed.exit_code == 1 and fragment in changed.stderr
    assert path.read_bytes() == data  # a malformed profile is reported, never replaced


def test_profile_option_pointing_at_a_device_or_folder(tmp_path: Path) -> None:
    for target, fragment in (("/dev/zero", "a device, not a regular file"), (str(tmp_path), "a folder, not a regular")):
        result = runner.invoke(app, ["relief", "calf", "--profile", target, "--strict"])
        assert result.exit_code == 1 and fragment in result.stderr, result.stderr


TOML_PIECES = [
    "conditions",
    "emergency_number",
    "units",
    " = ",
    "[",
    "]",
    "{",
    "}",
    ",",
    '"',
    "'",
    "'''",
    "\n",
    "diabetes",
    "112",
    "metric",
    "9" * 30,
    "1979-05-27T07:32:00Z",
    "inf",
    "nan",
    "true",
    "#",
    ".",
    "[[x]]",
    "\\u001b",
    "\x1b",
    "é",
    "\x00",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(TOML_PIECES) | st.text(max_size=4), max_size=40))
def test_any_profile_text_is_a_profile_or_a_content_error(pieces: list[str], tmp_path: Path) -> None:
    path = tmp_path / "random.toml"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    try:
        read_profile(path)
    except CrampError as error:
        check_error(error)


# check --answers (JSON)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["yes", "no", "unsure", "y", "?", "clot-signs", "\x1b[2J"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=20) | st.sampled_from(["clot-signs", "rls-urge-to-move", "dvt-one-leg-swollen"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_any_answers_json_is_answers_or_a_clear_error(value: object, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    try:
        pairs = read_answers(str(path))
    except CrampError as error:
        assert str(error) and len(str(error)) < 1000
        return
    assert pairs and all(answer in ("yes", "no", "unsure") for _, answer in pairs)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_any_answers_bytes_are_answers_or_a_clear_error(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(data)
    try:
        read_answers(str(path))
    except CrampError as error:
        assert len(str(error)) < 1000


def test_answers_that_are_endless_deep_or_huge(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait for ever
    for path, fragment in (
        ("/dev/zero", "is a device, not a regular file"),
        (str(fifo), "is a named pipe, not a regular file"),
        (str(deep), "nesting too deep"),
    ):
        result = runner.invoke(app, ["check", "--answers", path])
        assert result.exit_code == 1 and fragment in result.stderr, result.stderr
    piped = runner.invoke(app, ["check", "--answers", "-"], input="[" * 2_000_000)
    assert piped.exit_code == 1 and "too large to be answers" in piped.stderr
