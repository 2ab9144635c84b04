"""The user's profile: which conditions apply to them, their emergency number, their units,
and where the user's own files live (the profile, and their own content beside it).

The profile is a small TOML file. Which advice suits which condition is declared in the
content; this module only records who the user is. Environment variables point the files
elsewhere (tests, several profiles, a portable setup).
"""

from __future__ import annotations  # annotations stay strings: evaluating them cost start-up time

import contextlib  # already loaded at start-up by the standard library
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from crampcli import safefile
from crampcli.content.record import Record
from crampcli.errors import ContentError, CrampError, UsageError

APP = "crampcli"


def config_file() -> Path:
    """The profile: CRAMPCLI_CONFIG, else profile.toml in the user config folder.

    CRAMPCLI_CONFIG=/dev/null means no profile: it reads as empty and nothing is saved there."""
    configured = os.environ.get("CRAMPCLI_CONFIG")
    if configured:
        return safefile.expand_user(configured, "CRAMPCLI_CONFIG")
    return config_dir() / "profile.toml"


def config_dir() -> Path:
    if sys.platform.startswith("linux"):  # platformdirs' own rule, without its import on every run
        configured = os.environ.get("XDG_CONFIG_HOME")
        return (Path(configured) if configured else home() / ".config") / APP
    import platformdirs

    # appauthor=False: on Windows the profile goes in %LOCALAPPDATA%\crampcli, beside the diary,
    # not in a crampcli folder inside another one named after the author.
    return platformdirs.user_config_path(APP, appauthor=False)


def home() -> Path:
    """The user's home folder; a clear error when there is none to be found."""
    found = os.path.expanduser("~")
    if found.startswith("~"):
        shown = os.environ.get("HOME")
        why = f"HOME is {shown!r}" if shown is not None else "HOME is not set"
        raise CrampError(f"cannot find your home folder ({why}); set CRAMPCLI_CONFIG to where the profile goes")
    return Path(found)


def user_content_dir() -> Path:
    """The user's own content files: CRAMPCLI_USER_CONTENT, else `content/` beside the profile."""
    configured = os.environ.get("CRAMPCLI_USER_CONTENT")
    if configured:
        return safefile.expand_user(configured, "CRAMPCLI_USER_CONTENT")
    return config_file().parent / "content"


Units = Literal["metric", "us"]
UNITS: tuple[Units, ...] = ("metric", "us")
EMERGENCY_NUMBER = r"(?=.*[0-9])[0-9+][0-9 +\-]{0,14}"  # holds a digit; compiled on use: most runs never check one
YES = ("yes", "y", "true", "on", "1")
NO = ("no", "n", "false", "off", "0")
SETTABLE = "conditions, emergency-number, units, or a condition with yes/no (for example diabetes=yes)"


class Profile(Record):
    conditions: tuple[str, ...] = ()  # condition ids from content/conditions.yaml
    emergency_number: str | None = None
    units: Units | None = None  # None: amounts as the sources give them


class Fit(Record):
    """How the guide should be shown to this user."""

    conditions: frozenset[str] = frozenset()
    names: dict[str, str] = {}  # condition id -> its name, for "not advised for ..."  # noqa: RUF012
    hide_unsuitable: bool = False
    emergency_number: str | None = None
    units: Units | None = None

    def unsuitable(self, unsuitable_for: tuple[str, ...]) -> list[str]:
        """The names of this user's conditions an item is not suited to."""
        return [self.names.get(c, c) for c in unsuitable_for if c in self.conditions]

    def applies(self, conditions: tuple[str, ...]) -> bool:
        return any(c in self.conditions for c in conditions)

    def suits(self, suits: tuple[str, ...]) -> bool:
        return any(c in self.conditions for c in suits)


NO_FIT = Fit()


def in_own_folder(path: Path) -> bool:
    """Whether path is in the config folder this tool makes (0700) and owns. There it is read
    and written relative to the folder as opened and checked, so that a folder swapped for a
    link meanwhile is never read or written through. A profile named elsewhere (--profile,
    CRAMPCLI_CONFIG) may be read from a shared folder such as /tmp, which that check refuses:
    it is read by path, as the file the user chose."""
    try:
        return path.parent == config_dir()
    except CrampError:  # no home folder: the profile was named outright
        return False


@contextlib.contextmanager
def _opened_folder(path: Path, writing: bool) -> Iterator[int | None]:
    """The descriptor of path's folder, checked (and made 0700 when missing, for writing), to
    open path relative to; None where path goes by its name (see in_own_folder)."""
    if writing:  # a profile is only ever written into a private folder
        with safefile.private_folder_open(path.parent) as opened:
            yield opened
    elif in_own_folder(path):
        with safefile.checked_folder(path.parent) as opened:
            yield opened
    else:
        yield None


def _remedy(path: Path) -> str:
    """What to do when the config folder itself is refused, for the end of the message."""
    folder = path.parent
    if not in_own_folder(path) or safefile.folder_problem(folder) is None:
        return ""
    if os.path.islink(folder):
        real = os.path.realpath(path)  # where the link leads: named outright, it is read there
        return f" (cramp keeps the profile only in a real folder; set CRAMPCLI_CONFIG to {real} to use it there)"
    return f" (if it is your own folder, `chmod go-w {folder}` makes it yours alone)"


