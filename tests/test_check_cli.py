"""`cramp check` as a user meets it: options, answer files, exit codes, a terminal, JSON."""

from __future__ import annotations

import builtins
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from crampcli.check import cli as check_cli
from crampcli.check.triage import Ask, first_round, later_round, questions
from crampcli.cli.app import app
from crampcli.content.model import Content, RedFlag

runner = CliRunner()

EXIT_CODES = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
JSON_KEYS = {
    "kind", "level", "label", "action", "reasons", "lookalike", "lookalike_scores", "answers",
    "unanswered", "stopped_early", "emergency_number", "disclaimer",
}  # fmt: skip


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def flag_of(content: Content, urgency: str) -> RedFlag:
    return next(f for f in content.red_flags if f.urgency == urgency)


def in_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cli, "stdin_is_terminal", lambda: True)


# Answers as options


@pytest.mark.parametrize("urgency", ["soon", "urgent", "emergency"])
def test_each_level_has_its_exit_code(urgency: str, content: Content) -> None:
    flag = flag_of(content, urgency)
    code, out, err = invoke("--answer-yes", flag.id, "--rest", "no", "--plain")
    assert code == EXIT_CODES[urgency], err
    level = next(level for level in content.urgency_levels if level.id == urgency)
    assert out.lstrip().startswith(level.label.upper())
    assert flag.sign.split()[0] in out


def test_all_no_is_self_care_exit_0(content: Content) -> None:
    ids = ",".join(f.id for f in content.red_flags if f.urgency != "self-care")
    code, out, _ = invoke("--answer-no", ids, "--plain")
    assert code == 0
    self_care = next(level for level in content.urgency_levels if level.id == "self-care")
    assert self_care.action.split()[0] in out


def test_the_highest_level_wins(content: Content) -> None:
    soon, urgent = flag_of(content, "soon"), flag_of(content, "urgent")
    code, out, _ = invoke("--answer-yes", soon.id, "--answer-yes", urgent.id, "--rest", "no", "--json")
    document = json.loads(out)
    assert code == 4 and document["level"] == "urgent"
    assert [r["id"] for r in document["reasons"]] == [urgent.id, soon.id]


def test_unanswered_emergency_or_same_day_questions_are_a_usage_error(content: Content) -> None:
    code, out, err = invoke("--answer-yes", flag_of(content, "soon").id, "--plain")
    assert code == 2 and out == ""
    ungated = [f.id for f in content.red_flags if f.urgency in ("emergency", "urgent") and not f.asked_if]
    expected = len(ungated) + len(content.screens)  # a screen stands for the flags it gates
    assert f"{expected} emergency or same-day questions not answered" in err
    assert ungated[0] in err and "--rest no" in err


def test_later_questions_left_unanswered_raise_nothing_and_the_output_says_so(content: Content) -> None:
    first = ",".join(f.id for f in content.red_flags if f.urgency in ("emergency", "urgent"))
    code, out, _ = invoke("--answer-no", first, "--answer-yes", flag_of(content, "soon").id, "--plain")
    assert code == 3
    assert "had no answer and raised nothing" in out


def test_an_emergency_needs_no_other_answer(content: Content) -> None:
    code, _, err = invoke("--answer-yes", flag_of(content, "emergency").id, "--plain")
    assert code == 5, err


def test_rest_answers_every_other_question(content: Content) -> None:
    code, out, _ = invoke("--answer-yes", flag_of(content, "soon").id, "--rest", "no", "--json")
    document = json.loads(out)
    assert code == 3 and document["unanswered"] == []
    assert len(document["answers"]) == len(questions(content))
    assert invoke("--rest", "perhaps")[0] == 2


def test_old_option_names_still_work_with_a_notice(content: Content) -> None:
    code, _, err = invoke("--yes", flag_of(content, "soon").id, "--no", flag_of(content, "urgent").id, "--rest", "no")
    assert code == 3
    assert "--yes on check is now --answer-yes" in err and "--no on check is now --answer-no" in err
    assert err.count("\n") == 2  # one line each


