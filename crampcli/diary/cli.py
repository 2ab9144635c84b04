"""`cramp log`: a private diary of cramps (how often, how long, where) kept on this machine.

Only typer and light standard modules load with this file; the store (sqlite3), the
statistics, the reports and rich load inside the commands that use them.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar

import typer

from crampcli.cli.options import ColorOption, JsonOption, PlainOption, ProfileOption, complete_from, complete_words
from crampcli.cli.run import emit, guarded_output, load
from crampcli.errors import UsageError
from crampcli.output.colour import pick_mode
from crampcli.output.page import Color
from crampcli.output.write import output_file, report
from crampcli.safefile import expand_option

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crampcli.content.model import Content

    from .flags import Finding, NoteFinding
    from .model import Entry
    from .stats import Stats
    from .store import Diary

EXAMPLES = """Examples:

\b
  cramp log add calf 2m                  a calf cramp just now, 2 minutes
  cramp log add foot 90s --start "yesterday 03:10" --side left
  cramp log list --since 30d             the last 30 days
  cramp log stats                        per week, by area, by hour, the trend
  cramp log report --output cramps.html  a report to take to your doctor

The diary stays on this machine: cramp log path shows where."""

app = typer.Typer(
    help="A private diary of your cramps: how often, how long and where. It never leaves this machine.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

AreaOption = typer.Option(
    None, "--area", "-a", help="Where: calf, hamstring, quadriceps, foot.", autocompletion=complete_from("areas")
)


def report_path(given: str) -> Path:
    """--output of the report: '-' stays as it is (the document on standard output); a leading
    ~ or ~user is expanded, and a user that does not exist is a usage error."""
    return Path(given if given == "-" else expand_option(given, "--output"))


OutputOption = typer.Option(
    None, "--output", "-o", help="Write to this file ('-' or none: print).", show_default=False, parser=output_file
)
DurationOption = typer.Option(None, "--duration", "-d", help="How long: 90s, 2m, 1m30s, 10min.")
SideOption = typer.Option(
    None, "--side", help="left, right or both.", autocompletion=complete_words("crampcli.diary.parse", "SIDES")
)
StartOption = typer.Option(
    None, "--start", "-s", help="When it started: now, 03:10, 'yesterday 03:10', -2h, 2026-11-20T03:10."
)
# The range is checked in changes_from, not by min/max: the message then quotes the value the
# same way whatever typer's version (newer ones word a range error differently).
SEVERITY_RANGE = (0, 10)
SeverityOption = typer.Option(None, "--severity", help="How bad, 0 to 10.")
NightOption = typer.Option(None, "--night/--day", help="Night or day (default: from the time, night 22:00-06:59).")
TriggerOption = typer.Option(
    None,
    "--trigger",
    "-t",
    help="What came before, comma-separated: exercise, standing, sitting, heat, cold, dehydration, "
    "new-medicine, pregnancy, alcohol, other. '' clears when editing.",
    autocompletion=complete_words("crampcli.diary.parse", "TRIGGERS"),
)
SymptomOption = typer.Option(
    None,
    "--symptom",
    help="Anything else, comma-separated: swelling, redness, warmth, numbness, weakness. '' clears when editing.",
    autocompletion=complete_words("crampcli.content.model", "DIARY_SYMPTOMS"),
)
NoteOption = typer.Option(None, "--note", "-n", help="Anything else, in your words.")
MAX_ID = 2**63 - 1  # SQLite's largest integer; a bigger number raised OverflowError on the way in
SinceOption = typer.Option(None, "--since", help="Only since: 30d, 2w or 2026-11-01.")
UntilOption = typer.Option(None, "--until", help="Only until: 30d, 2w or 2026-11-30 (the day included).")
ForceOption = typer.Option(False, "--force", help="Replace the output file if it exists.")


T = TypeVar("T")


def now() -> dt.datetime:
    from .parse import local_now

    return local_now()


def one_of(positional: str | None, option: str | None, what: str) -> str | None:
    if positional is not None and option is not None and positional != option:
        raise UsageError(f"give the {what} once: as an argument or with --{what}, not both.")
    return positional if positional is not None else option


def changes_from(
    content: Content,
    moment: dt.datetime,
    area: str | None,
    duration: str | None,
    side: str | None,
    start: str | None,
    severity: int | None,
    night: bool | None,
    trigger: list[str] | None,
    symptom: list[str] | None,
    note: str | None,
) -> dict[str, Any]:
    """The fields given on the command line, checked: usage errors come before the diary is opened."""
    from crampcli.content.model import DIARY_SYMPTOMS
    from crampcli.content.names import find_named

    from . import parse as parse
    from .model import at

    changes: dict[str, Any] = {}
    if area is not None:
        changes["area"] = find_named(content.relief.areas, area, "area", "areas").id
    if duration is not None:
        changes["duration"] = parse.parse_duration(duration)
    if side is not None:
        changes["side"] = parse.parse_choice(side, parse.SIDES, "side")
    if start is not None:
        started = parse.parse_start(start, moment)
        changes["started"], changes["utc_offset"] = at(started)
        changes["period"] = parse.period_at(started)
    if severity is not None:
        low, high = SEVERITY_RANGE
        if not low <= severity <= high:
            raise UsageError(f"Invalid value for '--severity': {severity} is not in the range {low} to {high}.")
        changes["severity"] = severity
    if night is not None:
        changes["period"] = "night" if night else "day"
    if trigger is not None:
        changes["triggers"] = parse.parse_words(trigger, parse.TRIGGERS, "trigger")
    if symptom is not None:
        changes["symptoms"] = parse.parse_words(symptom, DIARY_SYMPTOMS, "symptom")
    if note is not None:
        changes["note"] = parse.check_note(note)
    return changes


def findings_after(content: Content, diary: Diary, entry: Entry) -> list[Finding]:
    """The red flags to show right after logging or changing entry."""
    from .flags import entry_findings
    from .model import local_day

    span = max((f.within_days or 0 for f in content.diary_flags), default=0)
    day = local_day(entry.started, entry.utc_offset)
    by_day = diary.day_counts(day - span + 1, day) if span else {}
    return entry_findings(content, entry, by_day, int(now().timestamp()))


@app.command(epilog="Quick form, for the middle of the night: cramp log add calf 2m")
def add(
    area_argument: Optional[str] = typer.Argument(
        None,
        metavar="AREA",
        help="Where: calf, hamstring, quadriceps, foot.",
        show_default=False,
        autocompletion=complete_from("areas"),
    ),
    duration_argument: Optional[str] = typer.Argument(
        None, metavar="DURATION", help="How long: 90s, 2m, 1m30s.", show_default=False
    ),
    area: Optional[str] = AreaOption,
    duration: Optional[str] = DurationOption,
    side: Optional[str] = SideOption,
    start: Optional[str] = StartOption,
    severity: Optional[int] = SeverityOption,
    night: Optional[bool] = NightOption,
    trigger: Optional[list[str]] = TriggerOption,
    symptom: Optional[list[str]] = SymptomOption,
    note: Optional[str] = NoteOption,
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Log a cramp: where and how long, and if you like when, which side, how bad and why."""
    from crampcli.content.record import replace

    from . import parse as parse
    from .model import Entry, at, new_uid
    from .store import open_diary
    from .view import entry_page

    content = load()
    moment = now()
    area = one_of(area_argument, area, "area")
    duration = one_of(duration_argument, duration, "duration")
    if area is None:
        raise UsageError("say where the cramp was, for example: cramp log add calf 2m")
    if duration is None:
        raise UsageError("say how long it lasted (a guess is fine), for example: cramp log add calf 2m")
    started, utc_offset = at(moment)
    entry = Entry(
        id=None,
        uid=new_uid(),
        started=started,
        utc_offset=utc_offset,
        duration=0,
        area="",
        side=None,
        severity=None,
        period=parse.period_at(moment),
        triggers=(),
        symptoms=(),
        note="",
        logged=int(moment.timestamp()),
    )
    changes = changes_from(content, moment, area, duration, side, start, severity, night, trigger, symptom, note)
    diary = open_diary(create=True)
    assert diary is not None  # create=True always gives one
    with diary:
        stored = diary.add(replace(entry, **changes))
        findings = findings_after(content, diary, stored)
    emit(entry_page(stored, findings, "added"), json_output, plain, color)


