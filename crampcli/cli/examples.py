"""The examples that end each command's help: what to type, and what it does.

Kept apart from the commands so that every help page ends the same way, and read only when
a command is built.
"""

EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "relief": (
        ("cramp relief calf", "what to do right now for a calf cramp"),
        ("cramp relief foot --night", "a foot cramp that woke you up"),
        ("cramp relief calf --guide", "step by step, with a countdown"),
    ),
    "prevent": (
        ("cramp prevent", "every topic, with its tips"),
        ("cramp prevent sleep", "one topic in full"),
    ),
    "foods": (
        ("cramp foods", "every nutrient, with foods and amounts"),
        ("cramp foods magnesium", "one nutrient in full"),
    ),
    "causes": (
        ("cramp causes", "habits, conditions and medicines"),
        ("cramp causes --json", "the same as one JSON object"),
    ),
    "remedies": (
        ("cramp remedies", "every remedy, with its evidence grade"),
        ("cramp remedies magnesium", "the remedies with magnesium"),
        ("cramp remedies pickle-juice", "one remedy in full"),
    ),
    "when-to-see-doctor": (
        ("cramp when-to-see-doctor", "red flags, most urgent first"),
        ("cramp check", "answer the questions one by one"),
    ),
    "doctor": (
        ("cramp doctor", "red flags, most urgent first"),
        ("cramp check", "answer the questions one by one"),
    ),
    "tip": (
        ("cramp tip", "the tip of the day"),
        ("cramp tip --oneline", "one line, for a shell's start-up file"),
        ("cramp tip --random --topic sleep", "any tip about sleep"),
    ),
    "search": (
        ("cramp search pickle", "find anything in the guide"),
        ("cramp search heat pad", "items with both words"),
    ),
    "sources": (
        ("cramp sources", "the documents and references"),
        ("cramp sources --json", "the same as one JSON object"),
    ),
    "disclaimer": (
        ("cramp disclaimer", "the medical disclaimer"),
        ("cramp disclaimer --plain", "without colour"),
    ),
    "check": (
        ("cramp check", "answer the questions one by one"),
        ("cramp check --list", "the questions and their ids"),
    ),
    "routine": (
        ("cramp routine", "the routines"),
        ("cramp routine bedtime", "guided, with a countdown for each hold"),
        ("cramp routine bedtime --no-timer", "the steps as a page"),
    ),
    "help": (
        ("cramp help", "every command"),
        ("cramp help relief", "one command's help"),
        ("cramp help log add", "a diary command's help"),
    ),
    "profile": (
        ("cramp profile show", "where the profile is and what it says"),
        ("cramp profile set diabetes=yes", "advice that suits you first"),
    ),
    "profile show": (
        ("cramp profile show", "where the profile is and what it says"),
        ("cramp profile show --json", "the same as one JSON object"),
    ),
    "profile set": (
        ("cramp profile set diabetes=yes", "add one condition"),
        ("cramp profile set units=metric", "food servings in grams"),
        ("cramp profile set emergency-number=112", "named in emergencies"),
    ),
    "profile clear": (
        ("cramp profile clear", "asks before removing it"),
        ("cramp profile clear --yes", "without asking"),
    ),
    "content": (
        ("cramp content paths", "which file each item comes from"),
        ("cramp content validate", "check your own content files"),
    ),
    "content paths": (
        ("cramp content paths", "which file each item comes from"),
        ("cramp content paths --json", "the same as one JSON object"),
    ),
    "content validate": (
        ("cramp content validate", "check your own content folder"),
        ("cramp content validate my.yaml", "check one file"),
    ),
    "log add": (
        ("cramp log add calf 2m", "a calf cramp just now, 2 minutes"),
        ("cramp log add foot 90s --side left", "with the side"),
        ("cramp log add calf 5m --trigger heat", "with what set it off"),
    ),
    "log edit": (
        ("cramp log edit 3 --severity 4", "change one thing of entry 3"),
        ("cramp log edit 3 --note 'after a walk'", "change its note"),
    ),
    "log rm": (
        ("cramp log rm 3", "remove entry 3, after asking"),
        ("cramp log rm 3 4 --yes", "without asking"),
    ),
    "log list": (
        ("cramp log list", "every entry, with its number"),
        ("cramp log list --since 30d", "the last 30 days"),
    ),
    "log stats": (
        ("cramp log stats", "per week, by area and hour, the trend"),
        ("cramp log stats --since 90d", "the last 90 days"),
    ),
    "log report": (
        ("cramp log report -o cramps.md", "a summary for your doctor"),
        ("cramp log report -o cramps.html", "the same as a web page"),
    ),
    "log export": (
        ("cramp log export -o diary.csv", "everything, as CSV"),
        ("cramp log export -o diary.json", "everything, as JSON"),
    ),
    "log import": (
        ("cramp log import diary.csv", "add the entries of an export"),
        ("cramp log import - -f json < d.json", "from standard input"),
    ),
    "log path": (
        ("cramp log path", "where the diary file is"),
        ("cramp log path --json", "the same as one JSON object"),
    ),
}

WIDTH = 80  # every line of the examples fits this, as click indents them


def examples_text(path: str) -> str | None:
    """The 'Examples:' section for the command at path ('log add'), or None if it has none.

    A command and its description share a line when both fit in WIDTH; otherwise the
    description goes on the next line. The \\b marks keep click from rewrapping them.
    """
    examples = EXAMPLES.get(path)
    if not examples:
        return None
    column = max(len(command) for command, _ in examples) + 2
    lines = ["Examples:", "", "\b"]
    for command, what in examples:
        if 4 + column + len(what) <= WIDTH:
            lines.append(f"  {command.ljust(column)}{what}")
        else:
            lines.extend((f"  {command}", f"      {what}"))
    return "\n".join(lines)
