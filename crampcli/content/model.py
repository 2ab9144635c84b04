"""The guide's content as immutable records (see record.py).

Every YAML file under content/ is validated into these types by content.py; the field names
here are the YAML keys. A field with a default is optional in YAML; any other key is an error.
"""

from __future__ import annotations  # annotations stay strings: evaluating them cost start-up time

from typing import Literal

from crampcli.content.record import Factory, Record

# How well a piece of advice is supported, strongest first. "unproven" is untested (or tested
# too little to say); "not-shown-to-help" was tested in trials and did not help.
Grade = Literal["strong", "moderate", "limited", "advice-only", "unproven", "not-shown-to-help", "not-recommended"]

# How soon to get help, most urgent first.
Urgency = Literal["emergency", "urgent", "soon", "self-care"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "urgent", "soon", "self-care")


class Source(Record):
    id: str
    title: str
    kind: Literal["seed", "reference"]
    detail: str  # seed file name, or the citation (journal, DOI, organisation)


class Evidence(Record):
    grade: Grade
    summary: str


class Caution(Record):
    text: str
    # Condition ids (conditions.yaml) this caution is about; empty means everyone.
    conditions: tuple[str, ...] = ()
    # On the one-screen page too, whoever reads it: the burn caution beside a step that
    # suggests heat, the cautions about getting up at night.
    always_shown: bool = False


class Condition(Record):
    """Something about a person that changes which advice fits them."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


class Step(Record):
    text: str
    hold_seconds: int | None = None
    repeats: int | None = None
    rest_seconds: int | None = None
    both_sides: bool = False


class NightSteps(Record):
    """One area's plan for a cramp that wakes you: seated or lying, standing only if steady."""

    first: str
    steps: tuple[Step, ...]
    sources: tuple[str, ...]


class ReliefPlan(Record):
    """What to do during a cramp: in general, at night, or for one area of the leg."""

    id: str
    name: str
    first: str  # the one thing to do right now, a single short line
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # once the cramp has eased
    evidence: Evidence | None = None
    cautions: tuple[Caution, ...] = ()
    # What to do instead at night; every area has one (the general night plan is Relief.night).
    night: NightSteps | None = None


class Relief(Record):
    general: ReliefPlan
    night: ReliefPlan
    areas: tuple[ReliefPlan, ...]


class Tip(Record):
    id: str
    text: str
    sources: tuple[str, ...]
    # The tip whole in one line for `tip --oneline` (a shell's start-up file), short enough to
    # fit 80 columns with its "(not advice)" marker. None: never a one-line tip (a warning
    # sign whose action a line cannot carry).
    oneline: str | None = None
    short: str | None = None  # the older name of oneline, still read from users' own files
    evidence: Evidence | None = None
    cautions: tuple[Caution, ...] = ()
    suits: tuple[str, ...] = ()  # condition ids this tip especially fits
    unsuitable_for: tuple[str, ...] = ()  # condition ids it does not fit
    # Condition ids of the only readers the tip of the day offers it to (a pregnancy tip to a
    # profile with pregnancy); empty: everyone.
    audience: tuple[str, ...] = ()


# A one-line tip is shown whole with the marker that says what it is, in ONELINE_COLUMNS: the
# longer marker when there is room, else the shorter one, which every one-line form must fit.
ONELINE_COLUMNS = 80
UNTESTED_GRADES: tuple[Grade, ...] = ("unproven", "not-recommended")  # no trial has shown these work
ONELINE_MARKERS: dict[bool, tuple[str, ...]] = {  # by whether the tip is untested, longest first
    True: ("(untested; not medical advice)", "(untested, not advice)"),
    False: ("(not medical advice)", "(not advice)"),
}


def oneline_form(tip: Tip) -> str | None:
    """The tip in one line, or None when it is never a one-line tip."""
    return tip.oneline if tip.oneline is not None else tip.short


def oneline_room(tip: Tip) -> int:
    """The most characters a tip's one-line form may have."""
    untested = tip.evidence is not None and tip.evidence.grade in UNTESTED_GRADES
    return ONELINE_COLUMNS - 1 - len(ONELINE_MARKERS[untested][-1])


class Topic(Record):
    id: str
    name: str
    summary: str
    tips: tuple[Tip, ...]
    aliases: tuple[str, ...] = ()


class Intake(Record):
    who: str
    amount: str


class Food(Record):
    name: str
    serving: str | None = None
    amount: str | None = None
    sources: tuple[str, ...] = ()


class Nutrient(Record):
    id: str
    name: str
    role: str
    evidence: Evidence
    sources: tuple[str, ...]
    foods: tuple[Food, ...] = ()
    daily_intake: tuple[Intake, ...] = ()
    upper_limit: str | None = None
    aliases: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()


