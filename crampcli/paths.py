"""Where the user's own files live: the profile, their own content, and the diary's folder.

Environment variables point them elsewhere (tests, several profiles, a portable setup).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "crampcli"


def config_file() -> Path:
    """The profile: CRAMPCLI_CONFIG, else profile.toml in the user config folder."""
    configured = os.environ.get("CRAMPCLI_CONFIG")
    if configured:
        return Path(configured).expanduser()
    return config_dir() / "profile.toml"


def config_dir() -> Path:
    if sys.platform.startswith("linux"):  # platformdirs' own rule, without its import on every run
        return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP
    import platformdirs

    return platformdirs.user_config_path(APP)


def user_content_dir() -> Path:
    """The user's own content files: CRAMPCLI_USER_CONTENT, else `content/` beside the profile."""
    configured = os.environ.get("CRAMPCLI_USER_CONTENT")
    if configured:
        return Path(configured).expanduser()
    return config_file().parent / "content"
