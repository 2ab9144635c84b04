"""Progress on long diary work (an import or export of many thousand entries): a rich progress
bar on stderr, with the count, the rate and the time left.

It appears only when stderr is a terminal and the work has gone on for DELAY seconds, so a
quick command, a pipe, a log file and --json never see it; it is cleared when the work ends.
Counting costs a few additions per entry: the clock is read once every CHECK_EVERY entries.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

DELAY = 1.0  # seconds of silence before the bar appears: shorter work is over before anyone waits
CHECK_EVERY = 500  # entries between looks at the clock
T = TypeVar("T")


def wanted(stream: TextIO | None = None, json_output: bool = False) -> bool:
    """A bar belongs on stream (stderr by default) only when a person watches it there."""
    stream = stream if stream is not None else sys.stderr
    if json_output or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced by something without a terminal
        return False


class Progress:
    """Counts work as it is done; shows a bar once it has taken longer than DELAY seconds.

    total is the amount of work when known: entries, or with position (how far through it
    the work is, asked only when the bar is drawn) the bytes of a file. Use as a context
    manager: the bar is cleared on the way out, whatever happened."""

    def __init__(
        self,
        what: str,
        total: int | None,
        enabled: bool,
        position: Callable[[], int] | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.what = what
        self.total = total
        self.enabled = enabled
        self.position = position
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.count = 0  # entries done
        self.next_check = CHECK_EVERY
        self.bar: RichProgress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def advance(self, entries: int = 1) -> None:
        """entries more were done."""
        self.count += entries
        if not self.enabled or self.count < self.next_check:
            return
        self.next_check = self.count + CHECK_EVERY
        if self.bar is None:
            if time.monotonic() - self.started < DELAY:
                return
            self.show()
        assert self.bar is not None and self.task is not None
        self.bar.update(self.task, completed=self.done(), count=self.count)

    def done(self) -> int:
        if self.position is None:
            return self.count
        try:
            return self.position()
        except (OSError, ValueError):  # a stream that cannot say where it is
            return 0

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """items, each counted as it passes."""
        for item in items:
            self.advance()
            yield item

    def show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            """Entries a second, from the count and the time since the bar appeared."""

            def render(self, task: Task) -> Text:
                elapsed = task.elapsed or 0.0
                count = int(task.fields.get("count", 0)) - shown_at
                return Text(f"{count / elapsed:,.0f}/s" if elapsed > 0 else "", style="progress.data.speed")

        shown_at = self.count

        counted = self.position is None
        columns: list[ProgressColumn] = [
            TextColumn("{task.description}"),
            BarColumn(bar_width=None if self.total else 20),
            MofNCompleteColumn() if counted and self.total else TextColumn("{task.fields[count]:,} entries"),
            TaskProgressColumn() if self.total else TextColumn(""),
            RateColumn(),
            TimeRemainingColumn() if self.total else TimeElapsedColumn(),
        ]
        self.bar = Progress(*columns, console=Console(file=self.stream), transient=True)
        self.task = self.bar.add_task(self.what, total=self.total, completed=self.done(), count=self.count)
        self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
