"""Local time in odd places: a TZ out of range, daylight-saving gaps and repeated hours, and dates
that have no local time on newer Pythons."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CRAMP

from crampcli.diary import parse
from crampcli.errors import CrampError, UsageError

OUT_OF_RANGE = "ABC-24:59:59"  # more than a day east of UTC: glibc takes it, Python's datetime cannot


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set TZ with `zone.setenv("TZ", ...)` then `time.tzset()`; put back afterwards."""
    yield monkeypatch
    monkeypatch.undo()
    time.tzset()


def in_zone(zone: pytest.MonkeyPatch, name: str) -> None:
    zone.setenv("TZ", name)
    time.tzset()


def new_york(*fields: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*fields, fold=fold).astimezone()


# Far dates: 9999-12-31 has no local time on Python 3.12 and later


@pytest.mark.parametrize("text", ["9999-12-31", "3000-01-01", "2999-12-31"])
def test_a_far_future_period_is_in_the_future_on_every_python(text: str) -> None:
    with pytest.raises(UsageError, match="is in the future"):
        parse.parse_since(text, dt.datetime(2026, 11, 20, 8, 30).astimezone())


@pytest.mark.parametrize("text", ["9999-12-31T23:59", "9999-12-31T00:00:00.999999", "5000-01-01T00:00"])
def test_a_far_future_start_is_in_the_future_on_every_python(text: str) -> None:
    with pytest.raises(UsageError, match="is in the future"):
        parse.parse_start(text, dt.datetime(2026, 11, 20, 8, 30).astimezone())


# A TZ that Python cannot use


@pytest.mark.parametrize("name", [OUT_OF_RANGE, "XYZ+24:59:59"])
def test_a_zone_a_day_or_more_off_utc_is_named_in_a_clear_error(zone: pytest.MonkeyPatch, name: str) -> None:
    in_zone(zone, name)
    with pytest.raises(CrampError, match=r"TZ='[A-Z]{3}[-+]24:59:59' cannot be used") as raised:
        parse.local_now()
    assert not isinstance(raised.value, UsageError)  # the environment's fault: exit 1, not 2


