"""The timing of a guided session: which phase is on, and for how long. No I/O.

A list of steps becomes a plan of phases: a step with a hold time becomes its holds (per leg
and per repeat) with rests between them; a step without one waits for the person to go on.
A Session walks the plan on times handed to it, so the caller owns the clock and tests need
no real waiting.
"""

from __future__ import annotations

from typing import Literal

from crampcli.content.model import Step
from crampcli.content.record import Record

PhaseKind = Literal["hold", "rest", "wait"]
Side = Literal["left", "right"]

# A phase that ends while the caller was away longer than this (a suspended process, a busy
# machine) lets the next phase start when the caller is back, so no hold goes by unseen.
LATE_SECONDS = 1.0
# Times inside a session are whole milliseconds: in float seconds a remainder of 2e-15 shows as
# 0.0 left, yet the phase has not ended, and a caller waiting "until the change" never moves on.
MS = 1000


def ms(seconds: float) -> int:
    return round(seconds * MS)


class Phase(Record):
    step: int  # index into the steps
    kind: PhaseKind
    seconds: int | None  # None: until the person goes on
    repeat: int = 1  # which hold of the step's repeats this is (a rest: the hold after it)
    repeats: int = 1
    side: Side | None = None  # a rest names the leg of the hold that follows it


class View(Record):
    """What to show at one moment."""

    step_number: int  # 1-based
    step_count: int
    step: Step
    phase: Phase
    seconds_left: int | None  # whole seconds, counting down to 1; None while waiting
    elapsed: int  # whole seconds since the session began


def plan(steps: tuple[Step, ...] | list[Step]) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    for index, step in enumerate(steps):
        hold = step.hold_seconds or 0
        if hold <= 0:
            phases.append(Phase(index, "wait", None))
            continue
        repeats = max(step.repeats or 1, 1)
        rest = max(step.rest_seconds or 0, 0)
        sides: tuple[Side | None, ...] = ("left", "right") if step.both_sides else (None,)
        holds = [(side, n) for side in sides for n in range(1, repeats + 1)]
        for position, (side, n) in enumerate(holds):
            if position and rest:
                phases.append(Phase(index, "rest", rest, n, repeats, side))
            phases.append(Phase(index, "hold", hold, n, repeats, side))
    return tuple(phases)


def total_seconds(phases: tuple[Phase, ...]) -> int:
    """How long the timed phases take if nobody skips."""
    return sum(p.seconds or 0 for p in phases)


class Session:
    """One walk through a plan, advanced by the times it is given (seconds, as floats)."""

    def __init__(self, steps: tuple[Step, ...] | list[Step], now: float) -> None:
        self.steps = tuple(steps)
        self.phases = plan(self.steps)
        self.started_ms = ms(now)
        self.index = 0
        self.phase_started_ms = self.started_ms

    @property
    def finished(self) -> bool:
        return self.index >= len(self.phases)

    @property
    def phase(self) -> Phase | None:
        return None if self.finished else self.phases[self.index]

    def tick(self, now: float) -> bool:
        """Move on if the current phase's time is up; True if the phase changed."""
        end = self.end_ms()
        if end is None or ms(now) < end:
            return False
        # On time, the next phase starts where this one ended, so the clock does not drift.
        late = ms(now) - end > ms(LATE_SECONDS)
        self.enter_ms(self.index + 1, ms(now) if late else end)
        return True

    def skip(self, now: float) -> None:
        """Go on to the next hold or step; a rest on the way is skipped too."""
        following = self.index + 1
        while following < len(self.phases) and self.phases[following].kind == "rest":
            following += 1
        self.enter(following, now)

    def enter(self, index: int, now: float) -> None:
        self.enter_ms(index, ms(now))

    def enter_ms(self, index: int, at: int) -> None:
        self.index = min(index, len(self.phases))
        self.phase_started_ms = at

    def end_ms(self) -> int | None:
        """When the current phase's time is up; None while waiting for the person, or finished."""
        phase = self.phase
        if phase is None or phase.seconds is None:
            return None
        return self.phase_started_ms + phase.seconds * MS

    def left_ms(self, now: float) -> int | None:
        end = self.end_ms()
        return None if end is None else max(end - ms(now), 0)

    def seconds_left(self, now: float) -> float | None:
        left = self.left_ms(now)
        return None if left is None else left / MS

    def view(self, now: float) -> View | None:
        phase = self.phase
        if phase is None:
            return None
        left = self.left_ms(now)
        return View(
            step_number=phase.step + 1,
            step_count=len(self.steps),
            step=self.steps[phase.step],
            phase=phase,
            seconds_left=None if left is None else max(-(-left // MS), 1),  # whole seconds, rounded up
            elapsed=max((ms(now) - self.started_ms) // MS, 0),
        )

    def until_change(self, now: float) -> float:
        """Seconds until what is shown changes: the countdown, or the elapsed time while waiting.
        Never less than a millisecond, so a caller that waits this long always gets somewhere."""
        left = self.left_ms(now)
        if left is None:
            return (MS - (ms(now) - self.started_ms) % MS) / MS
        to_next_second = left % MS or MS
        return max(min(left, to_next_second), 1) / MS
