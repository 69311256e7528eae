"""The run's environment and everything that writes to the terminal.

``Environment`` carries the streams and the facts about them (is stdout a
terminal? what do NO_COLOR, FORCE_COLOR and TERM say?), so that every output
mode can be produced in a test. ``Output`` decides, once per run, how to write:
Rich tables for a person at a terminal, plain tab-separated lines for a pipe.
Rich is imported only when Rich output is wanted.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Mapping
from enum import Enum
from typing import IO, TYPE_CHECKING, Literal

from backcare.escape import printable

if TYPE_CHECKING:
    from rich.console import Console

# The narrowest layout: a smaller COLUMNS is ignored, a smaller terminal overflows.
MIN_WIDTH = 20
# The width assumed for a terminal that cannot tell its own (Rich's default too).
DEFAULT_WIDTH = 80
# The fixed width of Rich output forced into a file or pipe (e.g. `less -R`).
PIPE_WIDTH = 100


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
        """The real process's streams and environment.

        A stream the process was started without (``backcare list >&-``) is None
        in ``sys``; it becomes the null device, so that writing to it is harmless.
        """
        env = cls(
            _or_null(sys.stdout, "w"),
            _or_null(sys.stderr, "w"),
            _or_null(sys.stdin, "r"),
            os.environ,
        )
        env.fit_encodings()
        return env

    def fit_encodings(self) -> None:
        """Let stdout and stderr write any text, whatever their encoding can carry.

        A stream that is not UTF-8 (``PYTHONIOENCODING=ascii``, a Latin-1 locale,
        or ``LC_ALL=C`` on a terminal) gets an error handler that writes readable
        stand-ins (see ``backcare.fallback``) instead of failing; Rich reads the
        stream's encoding and draws plain ASCII boxes. Nothing is imported for a
        UTF-8 stream.
        """
        for stream in (self.stdout, self.stderr):
            fit_encoding(stream, self.environ)

    def terminal(self) -> IO[str]:
        """Where to ask a person questions: their terminal, even with stderr redirected.

        The controlling terminal when stdin is it (so ``check 2>/dev/null``
        still shows its questions), else stderr.
        """
        try:
            # Succeeds only for the controlling terminal, the one /dev/tty opens.
            os.tcgetpgrp(self.stdin.fileno())
            reading_the_terminal = True
        except (AttributeError, OSError, ValueError):
            reading_the_terminal = False
        if reading_the_terminal:
            try:
                tty = open("/dev/tty", "w", encoding=None)  # noqa: SIM115  # closed at exit
            except OSError:
                pass
            else:
                fit_encoding(tty, self.environ)
                return tty
        return self.stderr

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
        """The terminal width that ``COLUMNS`` asks for, if it names a usable one.

        A value that is not a number, or is narrower than ``MIN_WIDTH`` (``COLUMNS=0``
        is common), is ignored: the terminal's own width is used instead.
        """
        value = self.environ.get("COLUMNS", "").strip()
        if not (value.isascii() and value.isdigit()):
            return None
        return int(value) if MIN_WIDTH <= int(value) <= 10_000 else None

    @staticmethod
    def _terminal_width(stream: IO[str]) -> int | None:
        try:
            return os.get_terminal_size(stream.fileno()).columns or None
        except (AttributeError, OSError, ValueError):
            return None

    def width_of(self, stream: IO[str]) -> int:
        """How wide the terminal ``stream`` writes to is (``COLUMNS`` first), or 80."""
        width = self.columns or self._terminal_width(stream) or DEFAULT_WIDTH
        return max(MIN_WIDTH, width)

    def stderr_width(self) -> int:
        """How wide stderr's terminal is (``COLUMNS`` first), or 80 if it cannot tell."""
        width = self.columns or self._terminal_width(self.stderr) or DEFAULT_WIDTH
        return max(MIN_WIDTH, width)

    def stdout_width(self) -> int:
        """The width to lay stdout out for: ``COLUMNS``, else the terminal's, else a default.

        A terminal that cannot tell its width gets 80 columns; a file or pipe gets
        ``PIPE_WIDTH``. Never narrower than ``MIN_WIDTH``.
        """
        width = self.columns
        if width is None:
            if self.stdout_isatty:
                width = self._terminal_width(self.stdout) or DEFAULT_WIDTH
            else:
                width = PIPE_WIDTH
        return max(MIN_WIDTH, width)

    @property
    def stdin_isatty(self) -> bool:
        """Whether a person can answer questions on stdin."""
        return self._isatty(self.stdin)


