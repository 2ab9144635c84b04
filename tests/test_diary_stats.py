"""Diary statistics and red flags as pure functions, and the store's SQL counting the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampcli.content.load import load_content
from crampcli.content.model import Content
from crampcli.content.record import replace
from crampcli.diary import flags as diary_flags
from crampcli.diary import store as diary
from crampcli.diary.model import Entry, day_date, local_day
from crampcli.diary.stats import median, summarise, tally, week_start
from crampcli.errors import ContentError

DAY = 86400
TODAY = local_day(int(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC).timestamp()), 0)  # a Friday


def make_entry(
    n: int = 1,
    day: int = TODAY,
    hour: int = 3,
    duration: int = 120,
    area: str = "calf",
    symptoms: tuple[str, ...] = (),
    utc_offset: int = 0,
    note: str = "",
) -> Entry:
    started = day * DAY + hour * 3600 - utc_offset * 60
    return Entry(
        id=n,
        uid=f"uid{n:06d}",
        started=started,
        utc_offset=utc_offset,
        duration=duration,
        area=area,
        side=None,
        severity=None,
        period="night" if hour >= 22 or hour < 7 else "day",
        triggers=(),
        symptoms=symptoms,
        note=note,
        logged=started,
    )


def test_median_of_a_histogram() -> None:
    assert median({}) is None
    assert median({60: 1}) == 60
    assert median({60: 1, 120: 1}) == 90
    assert median({30: 2, 600: 1}) == 30
    assert median({10: 1, 20: 1, 30: 1, 1000: 1}) == 25


def test_weeks_start_on_monday() -> None:
    assert day_date(week_start(TODAY)).isoformat() == "2026-11-16"
    assert day_date(TODAY).weekday() == 4


def test_summary_counts() -> None:
    entries = [
        make_entry(1, TODAY, 3, 60),
        make_entry(2, TODAY - 1, 23, 120, "foot"),
        make_entry(3, TODAY - 7, 14, 600),
        make_entry(4, TODAY - 40, 2, 30),
    ]
    stats = summarise(tally(entries), TODAY, weeks=4)
    assert stats.count == 4
    assert [n for _, n in stats.weeks] == [0, 0, 1, 2]
    assert stats.weeks[-1][0].isoformat() == "2026-11-16"
    assert stats.by_area == (("calf", 3), ("foot", 1))
    assert stats.by_hour[0] == (14, 1) and stats.by_hour[-1] == (3, 1)  # noon first: the night stays together
    assert dict(stats.by_hour) == {14: 1, 23: 1, 2: 1, 3: 1} | {h: 0 for h in (*range(15, 23), 0, 1)}
    assert (stats.night, stats.day) == (3, 1)
    assert stats.median_seconds == 90
    assert stats.longest is not None and stats.longest.id == 3
    assert (stats.trend.recent, stats.trend.before, stats.trend.change) == (3, 1, "up")
    assert stats.trend.percent == 200
    assert stats.trend.complete is False  # the diary starts 40 days back: less than 8 weeks


def test_trend_down_and_complete() -> None:
    entries = [make_entry(i, TODAY - 30 - i % 20) for i in range(6)] + [make_entry(9, TODAY - 60)]
    trend = summarise(tally(entries), TODAY).trend
    assert (trend.recent, trend.before, trend.change, trend.percent, trend.complete) == (0, 6, "down", -100, True)


def test_an_empty_diary() -> None:
    stats = summarise(tally([]), TODAY)
    assert stats.count == 0 and stats.median_seconds is None and stats.longest is None
    assert len(stats.weeks) == 12 and not any(n for _, n in stats.weeks)


def test_local_days_follow_the_offset_where_the_cramp_happened() -> None:
    late = make_entry(1, TODAY, 23, utc_offset=-300)  # 23:00 in New York is 04:00 UTC the next day
    assert local_day(late.started, late.utc_offset) == TODAY
    assert tally([late]).by_hour == {23: 1}


# Red flags from the diary


def test_a_cramp_over_ten_minutes_raises_the_urgent_flag(content: Content) -> None:
    long = make_entry(duration=10 * 60 + 1)
    found = diary_flags.entry_findings(content, long, {TODAY: 1})
    assert [f.flag.id for f in found] == ["diary-long-cramp"]
    assert found[0].red_flag.id == "cramp-over-ten-minutes" and found[0].level.id == "urgent"
    assert diary_flags.entry_findings(content, make_entry(duration=600), {TODAY: 1}) == []


@pytest.mark.parametrize("symptom", ["swelling", "redness", "warmth"])
def test_swelling_redness_or_warmth_raise_the_clot_flag(content: Content, symptom: str) -> None:
    found = diary_flags.entry_findings(content, make_entry(symptoms=(symptom,)), {TODAY: 1})
    assert [f.red_flag.id for f in found] == ["clot-signs"]


def test_numbness_or_weakness_raise_their_flag(content: Content) -> None:
    found = diary_flags.entry_findings(content, make_entry(symptoms=("numbness",)), {TODAY: 1})
    assert [f.red_flag.id for f in found] == ["weakness-numbness-twitching"]


def test_cramps_on_most_days_of_a_week_raise_the_frequency_flag(content: Content) -> None:
    three = {TODAY: 2, TODAY - 2: 1, TODAY - 6: 1, TODAY - 7: 5}  # the 4th day is 7 days back: outside
    assert diary_flags.entry_findings(content, make_entry(), three) == []
    four = {**three, TODAY - 4: 1}
    found = diary_flags.entry_findings(content, make_entry(), four)
    assert [f.red_flag.id for f in found] == ["frequent-or-severe"]
    assert found[0].run == (TODAY, 4)


def test_findings_come_most_urgent_first(content: Content) -> None:
    entry = make_entry(duration=20 * 60, symptoms=("swelling",))
    by_day = {TODAY - i: 1 for i in range(7)}
    levels = [f.level.id for f in diary_flags.entry_findings(content, entry, by_day)]
    assert levels == ["urgent", "urgent", "soon"]


def test_period_findings_name_every_entry_and_the_latest_run(content: Content) -> None:
    entries = [make_entry(1, TODAY - 30, duration=900), make_entry(2, TODAY - 3, duration=700), make_entry(3)]
    by_day = {TODAY - 20 - i: 1 for i in range(5)}
    found = diary_flags.period_findings(content, entries, by_day)
    long = next(f for f in found if f.flag.id == "diary-long-cramp")
    assert [e.id for e in long.entries] == [1, 2]
    run = next(f for f in found if f.flag.id == "diary-most-days")
    assert run.run == (TODAY - 20, 5)


def test_screen_asks_the_store_for_every_entry_a_flag_could_need(content: Content) -> None:
    longer_than, symptoms = diary_flags.screen(content)
    assert longer_than == 600
    assert set(symptoms) == {"swelling", "redness", "warmth", "numbness", "weakness"}


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        ("red_flag: cramp-over-ten-minutes", "red_flag: no-such-flag"),
        ("longer_than_minutes: 10", "longer_than_minutes: 10\n    symptoms: [swelling]"),
        ("within_days: 7", "within_days: 3"),
        ("within_days: 7\n", "\n"),
        ("symptoms: [numbness, weakness]", "symptoms: [numbness, itching]"),
    ],
)
def test_content_checks_diary_flags(content_copy: Path, replace: str, problem: str) -> None:
    path = content_copy / "diary.yaml"
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, problem, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert "diary.yaml" in str(caught.value)


# The store counts as tally does


entries_strategy = st.lists(
    st.builds(
        make_entry,
        n=st.just(0),
        day=st.integers(TODAY - 400, TODAY),
        hour=st.integers(0, 23),
        duration=st.integers(1, 86400),
        area=st.sampled_from(["calf", "foot", "hamstring"]),
        symptoms=st.sampled_from([(), ("swelling",), ("numbness", "weakness")]),
        utc_offset=st.sampled_from([-600, -300, 0, 60, 330, 840]),
    ),
    max_size=40,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries_strategy)
def test_sql_tallies_match_python(tmp_path: Path, content: Content, entries: list[Entry]) -> None:
    import uuid

    home = tmp_path / uuid.uuid4().hex
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRAMPCLI_HOME", str(home))
        store = diary.open_diary(create=True)
        assert store is not None
        with store:
            store.import_entries(replace(e, id=None, uid=uuid.uuid4().hex) for e in entries)
            stored = list(store.all_entries())
            since = (TODAY - 200) * DAY
            assert store.tallies() == tally(stored)
            assert store.tallies(since, "calf") == tally(e for e in stored if e.started >= since and e.area == "calf")
            longer, symptoms = diary_flags.screen(content)
            assert longer is not None
            wanted = [e for e in stored if e.duration > longer or set(e.symptoms) & set(symptoms)]
            assert store.notable(longer, symptoms) == sorted(wanted, key=lambda e: (e.started, e.id))
            assert store.day_counts(TODAY - 30, TODAY) == {
                d: n for d, n in tally(stored).by_day.items() if TODAY - 30 <= d <= TODAY
            }


def user_file(text: str) -> list[tuple[str, bytes]]:
    return [("mine/soft.yaml", text.encode("utf-8"))]


def builtin_files() -> list[tuple[str, bytes]]:
    from crampcli.content.load import builtin_dir

    return [(f"content/{p.name}", p.read_bytes()) for p in sorted(builtin_dir().glob("*.yaml"))]


def test_a_users_own_content_cannot_soften_a_diary_flag() -> None:
    from crampcli.content.load import parse_content

    softer = (
        "diary_flags:\n  - id: diary-long-cramp\n    red_flag: cramp-over-ten-minutes\n"
        "    finding: Long.\n    longer_than_minutes: 600\n    sources: [nhs-lc]\n"
    )
    with pytest.raises(ContentError, match="cannot be replaced"):
        parse_content(builtin_files(), user_file(softer))
    added = softer.replace("id: diary-long-cramp", "id: my-five-minutes").replace("600", "5")
    content = parse_content(builtin_files(), user_file(added))
    assert {f.id for f in content.diary_flags} >= {"diary-long-cramp", "my-five-minutes"}
