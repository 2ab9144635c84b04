"""`cramp check`: the red-flag questions, asked one by one in a terminal or answered by options.

The exit status carries the answer so a script can act on it (README "Exit codes").
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, Literal, NoReturn, Optional, TextIO

import typer

from crampcli.cli.options import ColorOption, JsonOption, PlainOption
from crampcli.cli.run import emit, load
from crampcli.errors import ContentError, UsageError
from crampcli.output.page import Color
from crampcli.output.write import report

if TYPE_CHECKING:
    from crampcli.check.triage import Answer, Ask
    from crampcli.content.model import Content

MAX_ANSWERS_BYTES = 1_000_000  # answers to every question fit in a few hundred bytes
LEVEL_EXIT_CODES: dict[str, int] = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
INTERRUPTED = 130

INTRO = (
    "First, the warning signs that need a doctor today or an ambulance. Answer each question "
    "about yourself: yes, no or not sure (y, n or ?). Not sure counts as yes, to be safe. "
    "Type b to go back to the previous question; Ctrl-C stops."
)
PROMPT = "yes / no / not sure [y/n/?]: "
OFFER = "More questions tell a cramp from things that look like one (a clot, restless legs...). Answer them? [y/n]: "
BACK_WORDS = frozenset({"b", "back"})
RENAMED = {"--yes": "--answer-yes", "--no": "--answer-no", "--unsure": "--answer-unsure"}
NIGHT_HOURS = (22, 7)  # from 22:00 to 07:00 local time, a surgery is closed: phone lines first


def default_emergency_number() -> str | None:
    """The profile's number when --emergency-number is not given; None keeps the content's examples."""
    from crampcli.cli.run import fit

    return fit().emergency_number


def complete_question_id(incomplete: str) -> list[str]:
    """Question ids for shell completion; the part after the last comma is completed."""
    from crampcli.check.triage import questions
    from crampcli.errors import CrampError

    done, _, part = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    try:
        ids = [a.id for a in questions(load())]
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
    from crampcli.check import pages as triage_view
    from crampcli.check import triage

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
        answers = ask_all(content, number)
    elif rest_answer is not None:
        answers = triage.with_rest(content, answers, rest_answer)
    else:
        require_first_round(content, answers)
    verdict = triage.assess(content, answers)
    emit(triage_view.check_page(content, verdict, interactive, number, is_night()), json_output, plain, color)
    code = LEVEL_EXIT_CODES[verdict.level.id]
    if code:
        raise typer.Exit(code)


def renamed(old: str, values: list[str] | None) -> list[str]:
    """Values given under a former option name, with a one-line notice of the new name."""
    if not values:
        return []
    from crampcli.output.write import warn

    warn(f"{old} on check is now {RENAMED[old]} ({old} still works for now).")
    return values


def parse_rest(text: str | None) -> Answer | None:
    from crampcli.check.triage import parse_answer

    if text is None:
        return None
    answer = parse_answer(text)
    if answer is None:
        raise UsageError(f"--rest takes no, yes or unsure, not {text!r}.")
    return answer


def require_first_round(content: Content, answers: dict[str, Answer]) -> None:
    """Every emergency and same-day question answered, or a usage error naming the missing ones."""
    from crampcli.check.triage import MOST_URGENT, assess, missing_first_round

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
    from crampcli.check.triage import collect, split_ids

    pairs: list[tuple[str, Answer]] = [
        *((i, "yes") for i in split_ids(yes)),
        *((i, "no") for i in split_ids(no)),
        *((i, "unsure") for i in split_ids(unsure)),
    ]
    if answers_file is not None:
        pairs += read_answers(answers_file)
    return collect(content, pairs)


def read_answers(path: str) -> list[tuple[str, Answer]]:
    """(id, answer) pairs from a JSON object; a file that is not one is a data error (exit 1)."""
    import json
    from pathlib import Path

    from crampcli.check.triage import parse_answer
    from crampcli.safefile import UnsafePathError, open_regular
    from crampcli.text import shorten

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
        document = json.loads(text)
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


def prompt_stream() -> TextIO:
    """Questions go to the terminal: stdout if it is one, else stderr, so stdout keeps only the result."""
    try:
        return sys.stdout if sys.stdout.isatty() else sys.stderr
    except (AttributeError, ValueError):
        return sys.stderr


def ask_all(content: Content, number: str | None = None) -> dict[str, Answer]:
    """The emergency and same-day questions, a first result, then the other questions if wanted.

    An answer that is an emergency ends the questions at once.
    """
    from crampcli.check.triage import first_round, later_round

    out = prompt_stream()
    answers: dict[str, Answer] = {}
    try:
        say(out, wrap(INTRO) + "\n")
        first = first_round(content)
        if ask_round(first, answers, out):
            say(out, "\n")
            return answers
        say(out, "\n" + interim_result(content, answers, number) + "\n")
        later = later_round(content)
        if later and wants_more(out):
            ask_round(later, answers, out)
    except (EOFError, KeyboardInterrupt):
        stop(out)
    say(out, "\n")
    return answers


def ask_round(asks: tuple[Ask, ...], answers: dict[str, Answer], out: TextIO) -> bool:
    """Ask each in turn, skipping the flags a screen answered, going back on request;
    True when an answer ended the check."""
    from crampcli.check.triage import ends_check, skipped

    asked: list[int] = []  # positions asked so far, for going back
    n = 0
    while n < len(asks):
        ask = asks[n]
        if skipped(ask, answers):
            n += 1
            continue
        reply = ask_one(ask, n + 1, len(asks), out, can_go_back=bool(asked))
        if reply == "back":
            n = asked.pop()
            for later in asks[n:]:  # a changed screen changes what comes after it
                answers.pop(later.id, None)
            continue
        answers[ask.id] = reply
        asked.append(n)
        if ends_check(ask, reply):
            return True
        n += 1
    return False


def interim_result(content: Content, answers: dict[str, Answer], number: str | None) -> str:
    """The level the warning signs reach, said before the look-alike questions are offered."""
    from crampcli.check.pages import level_action
    from crampcli.check.triage import assess
    from crampcli.text import safe, unicode_ok

    level = assess(content, answers).level
    text = f"So far: {level.label.upper()}. {level_action(level, number, is_night())}"
    return wrap(safe(text, unicode_ok(prompt_stream())))


def wants_more(out: TextIO) -> bool:
    say(out, "\n")
    while True:
        reply = read_line(wrap(OFFER) if len(OFFER) > width() else OFFER, out).strip().lower()
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no", ""):
            return False
        say(out, "Please answer y or n.\n")


def ask_one(ask: Ask, n: int, total: int, out: TextIO, can_go_back: bool = False) -> Answer | Literal["back"]:
    from crampcli.check.triage import parse_answer
    from crampcli.text import safe, unicode_ok

    say(out, "\n" + wrap(f"({n}/{total}) {safe(ask.text, unicode_ok(out))}") + "\n")
    while True:
        typed = read_line(PROMPT, out)
        if typed.strip().lower() in BACK_WORDS:
            if can_go_back:
                return "back"
            say(out, "This is the first question here; there is nothing to go back to.\n")
            continue
        answer = parse_answer(typed)
        if answer is not None:
            return answer
        say(out, wrap("Please answer yes, no or not sure (y, n or ?), or b to go back.") + "\n")


def width() -> int:
    import shutil

    return max(20, shutil.get_terminal_size().columns - 1)


def wrap(text: str) -> str:
    """Lines no wider than the terminal, so a long question is not cut by the screen edge."""
    import textwrap

    return textwrap.fill(text, width=width(), break_long_words=False, break_on_hyphens=False)


def read_line(prompt: str, out: TextIO) -> str:
    if out is sys.stdout:
        return input(prompt)
    say(out, prompt)
    return input()


def say(out: TextIO, text: str) -> None:
    out.write(text)
    out.flush()


def stop(out: TextIO) -> NoReturn:
    """Ctrl-C or end of input: no result, a way to see the warning signs, exit 130."""
    with contextlib.suppress(OSError, ValueError):
        say(out, "\n")
    report("check stopped before the end, so there is no result. The warning signs: cramp when-to-see-doctor")
    raise typer.Exit(INTERRUPTED)
