"""The guide's content as frozen dataclasses.

Every YAML file under content/ is validated into these types by content.py; the field names
here are the YAML keys. A field with a default is optional in YAML; any other key is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How well a piece of advice is supported, strongest first.
Grade = Literal["strong", "moderate", "limited", "advice-only", "unproven", "not-recommended"]
GRADES: tuple[Grade, ...] = (
    "strong",
    "moderate",
    "limited",
    "advice-only",
    "unproven",
    "not-recommended",
)

# How soon to get help, most urgent first.
Urgency = Literal["emergency", "urgent", "soon", "self-care"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "urgent", "soon", "self-care")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: Literal["seed", "reference"]
    detail: str  # seed file name, or the citation (journal, DOI, organisation)


@dataclass(frozen=True)
class Evidence:
    grade: Grade
    summary: str


@dataclass(frozen=True)
class Caution:
    text: str
    # Condition ids (conditions.yaml) this caution is about; empty means everyone.
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """Something about a person that changes which advice fits them."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    text: str
    hold_seconds: int | None = None
    repeats: int | None = None
    rest_seconds: int | None = None
    both_sides: bool = False


@dataclass(frozen=True)
class ReliefPlan:
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


@dataclass(frozen=True)
class Relief:
    general: ReliefPlan
    night: ReliefPlan
    areas: tuple[ReliefPlan, ...]


@dataclass(frozen=True)
class Tip:
    id: str
    text: str
    short: str  # one line for `tip --oneline`
    sources: tuple[str, ...]
    evidence: Evidence | None = None
    cautions: tuple[Caution, ...] = ()
    suits: tuple[str, ...] = ()  # condition ids this tip especially fits
    unsuitable_for: tuple[str, ...] = ()  # condition ids it does not fit


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    summary: str
    tips: tuple[Tip, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Intake:
    who: str
    amount: str


@dataclass(frozen=True)
class Food:
    name: str
    serving: str | None = None
    amount: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nutrient:
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


@dataclass(frozen=True)
class Remedy:
    id: str
    name: str
    summary: str
    evidence: Evidence
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()
    unsuitable_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Cause:
    id: str
    name: str
    group: Literal["everyday", "condition", "medicine", "mineral"]
    text: str
    sources: tuple[str, ...]
    evidence: Evidence | None = None


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: Urgency
    sign: str  # what the person notices
    advice: str  # what to do about it
    question: str  # a yes/no question for `cramp check`
    sources: tuple[str, ...]


@dataclass(frozen=True)
class UrgencyLevel:
    id: Urgency
    label: str
    action: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Lookalike:
    """Something that can be mistaken for a cramp, or a cramp itself (id `cramp`)."""

    id: str
    name: str
    features: str
    questions: tuple[Question, ...]  # a yes to one points towards this
    sources: tuple[str, ...]
    urgency: Urgency | None = None


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    summary: str
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
    evidence: Evidence | None = None
    suits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disclaimer:
    text: str
    short: str


@dataclass(frozen=True)
class Content:
    """Everything the guide knows, as loaded from the content folder."""

    relief: Relief
    topics: tuple[Topic, ...]
    nutrients: tuple[Nutrient, ...]
    remedies: tuple[Remedy, ...]
    overview: tuple[Fact, ...]
    causes: tuple[Cause, ...]
    red_flags: tuple[RedFlag, ...]
    urgency_levels: tuple[UrgencyLevel, ...]
    lookalikes: tuple[Lookalike, ...]
    routines: tuple[Routine, ...]
    conditions: tuple[Condition, ...]
    sources: tuple[Source, ...]
    disclaimer: Disclaimer
    origins: dict[str, str] = field(default_factory=dict, compare=False)  # item id -> file
