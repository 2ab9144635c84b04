"""Where this tool keeps its caches (parsed content, rendered pages): a tiny module with no
imports beyond os, since the page cache looks here before anything else is loaded."""

import os
import sys

APP = "crampcli"


def cache_dir() -> str | None:
    """CRAMPCLI_CACHE_DIR (empty: caching is off), else the system's user cache folder:
    $XDG_CACHE_HOME or ~/.cache on Linux and other Unix, ~/Library/Caches on macOS,
    %LOCALAPPDATA% on Windows (as platformdirs places them), each with a crampcli folder."""
    configured = os.environ.get("CRAMPCLI_CACHE_DIR")
    if configured is not None:
        return os.path.expanduser(configured) if configured else None
    if sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Caches")
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return os.path.join(base, APP, "Cache")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, APP)
