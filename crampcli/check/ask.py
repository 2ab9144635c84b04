"""Asking `cramp check` in a terminal: numbered lists of warning signs, read from the keyboard.

What the replies mean is triage's; this module only shows the lists, reads and checks what is
typed, and goes back on request (by replaying every reply but the last).
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, Literal, NoReturn, TextIO

import typer

from crampcli.check.triage import check_lookalikes, check_steps, parse_answer, parse_list_reply
from crampcli.output.write import report
from crampcli.text import safe, unicode_ok

if TYPE_CHECKING:
    from collections.abc import Callable

    from crampcli.check.triage import Answer, Prompt, Reply
    from crampcli.content.model import Content

INTERRUPTED = 130
BACK_WORDS = frozenset({"b", "back"})
ONE_PROMPT = "yes / no / not sure [y/n/?]: "
LIST_PROMPT = "numbers, none or not sure: "
OFFER = (
    "Optional: a few more questions tell a cramp from a clot, restless legs and other things "
    "that feel like one. Answer them? [y/N]: "
)


def intro(steps: int) -> str:
    return (
        "This check is for adults (16 and over): a child with a painful leg, a limp or a fever "
        f"needs to be seen today. You will see {steps} short lists of warning signs, the most "
        "urgent first. Type the numbers of any you have (such as 1 3), none, or not sure (?) to "
        "go through a list one sign at a time. b goes back; Ctrl-C stops."
    )


def ask_check(content: Content, interim: Callable[[dict[str, Answer]], str]) -> dict[str, Answer]:
    """Every list of warning signs, then (if wanted) the look-alike questions; the answers by id.

    `interim` says, between the two, where the warning signs alone lead. An emergency answer
    ends the lists at once. Ctrl-C or the end of input stops the check (exit 130).
    """
    out = prompt_stream()
    signs: list[Reply] = []
    looks: list[Reply] | None = None  # None until the look-alike questions are taken up
    try:
        say(out, wrap(intro(len(content.steps))) + "\n")
        while True:
            progress = check_steps(content, signs)
            if progress.prompt is not None:
                take(read_reply(progress.prompt, out, can_go_back=bool(signs)), signs)
                continue
            if progress.stopped:
                break
            if looks is None:
                say(out, "\n" + wrap(interim(progress.answers)) + "\n")
                wanted = read_offer(out)
                if wanted == "back":
                    signs.pop()
                elif wanted:
                    looks = []
                else:
                    break
                continue
            more = check_lookalikes(content, looks)
            if more.prompt is None:
                say(out, "\n")
                return {**progress.answers, **more.answers}
            reply = read_reply(more.prompt, out, can_go_back=True)
            if reply == "back" and not looks:
                looks = None  # back to the offer
            else:
                take(reply, looks)
    except (EOFError, KeyboardInterrupt):
        stop(out)
    say(out, "\n")
    return progress.answers


def take(reply: Reply | Literal["back"], replies: list[Reply]) -> None:
    if reply == "back":
        replies.pop()
    else:
        replies.append(reply)


def read_reply(prompt: Prompt, out: TextIO, can_go_back: bool) -> Reply | Literal["back"]:

    unicode = unicode_ok(out)
    say(out, "\n" + wrap(safe(heading(prompt), unicode)) + "\n")
    if prompt.single:
        say(out, wrap(safe(f"Do you have this? {prompt.lines[0].text}", unicode)) + "\n")
    else:
        say(out, wrap(safe(prompt.question, unicode)) + "\n")
        for n, line in enumerate(prompt.lines, 1):
            say(out, wrap(safe(line.text, unicode), f"{n:>3}. ") + "\n")
    while True:
        typed = read_line(ONE_PROMPT if prompt.single else LIST_PROMPT, out)
        if typed.strip().lower() in BACK_WORDS:
            if can_go_back:
                return "back"
            say(out, "This is the first question here; there is nothing to go back to.\n")
            continue
        if prompt.single:
            answer = parse_answer(typed)
            if answer is not None:
                return answer
            say(out, wrap("Please answer yes, no or not sure (y, n or ?), or b to go back.") + "\n")
            continue
        reply = parse_list_reply(typed, len(prompt.lines))
        if reply is not None:
            return reply
        say(out, wrap(list_help(typed, len(prompt.lines))) + "\n")


def heading(prompt: Prompt) -> str:
    if prompt.lookalike:
        return f"More questions, {prompt.step} of {prompt.steps}: {prompt.title}"
    return f"Step {prompt.step} of {prompt.steps}: {prompt.title}"


def list_help(typed: str, count: int) -> str:
    """What to type instead, said about what was typed."""
    if parse_answer(typed) == "yes":
        return f"Which ones? Type their numbers (1 to {count}), such as 1 or 1 3."
    words = typed.replace(",", " ").split()
    if words and all(w.isdigit() for w in words):
        return f"That is not on this list: type numbers from 1 to {count}, none, or not sure (?)."
    return f"Please type the numbers that apply (1 to {count}, such as 1 3), none, or not sure (?); b goes back."


def read_offer(out: TextIO) -> bool | Literal["back"]:
    while True:
        reply = read_line(wrap(OFFER) + " " if len(OFFER) > width() else OFFER, out).strip().lower()
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no", "none", ""):
            return False
        if reply in BACK_WORDS:
            return "back"
        say(out, "Please answer y or n (b goes back).\n")


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


def width() -> int:
    import shutil

    return max(20, shutil.get_terminal_size().columns - 1)


def wrap(text: str, lead: str = "") -> str:
    """Lines no wider than the terminal, so a long line is not cut by the screen edge; a
    numbered line keeps its text clear of the number."""
    import textwrap

    return textwrap.fill(
        text,
        width=width(),
        initial_indent=lead,
        subsequent_indent=" " * len(lead),
        break_long_words=False,
        break_on_hyphens=False,
    )


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
