"""The commands for reading the guide between cramps: prevention, foods, causes, remedies,
when to see a doctor, search, sources and the disclaimer."""

from typing import Annotated, Optional

import typer

from .output import (
    ColorOption,
    HideOption,
    JsonOption,
    PlainOption,
    ProfileOption,
    StrictOption,
    complete_from,
    emit,
    fit,
    load,
    personalise,
)


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
    topics = [guide.topic(content, topic)] if topic is not None else list(content.topics)
    emit(views.prevent_page(topics, fit()), json_output, plain, color)


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
    nutrients = [guide.nutrient(content, nutrient)] if nutrient is not None else list(content.nutrients)
    emit(views.foods_page(nutrients, fit()), json_output, plain, color)


def causes(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """What makes cramps more likely: habits, conditions and medicines."""
    from . import views

    emit(views.causes_page(load()), json_output, plain, color)


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
    chosen = [guide.remedy(content, name)] if name is not None else list(content.remedies)
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


def sources(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """Where the guide's advice comes from."""
    from . import views

    emit(views.sources_page(load().sources), json_output, plain, color)


def disclaimer(json_output: JsonOption = False, plain: PlainOption = False, color: ColorOption = None) -> None:
    """The medical disclaimer that ends every page."""
    from . import views

    emit(views.disclaimer_page(), json_output, plain, color)
