"""The routine's live display: a thin renderer over the schedule, with keys and a clock.

It shows one step at a time (the exercise, a countdown with a progress bar,
"3 of 5"), rings a soft bell at the end of each hold, and reads single keys:
space pauses and goes on, ``s`` skips the exercise, ``q`` (or Ctrl-C) ends the
session. Whatever happens, the terminal is put back as it was and the cursor
shown again. Only ``backcare routine`` imports this module (it loads
``rich.live``, ``termios`` and ``tty``).

The clock is injectable: ``ScaledClock(0.01)`` runs a session a hundred times
faster, which is how the tests drive it in a pseudo-terminal.
"""

from __future__ import annotations

import os
import select
import termios
import time
import tty
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.padding import Padding
from rich.text import Text

from backcare.escape import printable
from backcare.query.schedule import Kind, Step
from backcare.render.exercises import KEYS_LINE, STOP_LINE, dose_text, heading, seconds, step_title

if TYPE_CHECKING:
    from types import TracebackType

# How often the display is redrawn and the keyboard looked at, in real seconds.
TICK = 0.1

PAUSE_KEYS = frozenset(" p")
SKIP_KEYS = frozenset("sS")
QUIT_KEYS = frozenset("qQ\x1b")
DONE_KEYS = frozenset("\r\n ")


class ScaledClock:
    """Routine time: real seconds divided by ``scale`` (1 is real time, 0.01 is 100x faster)."""

    def __init__(self, scale: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.scale = scale
        self._monotonic = monotonic

    def now(self) -> float:
        """The routine's time now, in its own seconds."""
        return self._monotonic() / self.scale

    def real(self, routine_seconds: float) -> float:
        """How many real seconds ``routine_seconds`` of routine time take."""
        return routine_seconds * self.scale


class Keys:
    """Single key presses from a terminal, without echo, while in a ``with`` block.

    The terminal is left in cbreak mode, so Ctrl-C still interrupts; its
    settings are restored on the way out, however the block ends.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None

    def __enter__(self) -> Keys:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str:
        """The keys pressed within ``timeout`` real seconds (empty when none)."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return ""
        data = os.read(self.fd, 64)
        return data.decode("utf-8", "replace") if data else "q"  # end of input: stop


class Outcome(NamedTuple):
    """How a live session went: the indexes of the steps finished, and how it ended."""

    finished: frozenset[int]
    ended: str  # "done", "quit" or "interrupted"


def bar(done: float, width: int, ascii_only: bool) -> Text:
    """A progress bar as one line of text: ``━━━━━━╺━━━━`` (``=====-----`` in ASCII)."""
    filled = round(max(0.0, min(done, 1.0)) * width)
    full, empty = ("=", "-") if ascii_only else ("\u2501", "\u2501")
    line = Text(full * filled, style="cyan")
    line.append(empty * (width - filled), style="dim")
    return line


def frame(
    step: Step,
    remaining: float,
    paused: bool,
    width: int,
    *,
    easy: bool = False,
    ascii_only: bool = False,
) -> RenderableType:
    """What the screen shows during one step: the exercise, the count, a bar, the keys."""
    e = step.exercise
    title = Text(step_title(step), style="bold cyan" if step.kind is Kind.HOLD else "bold")
    # The count and the bar come first: on a short terminal, Rich crops the bottom.
    parts: list[RenderableType] = [Text(printable(heading(step)), style="bold"), title]
    if step.kind is Kind.OWN_PACE:
        parts.append(Text("Press Enter when you have done it, or s to skip it."))
    else:
        left = max(0, int(remaining + 0.999))
        title.append(f"   {seconds(left)}", style="bold")
        done = 1 - remaining / step.seconds if step.seconds else 1.0
        parts.append(bar(done, max(10, min(width - 4, 60)), ascii_only))
    if paused:
        parts.append(Text("Paused. Press space to go on.", style="bold yellow"))
    # The instructions stay on screen throughout, so the layout does not jump.
    parts += [
        Text(KEYS_LINE, style="dim"),
        Text(""),
        Text(printable(" ".join(e.position.split())), style="italic"),
        *(Text(printable(f"{n}. {s}")) for n, s in enumerate(e.steps, 1)),
        Text(printable(dose_text(e, easy)), style="dim"),
        Text(""),
        Text(STOP_LINE, style="dim"),
    ]
    return Padding(Group(*parts), (0, 1))


def run(
    console: Console,
    steps: Sequence[Step],
    keys: Keys,
    clock: ScaledClock,
    *,
    bell: bool = True,
    easy: bool = False,
) -> Outcome:
    """Walk through ``steps`` on the terminal; return what was finished and how it ended."""
    finished: set[int] = set()
    skipped: set[int] = set()  # exercise numbers the person skipped
    ended = "done"
    with keys, Live(console=console, auto_refresh=False, transient=True) as live:
        try:
            for index, step in enumerate(steps):
                if step.number in skipped:
                    continue
                result = _step(live, console, step, keys, clock, easy)
                if result == "quit":
                    ended = "quit"
                    break
                if result == "skip":
                    skipped.add(step.number)
                    continue
                if step.kind in (Kind.HOLD, Kind.OWN_PACE):
                    finished.add(index)
                    if bell and step.kind is Kind.HOLD:
                        console.bell()
        except KeyboardInterrupt:
            ended = "interrupted"
        finally:
            live.update(Text(""), refresh=True)
    console.show_cursor(True)
    return Outcome(frozenset(finished), ended)


def _step(
    live: Live, console: Console, step: Step, keys: Keys, clock: ScaledClock, easy: bool
) -> str:
    """Show one step until its time is up; "done", "skip" or "quit"."""
    ascii_only = not console.encoding.lower().startswith("utf")
    elapsed = 0.0
    paused = False
    last = clock.now()
    while True:
        now = clock.now()
        if not paused:
            elapsed += now - last
        last = now
        remaining = step.seconds - elapsed
        if step.kind is not Kind.OWN_PACE and remaining <= 0:
            return "done"
        shown = frame(
            step, max(remaining, 0.0), paused, console.width, easy=easy, ascii_only=ascii_only
        )
        live.update(shown, refresh=True)
        wait = TICK if paused or step.kind is Kind.OWN_PACE else min(TICK, clock.real(remaining))
        for key in keys.read(wait):
            if key in QUIT_KEYS or key == "\x03":
                return "quit"
            if key in SKIP_KEYS:
                return "skip"
            if step.kind is Kind.OWN_PACE and key in DONE_KEYS:
                return "done"
            if key in PAUSE_KEYS:
                paused = not paused