def carries_unicode(stream: IO[str]) -> bool:
    """Whether ``stream`` encodes every character (a UTF encoding, or no encoding at all)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True  # an in-memory text stream
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _locale_is_ascii(environ: Mapping[str, str]) -> bool:
    """Whether the locale variables name the C (ASCII) locale, ``LC_ALL=C`` say."""
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(name)
        if value:
            return value.split(".")[0] in ("C", "POSIX") and "UTF" not in value.upper()
    return False


def fallback_encoding(stream: IO[str], environ: Mapping[str, str]) -> str | None:
    """The encoding to write ``stream`` in with stand-ins, or None if it carries everything.

    A stream that is not UTF-8 keeps its own encoding. A terminal in the C locale
    gets ASCII even though Python writes UTF-8 there by default (its automatic
    UTF-8 mode): the terminal would show box drawing and bullets as mojibake.
    An explicit ``PYTHONIOENCODING`` or ``PYTHONUTF8`` is left as asked.
    """
    if not carries_unicode(stream):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            return "ascii"
    automatic_utf8 = (
        sys.flags.utf8_mode
        and not environ.get("PYTHONUTF8")
        and not environ.get("PYTHONIOENCODING")
        and "utf8" not in sys._xoptions
    )
    if automatic_utf8 and _locale_is_ascii(environ) and Environment._isatty(stream):
        return "ascii"
    return None


def fit_encoding(stream: IO[str], environ: Mapping[str, str]) -> None:
    """Make ``stream`` write readable stand-ins for what its encoding cannot carry."""
    encoding = fallback_encoding(stream, environ)
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding is None or reconfigure is None:
        return
    from backcare.fallback import ERRORS

    with contextlib.suppress(OSError, ValueError, LookupError):
        reconfigure(encoding=encoding, errors=ERRORS)


def _or_null(stream: IO[str] | None, mode: str) -> IO[str]:
    """The stream, or the null device opened in ``mode`` when there is none."""
    if stream is not None:
        return stream
    return open(os.devnull, mode, encoding="utf-8")  # kept open for the whole run


# FORCE_COLOR values that mean "do not force" (https://force-color.org treats any
# non-empty value as forcing, but "0" and "false" are widely meant as off).
_NOT_FORCING = frozenset({"", "0", "false", "no", "off"})

# The widest a paragraph (the disclaimer, say) is wrapped to on a terminal's stderr.
DISCLAIMER_MAX_WIDTH = 100

# TERM values with which Rich, left to detect colour itself, turns colour off.
_DUMB_TERMS = frozenset({"dumb", "unknown"})


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
        # The disclaimer for the region in effect, once the content has said it.
        self.disclaimer_text: str | None = None
        self._wrote_stderr = False  # whether this Output has written to stderr yet
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

            # The width is always given, so Rich never reads an unusable COLUMNS itself.
            self._console = _Console(
                file=self.env.stdout,
                force_terminal=self.color,
                no_color=not self.color,
                color_system=self._color_system(),
                highlight=False,
                emoji=False,
                markup=False,
                width=self.env.stdout_width(),
                soft_wrap=False,
            )
        return self._console

    def _color_system(self) -> Literal["auto", "standard"] | None:
        """Rich's colour system: none, its own detection, or 16 colours when forced.

        Rich detects TERM=dumb and turns colour off; ``--color always`` and
        FORCE_COLOR still win there, with the 16 colours every terminal has.
        """
        if not self.color:
            return None
        term = self.env.environ.get("TERM", "").strip().lower()
        return "standard" if term in _DUMB_TERMS else "auto"

    def write(self, text: str) -> None:
        """Write plain text to stdout, made safe for a terminal."""
        self.env.stdout.write(printable(text))

    def write_json(self, text: str) -> None:
        """Write a JSON document to stdout (JSON escapes control characters itself)."""
        self.json = True
        if not carries_unicode(self.env.stdout):
            from backcare.fallback import ascii_json

            text = ascii_json(text)
        self.env.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """Write a line for the person, not for a script, to stderr (e.g. a legend)."""
        self.env.stdout.flush()  # keep the order the two streams were written in
        self._to_stderr(self._fit_stderr(printable(text)) + "\n")

    def error(self, message: str, hint: str | None = None) -> None:
        """Report a failure on stderr, in one line (and a hint line)."""
        self.failed = True
        line = f"backcare: error: {printable(message)}\n"
        if hint:
            line += f"backcare: {printable(hint)}\n"
        self._to_stderr(line)

    @property
    def wrote_stderr(self) -> bool:
        """Whether anything has been written to stderr in this run."""
        return self._wrote_stderr

    def paragraph(self, text: str) -> None:
        """Write a paragraph to stderr, wrapped for a terminal there (never failing)."""
        self._to_stderr(self._fit_stderr(printable(text)) + "\n")

    def _to_stderr(self, text: str) -> None:
        """Write to stderr, never failing: a stderr that cannot be written must not
        change the run's outcome (``2>/dev/full``, a closed terminal)."""
        self._wrote_stderr = True
        stream = self.env.stderr
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):
            # What stayed in the stream's buffer would fail again when Python
            # flushes it at exit: send it, and anything after it, to the null device.
            with contextlib.suppress(OSError, ValueError):
                fd = stream.fileno()
                null = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(null, fd)
                finally:
                    os.close(null)
                stream.flush()

    def _fit_stderr(self, text: str) -> str:
        """Word-wrap a paragraph for a terminal on stderr; a file or pipe gets it as one line."""
        if not self.env.stderr_isatty:
            return text
        import textwrap

        width = max(MIN_WIDTH, min(self.env.stderr_width(), DISCLAIMER_MAX_WIDTH))
        return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)