def test_unsure_counts_as_yes_and_says_so(content: Content) -> None:
    flag = flag_of(content, "urgent")
    code, out, _ = invoke("--answer-unsure", flag.id, "--rest", "no", "--plain")
    assert code == 4
    assert "not sure" in out and "counts as yes" in out
    document = json.loads(invoke("--answer-unsure", flag.id, "--rest", "no", "--json")[1])
    assert document["reasons"][0]["answer"] == "unsure"


def test_json_shape(content: Content) -> None:
    flag = flag_of(content, "urgent")
    code, out, _ = invoke("--answer-yes", flag.id, "--answer-no", flag_of(content, "soon").id, "--rest", "no", "--json")
    document = json.loads(out)
    assert code == 4
    assert set(document) == JSON_KEYS
    assert document["kind"] == "check"
    assert document["reasons"] == [{"id": flag.id, "sign": flag.sign, "advice": flag.advice, "answer": "yes"}]
    assert document["disclaimer"] == content.disclaimer.text
    assert document["emergency_number"] is None
    assert document["unanswered"] == [] and document["answers"][flag.id] == "yes"
    assert document["stopped_early"] is False


def test_lookalike_in_the_result(content: Content) -> None:
    dvt = next(look for look in content.lookalikes if look.id == "dvt")
    ids = ",".join(q.id for q in dvt.questions)
    code, out, _ = invoke("--answer-yes", ids, "--rest", "no", "--json")
    document = json.loads(out)
    assert document["lookalike"]["id"] == "dvt"
    assert code == EXIT_CODES[dvt.urgency or "self-care"] and code > 0
    assert "cannot tell" in invoke("--answer-no", ids, "--rest", "no", "--plain")[1]


@pytest.mark.parametrize("bad", ["swelling", "clot-sign", "nothing-like-it"])
def test_unknown_ids_are_usage_errors(bad: str) -> None:
    code, out, err = invoke("--answer-yes", bad)
    assert code == 2 and out == ""
    assert f"unknown question id '{bad}'" in err and "cramp check --list" in err
    assert "Traceback" not in err


def test_unknown_id_suggests_the_right_one() -> None:
    _, _, err = invoke("--answer-yes", "swelling")
    assert "Did you mean 'cramps-with-swelling'" in err


def test_one_id_answered_twice_differently_is_a_usage_error(content: Content) -> None:
    flag = flag_of(content, "soon").id
    code, _, err = invoke("--answer-yes", flag, "--answer-no", flag)
    assert code == 2 and "answered both" in err


# Answers from a JSON file or stdin


def test_answers_file(tmp_path: Path, content: Content) -> None:
    urgent, soon = flag_of(content, "urgent"), flag_of(content, "soon")
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({urgent.id: "no", soon.id: "yes"}), encoding="utf-8")
    code, out, _ = invoke("--answers", str(path), "--rest", "no", "--json")
    assert code == 3 and json.loads(out)["answers"][urgent.id] == "no" and json.loads(out)["answers"][soon.id] == "yes"


def test_answers_from_stdin_with_options(content: Content) -> None:
    emergency = flag_of(content, "emergency")
    soon = flag_of(content, "soon").id
    code, out, _ = invoke("--answers", "-", "--answer-no", soon, "--json", stdin=json.dumps({emergency.id: "unsure"}))
    assert code == 5 and json.loads(out)["level"] == "emergency"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("{not json", 1, "is not JSON"),
        ("[1, 2]", 1, "must be one JSON object"),
        ("{}", 2, "has no answers"),
        ('{"clot-signs": "perhaps"}', 2, '"yes", "no" or "unsure"'),
        ('{"clot-signs": true}', 2, '"yes", "no" or "unsure"'),
        ('{"nope-nothing": "yes"}', 2, "unknown question id"),
    ],
)
def test_bad_answers(text: str, code: int, message: str) -> None:
    got, out, err = invoke("--answers", "-", stdin=text)
    assert (got, out) == (code, "")
    assert message in err and "Traceback" not in err


