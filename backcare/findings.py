"""Problems found in content files, with stable codes.

The codes are part of the interface (documented in the README): scripts and
editors may match on them, so a code is never reused for another meaning.
"""

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import NamedTuple

# At most this many findings are listed per file; one more says how many were left out.
MAX_PER_FILE = 100


class Code(str, Enum):
    """Stable validation codes."""

    YAML_SYNTAX = "BC001"
    SHAPE = "BC002"
    MISSING_FIELD = "BC003"
    WRONG_TYPE = "BC004"
    UNKNOWN_FIELD = "BC005"
    DUPLICATE_KEY = "BC006"
    DUPLICATE_ID = "BC007"
    BAD_SLUG = "BC008"
    UNKNOWN_LINK = "BC009"
    EMPTY_TEXT = "BC010"
    TEXT_TOO_LONG = "BC011"
    BAD_CHOICE = "BC012"
    UNREADABLE = "BC013"
    TOO_LARGE = "BC014"
    NOT_UTF8 = "BC015"
    EMPTY_FILE = "BC016"
    UNSAFE_TAG = "BC017"
    ALIAS = "BC018"
    CONTROL_CHARACTER = "BC019"
    ID_CLASH = "BC020"
    MISSING_LAYER = "BC021"
    TOO_MANY_PROBLEMS = "BC022"
    PROTECTED = "BC023"
    EMERGENCY_SELF_CARE = "BC024"
    NO_CONTENT_FILES = "BC025"
    OUT_OF_RANGE = "BC026"
    FIGURE_TOO_LARGE = "BC027"
    EXERCISE_CLASH = "BC028"
    BUILTIN_ONLY = "BC029"
    BAD_PHONE_NUMBER = "BC030"
    UNKNOWN_PLACEHOLDER = "BC031"


CODE_SUMMARIES: dict[Code, str] = {
    Code.YAML_SYNTAX: "the file is not valid YAML (or nests deeper than the parser allows)",
    Code.SHAPE: (
        "the file or a section has the wrong shape (e.g. a list where a mapping belongs,"
        " a key that is not a word, nesting deeper than 32 levels)"
    ),
    Code.MISSING_FIELD: "a required field is missing",
    Code.WRONG_TYPE: "a field has the wrong type (e.g. a number where text belongs)",
    Code.UNKNOWN_FIELD: "a field or section that the format does not know (often a typo)",
    Code.DUPLICATE_KEY: "the same key twice in one mapping",
    Code.DUPLICATE_ID: "the same slug or id twice in one layer",
    Code.BAD_SLUG: "a slug or id that is not lowercase words joined by hyphens",
    Code.UNKNOWN_LINK: (
        "a link to a cause, symptom, source, red flag or exercise that does not exist"
    ),
    Code.EMPTY_TEXT: "a text field that is empty or only spaces",
    Code.TEXT_TOO_LONG: "a text field longer than its limit",
    Code.BAD_CHOICE: "a value outside its fixed set (category, stance, level, kind)",
    Code.UNREADABLE: (
        "a path that cannot be read (permissions, a folder where a file belongs, a pipe or device)"
    ),
    Code.TOO_LARGE: (
        "over a size limit: a file over 4 MiB or 100,000 values, a layer over"
        " 1,000 files or 32 MiB, folders nested over 16 deep"
    ),
    Code.NOT_UTF8: "a file that is not UTF-8 text",
    Code.EMPTY_FILE: "a file with no content",
    Code.UNSAFE_TAG: "a YAML tag (such as !!python/object) that content may not use",
    Code.ALIAS: "a YAML anchor or alias, which content may not use",
    Code.CONTROL_CHARACTER: (
        "a control character, terminal escape sequence or bidirectional override in the file"
    ),
    Code.ID_CLASH: "a red-flag id that is also a symptom slug",
    Code.MISSING_LAYER: "a content folder that does not exist",
    Code.TOO_MANY_PROBLEMS: f"more than {MAX_PER_FILE} problems in one file (the rest left out)",
    Code.PROTECTED: (
        "a layer may not replace a built-in warning sign, level or source (warning signs and"
        " the sources they cite are safety content; the built-in entry stays)"
    ),
    Code.EMERGENCY_SELF_CARE: "the emergency level may hold no self-care advice",
    Code.NO_CONTENT_FILES: (
        "no content files found: a layer or validate target with no .yaml or .yml file"
    ),
    Code.OUT_OF_RANGE: (
        "a number outside its range (an exercise's hold, repetitions, sets or times a day)"
    ),
    Code.FIGURE_TOO_LARGE: (
        "an exercise's figure over 8 lines or 40 characters a line, or holding a tab"
    ),
    Code.EXERCISE_CLASH: (
        "an exercise slug that is also a remedy slug (the diary could not tell them apart)"
    ),
    Code.BUILTIN_ONLY: (
        "a section only the built-in content may hold (regions, recovery, review_points, scope)"
    ),
    Code.BAD_PHONE_NUMBER: "a telephone number that is not 2 to 15 digits as dialled",
    Code.UNKNOWN_PLACEHOLDER: "a placeholder in text other than {emergency} and {urgent}",
}


class Finding(NamedTuple):
    """One problem at one place. ``line`` and ``column`` are 1-based; 0 means unknown."""

    path: str
    line: int
    column: int
    code: Code
    message: str

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: CODE message``, the format editors understand."""
        from backcare.escape import shown

        where = shown(self.path)  # a name from the file system: one line, valid UTF-8
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.code.value} {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data."""
        from backcare.escape import shown

        return {
            "path": shown(self.path),
            "line": self.line,
            "column": self.column,
            "code": self.code.value,
            "message": self.message,
        }


def limit_per_file(findings: Iterable[Finding], maximum: int = MAX_PER_FILE) -> list[Finding]:
    """Keep at most ``maximum`` findings per file, adding one that says how many were left out."""
    kept: list[Finding] = []
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.path] = counts.get(finding.path, 0) + 1
        if counts[finding.path] <= maximum:
            kept.append(finding)
    for path, count in counts.items():
        if count > maximum:
            message = f"more than {maximum} problems; only the first {maximum} are listed"
            kept.append(Finding(path, 0, 0, Code.TOO_MANY_PROBLEMS, message))
    return kept


def listed_problems(findings: Sequence[Finding]) -> tuple[list[Finding], bool]:
    """The findings that are problems in their own right, and whether any were left out.

    A ``TOO_MANY_PROBLEMS`` finding only says that a file's list was cut short:
    it is not counted as a problem, nor ever shown as the first one.
    """
    real = [f for f in findings if f.code is not Code.TOO_MANY_PROBLEMS]
    return real, len(real) != len(findings)
