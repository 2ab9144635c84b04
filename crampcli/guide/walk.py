"""A guided session in the terminal: one step at a time, with live countdowns for the holds.

The timing is session.py's; this module reads keys and redraws one status line. Anything
that is not an interactive terminal (a pipe, --json, --plain, --no-timer, TERM=dumb) gets the
steps as an ordinary page instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TextIO

from crampcli.content.record import Record
from crampcli.guide.session import Session, View
from crampcli.output.colour import pick_mode
from crampcli.text import unicode_ok

if TYPE_CHECKING:
    from types import FrameType, TracebackType

    from crampcli.content.model import Content, RedFlag, ReliefPlan, Routine, Step
    from crampcli.output.page import Color, Mode, Page

# A key as the session sees it: "next" (Enter), "quit" (q, Ctrl-D), a lower-case letter,
# "" for a key that means nothing here; None when the wait timed out.
Keys = Callable[[float | None], str | None]
Clock = Callable[[], float]
# not-eased-long: not eased, and the session has run LONG_CRAMP_SECONDS, when the 10-minute
# warning applies; before that, "not eased" offers to hold again and says nothing of it.
Outcome = Literal["done", "quit", "eased", "not-eased", "not-eased-long"]
LONG_CRAMP_SECONDS = 600

# The red flag about a cramp that will not pass, and what to say if content lacks it.
LONG_CRAMP_FLAG = "cramp-over-ten-minutes"
LONG_CRAMP_FALLBACK = "A cramp that lasts more than 10 minutes needs medical help the same day."

HIDE_CURSOR, SHOW_CURSOR, CLEAR_LINE = "\x1b[?25l", "\x1b[?25h", "\r\x1b[K"
BOLD, RESET = "\x1b[1m", "\x1b[0m"
MIN_WIDTH = 8


class Walkthrough(Record):
    """What a guided session walks through, and how it ends."""

    title: str
    steps: tuple[Step, ...]
    first: str | None = None  # relief: the one thing to do right now, shown before anything
    after: tuple[str, ...] = ()  # relief: what to do once the cramp has eased
    cautions: tuple[str, ...] = ()  # shown at the end, however the session ends
    asks_eased: bool = False


# Entry points


def relief(
    content: Content,
    plan: ReliefPlan,
    page: Page,
    *,
    timer: bool,
    bell: bool,
    json_output: bool,
    plain: bool,
    color: Color | None,
) -> None:
    # The page's cautions as the relief page shows them: those about the user's own conditions
    # (from the profile) first, then the rest.
    cautions = tuple(
        line
        for style in ("personal", "caution")
        for b in page.blocks
        if b.kind == "alert" and b.style == style
        for line in b.lines
    )
    walkthrough = Walkthrough(plan.name, plan.steps, plan.first, plan.after, cautions, asks_eased=True)
    run(content, walkthrough, page, timer=timer, bell=bell, json_output=json_output, plain=plain, color=color)


def routine(
    content: Content,
    chosen: Routine,
    page: Page,
    *,
    timer: bool,
    bell: bool,
    json_output: bool,
    plain: bool,
    color: Color | None,
) -> None:
    run(
        content,
        Walkthrough(chosen.name, chosen.steps),
        page,
        timer=timer,
        bell=bell,
        json_output=json_output,
        plain=plain,
        color=color,
    )


def run(
    content: Content,
    walkthrough: Walkthrough,
    page: Page,
    *,
    timer: bool,
    bell: bool,
    json_output: bool,
    plain: bool,
    color: Color | None,
) -> None:
    """The live session in a terminal; otherwise the page, as the command would print it."""
    import time

    from crampcli.cli.run import State, emit, guarded_output

    if not (timer and not json_output and not plain and interactive()):
        emit(page, json_output, plain, color)
        return
    chosen = color or State.color
    mode = pick_mode(color=chosen)
    out = sys.stdout
    try:
        with Terminal(sys.stdin.fileno(), out) as terminal:
            screen = Screen(out, terminal.width, unicode_ok(out), bold=mode == "rich")
            terminal.on_stop, terminal.on_continue = screen.leave_live, screen.forget_live
            try:
                outcome = walk(walkthrough, screen, terminal.key, time.monotonic, bell)
            finally:
                screen.close()
    except KeyboardInterrupt:
        guarded_output(lambda: farewell(out, ending_page(content, walkthrough, "quit"), "plain", content))
        raise
    except OSError as error:  # the terminal went away or refused its settings
        from crampcli.errors import CrampError

        raise CrampError(f"cannot run the guided session: {error.strerror or error}") from None
    guarded_output(lambda: farewell(out, ending_page(content, walkthrough, outcome), mode, content))


def farewell(out: TextIO, page: Page, mode: Mode, content: Content) -> None:
    """The last words, after a blank line, with the disclaimer render always adds."""
    from crampcli.output.write import show, write

    write(out, "\n")
    show(page, mode, content.disclaimer, out)


def interactive() -> bool:
    """Keys can be read and a line redrawn: stdin and stdout are terminals that know escapes."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        import termios  # noqa: F401  # absent on Windows: there the page is shown instead
    except ImportError:
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# The session loop, on an injected clock and key source


