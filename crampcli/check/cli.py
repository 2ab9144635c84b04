"""`cramp check`: the red-flag questions, asked one by one in a terminal or answered by options.

The exit status carries the answer so a script can act on it (README "Exit codes").
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Optional

import typer

from crampcli.check import pages as triage_view
from crampcli.check import triage
from crampcli.check.ask import ask_check
from crampcli.check.triage import MOST_URGENT, assess, collect, missing_first_round, parse_answer, split_ids
from crampcli.cli.options import ColorOption, JsonOption, PlainOption
from crampcli.cli.run import State, emit, fit, load
from crampcli.errors import ContentError, CrampError, UsageError
from crampcli.output.page import Color
from crampcli.output.write import warn
from crampcli.safefile import UnsafePathError, open_regular
from crampcli.text import shorten

if TYPE_CHECKING:
    from crampcli.check.triage import Answer
    from crampcli.content.model import Content

MAX_ANSWERS_BYTES = 1_000_000  # answers to every question fit in a few hundred bytes
LEVEL_EXIT_CODES: dict[str, int] = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
RENAMED = {"--yes": "--answer-yes", "--no": "--answer-no", "--unsure": "--answer-unsure"}
NIGHT_HOURS = (22, 7)  # from 22:00 to 07:00 local time, a surgery is closed: phone lines first


def default_emergency_number() -> str | None:
    """The profile's number when --emergency-number is not given; None keeps the content's examples."""
    return fit().emergency_number


def complete_question_id(incomplete: str) -> list[str]:
    """Question ids for shell completion; the part after the last comma is completed."""
    done, _, part = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    try:
        ids = [a.id for a in triage.questions(load())]
    except CrampError:  # broken content: offer nothing rather than an error inside the shell
        return []
    return [prefix + i for i in ids if i.startswith(part)]


def is_night() -> bool:
    import time

    hour = time.localtime().tm_hour
    return hour >= NIGHT_HOURS[0] or hour < NIGHT_HOURS[1]


def check(
    answer_yes: Optional[list[str]] = typer.Option(
        None,
        "--answer-yes",
        metavar="IDS",
        help="Question ids you answer yes (comma-separated, repeatable).",
        show_default=False,
        autocompletion=complete_question_id,
    ),
    answer_no: Optional[list[str]] = typer.Option(
        None,
        "--answer-no",
        metavar="IDS",
        help="Question ids you answer no.",
        show_default=False,
        autocompletion=complete_question_id,
    ),
    answer_unsure: Optional[list[str]] = typer.Option(
        None,
        "--answer-unsure",
        metavar="IDS",
        help="Question ids you are not sure about (count as yes).",
        show_default=False,
        autocompletion=complete_question_id,
    ),
    rest: Optional[str] = typer.Option(
        None,
        "--rest",
        metavar="ANSWER",
        help="The answer for every question not answered by id: no, yes or unsure. Without it, every "
        "emergency and same-day question must be answered.",
        show_default=False,
    ),
    old_yes: Optional[list[str]] = typer.Option(None, "--yes", hidden=True, autocompletion=complete_question_id),
    old_no: Optional[list[str]] = typer.Option(None, "--no", hidden=True, autocompletion=complete_question_id),
    old_unsure: Optional[list[str]] = typer.Option(None, "--unsure", hidden=True, autocompletion=complete_question_id),
    answers_file: Optional[str] = typer.Option(
        None,
        "--answers",
        metavar="FILE",
        help='A JSON object: id -> "yes", "no" or "unsure"; - reads stdin.',
        show_default=False,
    ),
    emergency_number: Optional[str] = typer.Option(
        None,
        "--emergency-number",
        metavar="NUMBER",
        help="Your emergency number, named in the advice (default: examples such as 911, 112, 999).",
        show_default=False,
    ),
    list_questions: bool = typer.Option(False, "--list", help="List the questions and their ids."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Does this need a doctor, and how soon? Answer a few questions to find out.

    Exit status: 0 self-care, 3 see a doctor soon, 4 see a doctor today, 5 emergency.
    Given answers (--answer-yes/--answer-no/--answer-unsure/--answers) must answer every
    emergency and same-day question, unless --rest gives the answer for the others.
    """
    number = triage.check_emergency_number(emergency_number) if emergency_number is not None else None
    number = number or default_emergency_number()
    rest_answer = parse_rest(rest)
    content = load()
    if list_questions:
        emit(triage_view.questions_page(content), json_output, plain, color)
        return
    yes = [*(answer_yes or []), *renamed("--yes", old_yes)]
    no = [*(answer_no or []), *renamed("--no", old_no)]
    unsure = [*(answer_unsure or []), *renamed("--unsure", old_unsure)]
    answers = given_answers(content, yes, no, unsure, answers_file)
    interactive = not answers and rest_answer is None
    if interactive:
        if not stdin_is_terminal():
            raise UsageError(
                "no answers given, and no terminal to ask the questions in. Answer with --answer-yes, "
                "--answer-no or --answer-unsure IDS, or --answers FILE (the ids: cramp check --list)."
            )
        answers = ask_check(content, lambda signs: interim_result(content, signs))
    elif rest_answer is not None:
        answers = triage.with_rest(content, answers, rest_answer)
    else:
        require_first_round(content, answers)
    verdict = triage.assess(content, answers)
    if interactive:  # the result straight after the questions, never behind a pager's key
        State.no_pager = True
    emit(triage_view.check_page(content, verdict, interactive, number, is_night()), json_output, plain, color)
    code = LEVEL_EXIT_CODES[verdict.level.id]
    if code:
        raise typer.Exit(code)


