"""Shared fixtures: every test gets its own cache, home and config, never the user's."""

from __future__ import annotations

import shutil
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from crampcli.content.load import builtin_dir, load_content
from crampcli.content.model import Content

# The same examples on every run: property tests find what they find once, and a run never
# depends on the day's random draw.
settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")

# A test that starts a process through one of these (itself, or through a helper function or
# fixture of its module) is marked `process`: `pytest -m "not process"` runs in-process only.
SPAWNERS = {"subprocess", "pexpect"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        module = vars(item.module)  # type: ignore[attr-defined]
        fixtures = [module[name] for name in getattr(item, "fixturenames", ()) if name in module]
        if any(spawns(code_of(f), module, set()) for f in [function, *fixtures]):
            item.add_marker(pytest.mark.process)


def code_of(function: Any) -> types.CodeType | None:
    """The code of a function or of the function a pytest fixture wraps."""
    for candidate in (function, getattr(function, "__wrapped__", None), getattr(function, "_fixture_function", None)):
        if isinstance(getattr(candidate, "__code__", None), types.CodeType):
            return candidate.__code__  # type: ignore[union-attr]
    return None


def spawns(code: types.CodeType | None, module: dict[str, Any], seen: set[types.CodeType]) -> bool:
    """Whether code names a spawner, directly, in a nested function, or in a function of its module it calls."""
    if code is None or code in seen:
        return False
    seen.add(code)
    if SPAWNERS & set(code.co_names):
        return True
    nested = [const for const in code.co_consts if isinstance(const, types.CodeType)]
    called = [code_of(module[name]) for name in code.co_names if callable(module.get(name))]
    return any(spawns(inner, module, seen) for inner in [*nested, *called])


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One content cache for the whole run, and a home and XDG folders of its own: a test that
    clears CRAMPCLI_CACHE_DIR or CRAMPCLI_CONFIG to reach the default places (and every process
    a test starts) writes there, never into the user's ~/.cache or ~/.config."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("HOME", str(home))
        xdg = {"XDG_CACHE_HOME": ".cache", "XDG_CONFIG_HOME": ".config", "XDG_DATA_HOME": ".local/share"}
        for name, below in xdg.items():
            patch.setenv(name, str(home / below))
        yield


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("CRAMPCLI_HOME", str(base / "home"))
    monkeypatch.setenv("CRAMPCLI_CONFIG", str(base / "config.toml"))
    monkeypatch.delenv("CRAMPCLI_CONTENT_DIR", raising=False)
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the built-in content folder, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(builtin_dir(), target)
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--refresh-golden", action="store_true", help="write the pages in tests/golden/ anew (read the diff after)"
    )
