"""`cramp tip`: a tip of the day, for reading or for a shell's start-up file."""

import sys
from typing import TYPE_CHECKING, Optional

import typer

from crampcli.cli.options import (
    ColorOption,
    HideOption,
    JsonOption,
    PlainOption,
    ProfileOption,
    StrictOption,
    complete_from,
)
from crampcli.cli.run import emit, fit, guarded_output, load, personalise, wants_json
from crampcli.errors import UsageError
from crampcli.output.page import Color
from crampcli.output.write import write
from crampcli.text import safe, unicode_ok

if TYPE_CHECKING:
    from crampcli.content.model import Tip


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

    from crampcli.guide import find as guide
    from crampcli.guide import pages as views
    from crampcli.output import layout as render

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
    if oneline and not wants_json(json_output):
        unicode = unicode_ok(sys.stdout)
        width = min(ONELINE_WIDTH, max(render.terminal_columns(sys.stdout) or ONELINE_WIDTH, render.MIN_WIDTH))
        line = safe(oneline_text(chosen, width, unicode), unicode)
        guarded_output(lambda: write(sys.stdout, line + "\n"))
        return
    emit(page, json_output, plain, color)


ONELINE_WIDTH = 80
UNTESTED = ("unproven", "not-recommended")  # grades of tips no trial has shown to work
# The marker that goes with every one-line tip, longest first: the longest that fits is used.
MARKERS = {
    True: ("(untested; not medical advice)", "(untested, not advice)"),
    False: ("(not medical advice)", "(not advice)"),
}


def oneline_text(chosen: "Tip", width: int, unicode: bool = True) -> str:
    """The tip's short text and its marker in width columns: the marker says it is not medical
    advice, and whether the tip is untested; a text too long for both is cut at a word."""
    untested = chosen.evidence is not None and chosen.evidence.grade in UNTESTED
    text = " ".join(chosen.short.split())
    for marker in MARKERS[untested]:
        if len(text) + 1 + len(marker) <= width:
            return f"{text} {marker}"
    marker = MARKERS[untested][-1]
    ellipsis = "…" if unicode else "..."
    room = max(width - len(marker) - 1 - len(ellipsis), 1)
    cut = text[: room + 1].rsplit(" ", 1)[0] if " " in text[: room + 1] else text[:room]
    return f"{cut.rstrip(' ,;:')}{ellipsis} {marker}"