def test_missing_answers_file(tmp_path: Path) -> None:
    code, _, err = invoke("--answers", str(tmp_path / "absent.json"))
    assert code == 1 and "cannot read the answers file" in err


# No answers: ask in a terminal, or explain how to answer


def test_no_answers_and_no_terminal_is_a_usage_error() -> None:
    code, out, err = invoke(stdin="")
    assert code == 2 and out == ""
    for option in ("--answer-yes", "--answer-no", "--answers"):
        assert option in err


def test_interactive_asks_the_warning_signs_first_then_offers_the_rest(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    in_terminal(monkeypatch)
    first = first_round(content)
    asked = asked_when_all_no(content)
    code, out, err = invoke("--plain", stdin="n\n" * len(asked) + "n\n")
    assert code == 0, err
    assert err.count("[y/n/?]") == len(asked) <= 12  # screens stand for the flags they gate
    assert all(a.urgency in ("emergency", "urgent") or a.is_screen for a in first)
    result_at, offer_at = err.index("So far: SELF-CARE"), err.index("Answer them? [y/n]")
    assert err.index(f"({first.index(asked[-1]) + 1}/{len(first)})") < result_at < offer_at
    assert "had no answer and raised nothing" in out


def test_interactive_all_no_with_every_question_is_self_care(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    asked = asked_when_all_no(content)
    code, out, err = invoke("--plain", stdin="n\n" * len(asked) + "y\n" + "n\n" * 100)
    assert code == 0, err
    assert err.count("[y/n/?]") == len(asked) + len(later_round(content))
    assert "no answer" not in out  # every question was asked


def test_interactive_back_changes_an_answer(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    first, asked = first_round(content), asked_when_all_no(content)
    urgent_at = next(i for i, a in enumerate(asked) if a.urgency == "urgent")
    # yes to the first same-day question, then "back" and no instead: the yes is gone.
    replies = ["n"] * urgent_at + ["y", "b", "n"] + ["n"] * (len(asked) - urgent_at - 1) + ["n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 0, err
    assert json.loads(out)["answers"][asked[urgent_at].id] == "no"
    assert err.count(f"({first.index(asked[urgent_at]) + 1}/{len(first)})") == 2  # asked again


def test_interactive_back_to_a_screen_undoes_what_it_let_in(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    asked = asked_when_all_no(content)
    gates = {f.asked_if: f for f in reversed(content.red_flags) if f.asked_if}  # each screen's first flag
    screen_at = next(i for i, a in enumerate(asked) if a.is_screen and gates[a.id].urgency == "urgent")
    gated = [f for f in content.red_flags if f.asked_if == asked[screen_at].id]
    # yes to the screen, not sure to its first flag, then back twice and no to the screen.
    replies = ["n"] * screen_at + ["y", "?", "b", "b", "n"] + ["n"] * len(asked) + ["n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 0, err
    document = json.loads(out)
    assert document["answers"][gated[0].id] == "no" and document["reasons"] == []


def test_interactive_back_at_the_first_question_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)
    code, _, err = invoke("--plain", stdin="back\ny\n")
    assert code == 5 and "nothing to go back to" in err


@pytest.mark.parametrize("reply", ["dk", "unsure", "Not sure", "?", "don't know"])
def test_interactive_short_forms_of_not_sure(monkeypatch: pytest.MonkeyPatch, reply: str) -> None:
    in_terminal(monkeypatch)
    code, out, _ = invoke("--json", stdin=f"{reply}\n" + "n\n" * 100)
    assert code == 5 and json.loads(out)["reasons"][0]["answer"] == "unsure"


def test_interactive_questions_wrap_to_the_terminal(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    monkeypatch.setenv("COLUMNS", "40")
    _, _, err = invoke("--plain", stdin="y\n")
    assert first_round(content)[0].text.split()[0] in err
    assert max(len(line) for line in err.splitlines() if "[y/n/?]" not in line) <= 40


def test_interactive_emergency_yes_stops_at_once(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    asks = check_cli_questions(content)
    code, out, err = invoke("--json", stdin="y\n" + "n\n" * 100)
    document = json.loads(out)
    assert code == 5
    assert err.count("[y/n/?]") == 1 and asks[1].text not in err
    assert document["stopped_early"] is True and document["lookalike"] is None


def test_interactive_not_sure_counts_as_yes(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    asks = asked_when_all_no(content)
    first_urgent = next(i for i, a in enumerate(asks) if a.urgency == "urgent")
    replies = ["n"] * first_urgent + ["not sure"] + ["n"] * 100
    code, out, _ = invoke("--plain", stdin="\n".join(replies) + "\n")
    assert code == 4
    assert "not sure" in out and "counts as yes" in out


def test_interactive_asks_again_after_an_unclear_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)
    code, _, err = invoke("--plain", stdin="perhaps\n?\n")
    assert code == 5
    assert "Please answer yes, no or not sure" in err


def test_end_of_input_leaves_with_130(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)
    code, out, err = invoke(stdin="n\nn\n")
    assert code == 130 and out == ""
    assert "check stopped" in err and "Traceback" not in err


def test_ctrl_c_leaves_with_130(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)

    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupted)
    code, _, err = invoke()
    assert code == 130 and "Traceback" not in err


def check_cli_questions(content: Content) -> list[Ask]:
    return list(questions(content))


def asked_when_all_no(content: Content) -> list[Ask]:
    """The first-round questions a person who answers no to everything is asked."""
    return [a for a in first_round(content) if not a.asked_if]


# The emergency number


def test_emergency_number_replaces_the_examples(content: Content) -> None:
    flag = flag_of(content, "emergency")
    code, out, _ = invoke("--answer-yes", flag.id, "--emergency-number", "+44 999", "--json")
    document = json.loads(out)
    assert code == 5 and document["emergency_number"] == "+44 999"
    assert document["action"].startswith("Call +44 999 now")
    assert "for example" not in document["action"]


@pytest.mark.parametrize("bad", ["abc", "112; rm -rf", "1234567890123456", ""])
def test_bad_emergency_number_is_a_usage_error(bad: str, content: Content) -> None:
    code, out, err = invoke("--answer-yes", flag_of(content, "soon").id, "--emergency-number", bad)
    assert code == 2 and out == "" and "--emergency-number" in err


def test_default_emergency_number_is_none() -> None:
    assert check_cli.default_emergency_number() is None


# Output forms


def test_plain_rich_and_disclaimer(content: Content) -> None:
    flag = flag_of(content, "soon").id
    plain = invoke("--answer-yes", flag, "--rest", "no", "--plain")[1]
    assert "\x1b[" not in plain and plain.rstrip().endswith(content.disclaimer.text.split()[-1])
    rich = invoke("--answer-yes", flag, "--rest", "no", "--color", "always")[1]
    assert "\x1b[" in rich and content.disclaimer.text.split()[0] in rich


def test_list_shows_every_question_id(content: Content) -> None:
    code, out, _ = invoke("--list", "--plain")
    assert code == 0
    for flag in content.red_flags:
        assert (flag.id in out) == (flag.urgency != "self-care")
    document = json.loads(invoke("--list", "--json")[1])
    assert document["kind"] == "check-questions"
    assert document["questions"][0]["urgency"] == "emergency"


# A real terminal


def test_a_real_terminal_yes_to_the_first_emergency_question(content: Content) -> None:
    asks = questions(content)
    first, second = asks[0], asks[1]
    flag = next(f for f in content.red_flags if f.id == first.id)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crampcli", "check"],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=20,
        dimensions=(60, 400),
    )
    try:
        child.expect_exact(first.text)
        child.expect_exact("[y/n/?]")
        child.sendline("yes")
        # pages wrap at 100 columns, even in a wider terminal: the words may be on two lines
        between = r"(?:\s|\x1b\[[0-9;]*m)+"
        advice = between.join(re.escape(word) for word in flag.advice.split()[:4])
        assert child.expect([advice, re.escape(second.text)]) == 0, (
            "the emergency advice comes before any other question"
        )
        child.expect(pexpect.EOF)
        assert second.text not in (child.before or "")
    finally:
        child.close()
    assert child.exitstatus == 5