def renamed(old: str, values: list[str] | None) -> list[str]:
    """Values given under a former option name, with a one-line notice of the new name."""
    if not values:
        return []
    warn(f"{old} on check is now {RENAMED[old]} ({old} still works for now).")
    return values


def parse_rest(text: str | None) -> Answer | None:
    if text is None:
        return None
    answer = parse_answer(text)
    if answer is None:
        raise UsageError(f"--rest takes no, yes or unsure, not {text!r}.")
    return answer


def require_first_round(content: Content, answers: dict[str, Answer]) -> None:
    """Every emergency and same-day question answered, or a usage error naming the missing ones."""
    missing = missing_first_round(content, answers)
    # An emergency already given cannot be changed by any other answer: never hold it up.
    if missing and assess(content, answers).level.id != MOST_URGENT:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise UsageError(
            f"{len(missing)} emergency or same-day question{'s' if len(missing) != 1 else ''} "
            f"not answered: {shown}. Answer them, or add --rest no (or --rest unsure) to answer the rest."
        )


# Answers given on the command line or in a JSON file


def given_answers(
    content: Content, yes: list[str], no: list[str], unsure: list[str], answers_file: str | None
) -> dict[str, Answer]:
    pairs: list[tuple[str, Answer]] = [
        *((i, "yes") for i in split_ids(yes)),
        *((i, "no") for i in split_ids(no)),
        *((i, "unsure") for i in split_ids(unsure)),
    ]
    if answers_file is not None:
        pairs += read_answers(answers_file)
    return collect(content, pairs)


class RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key


def without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object as a dict, refusing a key given twice: json.loads would keep the last,
    and a later "no" would silently undo an emergency "yes"."""
    document: dict[str, object] = {}
    for key, value in pairs:
        if key in document:
            raise RepeatedKeyError(key)
        document[key] = value
    return document


def read_answers(path: str) -> list[tuple[str, Answer]]:
    """(id, answer) pairs from a JSON object; a file that is not one is a data error (exit 1)."""
    import json
    from pathlib import Path

    name = "the answers on stdin" if path == "-" else f"the answers file {shorten(path)}"
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
        else:
            # only a regular file: a named pipe would wait for ever, a device never end
            with open_regular(Path(path), "file") as file:
                data = file.read(MAX_ANSWERS_BYTES + 1)
        if len(data) > MAX_ANSWERS_BYTES:
            raise ContentError(f"{name} is too large to be answers (over {MAX_ANSWERS_BYTES} bytes)")
        text = data.decode("utf-8")
    except UnsafePathError as error:
        raise ContentError(f"cannot read {name}: {error}") from None
    except OSError as error:
        raise ContentError(f"cannot read {name}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ContentError(f"{name} is not UTF-8 text") from None
    try:
        document = json.loads(text, object_pairs_hook=without_repeats)
    except RepeatedKeyError as error:
        raise UsageError(f"in {name}, {shorten(error.key)} is given more than once; give one answer.") from None
    except json.JSONDecodeError as error:
        raise ContentError(f"{name} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, or arrays nested thousands deep
        raise ContentError(f"{name} is not JSON that cramp can read: a number too long or nesting too deep") from None
    if not isinstance(document, dict):
        raise ContentError(f'{name} must be one JSON object, such as {{"clot-signs": "no"}}')
    pairs: list[tuple[str, Answer]] = []
    for key, value in document.items():
        answer = parse_answer(value) if isinstance(value, str) else None
        if answer is None:
            raise UsageError(
                f'in {name}, the answer to {shorten(key)} must be "yes", "no" or "unsure", '
                f"not {shorten(json.dumps(value))}."
            )
        pairs.append((key, answer))
    if not pairs:
        raise UsageError(f"{name} has no answers: give at least one id, or leave out --answers to be asked.")
    return pairs


# Asking in a terminal


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def interim_result(content: Content, answers: dict[str, Answer]) -> str:
    """Where the warning signs alone lead, said before the look-alike questions are offered."""
    level = assess(content, answers).level
    return f"Every warning sign is answered. Result so far: {level.label.upper()}."