class Remedy(Record):
    id: str
    name: str
    summary: str
    evidence: Evidence
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()
    unsuitable_for: tuple[str, ...] = ()


class Fact(Record):
    id: str
    text: str
    sources: tuple[str, ...]


class Cause(Record):
    id: str
    name: str
    group: Literal["everyday", "condition", "medicine", "mineral"]
    text: str
    sources: tuple[str, ...]
    evidence: Evidence | None = None


class RedFlag(Record):
    id: str
    urgency: Urgency
    sign: str  # what the person notices
    advice: str  # what to do about it
    question: str  # a yes/no question for `cramp check`
    sources: tuple[str, ...]
    # The level a "not sure" reaches, when lower than the flag's own (never self-care);
    # None: the flag's own level.
    if_unsure: Urgency | None = None
    # A screen (id) that must be answered yes or not sure before this flag is asked; its "no"
    # answers this flag no. None: always asked.
    asked_if: str | None = None
    # Where to go, when it is more precise than the level's usual route (A&E now for tests a
    # surgery's phone line cannot do; the midwife in pregnancy): the check's result then opens
    # with it, so that the heading and the reason's advice say the same. None: the level's.
    route: str | None = None


class Screen(Record):
    """A plain question that decides whether some red flags concern a person at all."""

    id: str
    question: str


class StepSign(Record):
    """A red flag as one numbered line of a list in `cramp check`."""

    asks: str  # the red flag's id
    line: str  # the sign in a few words


class StepLine(Record):
    """A red flag or a screen as one numbered line of a list in `cramp check`."""

    asks: str  # a red flag's id, or a screen's (a circumstance)
    line: str
    # For a screen: the flags it gates, asked as a short list when it is picked or not sure.
    follow_up: tuple[StepSign, ...] = ()


class CheckStep(Record):
    """One list of `cramp check`: "Do you have any of these?", one sign or circumstance a line."""

    id: str
    title: str  # what the list is about, shown above it
    question: str
    items: tuple[StepLine, ...]


class UrgencyLevel(Record):
    id: Urgency
    label: str
    action: str
    night_action: str | None = None  # said instead of action at night, when phone lines come first


class Question(Record):
    id: str
    text: str
    # A single sign: a yes sets at least this level, whatever the look-alike scores say.
    urgency: Urgency | None = None


class Lookalike(Record):
    """Something that can be mistaken for a cramp, or a cramp itself (id `cramp`)."""

    id: str
    name: str
    features: str
    questions: tuple[Question, ...]  # a yes to one points towards this
    sources: tuple[str, ...]
    urgency: Urgency | None = None


class Routine(Record):
    id: str
    name: str
    summary: str
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    evidence: Evidence | None = None
    suits: tuple[str, ...] = ()


# What a diary entry can note beside the cramp itself; diary flags are raised by some of these.
DiarySymptom = Literal["swelling", "redness", "warmth", "numbness", "weakness"]
DIARY_SYMPTOMS: tuple[DiarySymptom, ...] = ("swelling", "redness", "warmth", "numbness", "weakness")


class DiaryFlag(Record):
    """What in a cramp diary (`cramp log`) raises one of the red flags, whose advice is then shown.

    Each gives one trigger: a duration, symptoms, or a frequency (both frequency fields).
    """

    id: str
    red_flag: str  # id of the red flag whose urgency and advice are shown
    finding: str  # what the diary shows, said to the person who keeps it
    sources: tuple[str, ...]
    longer_than_minutes: int | None = None  # one cramp lasting longer than this
    symptoms: tuple[DiarySymptom, ...] = ()  # one cramp logged with any of these
    days_with_cramps: int | None = None  # cramps on at least this many days...
    within_days: int | None = None  # ...of any run of this many days


class Disclaimer(Record):
    text: str
    short: str


class Content(Record):
    """Everything the guide knows, as loaded from the content folder."""

    relief: Relief
    topics: tuple[Topic, ...]
    nutrients: tuple[Nutrient, ...]
    remedies: tuple[Remedy, ...]
    overview: tuple[Fact, ...]
    causes: tuple[Cause, ...]
    red_flags: tuple[RedFlag, ...]
    screens: tuple[Screen, ...]
    steps: tuple[CheckStep, ...]  # the lists of the interactive check, in the order asked
    urgency_levels: tuple[UrgencyLevel, ...]
    lookalikes: tuple[Lookalike, ...]
    routines: tuple[Routine, ...]
    conditions: tuple[Condition, ...]
    sources: tuple[Source, ...]
    disclaimer: Disclaimer
    diary_flags: tuple[DiaryFlag, ...]
    origins: dict[str, str] = Factory(dict)  # type: ignore[assignment]  # item id -> file it came from
