"""The run's environment and everything that writes to the terminal.

``Environment`` carries the streams and the facts about them (is stdout a
terminal? what do NO_COLOR, FORCE_COLOR and TERM say?), so that every output
mode can be produced in a test. ``Output`` decides, once per run, how to write:
Rich tables for a person at a terminal, plain tab-separated lines for a pipe.
Rich is imported only when Rich output is wanted.

Output owns the pager too, the way git does it: output for a terminal is kept
until the run ends, and when it is taller than the terminal it goes through
``$BACKCARE_PAGER``, else ``$PAGER``, else ``less -FRX``. Only then are
``subprocess`` and ``shlex`` imported.
"""

from __future__ import annotations

import codecs
import contextlib
import io
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
# The height assumed for a terminal that cannot tell its own.
DEFAULT_HEIGHT = 24
# The pager when neither BACKCARE_PAGER nor PAGER is set: quit at once when the
# text fits (-F), pass colours through (-R), leave the text on screen (-X).
DEFAULT_PAGER = "less -FRX"


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

    def stdout_height(self) -> int:
        """How many lines stdout's terminal shows (``LINES`` first), or 24 if it cannot tell."""
        value = self.environ.get("LINES", "").strip()
        if value.isascii() and value.isdigit() and 2 <= int(value) <= 10_000:
            return int(value)
        try:
            return os.get_terminal_size(self.stdout.fileno()).lines or DEFAULT_HEIGHT
        except (AttributeError, OSError, ValueError):
            return DEFAULT_HEIGHT

    def pager(self) -> str | None:
        """The pager command line, git's way: ``BACKCARE_PAGER``, ``PAGER``, then ``less -FRX``.

        An empty value (or ``cat``) in the first variable that is set means no pager.
        """
        for name in ("BACKCARE_PAGER", "PAGER"):
            if name in self.environ:
                value = self.environ[name].strip()
                return value if value and value != "cat" else None
        return DEFAULT_PAGER

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


class _Held(io.StringIO):
    """Output held back for the pager; it reports the real stdout's encoding to Rich."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


class Output:
    """How this run writes: its layout, its colour, the pager, and the disclaimer's place."""

    def __init__(
        self, env: Environment, color: ColorChoice = ColorChoice.AUTO, *, pager: bool = True
    ) -> None:
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
        # Set when stdout holds one document for a program (JSON, the version line,
        # a completion script): the disclaimer then goes to stderr.
        self.bare = False
        self.json_requested = False  # set when a command was asked for --json
        self.failed = False
        # The disclaimer for the region in effect, once the content has said it.
        self.disclaimer_text: str | None = None
        self._wrote_stderr = False  # whether this Output has written to stderr yet
        self._console: Console | None = None
        # Where stdout's text goes: the real stdout, or a buffer the pager may show.
        self.stream: IO[str] = env.stdout
        self._pager = env.pager() if pager and env.stdout_isatty and self.rich else None
        if self._pager is not None:
            self.stream = _Held(getattr(env.stdout, "encoding", None) or "utf-8")

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
                file=self.stream,
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
        self.stream.write(printable(text))

    def write_json(self, text: str) -> None:
        """Write a JSON document to stdout (JSON escapes control characters itself)."""
        self.json = True
        if not carries_unicode(self.env.stdout):
            from backcare.fallback import ascii_json

            text = ascii_json(text)
        self.write_document(text + "\n")

    def write_document(self, text: str) -> None:
        """Write text of backcare's own for a program to read, as it is; never paged."""
        self.bare = True
        self.stream.write(text)

    def show_as_written(self) -> None:
        """No pager for this run: what is written shows at once (a live or interactive view)."""
        held, self.stream = self.stream, self.env.stdout
        self._pager = None
        if self._console is not None:
            self._console.file = self.env.stdout
        if isinstance(held, _Held):
            self.env.stdout.write(held.getvalue())
            self.env.stdout.flush()

    def finish(self) -> None:
        """Send what was held for the pager, through it if it is taller than the terminal.

        Never for JSON; and when the pager cannot be started (no such program),
        the text goes to stdout as it is, with no error.
        """
        held, self.stream = self.stream, self.env.stdout
        if not isinstance(held, _Held):
            self.env.stdout.flush()
            return
        text = held.getvalue()
        command = self._pager
        self._pager = None
        if command and not self.bare and text.count("\n") >= self.env.stdout_height():
            with contextlib.suppress(OSError, ValueError):
                self.env.stderr.flush()  # before the pager takes the terminal
            if _page(command, text, self.env):
                return
        self.env.stdout.write(text)
        self.env.stdout.flush()

    def note(self, text: str) -> None:
        """Write a line for the person, not for a script, to stderr (e.g. a legend)."""
        self.stream.flush()  # keep the order the two streams were written in
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


def _page(command: str, text: str, env: Environment) -> bool:
    """Show ``text`` through the pager ``command``; False if the pager could not start."""
    import shlex
    import signal
    import subprocess

    try:
        args = shlex.split(command, posix=os.name != "nt")
    except ValueError:  # unbalanced quotes: no usable pager
        return False
    if not args:
        return False
    environ = dict(env.environ)
    # As git does: less and lv keep colours and quit on short text unless told otherwise.
    environ.setdefault("LESS", "FRX")
    environ.setdefault("LV", "-c")
    try:
        pager = subprocess.Popen(args, stdin=subprocess.PIPE, env=environ)
    except (OSError, ValueError):
        return False
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    errors = getattr(env.stdout, "errors", None) or "replace"  # the stream's own fallback
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            pager.stdin.write(text.encode(encoding, errors=errors))
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