def walk(walkthrough: Walkthrough, screen: Screen, keys: Keys, clock: Clock, bell: bool) -> Outcome:
    if walkthrough.first:
        screen.lines(walkthrough.first, strong=True)
    screen.lines(f"{walkthrough.title} - Enter: next, q: quit.")
    started = clock()
    while True:
        if not walk_steps(walkthrough, screen, keys, clock, bell):
            return "quit"
        if not walkthrough.asks_eased:
            return "done"
        screen.lines("")
        outcome = ask_eased(screen, keys)
        if outcome != "not-eased":
            return outcome
        if clock() - started >= LONG_CRAMP_SECONDS:
            return "not-eased-long"
        if ask_yes_no(screen, keys, "Not yet. Hold the stretch again? (y/n)") != "y":
            return "not-eased"
        screen.lines("")


def walk_steps(walkthrough: Walkthrough, screen: Screen, keys: Keys, clock: Clock, bell: bool) -> bool:
    """The steps once, with their countdowns; False if the person quit."""
    session = Session(walkthrough.steps, clock())
    shown_step = -1
    while True:
        now = clock()
        changed = session.tick(now)
        if changed and bell:
            screen.bell()
        view = session.view(now)
        if view is None:
            break
        if screen.wrapped():
            # A terminal that cuts lines instead of rewrapping them loses the row above the status
            # line when the wrapped line is erased: show the step again, fitted to the new width.
            screen.clear_live()
            shown_step = -1
        if view.phase.step != shown_step:
            shown_step = view.phase.step
            show_step(screen, view)
        line, strong = status_line(view, screen.width() - 1)
        screen.live(line, strong)
        key = keys(session.until_change(now) + 0.005)
        if key == "quit":
            return False
        if key == "next":
            session.skip(clock())
            if bell:
                screen.bell()
    screen.clear_live()
    return True


def show_step(screen: Screen, view: View) -> None:
    from crampcli.guide.pages import step_line

    screen.lines("")
    screen.lines(f"Step {view.step_number} of {view.step_count}", strong=True)
    # A no-break space keeps "10 s" on one line when the text wraps.
    screen.lines(re.sub(r"(\d) (s|min)\b", "\\1\u00a0\\2", step_line(view.step)))


