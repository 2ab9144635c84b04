"""The short usage screens: what a bare `cramp` (or `cramp log`...) and `cramp help` show.

A bare command is how most people start, often during a cramp: it gets one screen on stdout
and exit 0, as tldr shows a page, not the parser's full help on stderr. The full help is one
command away (`cramp help --all`, `cramp COMMAND -h`).
"""

from typing import Any

FIRST_SCREEN = """\
cramp: self-care for leg cramps (general information, not medical advice)

During a cramp:
  cramp relief calf          what to do now (or hamstring, quadriceps, foot)
  cramp relief --night       a cramp that woke you up
  cramp relief               first steps for any leg cramp

Most used:
  cramp check                does this need a doctor, and how soon?
  cramp when-to-see-doctor   warning signs, most urgent first
  cramp log add calf 5m      note a cramp in your private diary
  cramp prevent              ways to make cramps less likely
  cramp tip                  a tip of the day

Help:
  cramp help                 every command, on one screen
  cramp help --all           every command and option in full
  cramp COMMAND -h           one command's options and examples
"""

# The commands in the order `cramp help` lists them: the moment of a cramp first.
HELP_ORDER = (
    "relief",
    "check",
    "when-to-see-doctor",
    "prevent",
    "routine",
    "foods",
    "causes",
    "remedies",
    "tip",
    "log",
    "profile",
    "search",
    "sources",
    "disclaimer",
    "content",
    "help",
)


def command_list(group: Any, ctx: Any, prefix: str) -> list[str]:
    """'  prefix NAME   summary' for each command of a click group, in HELP_ORDER where known."""
    names = [n for n in group.list_commands(ctx) if n != "doctor"]  # an alias, said beside its twin
    names.sort(key=lambda n: HELP_ORDER.index(n) if n in HELP_ORDER else len(HELP_ORDER))
    rows = []
    for name in names:
        command = group.get_command(ctx, name)
        if command is None or getattr(command, "hidden", False):
            continue
        rows.append((f"{prefix} {name}", " ".join((command.short_help or command.help or "").split())))
    width = max((len(left) for left, _ in rows), default=0) + 2
    return [f"  {left.ljust(width)}{fit(right, 78 - width)}" for left, right in rows]


def fit(text: str, room: int) -> str:
    """A summary in room columns: its first clause when the sentence is too long."""
    if len(text) <= room:
        return text
    for mark in (": ", ", ", "; ", " ("):
        head = text.split(mark)[0]
        if room // 2 <= len(head) <= room:
            return head if head.endswith(".") else head + "."
    return text[: room - 3].rsplit(" ", 1)[0] + "..."


def help_screen(group: Any, ctx: Any) -> str:
    lines = ["cramp: a self-care guide for leg cramps (not medical advice)", "", "Commands:"]
    lines += command_list(group, ctx, "cramp")
    lines += ["", "cramp help --all for every option; cramp COMMAND -h for one command."]
    return "\n".join(lines) + "\n"


def group_screen(group: Any, ctx: Any, path: str) -> str:
    import textwrap

    summary = " ".join((group.short_help or group.help or "").split())
    lines = [*textwrap.wrap(f"{path}: {summary}", 80), "", "Commands:", *command_list(group, ctx, path)]
    lines += ["", f"{path} COMMAND -h for one command's options and examples."]
    return "\n".join(lines) + "\n"
