"""Work on a list shared with one forked copy of this process, where that is worth it.

Reading a large content layer is almost all per-file work (parsing YAML and
checking it against the schema) that no file's result depends on another's. On
a machine with more than one processor, ``map_in_two`` gives the second half of
the files (by size, a little less than half) to a forked copy of the process while this one does the
first half, then takes the copy's results back through a pipe. The results are
the same and in the same order as doing everything here; if the copy fails in
any way, this process does its half too. Without ``os.fork`` (Windows), on macOS,
with one processor, or for little work, everything is done here.
"""

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this much work (in the caller's units: bytes of content), a fork costs
#: more than it saves.
THRESHOLD = 2 * 1024 * 1024
#: The share of the work this process keeps (the copy also pickles its results).
OWN_SHARE = 0.55


def map_in_two(
    work: Callable[[T], R],
    items: Sequence[T],
    sizes: Sequence[int],
    threshold: int | None = None,
) -> list[R]:
    """``[work(item) for item in items]``, half of it (by ``sizes``) in a forked process.

    Forked only when ``sizes`` add up to ``threshold`` (default ``THRESHOLD``) or more.
    """
    total = sum(sizes)
    least = THRESHOLD if threshold is None else threshold
    if len(items) < 2 or total < least or not _can_fork():
        return [work(item) for item in items]
    # This process takes a little more than half: the copy also has to send its results.
    split, running = len(items) - 1, 0
    for index, size in enumerate(sizes):
        running += size
        if running >= total * OWN_SHARE:
            split = max(1, min(index + 1, len(items) - 1))
            break
    first, second = items[:split], items[split:]
    copy = _Copy.start(work, second)
    if copy is None:
        return [work(item) for item in items]
    try:
        mine = [work(item) for item in first]
    except BaseException:
        copy.stop()
        raise
    theirs = copy.results()
    return mine + (theirs if theirs is not None else [work(item) for item in second])


def _can_fork() -> bool:
    # Not on macOS, where a forked copy of a process may not use some system libraries.
    return hasattr(os, "fork") and sys.platform != "darwin" and (os.cpu_count() or 1) > 1


class _Copy:
    """A forked copy of this process doing ``work`` on some items."""

    def __init__(self, pid: int, reading: int, count: int) -> None:
        self.pid = pid
        self.reading = reading
        self.count = count

    @classmethod
    def start(cls, work: Callable[[T], Any], items: Sequence[T]) -> "_Copy | None":
        """Fork; the copy works, sends its results and leaves. None if it cannot start."""
        import pickle

        try:
            reading, writing = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if pid == 0:  # the copy: never the parent's atexit handlers or buffered output
            status = 1
            try:
                os.close(reading)
                data = pickle.dumps([work(item) for item in items], pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as stream:
                    stream.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        return cls(pid, reading, len(items))

    def results(self) -> list[Any] | None:
        """The copy's results, in order; None if it failed in any way."""
        import pickle

        try:
            with os.fdopen(self.reading, "rb") as stream:
                data = stream.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0:
            return None
        try:
            found = pickle.loads(data)  # from our own copy through a pipe, never from a file
        except Exception:
            return None
        return found if isinstance(found, list) and len(found) == self.count else None

    def stop(self) -> None:
        """End the copy and reap it (this process is failing or being interrupted)."""
        import signal

        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.reading)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