def status_line(view: View, width: int) -> tuple[str, bool]:
    """The live line, as detailed as the width allows; True if it is a hold."""
    phase = view.phase
    hint = "Enter: skip, q: quit"
    if phase.kind == "wait":
        last = view.step_number == view.step_count
        so_far = f"{view.elapsed // 60}:{view.elapsed % 60:02d} so far"
        go_on = "Enter: finish" if last else "Enter: next step"
        candidates = [f"{go_on}, q: quit ({so_far})", f"{go_on}, q: quit", go_on, "Enter"]
        return fit(candidates, width), False
    leg = f"{phase.side} leg" if phase.side else ""
    count = f"{phase.repeat} of {phase.repeats}" if phase.repeats > 1 else ""
    which = ", ".join(part for part in (leg, count) if part)
    terse = " ".join(part for part in ((phase.side or "")[:1].upper(), count.replace(" of ", "/")) if part)
    if phase.kind == "hold":
        timer = f"Hold {view.seconds_left} s"
    else:
        timer = f"Rest {view.seconds_left} s"
        which = f"next: {which}" if which else ""
    candidates = [
        " - ".join(part for part in (timer, which, hint) if part),
        " - ".join(part for part in (timer, which) if part),
        " ".join(part for part in (timer, terse) if part),
        timer,
    ]
    return fit(candidates, width), phase.kind == "hold"


def fit(candidates: list[str], width: int) -> str:
    for text in candidates:
        if len(text) <= width:
            return text
    return candidates[-1][: max(width, 1)]


def ask_eased(screen: Screen, keys: Keys) -> Outcome:
    answer = ask_yes_no(screen, keys, "Has the cramp eased? (y/n)")
    return "quit" if answer == "quit" else "eased" if answer == "y" else "not-eased"


def ask_yes_no(screen: Screen, keys: Keys, question: str) -> str:
    """'y', 'n' or 'quit', the answer left on the screen."""
    while True:
        screen.live(question, strong=True)  # again after a resize or a stop, if it was disturbed
        key = keys(None)
        if key in ("y", "n"):
            screen.live(question + (" yes" if key == "y" else " no"), strong=True)
            screen.close()
            return key
        if key == "quit":
            return "quit"


# What is said at the end


def ending_page(content: Content, walkthrough: Walkthrough, outcome: Outcome) -> Page:
    from crampcli.guide.pages import flag_line
    from crampcli.output.page import Page

    page = Page("guided")
    if outcome == "quit":
        page.add("text", "Stopped.")
    elif outcome == "done":
        page.add("text", "Done.")
    elif outcome == "eased":
        page.add("text", "Good.")
        if walkthrough.after:
            page.add("heading", "Once it eases")
            page.add("bullets", *walkthrough.after)
    elif outcome == "not-eased-long":
        flag = long_cramp_flag(content)
        page.add("alert", flag_line(flag) if flag else LONG_CRAMP_FALLBACK, style=flag.urgency if flag else "urgent")
        page.add("text", "Red flags and when to get help: cramp when-to-see-doctor", style="muted")
    else:
        page.add("text", "Not eased yet. Keep stretching gently and rub the muscle; start again with --guide.")
    if walkthrough.cautions:
        # The most relevant caution last, beside the prompt, where it stays in view.
        page.add("heading", "Take care")
        page.add("alert", *reversed(walkthrough.cautions), style="caution")
    return page


def long_cramp_flag(content: Content) -> RedFlag | None:
    """The red flag for a cramp that goes on: by id, else the one whose sign says 10 minutes."""
    for flag in content.red_flags:
        if flag.id == LONG_CRAMP_FLAG:
            return flag
    return next((f for f in content.red_flags if "10 minutes" in f.sign), None)


# Drawing


