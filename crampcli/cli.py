"""The `cramp` command: parse arguments, ask the guide, hand the page to render.

Kept thin on purpose, and light at start-up: rich, PyYAML and the diary's storage are imported
only by the code paths that need them (ruff's TID253 keeps them out of module level).
"""

import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from . import __version__
from .errors import CrampError, UsageError
from .lazyapp import LazyTyper
from .output import (
    ColorOption,
    HideOption,
    JsonOption,
    PlainOption,
    ProfileOption,
    StrictOption,
    emit,
    fail,
    fit,
    guarded_output,
    load,
    personalise,
    start_run,
)

EXAMPLES = """Examples:

\b
  cramp relief calf            what to do right now for a calf cramp
  cramp relief --night         a cramp that woke you up
  cramp when-to-see-doctor     red flags, most urgent first
  cramp prevent stretching     keep cramps away
  cramp foods magnesium        foods, amounts and daily needs
  cramp tip --oneline          a tip of the day for your shell start-up
  cramp search pickle          find anything in the guide

\b
Add --plain for plain text, --json for one JSON object."""


app = LazyTyper(
    name="cramp",
    help="A self-care guide for leg cramps. Not medical advice: see a doctor for your own situation.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def complete_from(names: str) -> Callable[[str], list[str]]:
    """A shell-completion callback offering the ids and aliases of one kind of item."""

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
        }[names]
        offered = [n for item in items for n in (item.id, *item.aliases)]
        return [n for n in offered if n.startswith(incomplete.lower())]

    return complete


