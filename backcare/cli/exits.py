"""The one place where a run's outcome becomes its exit code; free of Typer.

Whatever parsed the command line (Typer, or the quick path for a plain read
command) hands ``conclude`` a function that runs the command and returns its
exit code. ``conclude`` maps what that function raises to exit codes, reports
failures on stderr (and as JSON when JSON was asked for), prints the
disclaimer, and survives a stdout that cannot be written.
"""

import contextlib
import os
import sys
from collections.abc import Callable

from backcare.cli.state import State
from backcare.errors import BackcareError, ExitStatus


class OutputFailed(Exception):
    """Stdout could not be written: its reader went away (``| head -1``), or the disk is full."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or type(error).__name__)
        self.error = error


def conclude(state: State, command: Callable[[], int]) -> int:
    """Run ``command`` and return the exit code of the whole run; never raises for user errors."""
    try:
        try:
            code = command()
        except BackcareError as error:
            code = error.exit_status
            report(state, code, error.message, error.hint)
        except KeyboardInterrupt:
            report(state, ExitStatus.INTERRUPTED, "interrupted", None)
            code = ExitStatus.INTERRUPTED
        if code != ExitStatus.OK and not state.out.failed:
            state.out.failed = code in (
                ExitStatus.USAGE,
                ExitStatus.CONTENT,
                ExitStatus.INTERRUPTED,
            )
        from backcare import render

        render.disclaimer(state.out, state.disclaimer(), state.disclaimer(short=True))
        state.out.finish()
    except KeyboardInterrupt:  # Ctrl-C outside the command, e.g. while the disclaimer prints
        with contextlib.suppress(OSError, ValueError):
            state.env.stderr.write("\nbackcare: error: interrupted\n")
        return ExitStatus.INTERRUPTED
    except (OSError, OutputFailed) as failure:
        cause = failure.error if isinstance(failure, OutputFailed) else failure
        # Keep Python's own flush at exit from failing on the same stream again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if isinstance(cause, BrokenPipeError):  # the reader went away (`| head -1`): quietly
            return int(state.pending_exit)
        with contextlib.suppress(OSError, ValueError):
            state.env.stderr.write(f"backcare: error: cannot write the output: {cause.strerror}\n")
        # A warning level still wins: an emergency is never reported as anything less.
        return int(state.pending_exit) if state.pending_exit else ExitStatus.OUTPUT_FAILED
    return int(code)


def report(state: State, code: int, message: str, hint: str | None) -> None:
    """Report a failure on stderr, and as a JSON document too when JSON was asked for."""
    from backcare import render

    render.failure(state.out, code, message, hint)
