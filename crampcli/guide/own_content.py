"""`cramp content`: where each piece of advice comes from, and checking your own content files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from crampcli.cli.options import ColorOption, JsonOption, PlainOption
from crampcli.cli.run import emit, load, wants_json
from crampcli.errors import ContentError, CrampError
from crampcli.output.page import Color

app = typer.Typer(
    help="The guide's content: where items come from, and checking your own content files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def paths(json_output: bool = JsonOption, plain: bool = PlainOption, color: Optional[Color] = ColorOption) -> None:
    """Which file each item comes from: the built-in guide or your own content folder."""
    from crampcli.content.load import builtin_dir
    from crampcli.output.page import Page
    from crampcli.profile.store import user_content_dir

    content = load()
    user = user_content_dir()
    page = Page(
        "content-paths",
        data={
            "builtin": str(builtin_dir()),
            "user": str(user),
            "items": [{"id": item_id, "file": file} for item_id, file in sorted(content.origins.items())],
        },
    )
    page.add("title", "Where the content comes from")
    page.add("text", f"Built-in: {builtin_dir()}", style="muted")
    page.add("text", f"Yours: {user}" + ("" if user.is_dir() else " (no such folder yet)"), style="muted")
    by_file: dict[str, list[str]] = {}
    for item_id, file in sorted(content.origins.items()):
        by_file.setdefault(file, []).append(item_id)
    for file in sorted(by_file, key=lambda name: (not name.startswith("content/"), name)):
        page.add("heading", file)
        page.add("text", ", ".join(by_file[file]))
    emit(page, json_output, plain, color)


@app.command()
def validate(
    path: Optional[Path] = typer.Argument(
        None, help="A YAML file or folder (default: your content folder).", show_default=False
    ),
    json_output: bool = JsonOption,
) -> None:
    """Check content files against the guide's schema; every problem with file, line and key."""
    import sys

    from crampcli.profile.store import user_content_dir

    target = path or user_content_dir()
    problems, checked = problems_in(target) if path is not None or target.is_dir() else ([], [])
    if path is None and not checked and not wants_json(json_output):  # nothing to check: say where it goes
        from crampcli.text import safe, unicode_ok

        where = safe(str(target), unicode_ok(sys.stdout))
        sys.stdout.write(f"No content files of yours to check. They would go in {where} (*.yaml).\n")
        return
    if wants_json(json_output):
        import json

        document = {"kind": "content-validate", "path": str(target), "files": checked, "problems": problems}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        from crampcli.text import safe, unicode_ok

        for problem in problems:
            sys.stdout.write(safe(problem, unicode_ok(sys.stdout)) + "\n")
        verdict = f"{len(problems)} problem(s)" if problems else "no problems"
        sys.stdout.write(f"{len(checked)} file(s) checked, {verdict}.\n")
    if problems:
        raise typer.Exit(1)


def problems_in(target: Path) -> tuple[list[str], list[str]]:
    """Every problem in the user files at target, checked together with the built-in content."""
    from crampcli.content.load import builtin_dir, content_files, parse_content, read_files, valid_alone

    if target.is_dir():
        paths = content_files(target, allow_empty=True)
        shown_as = str(target)
    elif target.is_file():
        paths, shown_as = [target], str(target.parent)
    else:
        raise CrampError(f"no such file or folder: {target}")
    folder = builtin_dir()
    builtin = read_files(content_files(folder), folder.name)
    good, failed = valid_alone(builtin, paths, shown_as)
    problems = [message for _, error in failed for message in messages(error)]
    if not problems and good:
        try:
            parse_content(builtin, good)
        except ContentError as error:
            problems.extend(messages(error))
    return problems, [str(p) for p in paths]


def messages(error: ContentError) -> list[str]:
    return [str(p) for p in error.problems] or [str(error)]
