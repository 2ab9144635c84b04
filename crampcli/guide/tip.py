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
from crampcli.content.model import ONELINE_COLUMNS, ONELINE_MARKERS, UNTESTED_GRADES, oneline_form
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
    # --oneline with --json: the tip the line would show, as JSON
    if random_pick:
        chosen_topic, chosen = guide.random_tip(content, topic, person.conditions, oneline)
    else:
        chosen_topic, chosen = guide.tip_for_date(content, day, topic, person.conditions, oneline)
    if oneline and not wants_json(json_output):
        unicode = unicode_ok(sys.stdout)
        width = render.terminal_columns(sys.stdout) or ONELINE_COLUMNS
        line = safe(oneline_text(chosen, min(width, ONELINE_COLUMNS)), unicode)
        guarded_output(lambda: write(sys.stdout, line + "\n"))
        return
    page = views.tip_page(chosen_topic, chosen, None if random_pick else day.isoformat(), person)
    emit(page, json_output, plain, color)


def oneline_text(chosen: "Tip", width: int = ONELINE_COLUMNS) -> str:
    """The tip's one-line form with the longest marker that fits width: the marker says it is
    not medical advice, and whether the tip is untested. Content validation keeps every
    one-line form short enough for 80 columns with the shorter marker; a narrower terminal
    wraps the line rather than lose words."""
    untested = chosen.evidence is not None and chosen.evidence.grade in UNTESTED_GRADES
    text = " ".join((oneline_form(chosen) or "").split())
    markers = ONELINE_MARKERS[untested]
    fitting = [marker for marker in markers if len(text) + 1 + len(marker) <= width]
    return f"{text} {(fitting or markers[-1:])[0]}"
