"""`cramp relief`: what to do during a cramp. Kept in its own module: it is the command that must start fastest."""

from typing import Optional

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
from crampcli.cli.run import emit, fit, load, personalise, wants_json
from crampcli.errors import UsageError
from crampcli.output.page import Color


def relief(
    area: Optional[str] = typer.Argument(
        None,
        help="Where the cramp is: calf, hamstring, quadriceps, foot.",
        autocompletion=complete_from("areas"),
        show_default=False,
    ),
    night: bool = typer.Option(False, "--night", help="A cramp that woke you up (with an area too)."),
    full: bool = typer.Option(False, "--all", help="The full page: after-care, every caution, evidence, sources."),
    step_by_step: bool = typer.Option(
        False, "--guide", help="Walk through the steps one at a time, with a countdown for each hold."
    ),
    no_timer: bool = typer.Option(False, "--no-timer", help="With --guide: the steps as a page."),
    bell: bool = typer.Option(False, "--bell", help="With --guide: ring the terminal bell at each change."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    hide_unsuitable: bool = HideOption,
    strict: bool = StrictOption,
) -> None:
    """What to do right now, on one screen. The first line is the one thing to do first."""
    import sys

    from crampcli.guide import find as guide
    from crampcli.guide import pages as views
    from crampcli.output import layout as render

    personalise(profile, hide_unsuitable, strict)
    if (no_timer or bell) and not step_by_step:
        raise UsageError("--no-timer and --bell go with --guide, for example: cramp relief calf --guide --bell")
    content = load()
    plan, note = guide.find_relief(content, area, night)
    if note:
        from crampcli.output.write import note as say

        say(note)
    general = plan is content.relief.general or plan is content.relief.night
    areas = content.relief.areas if general else None
    # The guided walk-through keeps every caution of the full page, however it ends; JSON is
    # the same either way, and the full page skips laying out the short one.
    page = views.relief_page(
        plan,
        areas,
        fit(),
        full=full or step_by_step or wants_json(json_output),
        width=render.plain_width(sys.stdout),
        command=" ".join(["cramp relief", *([] if general else [plan.id]), *(["--night"] if night else [])]),
        disclaimer=content.disclaimer,
        height=min(render.screen_lines(sys.stdout) or views.SCREEN_LINES, views.SCREEN_LINES),
    )
    if step_by_step:
        from crampcli.guide import walk as guided

        guided.relief(
            content,
            plan,
            page,
            timer=not no_timer,
            bell=bell,
            json_output=wants_json(json_output),
            plain=plain,
            color=color,
        )
        return
    emit(page, json_output, plain, color)
