"""The domain's exceptions and the exit codes they map to.

Every failure a user can cause is one of these; ``cli.main`` turns them into a
message on stderr and an exit status, in one place.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcare.findings import Finding


class ExitStatus(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    CONTENT = 3
    DIARY = 4  # the diary file cannot be used as it is; it is left untouched
    SEE_A_DOCTOR_SOON = 10
    URGENT = 11
    EMERGENCY = 12
    OUTPUT_FAILED = 74  # EX_IOERR: stdout could not be written (e.g. a full disk)
    INTERRUPTED = 130


class BackcareError(Exception):
    """Base of every error backcare reports to the user."""

    exit_status: ExitStatus = ExitStatus.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(BackcareError):
    """The user asked for something that cannot be answered as asked."""

    exit_status = ExitStatus.USAGE


class ConfigError(UsageError):
    """The config file cannot be read, or holds a mistake; the message names its line."""


class NotFoundError(BackcareError):
    """A well-formed query that matched nothing."""

    exit_status = ExitStatus.NOT_FOUND


class DiaryError(BackcareError):
    """The diary file cannot be read or written as it is; it is never changed to fix that."""

    exit_status = ExitStatus.DIARY


class ContentError(BackcareError):
    """Content could not be read or is invalid; carries every finding."""

    exit_status = ExitStatus.CONTENT

    def __init__(self, findings: list[Finding]) -> None:
        from backcare.findings import listed_problems

        # A "too many problems" note is never the error itself, nor counted as one.
        real, cut_short = listed_problems(findings)
        first = real[0] if real else findings[0]
        # Each note stands for at least one problem left out of its file's list.
        more = len(findings) - 1
        targets = _validate_targets(findings)
        command = f"backcare validate {targets}"
        # A name shown as $'...' holds quotes of its own: the command goes last, unquoted.
        quoted = "$'" not in targets
        if more or cut_short:
            at_least = "at least " if cut_short else ""
            hint = f"{at_least}{more} more problem{'s' if more != 1 else ''}; " + (
                f"run '{command}' to see all" if quoted else f"to see all, run: {command}"
            )
        else:
            hint = (
                f"run '{command}' to check it again" if quoted else f"to check it, run: {command}"
            )
        super().__init__(first.format(), hint=hint)
        self.findings = findings


# At most this many files are named in the hint; beyond, their common folder is.
_MAX_NAMED = 3


def _validate_targets(findings: list[Finding]) -> str:
    """The paths to give ``validate`` so that it shows every one of ``findings``.

    ``validate`` accepts a path of any layer, so naming the files (or, for many
    files, the folder they share) works wherever the content came from.
    """
    import os

    paths = list(dict.fromkeys(finding.path for finding in findings))
    if len(paths) > _MAX_NAMED:
        try:
            common = os.path.commonpath(paths)
        except ValueError:  # paths on different drives, or relative and absolute mixed
            common = ""
        # Their shared folder; failing that (only the root is shared), the first file.
        shared = common and os.path.dirname(common) != common
        paths = [common] if shared else paths[:1]
    return " ".join(_quoted(path, windows=os.name == "nt") for path in paths)


def _quoted(path: str, *, windows: bool) -> str:
    """A path as one shell word: in double quotes when it holds spaces or shell characters."""
    from backcare.escape import needs_escape, shown

    if needs_escape(path):
        return shown(path)  # $'...', which names the very file to bash and zsh
    if path and not any(c.isspace() or c in "'\"$`;&|<>()*?[]#~!" for c in path):
        return path
    special = '"' if windows else '"\\$`'
    escaped = "".join("\\" + c if c in special else c for c in path)
    return f'"{escaped}"'


class WriteError(BackcareError):
    """A file the user asked for could not be written."""

    exit_status = ExitStatus.OUTPUT_FAILED
