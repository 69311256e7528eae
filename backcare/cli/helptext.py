"""The help text's layout and the reference sections that ``--help`` and the man page share.

Click lays help out at least 50 columns wide and splits words that do not
fit; at a narrow terminal the terminal then breaks lines mid-word. This
formatter uses the terminal's real width, never splits a word, and stacks a
definition list (term, then its text indented below) when two columns no
longer fit.
"""

import os
from collections.abc import Sequence

from typer import _click

# The widest help is laid out; wider terminals get lines this long.
MAX_WIDTH = 80
# Narrower than this, help is laid out for this width and the terminal wraps it.
MIN_WIDTH = 20
# A definition list keeps two columns while its text column is at least this wide.
MIN_TEXT_COLUMN = 30

ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("BACKCARE_CONTENT", "Extra content folders, separated by ':' (';' on Windows)."),
    ("BACKCARE_CACHE_DIR", "Where parsed content is cached."),
    ("BACKCARE_REGION", "Whose emergency numbers to show (see --region)."),
    ("BACKCARE_DIARY", "The diary file."),
    ("BACKCARE_PAGER", "The pager for long output; empty for none. Default: $PAGER."),
    ("PAGER", "The pager when BACKCARE_PAGER is not set. Default: less -FRX."),
    ("NO_COLOR", "Set and not empty: no colour."),
    ("FORCE_COLOR", "Set: tables and colour even in a pipe (not 0, false, no, off)."),
    ("TERM", "dumb: no colour."),
    ("COLUMNS, LINES", "The terminal's width and height, when set."),
    ("XDG_DATA_HOME", "Holds the user content folder, backcare/ (Linux)."),
    ("XDG_CONFIG_HOME", "Holds the config file, backcare/config.toml (Linux)."),
    ("LANG, LC_ALL", "The locale, which picks a region when none is set."),
)

EXIT_CODES: tuple[tuple[str, str], ...] = (
    ("0", "Success; for check and suggest, no warning sign."),
    ("1", "Nothing found: an unknown remedy, no match, no search hit."),
    ("2", "Usage error: a bad option or value."),
    ("3", "Content error: a content file is broken."),
    ("10", "A warning sign: see a doctor soon."),
    ("11", "A warning sign: urgent, see a doctor today."),
    ("12", "A warning sign: emergency."),
    ("74", "The output could not be written."),
    ("130", "Interrupted (Ctrl-C)."),
)


def terminal_columns() -> int:
    """The terminal's width: ``COLUMNS`` when it is a usable number, else the terminal's own."""
    value = os.environ.get("COLUMNS", "").strip()
    if value.isascii() and value.isdigit() and int(value) >= MIN_WIDTH:
        return int(value)
    try:
        return os.get_terminal_size(1).columns or MAX_WIDTH
    except (OSError, ValueError):
        return MAX_WIDTH


def wrap(text: str, width: int, initial: str = "", subsequent: str = "") -> str:
    """Fill paragraphs to ``width`` without splitting words; a ``\\b`` paragraph stays as it is."""
    import textwrap

    out = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            lines = paragraph[2:].splitlines()
            out.append("\n".join(_continued(subsequent + line, width) for line in lines))
            continue
        out.append(
            textwrap.fill(
                " ".join(paragraph.split()),
                width=max(width, len(initial) + 1),
                initial_indent=initial,
                subsequent_indent=subsequent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
        initial = subsequent
    return "\n\n".join(out)


def _continued(line: str, width: int) -> str:
    """An example command too long for ``width``, split at spaces with shell continuations."""
    if len(line) <= width:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    words = line.split()
    rows = [indent + words[0]]
    for word in words[1:]:
        if len(rows[-1]) + 1 + len(word) + 2 > width:
            rows[-1] += " \\"
            rows.append(indent + "  " + word)
        else:
            rows[-1] += " " + word
    return "\n".join(rows)


class HelpFormatter(_click.HelpFormatter):
    """Help laid out for the terminal's real width, with words kept whole."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        if width is None:
            width = max(min(terminal_columns(), max_width or MAX_WIDTH) - 2, MIN_WIDTH)
        super().__init__(indent_increment, width, max_width)

    def write_text(self, text: str) -> None:
        """Write paragraphs at the current indent."""
        indent = " " * self.current_indent
        self.write(wrap(text, self.width, indent, indent) + "\n")

    def write_dl(
        self,
        rows: Sequence[tuple[str, str]],
        col_max: int = 30,
        col_spacing: int = 2,
        term_width: int = 0,
    ) -> None:
        """Write terms and their text: in two columns, or stacked when narrow.

        ``term_width`` widens the first column, so that several lists line up.
        """
        rows = list(rows)
        widest = max((len(term) for term, _ in rows), default=0)
        first = min(max(widest, term_width), col_max) + col_spacing
        indent = " " * self.current_indent
        if self.width - self.current_indent - first < MIN_TEXT_COLUMN:
            for term, text in rows:
                self.write(f"{indent}{term}\n")
                if text:
                    pad = indent + " " * 4
                    self.write(wrap(text, self.width, pad, pad) + "\n")
            return
        pad = " " * (self.current_indent + first)
        for term, text in rows:
            if len(term) <= first - col_spacing:
                head = f"{indent}{term}".ljust(len(pad))
                self.write(
                    wrap(text, self.width, head, pad) + "\n" if text else head.rstrip() + "\n"
                )
            else:
                self.write(f"{indent}{term}\n")
                if text:
                    self.write(wrap(text, self.width, pad, pad) + "\n")


class Context(_click.Context):
    """A context whose help uses ``HelpFormatter``."""

    formatter_class = HelpFormatter


def reference_sections(formatter: _click.HelpFormatter) -> None:
    """The environment variables and exit codes, as sections of help."""
    with formatter.section("Environment"):
        formatter.write_dl(list(ENVIRONMENT))
    with formatter.section("Exit codes"):
        formatter.write_dl(list(EXIT_CODES))
