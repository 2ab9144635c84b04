"""`cramp tip`: a tip of the day, for reading or for a shell's start-up file."""

import sys
from typing import Optional

import typer

from .errors import UsageError
from .output import (
    Color,
    ColorOption,
    HideOption,
    JsonOption,
    PlainOption,
    ProfileOption,
    StrictOption,
    complete_from,
    emit,
    fit,
    guarded_output,
    load,
    personalise,
)


def tip(
    date: Optional[str] = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="The tip for this date (default: today).", show_default=False
    ),
    random_pick: bool = typer.Option(False, "--random", help="Any tip, not the one of the day."),
    topic: Optional[str] = typer.Option(
        None,
        "--topic",
        help="Only tips on this prevention topic.",
        autocompletion=complete_from("topics"),
        show_default=False,
    ),
    oneline: bool = typer.Option(False, "--oneline", help="One line, for a shell prompt or motd."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    hide_unsuitable: bool = HideOption,
    strict: bool = StrictOption,
) -> None:
    """A tip of the day: the same date gives the same tip on any machine."""
    import datetime as dt

    from . import guide, render, views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    if random_pick and date is not None:
        raise UsageError("use --date or --random, not both")
    day = guide.parse_date(date) if date is not None else dt.date.today()
    person = fit()
    avoid = person.conditions  # a tip of the day never suggests what does not suit the user
    if random_pick:
        chosen_topic, chosen = guide.random_tip(content, topic, avoid)
    else:
        chosen_topic, chosen = guide.tip_for_date(content, day, topic, avoid)
    page = views.tip_page(chosen_topic, chosen, None if random_pick else day.isoformat(), person)
    if oneline and not json_output:
        line = render.safe(f"{chosen.short} ({content.disclaimer.short})", render.unicode_ok(sys.stdout))
        guarded_output(lambda: render.write(sys.stdout, line + "\n"))
        return
    emit(page, json_output, plain, color)
