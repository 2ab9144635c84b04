"""The loader: the shipped content validates, and every kind of broken file is named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from crampcli.content import cache
from crampcli.content.load import load_content
from crampcli.errors import ContentError


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_for(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


def test_shipped_content_loads(content: object) -> None:
    from crampcli.content.model import Content

    assert isinstance(content, Content)


def test_unknown_key_names_file_line_and_path(content_copy: Path) -> None:
    replace_in(content_copy / "relief.yaml", "    first:", "    frist: typo\n    first:")
    message = error_for(content_copy)
    assert "relief.yaml:" in message
    assert "frist" in message and "unknown key" in message


def test_missing_required_field(content_copy: Path) -> None:
    path = content_copy / "sources.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    path.write_text("".join(lines[:index] + lines[index + 1 :]), encoding="utf-8")
    message = error_for(content_copy)
    assert "sources.yaml" in message and "missing required key 'title'" in message


def test_duplicate_id(content_copy: Path) -> None:
    replace_in(content_copy / "relief.yaml", "id: hamstring", "id: calf")
    assert "duplicate id 'calf'" in error_for(content_copy)


def test_unknown_source_id(content_copy: Path) -> None:
    replace_in(content_copy / "relief.yaml", "sources: [", "sources: [no-such-source, ")
    message = error_for(content_copy)
    assert "unknown source id 'no-such-source'" in message and "relief.yaml:" in message


def test_wrong_type_is_named_with_key_path(content_copy: Path) -> None:
    replace_in(content_copy / "relief.yaml", "hold_seconds: 30", "hold_seconds: long")
    message = error_for(content_copy)
    assert "hold_seconds" in message and "whole number" in message and "relief.areas[" in message


def test_bad_literal(content_copy: Path) -> None:
    replace_in(content_copy / "red_flags.yaml", "urgency: emergency", "urgency: whenever")
    assert "must be one of emergency, urgent, soon, self-care" in error_for(content_copy)


def test_invalid_yaml_gives_line(content_copy: Path) -> None:
    (content_copy / "broken.yaml").write_text("relief: [unclosed\n  - a\n", encoding="utf-8")
    message = error_for(content_copy)
    assert "broken.yaml:" in message and "not valid YAML" in message


def test_python_tags_are_refused_and_never_run(content_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (content_copy / "evil.yaml").write_text(
        f"x: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    message = error_for(content_copy)
    assert "evil.yaml" in message
    assert not marker.exists()


def test_aliases_are_refused(content_copy: Path) -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    (content_copy / "bomb.yaml").write_text(bomb, encoding="utf-8")
    assert "aliases" in error_for(content_copy)


def test_non_utf8_file(content_copy: Path) -> None:
    (content_copy / "latin.yaml").write_bytes("x: caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in error_for(content_copy)


def test_empty_file(content_copy: Path) -> None:
    (content_copy / "empty.yaml").write_text("", encoding="utf-8")
    assert "empty.yaml: the file is empty" in error_for(content_copy)


def test_unknown_section_and_section_twice(content_copy: Path) -> None:
    (content_copy / "extra.yaml").write_text("recipes: []\n", encoding="utf-8")
    assert "unknown section" in error_for(content_copy)
    (content_copy / "extra.yaml").write_text("routines: []\n", encoding="utf-8")
    assert "already given in" in error_for(content_copy)


def test_missing_folder(tmp_path: Path) -> None:
    assert "cannot read the content folder" in error_for(tmp_path / "nope")


def test_cache_serves_equal_content_and_notices_edits(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "c"))
    first = load_content(content_copy)
    assert list((tmp_path / "c").glob("content-*.bin")), "a cache entry was written"
    again = load_content(content_copy)
    assert again == first
    # An edit of the same length must still be seen.
    replace_in(content_copy / "relief.yaml", "id: calf", "id: calv")
    edited = {a.id for a in load_content(content_copy).relief.areas}
    assert "calv" in edited and "calf" not in edited


def test_corrupt_cache_is_ignored(content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "c"))
    expected = load_content(content_copy)
    (entry,) = (tmp_path / "c").glob("content-*.bin")
    entry.write_bytes(b"\x00garbage")
    assert load_content(content_copy) == expected


def test_cache_can_be_turned_off(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", "")
    assert cache.cache_dir() is None
    load_content(content_copy)


def test_two_content_folders_keep_their_own_cache_entries(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.content import load as content_module

    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "c"))
    other = tmp_path / "other"
    other.mkdir()
    for path in content_copy.iterdir():
        (other / path.name).write_bytes(path.read_bytes())
    parses: list[int] = []
    real_parse = content_module.parse_content
    monkeypatch.setattr(content_module, "parse_content", lambda *args: parses.append(1) or real_parse(*args))
    for folder in (content_copy, other, content_copy, other):
        load_content(folder)
    assert len(parses) == 2, "each folder is parsed once, then served from its own entry"


def test_a_damaged_cache_section_falls_back_to_parsing(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "c"))
    expected = load_content(content_copy)
    (entry,) = (tmp_path / "c").glob("content-*.bin")
    data = bytearray(entry.read_bytes())
    where = data.index(expected.topics[0].name.encode())  # inside the topics section
    data[where] ^= 0x20
    entry.write_bytes(bytes(data))
    lazy = load_content(content_copy)
    assert lazy.relief == expected.relief  # an undamaged section is served from the entry
    assert lazy.topics == expected.topics
    assert lazy == expected
    assert entry.read_bytes() != bytes(data), "the damaged entry was replaced by a sound one"
    from crampcli.content import load as content_module

    monkeypatch.setattr(content_module, "parse_content", lambda *args: pytest.fail("parsed again on the next run"))
    assert load_content(content_copy).topics == expected.topics


USER_TOPIC = (
    "topics:\n  - id: mine-{n}\n    name: My notes {n}\n    summary: What works for me.\n    tips:\n"
    "      - id: my-tip-{n}\n        text: A pillow under my knees helps.\n        short: Pillow.\n"
    "        sources: [nhs-lc]\n"
)
BROKEN_USER_FILE = "topics:\n  - id: broken\n    name: Broken\n    summry: a typo\n"


@pytest.fixture
def user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "c"))
    folder = tmp_path / "mine"
    folder.mkdir()
    for n in range(3):
        (folder / f"mine-{n}.yaml").write_text(USER_TOPIC.format(n=n), encoding="utf-8")
    (folder / "zz-broken.yaml").write_text(BROKEN_USER_FILE, encoding="utf-8")
    return folder


def test_one_broken_user_file_is_checked_once_then_served_with_its_warning(
    user_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.content import load as content_module

    parsed: list[str] = []
    real_parse = content_module.parse_document
    monkeypatch.setattr(
        content_module, "parse_document", lambda name, data: parsed.append(name) or real_parse(name, data)
    )
    first, warnings = content_module.load_guide(user_folder)
    assert len(warnings) == 1 and "zz-broken.yaml" in warnings[0] and "summry" in warnings[0]
    assert {t.id for t in first.topics} >= {"mine-0", "mine-1", "mine-2"}
    builtin_files = len(content_module.content_files(content_module.builtin_dir()))
    assert parsed.count(parsed[0]) == 1, "the built-in files are parsed once, not once for each user file"
    assert len(parsed) < 3 * builtin_files
    parsed.clear()
    again, warnings_again = content_module.load_guide(user_folder)
    assert parsed == [], "the second run parses nothing"
    assert warnings_again == warnings and again == first
    with pytest.raises(ContentError, match="summry"):
        content_module.load_guide(user_folder, strict=True)  # strict still fails, cached or not
    (user_folder / "zz-broken.yaml").write_text(USER_TOPIC.format(n=9), encoding="utf-8")
    fixed, no_warnings = content_module.load_guide(user_folder)
    assert no_warnings == [] and "mine-9" in {t.id for t in fixed.topics}


def test_no_warning_while_the_shell_completes_a_word(user_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crampcli.content import load as content_module

    assert content_module.load_guide(user_folder)[1]
    monkeypatch.setenv("_CRAMP_COMPLETE", "complete_bash")
    assert content_module.load_guide(user_folder)[1] == []


def test_completion_of_the_installed_command_prints_no_warning(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    cramp = shutil.which("cramp", path=str(Path(sys.executable).parent))
    if not cramp:
        pytest.skip("the cramp script is not installed beside this Python")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "bad.yaml").write_text(BROKEN_USER_FILE, encoding="utf-8")
    open_cache = tmp_path / "open-cache"
    open_cache.mkdir()
    open_cache.chmod(0o777)  # refused, which is a warning too
    env = {**os.environ, "CRAMPCLI_CONFIG": str(tmp_path / "p.toml"), "CRAMPCLI_CACHE_DIR": str(open_cache)}
    completing = {**env, "_CRAMP_COMPLETE": "complete_bash", "COMP_WORDS": "cramp relief ", "COMP_CWORD": "2"}
    result = subprocess.run([cramp], capture_output=True, text=True, env=completing, timeout=60, check=False)
    assert result.returncode == 0 and "calf" in result.stdout.split()
    assert result.stderr == ""
    shown = subprocess.run([cramp, "relief", "calf"], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert "bad.yaml" in shown.stderr and "not used" in shown.stderr  # the same run outside completion warns