def version_callback(value: bool) -> None:
    if value:
        print(f"cramp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    color: ColorOption = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    start_run(color)


@app.command(epilog="Areas: calf, hamstring, quadriceps, foot (aliases such as charley-horse, back-of-thigh, toes).")
def relief(
    area: Annotated[
        Optional[str],
        typer.Argument(
            help="Where the cramp is: calf, hamstring, quadriceps, foot.",
            autocompletion=complete_from("areas"),
            show_default=False,
        ),
    ] = None,
    night: Annotated[bool, typer.Option("--night", help="A cramp that woke you up.")] = False,
    step_by_step: Annotated[
        bool, typer.Option("--guide", help="Walk through the steps one at a time, with a countdown for each hold.")
    ] = False,
    no_timer: Annotated[bool, typer.Option("--no-timer", help="With --guide: the steps as a page.")] = False,
    bell: Annotated[bool, typer.Option("--bell", help="With --guide: ring the terminal bell at each change.")] = False,
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    hide_unsuitable: HideOption = False,
    strict: StrictOption = False,
) -> None:
    """What to do right now. The first line is the one thing to do first."""
    from . import guide, views

    personalise(profile, hide_unsuitable, strict)
    if (no_timer or bell) and not step_by_step:
        raise UsageError("--no-timer and --bell go with --guide, for example: cramp relief calf --guide --bell")
    content = load()
    plan = guide.relief_plan(content, area, night)
    page = views.relief_page(plan, content.relief.areas if area is None else None, fit())
    if step_by_step:
        from . import guided

        guided.relief(
            content, plan, page, timer=not no_timer, bell=bell, json_output=json_output, plain=plain, color=color
        )
        return
    emit(page, json_output, plain, color)


@app.command()
def prevent(
    topic: Annotated[
        Optional[str],
        typer.Argument(
            help="fluids, stretching, exercise, sleep, footwear, standing-sitting, stress.",
            autocompletion=complete_from("topics"),
            show_default=False,
        ),
    ] = None,
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    hide_unsuitable: HideOption = False,
    strict: StrictOption = False,
) -> None:
    """How to make cramps less likely, with how strong the evidence is."""
    from . import guide, views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    topics = [guide.topic(content, topic)] if topic else list(content.topics)
    emit(views.prevent_page(topics, fit()), json_output, plain, color)


@app.command()
def foods(
    nutrient: Annotated[
        Optional[str],
        typer.Argument(
            help="potassium, magnesium, calcium, vitamin-d, b-vitamins.",
            autocompletion=complete_from("nutrients"),
            show_default=False,
        ),
    ] = None,
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    hide_unsuitable: HideOption = False,
    strict: StrictOption = False,
) -> None:
    """Foods rich in the minerals linked to cramps, with amounts and daily needs."""
    from . import guide, views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    nutrients = [guide.nutrient(content, nutrient)] if nutrient else list(content.nutrients)
    emit(views.foods_page(nutrients, fit()), json_output, plain, color)


@app.command()
def causes(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """What makes cramps more likely: habits, conditions and medicines."""
    from . import views

    emit(views.causes_page(load()), json_output, plain, color)


@app.command()
def remedies(
    name: Annotated[
        Optional[str],
        typer.Argument(
            help="One remedy, e.g. magnesium-supplements, pickle-juice.",
            autocompletion=complete_from("remedies"),
            show_default=False,
        ),
    ] = None,
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    hide_unsuitable: HideOption = False,
    strict: StrictOption = False,
) -> None:
    """Remedies and supplements people ask about, graded honestly."""
    from . import guide, views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    chosen = [guide.remedy(content, name)] if name else list(content.remedies)
    emit(views.remedies_page(chosen, fit()), json_output, plain, color)


def when_to_see_doctor(
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    strict: StrictOption = False,
) -> None:
    """Red flags, most urgent first, and how a cramp differs from its look-alikes."""
    from . import guide, views

    personalise(profile, False, strict)
    content = load()
    page = views.doctor_page(guide.red_flags_by_urgency(content), content.lookalikes, fit())
    emit(page, json_output, plain, color)


app.command("when-to-see-doctor")(when_to_see_doctor)
app.command("doctor", help="Same as when-to-see-doctor.")(when_to_see_doctor)


@app.command()
def tip(
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The tip for this date (default: today).", show_default=False
        ),
    ] = None,
    random_pick: Annotated[bool, typer.Option("--random", help="Any tip, not the one of the day.")] = False,
    topic: Annotated[
        Optional[str],
        typer.Option(
            "--topic",
            help="Only tips on this prevention topic.",
            autocompletion=complete_from("topics"),
            show_default=False,
        ),
    ] = None,
    oneline: Annotated[bool, typer.Option("--oneline", help="One line, for a shell prompt or motd.")] = False,
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
    profile: ProfileOption = None,
    hide_unsuitable: HideOption = False,
    strict: StrictOption = False,
) -> None:
    """A tip of the day: the same date gives the same tip on any machine."""
    import datetime as dt

    from . import guide, render, views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    if random_pick and date:
        raise UsageError("use --date or --random, not both")
    day = guide.parse_date(date) if date else dt.date.today()
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


@app.command()
def search(
    query: Annotated[list[str], typer.Argument(help="Words to look for.", show_default=False)],
    json_output: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = None,
) -> None:
    """Search the whole guide; each hit says which command shows it."""
    from . import guide, views

    text = " ".join(query)
    emit(views.search_page(text, guide.search(load(), text)), json_output, plain, color)


@app.command()
def sources(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """Where the guide's advice comes from."""
    from . import views

    emit(views.sources_page(load().sources), json_output, plain, color)


@app.command()
def disclaimer(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """The medical disclaimer that ends every page."""
    from . import views

    emit(views.disclaimer_page(), json_output, plain, color)


# Feature commands, each in a module of its own that keeps its imports light.
# Register them by import path so their modules load only when used, e.g.
# app.command_at("check", "crampcli.check_cli:check") or, for a typer sub-app,
# app.command_at("log", "crampcli.diary_cli:app").
app.command_at("check", "crampcli.check_cli:check")
app.command_at("profile", "crampcli.profile_cli:app")
app.command_at("content", "crampcli.content_cli:app")
app.command_at("routine", "crampcli.routine_cli:routine")
app.command_at("log", "crampcli.diary_cli:app")


def main() -> None:
    """The console-script entry point: every failure becomes a message and an exit code."""
    try:
        app()
    except CrampError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
