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
    SEE_A_DOCTOR_SOON = 10
    URGENT = 11
    EMERGENCY = 12
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


class NotFoundError(BackcareError):
    """A well-formed query that matched nothing."""

    exit_status = ExitStatus.NOT_FOUND


class ContentError(BackcareError):
    """Content could not be read or is invalid; carries every finding."""

    exit_status = ExitStatus.CONTENT

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0]
        more = len(findings) - 1
        hint = (
            f"{more} more problem{'s' if more != 1 else ''}; run 'backcare validate' to see all"
            if more
            else None
        )
        super().__init__(first.format(), hint=hint)
        self.findings = findings
