"""The commands for reading the guide between cramps: prevention, foods, causes, remedies,
when to see a doctor, search, sources and the disclaimer."""

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
from crampcli.cli.run import emit, fit, load, personalise
from crampcli.output.page import Color


def prevent(
    topic: Optional[str] = typer.Argument(
        None,
        help="fluids, stretching, exercise, sleep, footwear, standing-sitting, stress.",
        autocompletion=complete_from("topics"),
        show_default=False,
    ),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    hide_unsuitable: bool = HideOption,
    strict: bool = StrictOption,
) -> None:
    """How to make cramps less likely, with how strong the evidence is."""
    from crampcli.guide import find as guide
    from crampcli.guide import pages as views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    topics = guide.topics_matching(content, topic) if topic is not None else list(content.topics)
    emit(views.prevent_page(topics, fit()), json_output, plain, color)


def foods(
    nutrient: Optional[str] = typer.Argument(
        None,
        help="potassium, magnesium, calcium, vitamin-d, b-vitamins.",
        autocompletion=complete_from("nutrients"),
        show_default=False,
    ),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    hide_unsuitable: bool = HideOption,
    strict: bool = StrictOption,
) -> None:
    """Foods rich in the minerals linked to cramps, with amounts and daily needs."""
    from crampcli.guide import find as guide
    from crampcli.guide import pages as views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    nutrients = guide.nutrients_matching(content, nutrient) if nutrient is not None else list(content.nutrients)
    emit(views.foods_page(nutrients, fit()), json_output, plain, color)


def causes(json_output: bool = JsonOption, plain: bool = PlainOption, color: Optional[Color] = ColorOption) -> None:
    """What makes cramps more likely: habits, conditions and medicines."""
    from crampcli.guide import pages as views

    emit(views.causes_page(load()), json_output, plain, color)


def remedies(
    name: Optional[str] = typer.Argument(
        None,
        help="A remedy, or a word: pickle-juice, magnesium.",
        autocompletion=complete_from("remedies"),
        show_default=False,
    ),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    hide_unsuitable: bool = HideOption,
    strict: bool = StrictOption,
) -> None:
    """Remedies and supplements people ask about, graded honestly."""
    from crampcli.guide import find as guide
    from crampcli.guide import pages as views

    personalise(profile, hide_unsuitable, strict)
    content = load()
    chosen = guide.remedies_matching(content, name) if name is not None else list(content.remedies)
    emit(views.remedies_page(chosen, fit(), name), json_output, plain, color)


def when_to_see_doctor(
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
    profile: Optional[str] = ProfileOption,
    strict: bool = StrictOption,
) -> None:
    """Red flags, most urgent first, and how a cramp differs from its look-alikes."""
    from crampcli.guide import find as guide
    from crampcli.guide import pages as views

    personalise(profile, False, strict)
    content = load()
    page = views.doctor_page(guide.red_flags_by_urgency(content), content.lookalikes, fit())
    emit(page, json_output, plain, color)


def search(
    query: list[str] = typer.Argument(help="Words to look for.", show_default=False),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Search the whole guide; each hit says which command shows it."""
    from crampcli.guide import find as guide
    from crampcli.guide import pages as views

    text = " ".join(query)
    emit(views.search_page(text, guide.search(load(), text)), json_output, plain, color)


def sources(json_output: bool = JsonOption, plain: bool = PlainOption, color: Optional[Color] = ColorOption) -> None:
    """Where the guide's advice comes from."""
    from crampcli.guide import pages as views

    emit(views.sources_page(load().sources), json_output, plain, color)


def disclaimer(json_output: bool = JsonOption, plain: bool = PlainOption, color: Optional[Color] = ColorOption) -> None:
    """The medical disclaimer that ends every page."""
    from crampcli.guide import pages as views

    emit(views.disclaimer_page(), json_output, plain, color)