def run_cramp(args: list[str], home: Path, tz: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPCLI_")}
    env.update(TZ=tz, CRAMPCLI_HOME=str(home), CRAMPCLI_CONFIG=str(home / "profile.toml"), NO_COLOR="1")
    return subprocess.run([CRAMP, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


COMMANDS = [
    ["log", "add", "calf", "2m"],
    ["log", "add", "calf", "2m", "--start", "03:10"],
    ["log", "list"],
    ["log", "list", "--since", "2026-01-01"],
    ["log", "stats"],
    ["log", "report"],
    ["log", "edit", "1", "--duration", "3m"],
]


@pytest.mark.slow  # among the longest: left out of the quick run
@pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_the_installed_command_explains_an_out_of_range_zone(args: list[str], tmp_path: Path) -> None:
    assert run_cramp(["log", "add", "calf", "2m", "--note", "kept"], tmp_path, "UTC").returncode == 0
    before = run_cramp(["log", "export", "--format", "json"], tmp_path, "UTC").stdout
    result = run_cramp(args, tmp_path, OUT_OF_RANGE)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.startswith(f"cramp: the time zone TZ='{OUT_OF_RANGE}' cannot be used")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert run_cramp(["log", "export", "--format", "json"], tmp_path, "UTC").stdout == before  # nothing changed


@pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
@pytest.mark.parametrize("args", [["tip"], ["tip", "--oneline"], ["relief", "calf"]], ids=" ".join)
def test_commands_that_need_no_time_of_day_still_work_in_that_zone(args: list[str], tmp_path: Path) -> None:
    result = run_cramp(args, tmp_path, OUT_OF_RANGE)
    assert result.returncode == 0 and result.stdout and "Traceback" not in result.stderr, result.stderr


# Daylight saving time, New York: 2026-03-08 02:00 jumps to 03:00; 2026-11-01 01:00-01:59 happens twice

SPRING = dt.datetime(2026, 3, 8, 9, 0)  # the morning the clocks went forward, local
FALL = dt.datetime(2026, 11, 1, 9, 0)


SKIPPED = ["2026-03-08T02:30", "2026-03-08T02:00", "2026-03-08T02:59:59", "02:30", "today 02:30"]


@pytest.mark.parametrize("text", SKIPPED)
def test_a_time_the_clocks_skipped_is_refused_not_moved_an_hour(zone: pytest.MonkeyPatch, text: str) -> None:
    in_zone(zone, "America/New_York")
    with pytest.raises(UsageError, match="did not happen here: the clocks skipped it") as raised:
        parse.parse_start(text, SPRING.astimezone())
    assert "2026-03-08T02:" in str(raised.value) and "-05:00" in str(raised.value)  # a form that works


def test_the_skipped_hour_typed_before_the_jump_means_the_night_before(zone: pytest.MonkeyPatch) -> None:
    in_zone(zone, "America/New_York")
    at_one = new_york(2026, 3, 8, 1, 0)  # 02:30 today has not come yet (and never will)
    started = parse.parse_start("02:30", at_one)
    assert started.replace(tzinfo=None) == dt.datetime(2026, 3, 7, 2, 30)


EITHER_SIDE = [("2026-03-08T01:59", (1, 59), -5), ("2026-03-08T03:00", (3, 0), -4)]


@pytest.mark.parametrize(("text", "wall", "offset"), EITHER_SIDE)
def test_the_times_either_side_of_the_gap_are_kept(
    zone: pytest.MonkeyPatch, text: str, wall: tuple[int, int], offset: int
) -> None:
    in_zone(zone, "America/New_York")
    started = parse.parse_start(text, SPRING.astimezone())
    assert (started.hour, started.minute) == wall
    assert started.utcoffset() == dt.timedelta(hours=offset)


def test_a_time_shown_twice_is_the_first_unless_an_offset_says_otherwise(zone: pytest.MonkeyPatch) -> None:
    in_zone(zone, "America/New_York")
    first = parse.parse_start("2026-11-01T01:30", FALL.astimezone())
    assert (first.hour, first.minute, first.utcoffset()) == (1, 30, dt.timedelta(hours=-4))  # daylight time
    second = parse.parse_start("2026-11-01T01:30-05:00", FALL.astimezone())
    assert second - first == dt.timedelta(hours=1)
    assert parse.parse_start("01:30", FALL.astimezone()) == first


def test_hours_ago_across_the_change_are_read_on_the_clock_of_that_moment(zone: pytest.MonkeyPatch) -> None:
    in_zone(zone, "America/New_York")
    started = parse.parse_start("-2h", new_york(2026, 3, 8, 3, 30))  # 03:30 EDT minus two hours
    assert (started.hour, started.minute, started.utcoffset()) == (0, 30, dt.timedelta(hours=-5))
    assert parse.period_at(started) == "night"


def test_a_day_whose_midnight_was_skipped_starts_when_the_clocks_land(zone: pytest.MonkeyPatch) -> None:
    in_zone(zone, "America/Santiago")  # 2026-09-06: 00:00 jumps to 01:00
    since = parse.parse_since("2026-09-06", dt.datetime(2026, 9, 20, 12, 0).astimezone())
    assert (since.date(), since.hour) == (dt.date(2026, 9, 6), 1)
    assert since == dt.datetime(2026, 9, 6, 4, 0, tzinfo=dt.UTC)  # the instant of the jump
    ordinary = parse.parse_since("2026-09-07", dt.datetime(2026, 9, 20, 12, 0).astimezone())
    assert ordinary.replace(tzinfo=None) == dt.datetime(2026, 9, 7)


@pytest.mark.skipif(not CRAMP, reason="the cramp script is not installed beside this Python")
def test_the_installed_command_refuses_the_skipped_hour_and_stores_nothing(tmp_path: Path) -> None:
    result = run_cramp(["log", "add", "calf", "2m", "--start", "2026-03-08T02:30"], tmp_path, "America/New_York")
    assert result.returncode == 2 and "did not happen here" in result.stderr and "Traceback" not in result.stderr
    listed = run_cramp(["log", "list", "--json"], tmp_path, "America/New_York")
    assert '"count": 0' in listed.stdout, listed.stdout
