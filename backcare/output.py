"""The run's environment and everything that writes to the terminal.

``Environment`` carries the streams and the facts about them (is stdout a
terminal? what do NO_COLOR, FORCE_COLOR and TERM say?), so that every output
mode can be produced in a test. ``Output`` decides, once per run, how to write:
Rich tables for a person at a terminal, plain tab-separated lines for a pipe.
Rich is imported only when Rich output is wanted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from enum import Enum
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

DISCLAIMER = (
    "backcare offers general self-care information for adults (16 and over). It is not a"
    " substitute for professional medical advice, diagnosis or treatment. If you have any"
    " warning sign (run 'backcare red-flags'), see a doctor; in an emergency call 999, 911"
    " or 112."
)

# Terminal control: C0/C1 controls (escape included) except tab and newline.
# Control characters (escape included, tab and newline allowed) and the
# bidirectional overrides that can make a line display in another order.
_UNSAFE = (
    *range(0, 9),
    *range(11, 32),
    *range(127, 160),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
)
_REPLACEMENTS = dict.fromkeys(_UNSAFE, "\ufffd")


def printable(text: str) -> str:
    """Make text safe for a terminal: control characters and overrides become U+FFFD."""
    return text.translate(_REPLACEMENTS)


class ColorChoice(str, Enum):
    """The ``--color`` option."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class Environment:
    """Streams and the facts about them for one run."""

    def __init__(
        self,
        stdout: IO[str],
        stderr: IO[str],
        stdin: IO[str],
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.environ: Mapping[str, str] = environ if environ is not None else {}

    @classmethod
    def from_process(cls) -> Environment:
        """The real process's streams and environment."""
        return cls(sys.stdout, sys.stderr, sys.stdin, os.environ)

    @staticmethod
    def _isatty(stream: IO[str]) -> bool:
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def stdout_isatty(self) -> bool:
        """Whether a person is likely reading stdout."""
        return self._isatty(self.stdout)

    @property
    def stderr_isatty(self) -> bool:
        """Whether a person is likely reading stderr."""
        return self._isatty(self.stderr)

    @property
    def columns(self) -> int | None:
        """The terminal width that ``COLUMNS`` asks for, if it names one."""
        value = self.environ.get("COLUMNS", "").strip()
        return int(value) if value.isdigit() and 0 < int(value) <= 10_000 else None

    def stderr_width(self) -> int:
        """How wide stderr's terminal is (``COLUMNS`` first), or 80 if it cannot tell."""
        if self.columns:
            return self.columns
        try:
            return os.get_terminal_size(self.stderr.fileno()).columns or 80
        except (AttributeError, OSError, ValueError):
            return 80

    @property
    def stdin_isatty(self) -> bool:
        """Whether a person can answer questions on stdin."""
        return self._isatty(self.stdin)


# FORCE_COLOR values that mean "do not force" (https://force-color.org treats any
# non-empty value as forcing, but "0" and "false" are widely meant as off).
_NOT_FORCING = frozenset({"", "0", "false", "no", "off"})

# The widest the disclaimer is wrapped to on a terminal's stderr.
DISCLAIMER_MAX_WIDTH = 100


def forces_colour(value: str | None) -> bool:
    """Whether a ``FORCE_COLOR`` value asks for colour."""
    return value is not None and value.strip().lower() not in _NOT_FORCING


class Output:
    """How this run writes: its layout, its colour, and the disclaimer's place."""

    def __init__(self, env: Environment, color: ColorChoice = ColorChoice.AUTO) -> None:
        self.env = env
        environ = env.environ
        forced = color is ColorChoice.ALWAYS or (
            color is ColorChoice.AUTO
            and forces_colour(environ.get("FORCE_COLOR"))
            and not environ.get("NO_COLOR")
        )
        # Rich layout for a terminal, or when colour is forced (e.g. into `less -R`).
        self.rich = env.stdout_isatty or forced
        if color is ColorChoice.NEVER:
            self.color = False
        elif color is ColorChoice.ALWAYS:
            self.color = True
        else:
            self.color = forced or (
                env.stdout_isatty
                and not environ.get("NO_COLOR")
                and environ.get("TERM", "") != "dumb"
            )
        self.json = False  # set when a command writes JSON to stdout
        self.json_requested = False  # set when a command was asked for --json
        self.failed = False
        self._console: Console | None = None

    def console(self) -> Console:
        """The Rich console for stdout, built on first use with this run's settings."""
        if self._console is None:
            from rich.console import Console

            class _Console(Console):
                def on_broken_pipe(self) -> None:
                    # Rich would exit with status 1 here; the CLI ends such a run
                    # itself, keeping the exit code the command settled on.
                    self.quiet = True
                    raise BrokenPipeError

            # COLUMNS wins (as it does for Rich itself); a pipe gets a fixed width.
            width = self.env.columns or (None if self.env.stdout_isatty else 100)
            self._console = _Console(
                file=self.env.stdout,
                force_terminal=self.color,
                no_color=not self.color,
                color_system="auto" if self.color else None,
                highlight=False,
                emoji=False,
                markup=False,
                width=width,
                soft_wrap=False,
            )
        return self._console

    def write(self, text: str) -> None:
        """Write plain text to stdout, made safe for a terminal."""
        self.env.stdout.write(printable(text))

    def write_json(self, text: str) -> None:
        """Write a JSON document to stdout (JSON escapes control characters itself)."""
        self.json = True
        self.env.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """Write a line for the person, not for a script, to stderr (e.g. a legend)."""
        self.env.stdout.flush()  # keep the order the two streams were written in
        self.env.stderr.write(self._fit_stderr(printable(text)) + "\n")

    def json_error(self, status: int, message: str, hint: str | None = None) -> None:
        """Report a failure of a run asked for JSON: on stderr, and as JSON on stdout.

        Call it instead of ``error`` when ``json_requested`` is set. stdout then
        carries exactly one JSON document, ``{"error": {"code", "message", "hint"},
        "disclaimer"}``, unless a command already wrote its document.
        """
        self.error(message, hint)
        if self.json:
            return
        from backcare.render.data import dumps

        self.write_json(dumps({"error": {"code": int(status), "message": message, "hint": hint}}))

    def error(self, message: str, hint: str | None = None) -> None:
        """Report a failure on stderr, in one line (and a hint line)."""
        self.failed = True
        stream = self.env.stderr
        stream.write(f"backcare: error: {printable(message)}\n")
        if hint:
            stream.write(f"backcare: {printable(hint)}\n")

    def disclaimer(self) -> None:
        """Print the disclaimer: last on stdout for people, on stderr after JSON or a failure."""
        if self.json or self.failed:
            self.env.stderr.write(f"\n{self._fit_stderr(DISCLAIMER)}\n")
        elif self.rich:
            from backcare.render.rich_view import disclaimer

            self.console().print(disclaimer(DISCLAIMER))
        else:
            self.env.stdout.write(f"\n{DISCLAIMER}\n")

    def _fit_stderr(self, text: str) -> str:
        """Word-wrap a paragraph for a terminal on stderr; a file or pipe gets it as one line."""
        if not self.env.stderr_isatty:
            return text
        import textwrap

        width = max(20, min(self.env.stderr_width(), DISCLAIMER_MAX_WIDTH))
        return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)
