"""`cramp check` as a user meets it: options, answer files, exit codes, a terminal, JSON."""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from crampcli.check import cli as check_cli
from crampcli.check.triage import questions
from crampcli.cli.app import app
from crampcli.content.model import Content, RedFlag

runner = CliRunner()

EXIT_CODES = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
JSON_KEYS = {
    "kind", "version", "level", "label", "action", "reasons", "lookalike", "lookalike_scores", "answers",
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
    assert "warning signs were not answered, so not counted" in out


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
        # a repeated key must not let a later "no" undo an emergency "yes" (json keeps the last)
        ('{"clot-signs": "yes", "clot-signs": "no"}', 2, "'clot-signs' is given more than once"),
        ('{"clot-signs": "no", "clot-signs": "no"}', 2, "'clot-signs' is given more than once"),
    ],
)
def test_bad_answers(text: str, code: int, message: str) -> None:
    got, out, err = invoke("--answers", "-", stdin=text)
    assert (got, out) == (code, "")
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("night", [True, False])
def test_self_care_at_night_points_to_night_relief(monkeypatch: pytest.MonkeyPatch, night: bool) -> None:
    monkeypatch.setattr(check_cli, "is_night", lambda: night)
    code, out, _ = invoke("--rest", "no", "--plain")
    assert code == 0
    assert ("cramp relief --night" in out) == night
    monkeypatch.setattr(check_cli, "is_night", lambda: True)
    urgent = invoke("--answer-yes", "clot-signs", "--rest", "no", "--plain")[1]
    assert "cramp relief --night" not in urgent  # only a self-care result sends someone to relief


def test_missing_answers_file(tmp_path: Path) -> None:
    code, _, err = invoke("--answers", str(tmp_path / "absent.json"))
    assert code == 1 and "cannot read the answers file" in err


# No answers: ask in a terminal, or explain how to answer


def test_no_answers_and_no_terminal_is_a_usage_error() -> None:
    code, out, err = invoke(stdin="")
    assert code == 2 and out == ""
    for option in ("--answer-yes", "--answer-no", "--answers"):
        assert option in err


LIST_PROMPT = "numbers, none or not sure:"


def replies_to(content: Content, level: str) -> list[str]:
    """Typed replies that end at `level`: none to each list but one, whose first sign of that
    level is picked; then no to the look-alike questions."""
    steps = content.steps
    own = {f.id: f.urgency for f in content.red_flags}
    for k, step in enumerate(steps):
        for n, item in enumerate(step.items, 1):
            if own.get(item.asks) == level:
                rest = [] if level == "emergency" else ["none"] * (len(steps) - k - 1) + ["n"]
                return ["none"] * k + [str(n), *rest]
    assert level == "self-care"
    return ["none"] * len(steps) + ["n"]


