"""Shared fixtures: every test gets its own cache, home and config, never the user's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from crampcli.content.load import builtin_dir, load_content
from crampcli.content.model import Content

# The same examples on every run: property tests find what they find once, and a run never
# depends on the day's random draw.
settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One content cache for the whole run, never the user's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
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
