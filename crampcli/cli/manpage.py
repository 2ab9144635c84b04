"""Manual pages (roff, section 1) written from the commands' own help, so `man cramp` and
`cramp -h` never disagree: cramp.1 for the whole tool, and one page per command group
(cramp-log.1, cramp-profile.1, cramp-content.1).

The wheel's build hook (hatch_build.py) calls man_pages() and ships the pages as data under
share/man/man1. Nothing here runs when `cramp` runs.
"""

from typing import Any

# The one place that names the module holding the `cramp` app.
APP_MODULE = "crampcli.cli.app"
APP_NAME = "cramp"


def cramp_command() -> Any:
    """The `cramp` root command as click builds it (every command reachable from it)."""
    import importlib

    import typer.main

    app = importlib.import_module(APP_MODULE).app
    return typer.main.get_command(app)


def man_pages(root: Any = None, version: str | None = None) -> dict[str, str]:
    """File name -> roff text: cramp.1 and one page per command group."""
    import typer

    from crampcli import __version__

    root = root if root is not None else cramp_command()
    version = version or __version__
    root_context = typer.Context(root, info_name=APP_NAME, **root.context_settings)
    pages = {f"{APP_NAME}.1": root_page(root, root_context, version)}
    for name, command, context in subcommands(root, root_context):
        if is_group(command):
            pages[f"{APP_NAME}-{name}.1"] = group_page(name, command, context, version)
    return pages


def subcommands(group: Any, context: Any) -> list[tuple[str, Any, Any]]:
    """(name, command, its context) for every visible command of the group, in listing order."""
    import typer

    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or getattr(command, "hidden", False):
            continue
        found.append(
            (name, command, typer.Context(command, info_name=name, parent=context, **command.context_settings))
        )
    return found


def is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def root_page(root: Any, context: Any, version: str) -> str:
    groups = [name for name, command, _ in subcommands(root, context) if is_group(command)]
    lines = header(APP_NAME, version, first_sentence(root.help or ""))
    lines += section("SYNOPSIS", [f".B {APP_NAME}", escape(" ".join(root.collect_usage_pieces(context)))])
    lines += section("DESCRIPTION", paragraphs(root.help or ""))
    lines += section("OPTIONS", options(root, context))
    commands: list[str] = []
    for name, command, sub_context in subcommands(root, context):
        commands += command_entry(command, sub_context)
        if name in groups:
            commands.append(f"See \\fB{escape(APP_NAME + '-' + name)}\\fR(1) for its commands:")
            commands.append(", ".join(f"\\fB{sub}\\fR" for sub, _, _ in subcommands(command, sub_context)) + ".")
    lines += section("COMMANDS", commands)
    lines += section("EXAMPLES", paragraphs(root.epilog or "", drop_title="Examples:"))
    lines += section("SEE ALSO", [", ".join(f"\\fB{escape(APP_NAME + '-' + name)}\\fR(1)" for name in groups)])
    return "\n".join(lines) + "\n"


def group_page(name: str, group: Any, context: Any, version: str) -> str:
    full_name = f"{APP_NAME}-{name}"
    lines = header(full_name, version, first_sentence(group.help or ""))
    lines += section("SYNOPSIS", [f".B {APP_NAME} {name}", escape(" ".join(group.collect_usage_pieces(context)))])
    lines += section("DESCRIPTION", paragraphs(group.help or ""))
    lines += section("OPTIONS", options(group, context))
    commands: list[str] = []
    for _, command, sub_context in subcommands(group, context):
        commands += command_entry(command, sub_context)
    lines += section("COMMANDS", commands)
    if group.epilog:
        lines += section("EXAMPLES", paragraphs(group.epilog, drop_title="Examples:"))
    lines += section("SEE ALSO", [f"\\fB{APP_NAME}\\fR(1)"])
    return "\n".join(lines) + "\n"


def command_entry(command: Any, context: Any) -> list[str]:
    """One command under COMMANDS: its usage line, its help and its options."""
    usage = " ".join(command.collect_usage_pieces(context))
    lines = [".SS " + escape(f"{context.command_path} {usage}".strip())]
    lines += paragraphs(command.help or "")
    entries = options(command, context)
    if entries:
        lines += [".PP", "Options:", ".RS", *entries, ".RE"]
    if command.epilog:
        lines += paragraphs(command.epilog)
    return lines


def options(command: Any, context: Any) -> list[str]:
    """Each parameter with its help, as roff tagged paragraphs."""
    lines = []
    for parameter in command.get_params(context):
        record = parameter.get_help_record(context)
        if record is None:
            continue
        names, text = record
        lines += [".TP", f"\\fB{escape(names)}\\fR", escape(" ".join(text.split())) if text else ""]
    return [line for line in lines if line]


def header(name: str, version: str, summary: str) -> list[str]:
    # No date: the same sources build the same page (a reproducible wheel).
    return [
        f'.TH "{name.upper()}" "1" "" "{APP_NAME} {version}" "User Commands"',
        ".SH NAME",
        f"{escape(name)} \\- {escape(summary)}",
    ]


def section(title: str, body: list[str]) -> list[str]:
    return [f".SH {title}", *body] if body else []


def paragraphs(text: str, drop_title: str = "") -> list[str]:
    """click's help text as roff: a paragraph after a \\b line keeps its lines, the rest reflow."""
    lines: list[str] = []
    for block in text.strip().split("\n\n"):
        if drop_title and block.strip() == drop_title:
            continue
        if block.startswith("\b\n"):
            lines += [".PP", ".nf", *(escape(line) for line in block[2:].splitlines()), ".fi"]
        elif block.strip():
            lines += [".PP", escape(" ".join(block.split()))]
    return lines


def first_sentence(text: str) -> str:
    first = " ".join(text.strip().split("\n\n")[0].replace("\b", "").split())
    end = first.find(". ")
    return first[: end + 1] if end > 0 else first


def escape(text: str) -> str:
    """Text as roff reads it literally: backslashes doubled, hyphens as minus signs (so options
    can be searched and copied), and a leading dot or quote kept from being read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text
