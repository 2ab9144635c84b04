"""The timing of a guided session, on a clock the tests move by hand."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crampcli.content.model import Content, Step
from crampcli.guide.session import LATE_SECONDS, Phase, Session, plan, total_seconds

BEDTIME_LIKE = Step("Calf stretch", hold_seconds=10, repeats=3, rest_seconds=10, both_sides=True)


def test_a_stretch_for_each_leg_becomes_holds_with_rests_between() -> None:
    phases = plan([BEDTIME_LIKE])
    assert [(p.kind, p.side, p.repeat) for p in phases] == [
        ("hold", "left", 1),
        ("rest", "left", 2),
        ("hold", "left", 2),
        ("rest", "left", 3),
        ("hold", "left", 3),
        ("rest", "right", 1),
        ("hold", "right", 1),
        ("rest", "right", 2),
        ("hold", "right", 2),
        ("rest", "right", 3),
        ("hold", "right", 3),
    ]
    assert {p.seconds for p in phases} == {10}
    assert total_seconds(phases) == 110


def test_steps_without_a_hold_time_wait_for_the_person() -> None:
    steps = [Step("Rub the calf"), Step("Zero hold", hold_seconds=0), Step("Hold it", hold_seconds=30)]
    assert plan(steps) == (Phase(0, "wait", None), Phase(1, "wait", None), Phase(2, "hold", 30))


def test_repeats_without_rest_follow_each_other() -> None:
    phases = plan([Step("Wall stretch", hold_seconds=30, repeats=2, both_sides=True)])
    assert [(p.kind, p.side, p.repeat, p.repeats) for p in phases] == [
        ("hold", "left", 1, 2),
        ("hold", "left", 2, 2),
        ("hold", "right", 1, 2),
        ("hold", "right", 2, 2),
    ]


def test_the_countdown_shows_whole_seconds_down_to_one() -> None:
    session = Session([Step("Hold", hold_seconds=3)], now=100.0)
    shown = []
    for now in (100.0, 100.4, 101.0, 101.5, 102.0, 102.999):
        view = session.view(now)
        assert view is not None
        shown.append(view.seconds_left)
    assert shown == [3, 3, 2, 2, 1, 1]
    assert session.tick(103.0) is True
    assert session.finished and session.view(103.0) is None


def test_a_phase_ends_exactly_on_time_so_the_clock_does_not_drift() -> None:
    session = Session([Step("Hold", hold_seconds=10, repeats=2)], now=0.0)
    assert session.tick(9.9) is False
    assert session.tick(10.3) is True  # woken a little late
    assert session.seconds_left(10.3) == pytest.approx(9.7)


def test_a_long_absence_starts_the_next_phase_now_instead_of_skipping_it() -> None:
    session = Session([Step("Hold", hold_seconds=10, repeats=3)], now=0.0)
    back = 10 + LATE_SECONDS + 50  # far past the end of the second hold too
    assert session.tick(back) is True
    view = session.view(back)
    assert view is not None and view.phase.repeat == 2 and view.seconds_left == 10


def test_enter_skips_to_the_next_repeat_past_the_rest() -> None:
    session = Session([BEDTIME_LIKE, Step("Go to bed")], now=0.0)
    session.skip(2.0)
    view = session.view(2.0)
    assert view is not None
    assert (view.phase.kind, view.phase.repeat, view.seconds_left) == ("hold", 2, 10)
    session.tick(12.0)  # hold 2 ends: a rest
    assert session.phase is not None and session.phase.kind == "rest"
    session.skip(13.0)  # Enter during the rest goes straight to the next hold
    assert session.phase is not None and (session.phase.kind, session.phase.repeat) == ("hold", 3)


def test_enter_on_the_last_step_finishes() -> None:
    session = Session([Step("Rub"), Step("Warm")], now=0.0)
    assert session.tick(1000.0) is False  # a waiting step never times out
    session.skip(1.0)
    view = session.view(1.0)
    assert view is not None and (view.step_number, view.step_count) == (2, 2)
    session.skip(2.0)
    assert session.finished


def test_elapsed_time_counts_up_while_waiting() -> None:
    session = Session([Step("Rub")], now=50.0)
    view = session.view(50.0 + 75.5)
    assert view is not None and view.elapsed == 75 and view.seconds_left is None
    assert session.until_change(50.25) == pytest.approx(0.75)


def test_until_change_is_the_time_to_the_next_whole_second() -> None:
    session = Session([Step("Hold", hold_seconds=5)], now=0.0)
    assert session.until_change(0.0) == pytest.approx(1.0)
    assert session.until_change(0.3) == pytest.approx(0.7)
    assert session.until_change(4.6) == pytest.approx(0.4)


def test_every_shipped_step_list_makes_a_plan(content: Content) -> None:
    lists = [content.relief.general.steps, content.relief.night.steps]
    lists += [a.steps for a in content.relief.areas] + [r.steps for r in content.routines]
    for steps in lists:
        assert {p.step for p in plan(steps)} == set(range(len(steps)))


steps_strategy = st.lists(
    st.builds(
        Step,
        text=st.just("step"),
        hold_seconds=st.one_of(st.none(), st.integers(-2, 40)),
        repeats=st.one_of(st.none(), st.integers(-1, 4)),
        rest_seconds=st.one_of(st.none(), st.integers(-1, 15)),
        both_sides=st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


# A wait of 1.19 s, then holds of 28 s: the float clock once came to rest 3.6e-15 s before a
# hold's end, which showed as 0.0 left, so a caller waiting "until the change" never moved on.
NOISY_WAIT = 1.19
NOISY_STEPS = [Step("Rub"), Step("Hold", hold_seconds=28, repeats=2, rest_seconds=5)]


def walk_alone(session: Session, wait_at_enter: float, now: float) -> float:
    """Wait until each change, as the guided session does; Enter after `wait_at_enter` on waiting
    steps. Bounded: a session that stops moving fails instead of hanging the test run."""
    for _ in range(10 * (total_seconds(session.phases) + len(session.phases)) + 10):
        if session.finished:
            return now
        if session.phase is not None and session.phase.seconds is None:
            now += wait_at_enter
            session.skip(now)
        else:
            now += session.until_change(now)
            session.tick(now)
    raise AssertionError(f"the session stopped moving at {now!r}, phase {session.index}")


def test_float_noise_in_the_clock_never_stalls_a_session() -> None:
    session = Session(NOISY_STEPS, now=0.0)
    now = walk_alone(session, NOISY_WAIT, 0.0)
    assert now == pytest.approx(NOISY_WAIT + 28 + 5 + 28)
    assert all(Session(NOISY_STEPS, 0.0).until_change(t / 7) >= 0.001 for t in range(0, 500))


def test_a_remainder_under_a_millisecond_ends_the_phase() -> None:
    session = Session([Step("Hold", hold_seconds=3), Step("Hold", hold_seconds=2)], now=0.1)
    assert session.tick(0.1 + 3 - 4e-15) is True  # 3.0999999999999996: float noise, the time is up
    assert session.until_change(3.1) == pytest.approx(1.0)
    assert session.tick(3.1 + 2 - 0.002) is False  # two milliseconds early is early


@example(steps=NOISY_STEPS, wait_at_enter=NOISY_WAIT)
@given(steps=steps_strategy, wait_at_enter=st.floats(0.0, 30.0))
def test_left_alone_a_session_visits_every_phase_in_order(steps: list[Step], wait_at_enter: float) -> None:
    session = Session(steps, now=0.0)
    now = 0.0
    indexes: list[int] = []
    shown: dict[int, list[int]] = {}
    for _ in range(10 * (total_seconds(session.phases) + len(session.phases)) + 10):  # never hangs
        if session.finished:
            break
        phase = session.phase
        view = session.view(now)
        assert phase is not None and view is not None
        if not indexes or indexes[-1] != session.index:
            indexes.append(session.index)
        if phase.seconds is None:
            now += wait_at_enter
            session.skip(now)
            continue
        assert view.seconds_left is not None and 1 <= view.seconds_left <= phase.seconds
        shown.setdefault(session.index, []).append(view.seconds_left)
        now += session.until_change(now)
        session.tick(now)
    assert session.finished, f"the session stopped moving at {now!r}, phase {session.index}"
    assert indexes == list(range(len(session.phases)))
    for countdown in shown.values():
        assert countdown == sorted(countdown, reverse=True)  # it only counts down
        assert countdown == list(range(countdown[0], 0, -1))  # one second at a time, none missed
    waits = sum(p.seconds is None for p in session.phases)
    assert now == pytest.approx(total_seconds(session.phases) + waits * wait_at_enter)
