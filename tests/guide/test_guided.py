"""Guided sessions: the loop on a hand-moved clock, the plain fallback, the routine command,
and one real session in a pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content, Step
from crampcli.content.record import replace
from crampcli.guide import walk as guided
from crampcli.guide.session import Session, View
from crampcli.guide.walk import Outcome, Screen, Walkthrough, key_names, status_line, walk

runner = CliRunner()


class FakeKeys:
    """Keys pressed at given times; waiting moves the fake clock instead of sleeping."""

    def __init__(self, presses: list[tuple[float, str]]) -> None:
        self.now = 0.0
        self.presses = list(presses)
        self.waits: list[float | None] = []

    def clock(self) -> float:
        return self.now

    def __call__(self, timeout: float | None) -> str | None:
        self.waits.append(timeout)
        if self.presses and (timeout is None or self.presses[0][0] <= self.now + timeout):
            at, key = self.presses.pop(0)
            self.now = max(self.now, at)
            return key
        if timeout is None:
            raise AssertionError("the session waits for a key nobody will press")
        self.now += timeout
        return None


def screen_to(out: io.StringIO, width: int = 80, bold: bool = False) -> Screen:
    return Screen(out, lambda: width, unicode=True, bold=bold)


def countdowns(output: str) -> list[tuple[str, int]]:
    return [(kind, int(n)) for kind, n in re.findall(r"(Hold|Rest) (\d+) s", output)]


# The loop


def test_holds_count_down_with_rests_and_bells_then_finish() -> None:
    out = io.StringIO()
    keys = FakeKeys([])
    steps = (Step("Stretch the calf", hold_seconds=3, repeats=2, rest_seconds=2),)
    outcome = walk(Walkthrough("Test routine", steps), screen_to(out), keys, keys.clock, bell=True)
    assert outcome == "done"
    assert countdowns(out.getvalue()) == [
        ("Hold", 3),
        ("Hold", 2),
        ("Hold", 1),
        ("Rest", 2),
        ("Rest", 1),
        ("Hold", 3),
        ("Hold", 2),
        ("Hold", 1),
    ]
    assert "1 of 2" in out.getvalue() and "next: 2 of 2" in out.getvalue()
    assert out.getvalue().count("\a") == 3  # hold to rest, rest to hold, the end
    assert keys.now == pytest.approx(8.0, abs=0.1)  # 3 + 2 + 3 seconds on the fake clock


def test_the_first_step_is_on_screen_before_anything_is_waited_for() -> None:
    out = io.StringIO()
    seen: list[str] = []
    keys = FakeKeys([(0.0, "quit")])

    def watching(timeout: float | None) -> str | None:
        seen.append(out.getvalue())
        return keys(timeout)

    walkthrough = Walkthrough("Calf", (Step("Pull your toes up"), Step("Rub")), first="Straighten your leg.")
    assert walk(walkthrough, screen_to(out), watching, keys.clock, bell=False) == "quit"
    assert "Straighten your leg." in seen[0] and "Step 1 of 2" in seen[0] and "Pull your toes up" in seen[0]
    assert out.getvalue().index("Straighten your leg.") < out.getvalue().index("Step 1 of 2")


def test_each_leg_is_named_and_enter_skips_to_the_next_repeat() -> None:
    out = io.StringIO()
    keys = FakeKeys([(1.5, "next"), (2.0, "quit")])
    steps = (Step("Calf", hold_seconds=10, repeats=2, rest_seconds=10, both_sides=True),)
    assert walk(Walkthrough("Bedtime", steps), screen_to(out), keys, keys.clock, bell=False) == "quit"
    lines = re.findall(r"Hold \d+ s - [^\x1b\r]*", out.getvalue())
    assert lines[0] == "Hold 10 s - left leg, 1 of 2 - Enter: skip, q: quit"
    assert "Hold 10 s - left leg, 2 of 2 - Enter: skip, q: quit" in lines  # no rest in between
    assert "Rest" not in out.getvalue()


def test_steps_without_a_hold_wait_for_enter_and_show_the_time_so_far() -> None:
    out = io.StringIO()
    keys = FakeKeys([(65.2, "next"), (70.0, "next"), (71.0, "n"), (72.0, "n")])
    walkthrough = Walkthrough("Calf", (Step("Pull"), Step("Rub")), asks_eased=True)
    assert walk(walkthrough, screen_to(out), keys, keys.clock, bell=False) == "not-eased"
    text = out.getvalue()
    assert "Enter: next step, q: quit (1:05 so far)" in text
    assert "Enter: finish" in text
    assert "Has the cramp eased? (y/n) no" in text


@pytest.mark.parametrize(("key", "outcome"), [("y", "eased"), ("n", "not-eased"), ("quit", "quit")])
def test_the_question_at_the_end(key: str, outcome: str) -> None:
    keys = FakeKeys([(0.0, "next"), (1.0, "x"), (1.0, ""), (2.0, key), (3.0, "n")])
    walkthrough = Walkthrough("Calf", (Step("Pull"),), asks_eased=True)
    assert walk(walkthrough, screen_to(io.StringIO()), keys, keys.clock, bell=False) == outcome


def test_the_status_line_always_fits_the_width() -> None:
    session = Session((Step("Calf", hold_seconds=30, repeats=5, rest_seconds=10, both_sides=True), Step("Bed")), 0.0)
    views: list[View] = []
    for index in range(len(session.phases)):  # every hold and rest, and the waiting step
        session.enter(index, 0.0)
        view = session.view(0.0)
        assert view is not None
        views.append(view)
    assert {v.phase.kind for v in views} == {"hold", "rest", "wait"}
    for width in range(1, 90):
        for view in views:
            assert len(status_line(view, width)[0]) <= width


def test_a_narrowed_window_has_the_wrapped_status_line_erased_from_its_first_row() -> None:
    out, width = io.StringIO(), [80]
    screen = Screen(out, lambda: width[0], unicode=True, bold=False)
    line = "Hold 10 s - left leg, 1 of 3 - Enter: skip, q: quit"  # 51 columns
    screen.live(line)
    assert out.getvalue() == "\r\x1b[K" + line
    for columns, up in ((60, None), (30, 1), (20, 2), (17, 2), (16, 3)):  # rows it wrapped onto, less one
        width[0] = columns
        out.seek(0), out.truncate()
        screen.live(line)  # the same text: drawn again all the same, since the window changed
        erase = "\r\x1b[K" if up is None else f"\r\x1b[{up}A\x1b[J"
        assert out.getvalue() == erase + line, columns
        width[0] = 80
        screen.live(line)  # back to a wide window: the line is on one row again
    out.seek(0), out.truncate()
    screen.live(line)
    assert out.getvalue() == ""  # nothing changed, nothing drawn


def test_a_narrowed_window_shows_the_step_again_under_the_erased_line() -> None:
    out, width = io.StringIO(), [80]
    screen = Screen(out, lambda: width[0], unicode=True, bold=False)
    keys = FakeKeys([(2.5, "quit")])

    def clock() -> float:
        if keys.now >= 1.0:
            width[0] = 30  # narrowed during the second second
        return keys.now

    walkthrough = Walkthrough("Calf", (Step("Lean on the wall", hold_seconds=10, repeats=3, both_sides=True),))
    assert walk(walkthrough, screen, keys, clock, bell=False) == "quit"
    shown = out.getvalue()
    _, after = shown.split("\r\x1b[1A\x1b[J")  # erased once, from the first row it wrapped onto
    assert "Step 1 of 1" in after and "Lean on the wall" in after  # in case that row was the step's
    assert re.findall(r"Hold \d+ s[^\r\x1b]*", after)[-1] == "Hold 8 s - left leg, 1 of 3"  # fits 30


def test_after_a_stop_the_status_line_is_drawn_anew_below() -> None:
    out = io.StringIO()
    screen = screen_to(out)
    screen.live("Hold 5 s")
    screen.forget_live()  # resumed: the cursor is on a fresh line under the shell's words
    screen.live("Hold 5 s")
    assert out.getvalue() == "\r\x1b[KHold 5 s" * 2


def test_content_text_is_escaped_and_bold_only_when_colour_is_on() -> None:
    out = io.StringIO()
    screen = screen_to(out, bold=True)
    screen.lines("Evil \x1b[2J text", strong=True)
    assert "\x1b[2J" not in out.getvalue() and "Evil ?[2J text" in out.getvalue()
    assert out.getvalue().startswith("\x1b[1m")
    plain = io.StringIO()
    screen_to(plain, bold=False).lines("Rub", strong=True)
    assert plain.getvalue() == "Rub\n"


def test_keys_from_the_terminal() -> None:
    assert key_names(b"\r") == ["next"]
    assert key_names(b"\n\n") == ["next", "next"]
    assert key_names(b"Q") == ["quit"]
    assert key_names(b"\x04") == ["quit"]
    assert key_names(b"") == ["quit"]
    assert key_names(b"Y") == ["y"]
    assert key_names(b"\x1bOQ") == [""]  # a function key, not q


# What is said at the end


def test_not_eased_early_offers_to_hold_again_and_says_nothing_of_10_minutes() -> None:
    out = io.StringIO()
    # no after 45 s: hold again; no again after the second round, still well short of 10 minutes
    keys = FakeKeys([(45.0, "n"), (46.0, "y"), (50.0, "next"), (51.0, "n"), (52.0, "n")])
    walkthrough = Walkthrough("Calf", (Step("Pull", hold_seconds=30),), asks_eased=True)
    assert walk(walkthrough, screen_to(out), keys, keys.clock, bell=False) == "not-eased"
    text = out.getvalue()
    assert "Hold the stretch again? (y/n) yes" in text and "Hold the stretch again? (y/n) no" in text
    assert text.count("Step 1 of 1") == 2  # held a second time
    assert "10 minutes" not in text


def test_not_eased_after_10_minutes_of_session_is_the_long_cramp_outcome() -> None:
    keys = FakeKeys([(30.0, "n"), (31.0, "y"), (601.0, "next"), (602.0, "n")])
    walkthrough = Walkthrough("Calf", (Step("Pull"),), asks_eased=True)
    assert walk(walkthrough, screen_to(io.StringIO()), keys, keys.clock, bell=False) == "not-eased-long"


def test_the_10_minute_warning_only_when_the_session_ran_10_minutes(content: Content) -> None:
    flag = next(f for f in content.red_flags if f.id == guided.LONG_CRAMP_FLAG)
    page = guided.ending_page(content, Walkthrough("Calf", ()), "not-eased-long")
    alerts = [b for b in page.blocks if b.kind == "alert"]
    assert alerts and flag.sign in alerts[0].lines[0] and alerts[0].style == "urgent"
    assert any("cramp when-to-see-doctor" in line for b in page.blocks for line in b.lines)
    early = guided.ending_page(content, Walkthrough("Calf", ()), "not-eased")
    assert not any(flag.sign in line for b in early.blocks for line in b.lines)


def test_the_most_relevant_caution_is_the_last_line_in_view(content: Content) -> None:
    calf = next(a for a in content.relief.areas if a.id == "calf")
    clot = calf.cautions[0].text  # the short page's first caution: it may be a clot
    page = guided.ending_page(content, Walkthrough("Calf", (), cautions=(clot, "Another caution.")), "not-eased")
    assert page.blocks[-1].lines[-1] == clot


def test_the_long_cramp_flag_is_found_by_its_text_if_its_id_changes(content: Content) -> None:
    flags = tuple(replace(f, id="renamed") if f.id == guided.LONG_CRAMP_FLAG else f for f in content.red_flags)
    renamed = replace(content, red_flags=flags)
    found = guided.long_cramp_flag(renamed)
    assert found is not None and "10 minutes" in found.sign
    none_left = replace(content, red_flags=())
    page = guided.ending_page(none_left, Walkthrough("Calf", ()), "not-eased-long")
    assert guided.LONG_CRAMP_FALLBACK in page.blocks[0].lines


def test_cautions_from_the_relief_page_are_shown_however_it_ends(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.output.page import Page

    page = Page("relief")
    page.add("alert", "Never put ice straight on the skin.", style="caution")
    page.add("alert", "Not with numb feet: no heating pad.", style="personal")  # from the profile
    captured: list[Walkthrough] = []
    monkeypatch.setattr(guided, "run", lambda content, walkthrough, page, **options: captured.append(walkthrough))
    guided.relief(
        content, content.relief.general, page, timer=True, bell=False, json_output=False, plain=False, color=None
    )
    assert captured[0].cautions == ("Not with numb feet: no heating pad.", "Never put ice straight on the skin.")
    outcomes: tuple[Outcome, ...] = ("quit", "eased", "not-eased", "not-eased-long")
    for outcome in outcomes:
        shown = guided.ending_page(content, captured[0], outcome)
        assert any("Never put ice straight on the skin." in b.lines for b in shown.blocks)


def test_eased_shows_what_to_do_afterwards(content: Content) -> None:
    plan = content.relief.areas[0]
    page = guided.ending_page(content, Walkthrough(plan.name, plan.steps, after=plan.after), "eased")
    assert any(b.lines == plan.after for b in page.blocks)


# The commands, where stdout is not a terminal


def test_relief_guide_in_a_pipe_prints_the_full_relief_page() -> None:
    guided_result = runner.invoke(app, ["relief", "calf", "--guide"])
    plain_result = runner.invoke(app, ["relief", "calf", "--all"])
    assert guided_result.exit_code == 0
    assert guided_result.stdout == plain_result.stdout
    assert "\x1b" not in guided_result.stdout


def test_relief_guide_json_is_the_relief_object() -> None:
    result = runner.invoke(app, ["relief", "hamstring", "--guide", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["plan"]["id"] == "hamstring"


@pytest.mark.parametrize("flag", ["--bell", "--no-timer"])
def test_timer_options_need_guide(flag: str) -> None:
    result = runner.invoke(app, ["relief", "calf", flag])
    assert result.exit_code == 2
    assert "--guide" in result.stderr and "Traceback" not in result.stderr


def test_routine_lists_the_routines(content: Content) -> None:
    result = runner.invoke(app, ["routine", "--plain"])
    assert result.exit_code == 0
    for r in content.routines:
        assert r.id in result.stdout and r.name in result.stdout
    assert result.stdout.rstrip().endswith(content.disclaimer.text.split()[-1])
    document = json.loads(runner.invoke(app, ["routine", "--json"]).stdout)
    assert document["kind"] == "routines"
    assert [r["id"] for r in document["routines"]] == [r.id for r in content.routines]


def test_a_routine_without_a_terminal_is_its_steps_as_a_page(content: Content) -> None:
    bedtime = next(r for r in content.routines if r.id == "bedtime")
    for args in (["routine", "bedtime"], ["routine", "bedtime", "--no-timer"], ["routine", "bedtime", "--bell"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert bedtime.name in result.stdout
        assert "hold 10 s" in result.stdout
        assert content.disclaimer.text.split()[0] in result.stdout
        assert "\x1b" not in result.stdout and "\a" not in result.stdout
    document = json.loads(runner.invoke(app, ["routine", "Bedtime", "--json"]).stdout)
    assert document["kind"] == "routine" and document["routine"]["id"] == "bedtime"


def test_a_routine_can_be_asked_for_by_its_name(content: Content) -> None:
    bedtime = next(r for r in content.routines if r.id == "bedtime")
    result = runner.invoke(app, ["routine", bedtime.name, "--plain"])
    assert result.exit_code == 0 and bedtime.name in result.stdout


def test_unknown_routine_is_a_usage_error_with_a_suggestion() -> None:
    result = runner.invoke(app, ["routine", "bedtim"])
    assert result.exit_code == 2
    assert "Did you mean 'bedtime'?" in result.stderr
    assert "Routines: bedtime" in result.stderr
    result = runner.invoke(app, ["routine", "\x1b[31mnope"])
    assert result.exit_code == 2 and "\x1b[31m" not in result.stderr


def test_list_options_need_a_routine() -> None:
    result = runner.invoke(app, ["routine", "--bell"])
    assert result.exit_code == 2 and "cramp routine bedtime" in result.stderr


# A real terminal


@pytest.fixture
def terminal_env() -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm"
    yield env


def test_a_routine_counts_down_in_a_real_terminal_and_q_leaves_cleanly(terminal_env: dict[str, str]) -> None:
    pexpect = pytest.importorskip("pexpect")
    # stty runs after cramp, in the same terminal: it shows whether the modes came back.
    script = '"$0" -m crampcli routine bedtime; echo "status=$?"; stty -a'
    child = pexpect.spawn(
        "bash", ["-c", script, sys.executable], env=terminal_env, dimensions=(24, 80), encoding="utf-8", timeout=10
    )
    try:
        child.expect(r"Hold (\d+) s")
        first = int(child.match.group(1))
        child.expect(r"Hold (\d+) s")
        second = int(child.match.group(1))
        assert second < first  # the countdown moved
        child.send("q")
        child.expect("Stopped.")
        child.expect(r"status=(\d+)")
        assert child.match.group(1) == "0"
        child.expect(pexpect.EOF)
        seen = str(child.before)
    finally:
        child.close(force=True)
    assert re.search(r"(?<!-)icanon", seen) and re.search(r"(?<!-)echo\b", seen)  # terminal modes restored
    assert "Traceback" not in seen


def test_ctrl_c_restores_the_cursor_and_exits_130(terminal_env: dict[str, str]) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crampcli", "relief", "calf", "--guide"],
        env=terminal_env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=10,
    )
    try:
        child.expect("Step 1 of")
        child.expect(["Hold [0-9]+ s", "Enter: next step"])  # a hold's countdown, or a step that waits
        child.sendintr()
        child.expect(pexpect.EOF)
        after = str(child.before)
    finally:
        child.close()
    assert child.exitstatus == 130
    assert "\x1b[?25h" in after  # the cursor is shown again
    assert "Traceback" not in after