class Screen:
    """Finished lines scroll up; one status line at the bottom is redrawn in place."""

    def __init__(self, out: TextIO, width: Callable[[], int], unicode: bool, bold: bool) -> None:
        self.out = out
        self.width = width
        self.unicode = unicode
        self.bold = bold
        self.drawn: str | None = None  # the status line on screen, if any
        self.drawn_length = 0  # how many columns it took
        self.drawn_width = 0  # how wide the window was then

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def styled(self, text: str, strong: bool) -> str:
        from crampcli.text import safe

        text = safe(text, self.unicode)
        return f"{BOLD}{text}{RESET}" if strong and self.bold and text else text

    def lines(self, text: str, strong: bool = False) -> None:
        self.clear_live()
        wrapped = textwrap.wrap(text, max(self.width(), MIN_WIDTH), break_on_hyphens=False) or [""]
        self.write("".join(self.styled(line, strong) + "\n" for line in wrapped))

    def live(self, text: str, strong: bool = False) -> None:
        width = self.width()  # measured on every draw: the window may have changed since
        if text == self.drawn and width == self.drawn_width:
            return
        from crampcli.text import safe

        self.write(self.erase_live(width) + self.styled(text, strong))
        self.drawn, self.drawn_length, self.drawn_width = text, len(safe(text, self.unicode)), width

    def erase_live(self, width: int) -> str:
        """What clears the status line. A window narrowed below it has wrapped it onto more rows
        (terminals that reflow); the cursor is on the last of them, so go up to the first."""
        rows = -(-self.drawn_length // max(width, 1)) if self.drawn is not None else 1
        return f"\r\x1b[{rows - 1}A\x1b[J" if rows > 1 else CLEAR_LINE

    def wrapped(self) -> bool:
        """The window is now narrower than the status line on screen."""
        return self.drawn is not None and self.drawn_length > self.width()

    def clear_live(self) -> None:
        if self.drawn is not None:
            self.write(self.erase_live(self.width()))
            self.drawn = None

    def leave_live(self) -> None:
        """Stopped: the status line stays as a record, and the shell writes below it. Written
        straight to the terminal, as this runs in a signal handler."""
        if self.drawn is not None:
            with contextlib.suppress(OSError, ValueError):
                os.write(self.out.fileno(), b"\r\n")
            self.drawn = None

    def forget_live(self) -> None:
        """The status line is no longer where it was (the session was stopped and resumed):
        the next one goes on the line where the cursor is."""
        self.drawn = None

    def close(self) -> None:
        """Leave the status line as it is and go to a fresh line."""
        if self.drawn is not None:
            self.write("\n")
            self.drawn = None

    def bell(self) -> None:
        self.write("\a")


# The terminal


class Terminal:
    """Keys one at a time without echo, the cursor hidden; all restored on the way out, and
    while the session is stopped (Ctrl-Z) until it is brought back (fg)."""

    def __init__(self, fd: int, out: TextIO) -> None:
        self.fd = fd
        self.out = out
        self.saved: list[Any] | None = None
        self.pending: list[str] = []
        self.previous: dict[int, Any] = {}  # signal number: the handler before ours
        self.wake: tuple[int, int] | None = None  # a pipe that a signal writes to, to end a wait
        self.previous_wakeup = -1
        self.on_stop: Callable[[], None] = lambda: None
        self.on_continue: Callable[[], None] = lambda: None

    def __enter__(self) -> Terminal:
        import termios

        try:
            self.saved = termios.tcgetattr(self.fd)
        except termios.error as error:
            raise OSError(*error.args) from None
        self.session_mode()
        try:
            self.catch_signals()
        except BaseException:  # no pipe left, say: the terminal goes back before the error does
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release_signals()
        self.shell_mode()

    def session_mode(self) -> None:
        import termios
        import tty

        try:
            tty.setcbreak(self.fd, termios.TCSANOW)  # Ctrl-C still raises KeyboardInterrupt
        except termios.error as error:
            raise OSError(*error.args) from None
        self.raw_write(HIDE_CURSOR)

    def shell_mode(self) -> None:
        """The cursor and the modes as they were before the session."""
        import termios

        self.raw_write(SHOW_CURSOR)
        if self.saved is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def raw_write(self, text: str) -> None:
        """Straight to the terminal: safe inside a signal handler, where the text stream may be
        half way through a write of its own (the session flushes after every write)."""
        with contextlib.suppress(OSError, ValueError):
            os.write(self.out.fileno(), text.encode("ascii"))

    def catch_signals(self) -> None:
        import signal

        handlers = {
            signal.SIGTERM: stop_on_term,  # a polite kill must still pass through __exit__
            signal.SIGTSTP: self.stopped,
            signal.SIGCONT: self.continued,
            signal.SIGWINCH: self.resized,
        }
        try:
            if signal.getsignal(signal.SIGTSTP) == signal.SIG_IGN:
                del handlers[signal.SIGTSTP]  # started where stopping is not wanted: keep it so
            for signum, handler in handlers.items():
                self.previous[signum] = signal.signal(signum, handler)
            wake = os.pipe()
            self.wake = wake
            for end in wake:
                os.set_blocking(end, False)
            self.previous_wakeup = signal.set_wakeup_fd(wake[1], warn_on_full_buffer=False)
        except ValueError:  # not the main thread: signals stay as they are
            self.release_signals()

    def release_signals(self) -> None:
        import signal

        with contextlib.suppress(ValueError):
            if self.wake is not None:
                signal.set_wakeup_fd(self.previous_wakeup)
            for signum, handler in self.previous.items():
                if handler is not None:  # None: set outside Python, and not ours to put back
                    signal.signal(signum, handler)
        self.previous = {}
        if self.wake is not None:
            for end in self.wake:
                os.close(end)
            self.wake = None

    def stopped(self, signum: int, frame: FrameType | None) -> None:
        """Ctrl-Z: give the shell its terminal back as it was, then stop for real."""
        import signal

        self.on_stop()
        self.shell_mode()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        # Here again after fg. SIGCONT runs continued() too; it is called here as well because an
        # orphaned process group is not stopped at all, and must not go on in the shell's modes.
        signal.signal(signal.SIGTSTP, self.stopped)
        self.continued(signal.SIGCONT, frame)

    def continued(self, signum: int, frame: FrameType | None) -> None:
        """fg (or a SIGCONT after any stop): the session's modes again, and a fresh status line."""
        with contextlib.suppress(OSError):
            self.session_mode()
        self.on_continue()

    def resized(self, signum: int, frame: FrameType | None) -> None:
        """Nothing to do here: the signal ends the wait for a key, and the redraw measures again."""

    def width(self) -> int:
        try:
            columns = os.get_terminal_size(self.out.fileno()).columns
        except (OSError, ValueError):
            columns = 80
        configured = os.environ.get("COLUMNS", "")
        if configured.isdigit() and int(configured) > 0:
            columns = min(columns, int(configured))  # never wider than the screen, or the redraw breaks
        return max(columns, MIN_WIDTH)

    def key(self, timeout: float | None) -> str | None:
        """The next key; None when the time is up, or when a signal (a resize, fg) asks for a redraw."""
        import select

        if not self.pending:
            sources = [self.fd] if self.wake is None else [self.fd, self.wake[0]]
            ready, _, _ = select.select(sources, [], [], timeout)
            if self.wake is not None and self.wake[0] in ready:
                with contextlib.suppress(OSError):
                    os.read(self.wake[0], 512)
            if self.fd not in ready:
                return None
            self.pending.extend(key_names(os.read(self.fd, 64)))
        return self.pending.pop(0)


def key_names(data: bytes) -> list[str]:
    """The keys in one read from the terminal."""
    if not data:
        return ["quit"]  # end of input: the terminal has gone
    if data.startswith(b"\x1b"):
        return [""]  # an arrow or function key
    names = {b"\r": "next", b"\n": "next", b"q": "quit", b"Q": "quit", b"\x04": "quit"}
    return [names.get(bytes([byte]), chr(byte).lower() if byte < 0x80 else "") for byte in data]


def stop_on_term(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