@app.command()
def edit(
    entry_id: int = typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The entry's number (cramp log list)."),
    area: Optional[str] = AreaOption,
    duration: Optional[str] = DurationOption,
    side: Optional[str] = SideOption,
    start: Optional[str] = StartOption,
    severity: Optional[int] = SeverityOption,
    night: Optional[bool] = NightOption,
    trigger: Optional[list[str]] = TriggerOption,
    symptom: Optional[list[str]] = SymptomOption,
    note: Optional[str] = NoteOption,
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Change an entry: only what you give changes."""
    from crampcli.content.record import replace

    from .view import entry_page

    content = load()
    changes = changes_from(content, now(), area, duration, side, start, severity, night, trigger, symptom, note)
    if not changes:
        raise UsageError("say what to change, for example: cramp log edit 12 --duration 3m")
    with existing_diary() as diary:
        changed = diary.edit(entry_id, lambda entry: replace(entry, **changes))
        findings = findings_after(content, diary, changed)
    emit(entry_page(changed, findings, "changed"), json_output, plain, color)


def existing_diary() -> Diary:
    from .store import open_diary

    diary = open_diary(create=False)
    if diary is None:
        raise UsageError("the diary is empty; log a cramp first: cramp log add calf 2m")
    return diary


@app.command("rm")
def remove(
    entry_ids: list[int] = typer.Argument(
        metavar="ID...", min=1, max=MAX_ID, help="The numbers of the entries to remove."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; needed without a terminal."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Remove entries (also: delete, remove), after asking on a terminal, or with --yes."""
    from crampcli.text import safe, unicode_ok

    from .view import entry_line, removed_page

    with existing_diary() as diary:
        found = {i: diary.get(i) for i in entry_ids}
        missing = [f"#{i}" for i, entry in found.items() if entry is None]
        if missing:
            raise UsageError(f"no entry {', '.join(missing)} in the diary; nothing was removed.")
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError("removing needs a yes: run it in a terminal, or add --yes.")
            for entry in found.values():
                assert entry is not None
                sys.stderr.write(safe(entry_line(entry), unicode_ok(sys.stderr)) + "\n")
            try:
                agreed = typer.confirm(f"Remove {'this entry' if len(found) == 1 else 'these entries'}?", err=True)
            except typer.Abort as stop:  # end of input is a no; Ctrl-C interrupts, as everywhere (exit 130)
                if isinstance(stop.__context__, KeyboardInterrupt):
                    raise KeyboardInterrupt from None
                agreed = False
            if not agreed:
                report("nothing was removed.")
                raise typer.Exit(1)
        removed = diary.remove(list(found))
    emit(removed_page(removed), json_output, plain, color)


# The words people reach for; rm's help names them, so they stay out of the list of commands.
app.command("delete", hidden=True)(remove)
app.command("remove", hidden=True)(remove)


@app.command("list")
def list_entries(
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    area: Optional[str] = AreaOption,
    latest: Optional[int] = typer.Option(None, "--latest", min=1, max=MAX_ID, help="Only the latest N."),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Your entries, oldest first (each with its number, for edit and rm); a table on a terminal."""
    from crampcli.cli.run import State

    from .listing import Columns, write_list
    from .parse import parse_until
    from .store import open_diary
    from .view import period_words

    moment = now()
    since_at, area_id = period_of(since, area, moment)
    until_at = parse_until(until, moment) if until is not None else None
    if since_at is not None and until_at is not None and since_at >= until_at:
        raise UsageError("--since must come before --until.")
    described = period_words(since_at, area_id, until_at)
    mode = pick_mode(json_output, plain, color or State.color)
    content = load()
    area_width = max((len(a.id) for a in content.relief.areas), default=4)
    diary = open_diary(create=False)
    if diary is None:
        guarded_output(
            lambda: write_list(
                [],
                0,
                described,
                mode,
                content.disclaimer,
                moment,
                sys.stdout,
                lambda width: Columns(width, 1, area_width),
            )
        )
        return
    with diary, diary.snapshot():
        count = diary.count(since=since_epoch(since_at), area=area_id, latest=latest, until=since_epoch(until_at))
        rows = diary.rows(since=since_epoch(since_at), area=area_id, latest=latest, until=since_epoch(until_at))
        id_width = len(str(diary.highest_id()))
        guarded_output(
            lambda: write_list(
                rows,
                count,
                described,
                mode,
                content.disclaimer,
                moment,
                sys.stdout,
                lambda width: Columns(width, id_width, area_width),
            )
        )


def period_of(since: str | None, area: str | None, moment: dt.datetime) -> tuple[dt.datetime | None, str | None]:
    """The checked --since and --area."""
    from crampcli.content.names import find_named

    from .parse import parse_since

    since_at = parse_since(since, moment) if since is not None else None
    area_id = find_named(load().relief.areas, area, "area", "areas").id if area is not None else None
    return since_at, area_id


def since_epoch(since_at: dt.datetime | None) -> int | None:
    return int(since_at.timestamp()) if since_at else None


def summary(
    since_at: dt.datetime | None, area_id: str | None, weeks: int, moment: dt.datetime
) -> tuple[Stats, list[Finding], NoteFinding | None]:
    """The statistics and red flags of the diary (or a period or area of it), and what its notes mention."""
    from .flags import NOTE_HINTS, note_finding, period_findings, screen
    from .model import at, day_date, local_day
    from .parse import midnight
    from .stats import summarise, tally
    from .store import open_diary

    content = load()
    since = since_epoch(since_at)
    today = local_day(*at(moment))
    # Notes are read over the weeks the chart shows: a text search of every note a diary ever
    # held would cost more than all its statistics.
    chart_start = int(midnight(day_date(today - 7 * weeks + 1)).timestamp())
    notes_since = max(since, chart_start) if since is not None else chart_start
    diary = open_diary(create=False)
    first: int | None = None
    if diary is None:
        tallies, notable, noted = tally([]), [], []
    else:
        with diary, diary.snapshot():
            tallies = diary.tallies(since, area_id)
            notable = diary.notable(*screen(content), since=since, area=area_id)
            noted = diary.noted(NOTE_HINTS, since=notes_since, area=area_id)
            first = diary.first_started(area_id)
    since_day = local_day(*at(since_at)) if since_at else None
    # The first entry's day as the report reads it (by this machine's clock), so both agree.
    recorded_from = local_day(*at(dt.datetime.fromtimestamp(first, moment.tzinfo))) if first is not None else None
    stats = summarise(tallies, today, weeks, since_day, recorded_from)
    findings = period_findings(content, notable, tallies.by_day, int(moment.timestamp()))
    return stats, findings, note_finding(noted)


WeeksOption = typer.Option(12, "--weeks", min=1, max=520, help="Weeks in the chart.")


@app.command()
def stats(
    since: Optional[str] = SinceOption,
    area: Optional[str] = AreaOption,
    weeks: int = WeeksOption,
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Episodes per week, by area and hour, how long, the trend, and any red flags."""
    from crampcli.output.layout import plain_width
    from crampcli.text import unicode_ok

    from .view import period_words, stats_page

    moment = now()
    since_at, area_id = period_of(since, area, moment)
    numbers, findings, notes = summary(since_at, area_id, weeks, moment)
    width = plain_width(sys.stdout) or 80
    page = stats_page(numbers, findings, notes, period_words(since_at, area_id), unicode_ok(sys.stdout), width)
    emit(page, json_output, plain, color)


@app.command("report")
def make_report(
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        help="Write to this file: .md, .html or .pdf (default: show it here).",
        show_default=False,
        parser=report_path,
    ),
    report_format: Optional[str] = typer.Option(
        None, "--format", "-f", help="md, html or pdf (default: from the file name; without a file, shown here)."
    ),
    since: Optional[str] = typer.Option(None, "--since", help="The period's start: 30d, 2w or 2026-09-01."),
    until: Optional[str] = typer.Option(None, "--until", help="The period's end: a date (included), 30d or 2w."),
    area: Optional[str] = AreaOption,
    weeks: int = typer.Option(12, "--weeks", min=1, max=520, help="Without --since: the last N weeks."),
    paper: Optional[str] = typer.Option(
        None, "--paper", help="a4 or letter, for PDF and print (default: from the locale, else A4)."
    ),
    profile: Optional[str] = ProfileOption,
    force: bool = ForceOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """A report for your doctor: findings, a short summary, charts and every entry of the period."""
    import contextlib

    from crampcli import __version__
    from crampcli.cli.run import fit, personalise
    from crampcli.output.layout import plain_width
    from crampcli.output.write import warn
    from crampcli.text import unicode_ok

    from .report.data import choose_period, gather, period_entries
    from .report.paper import check_paper, paper_for
    from .report.progress import Progress
    from .report.shared import format_for
    from .store import open_diary

    to_stdout = output is not None and str(output) == "-"  # the document itself, for a pipe
    if to_stdout:
        output = None
    chosen = format_for(str(output) if output is not None else None, report_format)
    paper_size = paper_for(check_paper(paper))
    if chosen == "pdf":
        from .report.pdf import check_pdf_library

        if output is None and (not to_stdout or sys.stdout.isatty()):
            raise UsageError("a PDF report needs a file: cramp log report --output report.pdf")
        check_pdf_library()
    if output is not None:
        from .io import check_target

        check_target(output, force)
    moment = now()
    period = choose_period(since, until, weeks, moment)
    _, area_id = period_of(None, area, moment)
    content = load()
    personalise(profile, False, False)
    conditions = tuple(sorted(fit().conditions))  # the profile's, through its own reader
    diary = open_diary(create=False)
    terminal_page = output is None and report_format is None and not to_stdout
    # A bar on a terminal's stderr only, and never over the document itself on the same terminal.
    shown = sys.stderr.isatty() and (terminal_page or output is not None or not sys.stdout.isatty())
    with diary if diary is not None else contextlib.nullcontext(), Progress(shown) as progress:
        since_at, until_at = int(period.since.timestamp()), int(period.until.timestamp())
        total = diary.count_between(since_at, until_at, area_id) if diary is not None and shown else 0

        def reading(entries: Iterator[Entry]) -> Iterator[Entry]:
            progress.phase("Reading the diary", total)
            return progress.watch(entries)

        data = gather(diary, content, period, area_id, moment, __version__, conditions, reading)
        progress.phase("Writing the report", data.count)
        entries = progress.watch(period_entries(diary, data))
        if terminal_page:
            from .report.page import report_page

            width = plain_width(sys.stdout) or 80
            page = report_page(data, entries, unicode_ok(sys.stdout), width)
            progress.close()
            emit(page, False, plain, color)
        elif chosen == "pdf":
            from .report.pdf import pdf_bytes

            laying_out: list[bool] = []

            def laid_out(count: int) -> None:
                if not laying_out:  # the first table is on its page: the entries have all been read
                    laying_out.append(True)
                    progress.phase("Laying out pages", data.count)
                progress.advance(count)

            written = pdf_bytes(data, entries, paper_size, laid_out)
            progress.close()
            if written.missing:
                warn(
                    f"the PDF has no font for {written.missing}; it shows each one's code, [U+...], "
                    "in its place. The HTML report shows every character."
                )
            if output is None:
                guarded_output(lambda: write_bytes(written.document))
            else:
                write_report(output, iter([written.document]))
        else:
            from .report.html_doc import html_parts
            from .report.markdown import markdown_parts

            parts = html_parts(data, entries, paper_size) if chosen == "html" else markdown_parts(data, entries)
            if output is None:
                write_out("".join(parts), None, force)
            else:
                write_report(output, (part.encode("utf-8") for part in parts))


def write_bytes(document: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(document)
    sys.stdout.buffer.flush()


def write_report(output: Path, parts: Iterator[bytes]) -> None:
    """The report's file, readable by its owner only, whole or not at all."""
    from crampcli.errors import CrampError
    from crampcli.safefile import write_atomic_chunks

    try:
        write_atomic_chunks(output, parts)
    except OSError as error:
        raise CrampError(f"cannot write {output}: {error.strerror or error}") from None


def write_out(text: str | Iterable[str], output: Path | None, force: bool) -> None:
    """To the file (only its owner can read it), or to stdout (no --output, `-o -` or
    `-o /dev/stdout`) as UTF-8, neutralised on a terminal. Text may come in pieces, each
    written as it comes."""
    from .io import is_stdout

    pieces = (text,) if isinstance(text, str) else text
    if output is not None and not is_stdout(output):
        from .io import write_private

        write_private(output, (piece.encode("utf-8") for piece in pieces), force)
        return
    terminal = sys.stdout.isatty()

    def write() -> None:
        from crampcli.text import safe

        sys.stdout.flush()
        for piece in pieces:
            if terminal:  # a note's escape sequences never reach the terminal
                piece = safe(piece.replace("\r\n", "\n"))
            sys.stdout.buffer.write(piece.encode("utf-8"))
        sys.stdout.buffer.flush()

    guarded_output(write)


@app.command()
def export(
    export_format: Optional[str] = typer.Option(
        None, "--format", "-f", help="csv or json (default: from the file name, else csv)."
    ),
    output: Optional[Path] = OutputOption,
    force: bool = ForceOption,
    raw: bool = typer.Option(
        False, "--raw", help="CSV: notes as typed, without the apostrophe that keeps spreadsheets from running = or @."
    ),
) -> None:
    """Every entry as CSV or JSON; cramp log import reads it back, losing nothing."""
    from .io import export_chunks, format_for, is_stdout
    from .progress import Progress, wanted
    from .store import open_diary

    chosen = format_for(str(output) if output else None, export_format, default="csv")
    diary = open_diary(create=False)
    if diary is None:
        write_out(export_chunks([], chosen, raw), output, force)
        return
    # Not while the export itself scrolls by on the same terminal.
    to_terminal = (output is None or is_stdout(output)) and sys.stdout.isatty()
    with diary, diary.snapshot(), Progress("Exporting", diary.count(), wanted() and not to_terminal) as progress:
        write_out(export_chunks(progress.counted(diary.all_entries()), chosen, raw), output, force)


@app.command("import")
def import_entries(
    file: str = typer.Argument(metavar="FILE", help="A CSV or JSON export ('-' reads standard input)."),
    import_format: Optional[str] = typer.Option(
        None, "--format", "-f", help="csv or json (default: from the file name)."
    ),
    json_output: bool = JsonOption,
    plain: bool = PlainOption,
    color: Optional[Color] = ColorOption,
) -> None:
    """Add the entries of an export; entries already in the diary (same uid) are skipped."""
    from crampcli.output.write import warn
    from crampcli.text import shorten

    from .io import RowReader, checked, format_for, import_records, open_import
    from .progress import Progress, wanted
    from .store import open_diary
    from .view import import_page

    chosen = format_for(file, import_format)
    reader = RowReader(load(), now())
    source = open_import(file)
    size = file_size(source) if file != "-" else None
    try:
        records = import_records(source, chosen, "standard input" if file == "-" else shorten(file))
        entries = checked(records, reader)
        # The first good entry before the diary is opened: a file whose rows are all bad creates nothing.
        first = next(entries, None)
        diary = open_diary(create=first is not None)  # an empty file still checks the diary is usable
        added = skipped = 0
        if diary is not None:
            bar = Progress("Importing", size, wanted(json_output=json_output), source.tell if size else None)
            with diary, bar:
                added, skipped = diary.import_entries(chain_first(first, entries), lambda _: bar.advance())
    finally:
        if file != "-":
            source.close()
    if reader.doubtful:
        warn(
            f"{plural_entries(reader.doubtful)} dated before 2000 or in the future (a device's clock was wrong?); "
            "the dates were kept as they are, and cramp log list marks them (date?)."
        )
    emit(import_page(added, skipped, shorten(file, 60)), json_output, plain, color)


def file_size(source: object) -> int | None:
    """The size of the file being read, for the progress bar's time left; None when unknown."""
    import os

    try:
        return os.fstat(source.fileno()).st_size or None  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


def plural_entries(n: int) -> str:
    return f"{n} entry is" if n == 1 else f"{n} entries are"


def chain_first(first: T | None, rest: Iterable[T]) -> Iterator[T]:
    if first is not None:
        yield first
    yield from rest


@app.command()
def path(json_output: bool = JsonOption) -> None:
    """Where the diary file is (CRAMPCLI_HOME sets the folder)."""
    from crampcli.text import safe, unicode_ok

    from .store import diary_path
    from .view import path_page

    where = diary_path()
    if json_output:
        emit(path_page(str(where), where.exists()), True, False, None)
        return
    guarded_output(lambda: print(safe(str(where), unicode_ok(sys.stdout)), flush=True))
