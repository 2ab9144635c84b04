"""`cramp routine [NAME]`: the stretching routines from content, listed or guided step by step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

import typer

from crampcli.cli.options import ColorOption, JsonOption, PlainOption
from crampcli.cli.run import emit, load, wants_json
from crampcli.content.record import Record
from crampcli.errors import UsageError
from crampcli.output.page import Color

if TYPE_CHECKING:
    from crampcli.content.model import Content, Routine
    from crampcli.output.page import Page


class RoutineName(Record):
    """What a routine can be asked for by: routines have no aliases, so only id and name."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


def find_routine(routines: Sequence[Routine], wanted: str) -> Routine:
    """The routine with this id or name; else a usage error with suggestions."""
    from crampcli.content.names import find_named

    names = [RoutineName(r.id, r.name) for r in routines]
    found = find_named(names, wanted, "routine", "routines")
    return next(r for r in routines if r.id == found.id)


def complete_routine(incomplete: str) -> list[str]:
    from crampcli.errors import CrampError

    try:
        routines = load().routines
    except CrampError:
        return []
    return [r.id for r in routines if r.id.startswith(incomplete.lower())]


def routines_page(content: Content) -> Page:
    from crampcli.output.page import Page

    page = Page(
        "routines", data={"routines": [{"id": r.id, "name": r.name, "summary": r.summary} for r in content.routines]}
    )
    page.add("title", "Stretching routines")
    if not content.routines:
        page.add("text", "There are no routines in the content yet.")
    for r in content.routines:
        page.add("heading", f"{r.id} - {r.name}")
        page.add("text", r.summary)
    page.add("text", "Guided, with timers: cramp routine NAME (--no-timer for the steps as a page)", style="muted")
    return page


def routine_page(chosen: Routine) -> Page:
    from crampcli.guide.pages import add_item_notes, step_line
    from crampcli.output.page import Page, as_json

    page = Page("routine", data={"routine": as_json(chosen)})
    page.add("title", chosen.name)
    page.add("text", chosen.summary)
    page.add("steps", *(step_line(s) for s in chosen.steps))
    add_item_notes(page, chosen.evidence, (), chosen.sources)
    return page


def routine(
    name: Optional[str] = typer.Argument(
        None,
        help="The routine, e.g. bedtime. Without one, the list.",
        autocompletion=complete_routine,
        show_default=False,
    ),
    no_timer: bool = typer.Option(False, "--no-timer", help="The steps as a page, without countdowns."),
    bell: bool = typer.Option(False, "--bell", help="Ring the terminal bell at each change."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Stretching routines, guided one step at a time with a countdown for each hold."""
    from crampcli.guide import walk as guided

    content = load()
    if name is None:
        if no_timer or bell:
            raise UsageError("--no-timer and --bell go with a routine, for example: cramp routine bedtime")
        emit(routines_page(content), json_output, plain, color)
        return
    chosen = find_routine(content.routines, name)
    guided.routine(
        content,
        chosen,
        routine_page(chosen),
        timer=not no_timer,
        bell=bell,
        json_output=wants_json(json_output),
        plain=plain,
        color=color,
    )