def read_profile(path: Path) -> Profile:
    """The profile stored at path; an empty profile when there is none, or when path is
    /dev/null. Raises ContentError if malformed, if path is a FIFO, a device or a folder, or
    if the config folder is another user's or others can write into it."""
    if safefile.is_dev_null(path):
        return Profile()
    try:  # no further than the limit: a file that never ends is refused before it is read
        if not os.path.lexists(path.parent):
            raise FileNotFoundError(path)
        with _opened_folder(path, writing=False) as opened:
            raw, _ = safefile.read_regular(path, MAX_PROFILE_BYTES + 1, dir_fd=opened)
    except FileNotFoundError:
        return Profile()  # tomllib is not even imported: most runs have no profile
    except safefile.UnsafePathError as error:
        raise ContentError(f"cannot read the profile: {error}{_remedy(path)}") from None
    except OSError as error:
        raise ContentError(f"{path}: cannot read the profile: {error.strerror or error}") from None
    import tomllib

    if len(raw) > MAX_PROFILE_BYTES:
        raise ContentError(f"{path}: too large to be a profile (over {MAX_PROFILE_BYTES} bytes)")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ContentError(f"{path}: cannot read the profile: not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: not a valid profile: {error}") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, arrays nested thousands deep
        raise ContentError(f"{path}: not a valid profile: a number too long or nesting too deep") from None
    return profile_from(data, path)


MAX_PROFILE_BYTES = 100_000  # a profile is a few lines


def profile_from(data: dict[str, object], path: Path) -> Profile:
    unknown = sorted(set(data) - {"conditions", "emergency_number", "units"})
    if unknown:
        raise ContentError(f"{path}: unknown key {unknown[0][:40]!r} (known: conditions, emergency_number, units)")
    conditions = data.get("conditions", [])
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise ContentError(f'{path}: conditions must be a list of names, for example ["diabetes"]')
    number = data.get("emergency_number")
    if number is not None and not (isinstance(number, str) and re.fullmatch(EMERGENCY_NUMBER, number)):
        raise ContentError(f'{path}: emergency_number must be digits, for example "112"')
    units = data.get("units")
    if units is not None and units not in UNITS:
        raise ContentError(f"{path}: units must be metric or us")
    return Profile(tuple(conditions), number, units)


def to_toml(profile: Profile) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# crampcli profile: `cramp profile show` explains it, `cramp profile set KEY=VALUE` changes it."]
    lines.append("conditions = [" + ", ".join(quoted(c) for c in profile.conditions) + "]")
    if profile.emergency_number:
        lines.append(f"emergency_number = {quoted(profile.emergency_number)}")
    if profile.units:
        lines.append(f"units = {quoted(profile.units)}")
    return "\n".join(lines) + "\n"


def write_profile(path: Path, profile: Profile) -> None:
    """Replace the file in one step, readable by its owner only (it holds health details).

    Through a temp file created exclusively in a folder of this user's own, made 0700 when
    missing; what is not a regular file (/dev/null, a FIFO, a link) is never replaced."""
    try:
        safefile.refuse_unless_regular(path)  # said before any folder is made
        with _opened_folder(path, writing=True) as opened:
            safefile.sweep_stale_temps(path.parent, dir_fd=opened)  # what killed or full-disk runs left behind
            safefile.write_atomic(path, to_toml(profile).encode("utf-8"), dir_fd=opened)
    except safefile.UnsafePathError as error:
        raise ContentError(f"cannot save the profile: {error}") from None
    except OSError as error:
        raise ContentError(f"cannot save the profile at {path}: {error.strerror or error}") from None


def remove_profile(path: Path) -> bool:
    """Delete the profile; False when there is none (or it is /dev/null). Raises ContentError
    for anything that is not a regular file, which is left alone."""
    if safefile.is_dev_null(path):
        return False
    try:
        if not os.path.lexists(path.parent):
            return False
        with _opened_folder(path, writing=False) as opened:
            return safefile.remove_regular(path, dir_fd=opened)
    except safefile.UnsafePathError as error:
        raise ContentError(f"cannot remove the profile: {error}") from None
    except OSError as error:
        raise ContentError(f"cannot remove {path}: {error.strerror or error}") from None


def profile_problem(path: Path) -> str | None:
    """Why path cannot be cleared or replaced (not a regular file), or None; /dev/null is fine."""
    if safefile.is_dev_null(path):
        return None
    try:
        safefile.refuse_unless_regular(path)
    except safefile.UnsafePathError as error:
        return str(error)
    return None


def with_setting(profile: Profile, key: str, value: str, condition_ids: dict[str, str]) -> Profile:
    """profile with KEY=VALUE applied; condition_ids maps every name and alias to its id."""
    key = key.strip().lower().replace("_", "-")
    value = value.strip()
    if key == "conditions":
        names = [v for v in (part.strip() for part in value.split(",")) if v]
        return Profile(
            tuple(dict.fromkeys(condition_id(n, condition_ids) for n in names)), profile.emergency_number, profile.units
        )
    if key == "emergency-number":
        if value and not re.fullmatch(EMERGENCY_NUMBER, value):
            raise UsageError("the emergency number is digits (spaces, + and - allowed), for example 112")
        return Profile(profile.conditions, value or None, profile.units)
    if key == "units":
        if value not in (*UNITS, ""):
            raise UsageError("units are metric or us")
        return Profile(profile.conditions, profile.emergency_number, value or None)  # type: ignore[arg-type]
    if key in condition_ids:
        wanted = condition_id(key, condition_ids)
        answer = value.lower()
        if answer not in YES + NO:
            raise UsageError(f"say yes or no, for example {key}=yes")
        rest = tuple(c for c in profile.conditions if c != wanted)
        return Profile((*rest, wanted) if answer in YES else rest, profile.emergency_number, profile.units)
    raise UsageError(f"unknown setting {key[:40]!r}; use {SETTABLE}")


def condition_id(name: str, condition_ids: dict[str, str]) -> str:
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key in condition_ids:
        return condition_ids[key]
    raise UsageError(f"unknown condition {name[:40]!r}; known: {', '.join(sorted(set(condition_ids.values())))}")
