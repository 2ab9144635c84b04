"""Where this tool finds and keeps its files: the shipped content and the caches (parsed
content, rendered pages). A tiny module with no imports beyond os and sys, since the page
cache looks here before anything else is loaded."""

import os
import sys

APP = "crampcli"
SETTING = "CRAMPCLI_CACHE_DIR"
PACKAGE = os.path.dirname(os.path.realpath(__file__))


def shipped_content_dir() -> str:
    """The content that comes with the tool: the copy in an installed wheel (crampcli/content/yaml),
    else the checkout's content/ folder (an editable install or a plain checkout)."""
    packaged = packaged_content_dir()
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(PACKAGE), "content")


def packaged_content_dir() -> str:
    """Where a wheel puts the content files, present or not."""
    return os.path.join(PACKAGE, "content", "yaml")


def cache_dir() -> str | None:
    """CRAMPCLI_CACHE_DIR (empty: caching is off), else the system's user cache folder:
    $XDG_CACHE_HOME or ~/.cache on Linux and other Unix, ~/Library/Caches on macOS,
    %LOCALAPPDATA% on Windows (as platformdirs places them), each with a crampcli folder.

    None too when CRAMPCLI_CACHE_DIR names the home of an unknown user (`~nosuchuser/x`):
    a cache is never worth failing a command for; setting_problem() says why."""
    configured = os.environ.get(SETTING)
    if configured is not None:
        if not configured:
            return None
        expanded = os.path.expanduser(configured)
        return None if expanded.startswith("~") else expanded
    if sys.platform == "darwin":
        folder = os.path.join(os.path.expanduser("~"), "Library", "Caches", APP)
    elif sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        folder = os.path.join(base, APP, "Cache")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, APP)
    # No home folder at all: ~ stays as it is, and a cache in ./~ is worse than none.
    return None if folder.startswith("~") else folder


def data_dir() -> str | None:
    """The folder of the user's data (the diary): CRAMPCLI_HOME, else the platform's user data
    folder as platformdirs names it. None when CRAMPCLI_HOME names the home of an unknown user;
    the diary says so with the setting's name."""
    configured = os.environ.get("CRAMPCLI_HOME")
    if configured:
        expanded = os.path.expanduser(configured)
        return None if expanded.startswith("~") else expanded
    import platformdirs  # not needed on start-up: only the diary and rare warnings get here

    return platformdirs.user_data_dir(APP, appauthor=False)


def setting_problem() -> str | None:
    """Why CRAMPCLI_CACHE_DIR cannot be used (a ~user that does not exist), or None."""
    configured = os.environ.get(SETTING) or ""
    if configured.startswith("~") and os.path.expanduser(configured).startswith("~"):
        user = configured[1:].replace(os.sep, "/").split("/", 1)[0]
        return f"{SETTING} is {configured!r}, but there is no user named {user!r}"
    return None
