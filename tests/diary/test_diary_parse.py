"""What a person types for a diary entry: durations, start times, periods and word lists."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crampcli.diary import parse
from crampcli.errors import UsageError


@pytest.fixture(autouse=True)
def in_paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A zone an hour off UTC, with summer time, so that local-time slips would show."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def paris(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute).astimezone()


NOW = dt.datetime(2026, 11, 20, 8, 30)  # a Friday morning, local time; made aware in each test


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("2m", 120), ("1m30s", 90), ("10min", 600), ("1h 5m", 3900), ("2 min", 120), ("45 Seconds", 45)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "90", "2x", "-5m", "1.5m", "m", "2m junk", "0s", "0m0s", "25h", "99999m"])
def test_bad_durations_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse.parse_duration(text)
    assert caught.value.exit_code == 2
    assert "90s" in str(caught.value)  # the message shows a form that works


def test_a_day_is_the_longest_duration() -> None:
    assert parse.parse_duration("24h") == 86400
    with pytest.raises(UsageError):
        parse.parse_duration("24h1s")


@given(st.integers(min_value=1, max_value=parse.MAX_DURATION))
def test_formatted_durations_read_back(seconds: int) -> None:
    assert parse.parse_duration(parse.format_duration(seconds).replace(" ", "")) == seconds


def test_start_forms() -> None:
    now = NOW.astimezone()
    assert parse.parse_start("now", now) == now
    assert parse.parse_start("", now) == now
    assert parse.parse_start("03:10", now) == paris(2026, 11, 20, 3, 10)
    assert parse.parse_start("yesterday 03:10", now) == paris(2026, 11, 19, 3, 10)
    assert parse.parse_start("today 07:05", now) == paris(2026, 11, 20, 7, 5)
    assert parse.parse_start("-2h", now) == now - dt.timedelta(hours=2)
    assert parse.parse_start("-1h30m", now) == now - dt.timedelta(minutes=90)
    assert parse.parse_start("2026-11-20T03:10", now) == paris(2026, 11, 20, 3, 10)
    assert parse.parse_start("2026-11-19T23:10:00+00:00", now).utcoffset() == dt.timedelta(0)


def test_a_clock_time_still_to_come_today_means_yesterday() -> None:
    now = paris(2026, 11, 20, 2, 0)
    assert parse.parse_start("23:30", now) == paris(2026, 11, 19, 23, 30)


def test_start_keeps_the_offset_of_its_own_date() -> None:
    summer = parse.parse_start("2026-07-01T03:00", NOW.astimezone())
    assert summer.utcoffset() == dt.timedelta(hours=2)
    assert NOW.astimezone().utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize("text", ["tomorrow", "25:00", "yesterday", "2099-01-01T00:00", "1999-12-31T23:00", "+2h"])
def test_bad_starts_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse.parse_start(text, NOW.astimezone())


def test_since_forms() -> None:
    now = NOW.astimezone()
    assert parse.parse_since("30d", now) == now - dt.timedelta(days=30)
    assert parse.parse_since("2w", now) == now - dt.timedelta(days=14)
    assert parse.parse_since("2026-11-01", now) == paris(2026, 11, 1, 0, 0)
    for bad in ("30", "2y", "last week", "2026-13-01", "999999w"):
        with pytest.raises(UsageError):
            parse.parse_since(bad, now)


def test_night_is_22_to_0659_local() -> None:
    assert parse.period_at(paris(2026, 11, 20, 22, 0)) == "night"
    assert parse.period_at(paris(2026, 11, 20, 6, 59)) == "night"
    assert parse.period_at(paris(2026, 11, 20, 7, 0)) == "day"
    assert parse.period_at(paris(2026, 11, 20, 21, 59)) == "day"


def test_words_come_in_vocabulary_order_once() -> None:
    assert parse.parse_words(["heat,exercise", "Heat"], parse.TRIGGERS, "trigger") == ("exercise", "heat")
    assert parse.parse_words([""], parse.TRIGGERS, "trigger") == ()
    with pytest.raises(UsageError, match="unknown trigger 'beer'"):
        parse.parse_words(["exercise,beer"], parse.TRIGGERS, "trigger")


def test_notes_are_kept_as_typed_but_nul_is_refused() -> None:
    note = '  line one\nline two \x1b[31m red, "quoted" =1+1  '
    assert parse.check_note(note) == note
    with pytest.raises(UsageError):
        parse.check_note("a\0b")
