"""Run one command and report its wall time and peak resident set size.

Usage: ``python -I -S probe.py RESULT_FD PROGRAM [ARG ...]``

This file is executed as a small, separate process rather than imported. On
Linux a child's ``ru_maxrss`` starts at the resident size of the process that
spawned it (the old address space counts when ``exec`` replaces it), so a
command spawned straight from the harness would report the harness's own
memory as its floor. Spawning from this tiny process (started with ``-I -S``
and importing nothing beyond the interpreter's core) keeps that floor to a few
MiB, below every command being measured.

The command inherits stdin, stdout and stderr. One line goes to RESULT_FD:
``WALL_NS MAXRSS_KIB STATUS`` where STATUS is the exit code, or minus the
signal number, or 127 when the program could not be started.
"""

import os
import sys
import time


def main(argv: list[str]) -> int:
    """Spawn ``argv[1:]``, wait for it and write the measurement to fd ``argv[0]``."""
    result_fd = int(argv[0])
    os.set_inheritable(result_fd, False)
    program = argv[1:]
    start = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - replaced by exec
        try:
            os.execv(program[0], program)
        except OSError as exc:
            os.write(2, f"cannot run {program[0]}: {exc.strerror}\n".encode())
        os._exit(127)
    _, wait_status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    status = os.waitstatus_to_exitcode(wait_status)
    os.write(result_fd, f"{elapsed} {usage.ru_maxrss} {status}\n".encode())
    os.close(result_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