def test_interactive_none_to_every_list_is_self_care_in_few_answers(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    in_terminal(monkeypatch)
    replies = replies_to(content, "self-care")
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 0, err
    assert len(replies) <= 6 and err.count(LIST_PROMPT) == len(content.steps)
    assert "for adults" in err and "child" in err  # said before the first list
    steps = re.findall(r"Step (\d+) of (\d+)", err)
    assert [int(n) for n, _ in steps] == list(range(1, len(content.steps) + 1))
    assert {int(total) for _, total in steps} == {len(content.steps)}
    document = json.loads(out)
    flags = {f.id for f in content.red_flags if f.urgency != "self-care"}
    assert not flags & set(document["unanswered"]) and flags <= set(document["answers"])
    plain = invoke("--plain", stdin="\n".join(replies) + "\n")[1]
    assert "You answered every warning-sign question." in plain


def test_interactive_lists_come_most_urgent_first(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    _, _, err = invoke("--plain", stdin="none\n" * len(content.steps) + "n\n")
    own = {f.id: f.urgency for f in content.red_flags}
    where = [err.index(item.line) for step in content.steps for item in step.items if own.get(item.asks) == "emergency"]
    later = [err.index(item.line) for step in content.steps for item in step.items if own.get(item.asks) == "soon"]
    assert max(where) < min(later)


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self-care"])
def test_interactive_a_path_to_each_level(monkeypatch: pytest.MonkeyPatch, content: Content, level: str) -> None:
    in_terminal(monkeypatch)
    code, out, err = invoke("--json", stdin="\n".join(replies_to(content, level)) + "\n")
    assert code == EXIT_CODES[level], err
    assert json.loads(out)["level"] == level


def test_interactive_emergency_stops_at_once(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    code, out, err = invoke("--json", stdin="1\n" + "none\n" * 10)
    document = json.loads(out)
    assert code == 5 and err.count(LIST_PROMPT) == 1 and "Step 2 of" not in err
    assert document["stopped_early"] is True and document["lookalike"] is None


def test_interactive_back_changes_an_answer(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    first_same_day = content.steps[1].items[0].asks
    # the first same-day sign picked, then back and none instead: the yes is gone
    replies = ["none", "1", "b", "none"] + ["none"] * (len(content.steps) - 2) + ["n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 0, err
    assert json.loads(out)["answers"][first_same_day] == "no"
    assert err.count(f"Step 2 of {len(content.steps)}") == 2  # the list asked again


def test_interactive_back_to_a_circumstance_undoes_its_follow_up(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    in_terminal(monkeypatch)
    k, step = next((k, s) for k, s in enumerate(content.steps) if any(i.follow_up for i in s.items))
    n, item = next((n, i) for n, i in enumerate(step.items, 1) if i.follow_up)
    # the circumstance picked, its first sign picked, then back twice and none to the circumstances
    replies = ["none"] * k + [str(n), "1", "b", "b", "none"] + ["none"] * (len(content.steps) - k - 1) + ["n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 0, err
    document = json.loads(out)
    assert document["answers"][item.follow_up[0].asks] == "no" and document["reasons"] == []


def test_interactive_back_at_the_first_list_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)
    code, _, err = invoke("--plain", stdin="back\n1\n")
    assert code == 5 and "nothing to go back to" in err


def test_interactive_back_from_the_offer_returns_to_the_last_list(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    in_terminal(monkeypatch)
    replies = ["none"] * len(content.steps) + ["b", "1", "n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 3, err  # the last list is the soon signs
    assert json.loads(out)["answers"][content.steps[-1].items[0].asks] == "yes"


@pytest.mark.parametrize("reply", ["dk", "unsure", "Not sure", "?", "don't know"])
def test_interactive_not_sure_asks_each_sign_and_counts_as_yes(monkeypatch: pytest.MonkeyPatch, reply: str) -> None:
    in_terminal(monkeypatch)
    # not sure to the first list, then not sure to its first sign
    code, out, err = invoke("--json", stdin=f"{reply}\n{reply}\n" + "n\n" * 100)
    assert code == 5 and json.loads(out)["reasons"][0]["answer"] == "unsure"
    assert "Do you have this?" in err and err.count(LIST_PROMPT) == 1


def test_interactive_not_sure_keeps_the_flag_own_rule(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    flag = next(f for f in content.red_flags if f.if_unsure is not None)
    k, step = next((k, s) for k, s in enumerate(content.steps) if flag.id in [i.asks for i in s.items])
    singles = ["?" if i.asks == flag.id else "n" for i in step.items]
    replies = ["none"] * k + ["?", *singles] + ["none"] * (len(content.steps) - k - 1) + ["n"]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == EXIT_CODES[flag.if_unsure or ""], err
    assert json.loads(out)["answers"][flag.id] == "unsure"


def test_interactive_lists_wrap_to_the_terminal(monkeypatch: pytest.MonkeyPatch, content: Content) -> None:
    in_terminal(monkeypatch)
    monkeypatch.setenv("COLUMNS", "40")
    _, _, err = invoke("--plain", stdin="1\n")
    assert content.steps[0].items[0].line.split()[0] in err
    assert max(len(line) for line in err.splitlines() if LIST_PROMPT not in line) <= 40


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("perhaps", "Please type the numbers that apply"),
        ("99", "That is not on this list"),
        ("yes", "Which ones? Type their numbers"),
    ],
)
def test_interactive_asks_again_after_an_unclear_answer(monkeypatch: pytest.MonkeyPatch, typed: str, said: str) -> None:
    in_terminal(monkeypatch)
    code, _, err = invoke("--plain", stdin=f"{typed}\n1\n")
    assert code == 5
    assert said in err and err.count(LIST_PROMPT) == 2


def test_interactive_look_alike_questions_come_after_and_may_raise_the_level(
    monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    in_terminal(monkeypatch)
    looks = [look for look in content.lookalikes if look.questions]
    sign_at = next(k for k, look in enumerate(looks) if any(q.urgency == "urgent" for q in look.questions))
    sign = next(n for n, q in enumerate(looks[sign_at].questions, 1) if q.urgency == "urgent")
    answers = ["none"] * sign_at + [str(sign)] + ["none"] * (len(looks) - sign_at - 1)
    replies = ["none"] * len(content.steps) + ["y", *answers]
    code, out, err = invoke("--json", stdin="\n".join(replies) + "\n")
    assert code == 4, err
    assert err.index("Result so far: SELF-CARE") < err.index("More questions, 1 of")
    document = json.loads(out)
    assert document["unanswered"] == []


def test_end_of_input_leaves_with_130(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)
    code, out, err = invoke(stdin="none\nnone\n")
    assert code == 130 and out == ""
    assert "check stopped" in err and "Traceback" not in err


def test_ctrl_c_leaves_with_130(monkeypatch: pytest.MonkeyPatch) -> None:
    in_terminal(monkeypatch)

    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupted)
    code, _, err = invoke()
    assert code == 130 and "Traceback" not in err


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

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def in_a_terminal(replies: list[str], rows: int = 24, columns: int = 80, **env: str) -> tuple[int, str]:
    """`cramp check` in a pseudo-terminal, each reply typed when a prompt shows; the exit status
    and everything the terminal showed, without colour codes."""
    shown = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "crampcli", "check"],
        env={**os.environ, **env},
        encoding="utf-8",
        timeout=30,
        dimensions=(rows, columns),
    )
    child.logfile_read = shown
    prompts = [re.escape(LIST_PROMPT), re.escape("[y/n/?]:"), re.escape("[y/N]:")]
    try:
        for reply in replies:
            child.expect(prompts)
            child.sendline(reply)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus is not None, shown.getvalue()[-2000:]
    return child.exitstatus, ANSI.sub("", shown.getvalue()).replace("\r\n", "\n")


def test_a_real_terminal_none_throughout_ends_with_the_result_and_no_pager(content: Content) -> None:
    # a short terminal: the page is longer than it, yet no pager may stand between it and the person
    code, shown = in_a_terminal(replies_to(content, "self-care"), rows=12, PAGER="echo PAGER-RAN; cat")
    assert code == 0
    assert "PAGER-RAN" not in shown
    tail = shown[shown.index("Result so far") :]
    assert "SELF-CARE" in tail and "You answered every warning-sign question." in tail


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon"])
def test_a_real_terminal_path_to_each_level(content: Content, level: str) -> None:
    label = next(lv.label for lv in content.urgency_levels if lv.id == level)
    code, shown = in_a_terminal(replies_to(content, level))
    assert code == EXIT_CODES[level]
    assert label.upper() in shown.split(LIST_PROMPT)[-1]


def test_a_real_terminal_back_not_sure_and_a_number_out_of_range(content: Content) -> None:
    steps = len(content.steps)
    singles = ["n"] * len(content.steps[1].items)
    # 1) a number not on the list is asked again; 2) back from the second list to the first;
    # 3) not sure to the second list, then no to each of its signs one by one
    replies = ["99", "none", "b", "none", "?", *singles] + ["none"] * (steps - 2) + ["n"]
    code, shown = in_a_terminal(replies)
    assert code == 0, shown[-1500:]
    assert "That is not on this list" in shown
    assert shown.count(f"Step 1 of {steps}") == 2  # asked again after going back
    assert shown.count("Do you have this?") == len(singles)


def test_a_real_terminal_emergency_advice_comes_first(content: Content) -> None:
    flag = next(f for f in content.red_flags if f.id == content.steps[0].items[0].asks)
    code, shown = in_a_terminal(["1"], columns=200)
    assert code == 5
    after = " ".join(shown.split(LIST_PROMPT)[-1].split())
    assert " ".join(flag.advice.split()[:4]) in after and "Step 2" not in shown
