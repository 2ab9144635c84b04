"""The options every content command shares, and shell completion of their values."""

from collections.abc import Callable
from typing import Any

import typer

from crampcli.cli.run import load
from crampcli.errors import CrampError

# Options shared by every content command. Options are given as typer default values rather
# than Annotated types, here and in every command: typer builds them faster on every run.
JsonOption = typer.Option(False, "--json", help="Print one JSON object (keys in README).")
PlainOption = typer.Option(False, "--plain", help="Plain text without colour or layout.")
ColorOption = typer.Option(None, "--color", help="Colour: auto, always or never.")
NoPagerOption = typer.Option(False, "--no-pager", help="Never show long pages through a pager.")
# Options of the commands whose advice depends on who the user is.
ProfileOption = typer.Option(
    None, "--profile", metavar="FILE|none", help="Use this profile file, or none for the plain guide."
)
HideOption = typer.Option(False, "--hide-unsuitable", help="Leave out advice that your profile says does not suit you.")
StrictOption = typer.Option(
    False, "--strict", help="A broken profile or content file of yours is an error, not a warning."
)


def complete_from(names: str) -> Callable[[str], list[str]]:
    """A shell-completion callback offering the ids of one kind of item; its aliases only when
    no id starts with what was typed (4 areas to choose from, not 30 names)."""

    def complete(incomplete: str) -> list[str]:
        try:
            content = load()
        except CrampError:
            return []
        items: tuple[Any, ...] = {
            "areas": content.relief.areas,
            "topics": content.topics,
            "nutrients": content.nutrients,
            "remedies": content.remedies,
            "conditions": content.conditions,
        }[names]
        typed = incomplete.lower()
        ids = [item.id for item in items if item.id.startswith(typed)]
        return ids or [alias for item in items for alias in item.aliases if alias.startswith(typed)]

    return complete


def complete_words(module: str, name: str) -> Callable[[str], list[str]]:
    """A shell-completion callback for a comma-separated list of fixed words (module.name holds
    them, imported only when completing): 'heat,co' offers 'heat,cold'."""

    def complete(incomplete: str) -> list[str]:
        import importlib

        words: tuple[str, ...] = getattr(importlib.import_module(module), name)
        done, _, typed = incomplete.rpartition(",")
        before = done + "," if done else ""
        given = set(done.split(","))
        return [before + word for word in words if word.startswith(typed.lower()) and word not in given]

    return complete


def complete_settings(incomplete: str) -> list[str]:
    """`profile set` keys (KEY=), then the values a key takes: conditions by id, yes/no, units."""
    try:
        conditions = [c.id for c in load().conditions]
    except CrampError:
        conditions = []
    key, sep, typed = incomplete.partition("=")
    if not sep:
        keys = ["conditions=", "emergency-number=", "units=", *(f"{c}=" for c in conditions)]
        return [k for k in keys if k.startswith(key.lower())]
    values = {"units": ["metric", "us"], "conditions": conditions}.get(key, ["yes", "no"] if key in conditions else [])
    if key == "conditions":
        done, _, last = typed.rpartition(",")
        before = done + "," if done else ""
        return [f"{key}={before}{c}" for c in conditions if c.startswith(last) and c not in done.split(",")]
    return [f"{key}={v}" for v in values if v.startswith(typed)]
