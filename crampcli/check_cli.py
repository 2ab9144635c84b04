"""`cramp check`: the red-flag questions, asked one by one in a terminal or answered by options.

The exit status carries the answer so a script can act on it (README "Exit codes").
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, NoReturn, Optional, TextIO

import typer

from .errors import ContentError, UsageError
from .output import Color, ColorOption, JsonOption, PlainOption, emit, load, report

if TYPE_CHECKING:
    from .model import Content
    from .triage import Answer, Ask

MAX_ANSWERS_BYTES = 1_000_000  # answers to every question fit in a few hundred bytes
LEVEL_EXIT_CODES: dict[str, int] = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
INTERRUPTED = 130

INTRO = (
    "Answer each question about yourself: yes, no or not sure (y, n or ?).\n"
    "Not sure counts as yes, to be safe. Ctrl-C stops.\n"
)
PROMPT = "yes / no / not sure [y/n/?]: "


def default_emergency_number() -> str | None:
    """The profile's number when --emergency-number is not given; None keeps the content's examples."""
    from .output import fit

    return fit().emergency_number


def check(
    yes: Optional[list[str]] = typer.Option(
        None,
        "--yes",
        metavar="IDS",
        help="Question ids you answer yes (comma-separated, repeatable).",
        show_default=False,
    ),
    no: Optional[list[str]] = typer.Option(
        None, "--no", metavar="IDS", help="Question ids you answer no.", show_default=False
    ),
    unsure: Optional[list[str]] = typer.Option(
        None, "--unsure", metavar="IDS", help="Question ids you are not sure about (count as yes).", show_default=False
    ),
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
    Given answers (--yes/--no/--unsure/--answers), unanswered questions count as no.
    """
    from . import triage, triage_view

    number = triage.check_emergency_number(emergency_number) if emergency_number is not None else None
    number = number or default_emergency_number()
    content = load()
    if list_questions:
        emit(triage_view.questions_page(content), json_output, plain, color)
        return
    answers = given_answers(content, yes or [], no or [], unsure or [], answers_file)
    interactive = not answers
    if interactive:
        if not stdin_is_terminal():
            raise UsageError(
                "no answers given, and no terminal to ask the questions in. Answer with --yes, --no or "
                "--unsure IDS, or --answers FILE (the ids: cramp check --list)."
            )
        answers = ask_all(content)
    verdict = triage.assess(content, answers)
    emit(triage_view.check_page(content, verdict, interactive, number), json_output, plain, color)
    code = LEVEL_EXIT_CODES[verdict.level.id]
    if code:
        raise typer.Exit(code)


# Answers given on the command line or in a JSON file


def given_answers(
    content: Content, yes: list[str], no: list[str], unsure: list[str], answers_file: str | None
) -> dict[str, Answer]:
    from .triage import collect, split_ids

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

    from .guide import shorten
    from .safefile import UnsafePathError, open_regular
    from .triage import parse_answer

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


def ask_all(content: Content) -> dict[str, Answer]:
    """Ask in order; a yes to an emergency question ends the questions at once."""
    from .triage import ends_check, questions

    asks = questions(content)
    out = prompt_stream()
    answers: dict[str, Answer] = {}
    try:
        say(out, INTRO)
        for n, ask in enumerate(asks, 1):
            answers[ask.id] = ask_one(ask, n, len(asks), out)
            if ends_check(ask, answers[ask.id]):
                break
    except (EOFError, KeyboardInterrupt):
        stop(out)
    say(out, "\n")
    return answers


def ask_one(ask: Ask, n: int, total: int, out: TextIO) -> Answer:
    from .render import safe, unicode_ok
    from .triage import parse_answer

    say(out, f"\n({n}/{total}) {safe(ask.text, unicode_ok(out))}\n")
    while True:
        answer = parse_answer(read_line(PROMPT, out))
        if answer is not None:
            return answer
        say(out, "Please answer yes, no or not sure (y, n or ?).\n")


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
