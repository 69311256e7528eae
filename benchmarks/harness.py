"""Measure commands: wall time and peak RSS, sampled round-robin."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROBE = Path(__file__).with_name("probe.py")
#: Bytes of stdout and stderr kept from each run, for sanity checks and error reports.
KEEP_BYTES = 64 * 1024


@dataclass(frozen=True)
class Command:
    """A command to measure: a label for the tables, its argv and its environment.

    ``expect`` is the exit status of a good run (a warning sign exits 10 to 12);
    ``before`` runs ahead of every run, untimed (to empty a cache, say);
    ``terminal`` gives the command a pseudo-terminal for stdout and stderr.
    """

    label: str
    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None
    expect: int = 0
    before: Callable[[], None] | None = None
    terminal: bool = False


@dataclass(frozen=True)
class Sample:
    """One run of a command."""

    wall_ms: float
    maxrss_kib: int
    status: int
    stdout: bytes
    stderr: bytes
    expect: int = 0

    @property
    def ok(self) -> bool:
        """Whether the command exited with the status a good run has."""
        return self.status == self.expect


@dataclass
class Series:
    """All measured runs of one command (warm-ups excluded) and the first failure, if any."""

    command: Command
    samples: list[Sample] = field(default_factory=list)
    failure: Sample | None = None

    @property
    def median_ms(self) -> float:
        """Median wall time in milliseconds (NaN when nothing was measured)."""
        return _median([s.wall_ms for s in self.samples])

    @property
    def median_rss_mib(self) -> float:
        """Median peak RSS in MiB (NaN when nothing was measured)."""
        return _median([s.maxrss_kib / 1024 for s in self.samples])

    def record(self, sample: Sample, *, measured: bool) -> None:
        """Keep ``sample`` (if ``measured``) and remember the first failed run."""
        if not sample.ok and self.failure is None:
            self.failure = sample
        if measured:
            self.samples.append(sample)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run_once(command: Command) -> Sample:
    """Run ``command`` once with stdin from /dev/null and stdout to a pipe.

    The command is spawned by :mod:`benchmarks.probe`, which times it and reads
    its rusage; output is drained here, as a shell pipeline's reader would.
    """
    if command.before is not None:
        command.before()
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-I", "-S", str(PROBE), str(write_fd)),
                *(["--pty"] if command.terminal else []),
                *command.argv,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(command.env) if command.env is not None else None,
            pass_fds=(write_fd,),
        )
        os.close(write_fd)
        write_fd = -1
        stdout, stderr = proc.communicate()
        result = os.read(read_fd, 256).decode()
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    return _parse_result(result, proc.returncode, stdout, stderr, command.expect)


def _parse_result(
    result: str, probe_status: int, stdout: bytes, stderr: bytes, expect: int = 0
) -> Sample:
    fields = result.split()
    if probe_status != 0 or len(fields) != 3:
        message = f"probe failed (status {probe_status})\n".encode()
        return Sample(float("nan"), 0, probe_status or 1, b"", message + stderr[-KEEP_BYTES:])
    elapsed_ns, maxrss_kib, status = (int(f) for f in fields)
    return Sample(
        wall_ms=elapsed_ns / 1e6,
        maxrss_kib=maxrss_kib,
        status=status,
        stdout=stdout[:KEEP_BYTES],
        stderr=stderr[-KEEP_BYTES:],
        expect=expect,
    )


def round_robin(commands: Sequence[Command], runs: int, warmups: int) -> list[Series]:
    """Run every command ``warmups + runs`` times, interleaved run by run.

    Interleaving spreads background noise evenly over the commands rather than
    letting it land on whichever one happened to be running at the time.
    """
    series = [Series(c) for c in commands]
    for index in range(warmups + runs):
        for entry in series:
            entry.record(run_once(entry.command), measured=index >= warmups)
    return series
