"""Progress of a long report on the terminal: a rich progress bar on stderr (count, rate,
time left) for work that runs over about a second, and nothing at all in a pipe.

The bar appears only once a second has passed, so that a quick report stays silent, and it
is transient: it leaves no line behind when the work ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
DELAY = 1.0  # seconds of work before the bar is shown
CHECK_EVERY = 64  # items between looks at the clock


class Progress:
    """Phases of work, each with a known total, shown once the work has lasted DELAY seconds."""

    def __init__(self, enabled: bool, delay: float = DELAY) -> None:
        self.enabled = enabled
        self.delay = delay
        self.started = time.monotonic()
        self.bar: Any = None  # rich.progress.Progress, once shown
        self.phases: list[tuple[str, int, int]] = []  # (description, done, total)
        self.tasks: list[Any] = []

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        self.enabled = False

    def phase(self, description: str, total: int) -> None:
        """Start a phase of total items (the previous one is then complete)."""
        if not self.enabled:
            return
        if self.phases:
            self.advance(self.phases[-1][2] - self.phases[-1][1])
        self.phases.append((description, 0, total))
        if self.bar is not None:
            self.tasks.append(self.bar.add_task(description, total=total))

    def advance(self, count: int = 1) -> None:
        if not self.enabled or not self.phases or count <= 0:
            return
        description, done, total = self.phases[-1]
        self.phases[-1] = (description, min(total, done + count), total)
        if self.bar is None and time.monotonic() - self.started >= self.delay:
            self.show()
        if self.bar is not None:
            self.bar.update(self.tasks[-1], completed=self.phases[-1][1])

    def watch(self, items: Iterable[T]) -> Iterator[T]:
        """items, counted as the current phase goes through them."""
        pending = 0
        for item in items:
            yield item
            pending += 1
            if pending == CHECK_EVERY:
                self.advance(pending)
                pending = 0
        self.advance(pending)

    def show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn, Task, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar
        from rich.text import Text

        class Rate(ProgressColumn):
            """Entries a second, once there is a rate to tell."""

            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f} entries/s" if speed else "", style="progress.data.speed")

        bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            Rate(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar = bar
        bar.start()
        self.tasks = [
            bar.add_task(description, total=total, completed=done) for description, done, total in self.phases
        ]
