"""Run one command and report its wall time and peak resident set size.

Usage: ``python -I -S probe.py RESULT_FD [--pty] PROGRAM [ARG ...]``

This file is executed as a small, separate process rather than imported. On
Linux a child's ``ru_maxrss`` starts at the resident size of the process that
spawned it (the old address space counts when ``exec`` replaces it), so a
command spawned straight from the harness would report the harness's own
memory as its floor. Spawning from this tiny process (started with ``-I -S``
and importing nothing beyond the interpreter's core) keeps that floor to a few
MiB, below every command being measured.

The command inherits stdin, stdout and stderr; with ``--pty`` its stdout and
stderr are an 80x24 pseudo-terminal instead, which this process reads to the
end (as a terminal would) and passes on to its own stdout. One line goes to RESULT_FD:
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
    terminal = argv[1:2] == ["--pty"]
    program = argv[2:] if terminal else argv[1:]
    master = slave = -1
    if terminal:
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - replaced by exec
        try:
            if terminal:
                os.close(master)
                os.setsid()
                os.dup2(slave, 1)
                os.dup2(slave, 2)
            os.execv(program[0], program)
        except OSError as exc:
            os.write(2, f"cannot run {program[0]}: {exc.strerror}\n".encode())
        os._exit(127)
    if terminal:
        os.close(slave)
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                break
            if not chunk:
                break
            os.write(1, chunk)
        os.close(master)
    _, wait_status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    status = os.waitstatus_to_exitcode(wait_status)
    os.write(result_fd, f"{elapsed} {usage.ru_maxrss} {status}\n".encode())
    os.close(result_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
